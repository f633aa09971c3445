"""Flashcards: the facts to learn (shared), each student's memory of each fact (FSRS state),
the append-only review log, the decks a student studies, and their study settings."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from history.models import Position
from quiz.models import QuestionSet

RETENTION_MIN, RETENTION_MAX = 0.80, 0.97
LEECH_LAPSES = 8  # a card forgotten this often is suspended as a leech
MATURE_DAYS = 21  # a review card scheduled this many days ahead or more is mature


def _sets_visible_to(user):
    """Published sets, and the user's own; every set for a superuser."""
    if user.is_authenticated and user.is_superuser:
        return QuestionSet.objects.all()
    if user.is_authenticated:
        return QuestionSet.objects.filter(Q(is_published=True) | Q(owner=user))
    return QuestionSet.objects.published()


def visible_facts(user, prefix: str = "") -> Q:
    """The facts a user may study, as a condition on `prefix` + the fact's fields: a position's
    facts if the user may see the position (published, theirs, or any for a superuser) or a
    published set is about it (a set's page is open to anyone with its code); a set's
    hand-written facts if the set is published or theirs. A fact tied to neither hides nothing."""
    if user.is_authenticated and user.is_superuser:
        return Q()
    positions = Position.objects.visible_to(user).values("pk")
    shared = QuestionSet.objects.published().values("position_id")
    return Q(**{f"{prefix}question_set__in": _sets_visible_to(user).values("pk")}) | (
        Q(**{f"{prefix}question_set__isnull": True})
        & (
            Q(**{f"{prefix}position__isnull": True})
            | Q(**{f"{prefix}position__in": positions})
            | Q(**{f"{prefix}position__in": shared})
        )
    )


class FactQuerySet(models.QuerySet):
    """Queries on facts."""

    def visible_to(self, user) -> FactQuerySet:
        """The facts the user may study (see `visible_facts`)."""
        return self.filter(visible_facts(user))


class Fact(models.Model):
    """One thing to learn, shared by every student: a card's text under its stable fact key."""

    key = models.CharField(max_length=400, unique=True)
    kind = models.CharField(max_length=20)
    position = models.ForeignKey(
        "history.Position",
        on_delete=models.CASCADE,
        related_name="flashcard_facts",
        null=True,
        blank=True,
    )
    question_set = models.ForeignKey(
        "quiz.QuestionSet",
        on_delete=models.CASCADE,
        related_name="flashcard_facts",
        null=True,
        blank=True,
        help_text="Set for a teacher's hand-written question; empty for a history fact.",
    )
    front = models.TextField()
    back = models.TextField()
    detail = models.TextField(blank=True)
    source = models.TextField(blank=True)
    sibling_group = models.CharField(max_length=400)
    is_current = models.BooleanField(
        default=True,
        help_text="Off when the data no longer gives this fact: never studied, memories kept.",
    )
    changed_at = models.DateTimeField(
        default=timezone.now,
        help_text="When the card last changed: its note's modification time in Anki exports.",
    )

    objects = FactQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["position", "kind"], name="fact_position_kind")]

    def __str__(self) -> str:
        return self.front


class CardQuerySet(models.QuerySet):
    """Queries on students' cards."""

    def of(self, user) -> CardQuerySet:
        """The student's cards about facts they may still see (a topic unpublished or a set
        withdrawn since takes its cards out of every list, memories kept)."""
        return self.filter(visible_facts(user, "fact__"), user=user)

    def studyable(self) -> CardQuerySet:
        """Not suspended, and about a fact the data still gives."""
        return self.filter(suspended=False, fact__is_current=True)


class Card(models.Model):
    """One student's memory of one fact: the FSRS card fields, plus suspended."""

    class State(models.IntegerChoices):
        NEW = 0, "new"
        LEARNING = 1, "learning"  # the same numbers as fsrs.State
        REVIEW = 2, "review"
        RELEARNING = 3, "relearning"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flashcards"
    )
    fact = models.ForeignKey(Fact, on_delete=models.CASCADE, related_name="cards")
    state = models.PositiveSmallIntegerField(choices=State.choices, default=State.NEW)
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateTimeField()
    last_review = models.DateTimeField(null=True, blank=True)
    reps = models.PositiveIntegerField(default=0, help_text="Reviews so far; a rating names it.")
    lapses = models.PositiveSmallIntegerField(default=0)
    suspended = models.BooleanField(default=False)
    missed_at = models.DateTimeField(
        null=True, blank=True, help_text="Answered wrongly in a quiz: studied first, until rated."
    )
    new_order = models.PositiveIntegerField(
        default=0,
        help_text="Its place among the student's new cards: a stable shuffle that mixes kinds.",
    )
    added_at = models.DateTimeField()

    objects = CardQuerySet.as_manager()

    class Meta:
        ordering = ["due", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "fact"], name="one_card_per_student_fact"),
            models.CheckConstraint(condition=Q(state__in=[0, 1, 2, 3]), name="card_state_known"),
        ]
        indexes = [models.Index(fields=["user", "suspended", "due"], name="card_user_due")]

    def __str__(self) -> str:
        return f"{self.user} · {self.fact.key}"

    @property
    def is_leech(self) -> bool:
        return self.lapses >= LEECH_LAPSES


class ReviewQuerySet(models.QuerySet):
    """Queries on the review log."""

    def of(self, user) -> ReviewQuerySet:
        return self.filter(user=user)

    def between(self, start: dt.datetime, end: dt.datetime) -> ReviewQuerySet:
        return self.filter(reviewed_at__gte=start, reviewed_at__lt=end)


class Review(models.Model):
    """One rating of one card: append-only, never edited."""

    class Rating(models.IntegerChoices):
        AGAIN = 1, "Again"  # the same numbers as fsrs.Rating
        HARD = 2, "Hard"
        GOOD = 3, "Good"
        EASY = 4, "Easy"

    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="reviews")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flashcard_reviews"
    )
    number = models.PositiveIntegerField(help_text="1 for the card's first review, and so on.")
    rating = models.PositiveSmallIntegerField(choices=Rating.choices)
    reviewed_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    state_before = models.PositiveSmallIntegerField(choices=Card.State.choices)
    scheduled_days = models.PositiveIntegerField(
        default=0, help_text="Days from the review before to the due date it set."
    )

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["reviewed_at", "pk"]
        constraints = [
            # A rating posted twice (double click, second tab) fails here and applies once.
            models.UniqueConstraint(fields=["card", "number"], name="one_review_per_card_number"),
            models.CheckConstraint(
                condition=Q(rating__in=[1, 2, 3, 4]), name="review_rating_known"
            ),
        ]
        indexes = [models.Index(fields=["user", "reviewed_at"], name="review_user_time")]

    def __str__(self) -> str:
        return f"{self.card_id} #{self.number}: {self.get_rating_display()}"


class StudyDeckQuerySet(models.QuerySet):
    """Queries on students' decks."""

    def of(self, user) -> StudyDeckQuerySet:
        """The student's decks they may still see: of a position they may see, or of a
        published set (or their own)."""
        positions = Position.objects.visible_to(user).values("pk")
        sets = _sets_visible_to(user).values("pk")
        return self.filter(Q(position__in=positions) | Q(question_set__in=sets), user=user)


class StudyDeck(models.Model):
    """A deck a student added to their study: a position's facts, or a teacher's set."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="study_decks"
    )
    position = models.ForeignKey(
        "history.Position",
        on_delete=models.CASCADE,
        related_name="study_decks",
        null=True,
        blank=True,
    )
    question_set = models.ForeignKey(
        "quiz.QuestionSet",
        on_delete=models.CASCADE,
        related_name="study_decks",
        null=True,
        blank=True,
    )
    added_at = models.DateTimeField()

    objects = StudyDeckQuerySet.as_manager()

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(position__isnull=True) ^ Q(question_set__isnull=True),
                name="study_deck_one_source",
            ),
            models.UniqueConstraint(
                fields=["user", "position"],
                condition=Q(position__isnull=False),
                name="study_deck_position_once",
            ),
            models.UniqueConstraint(
                fields=["user", "question_set"],
                condition=Q(question_set__isnull=False),
                name="study_deck_set_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.position or self.question_set}"


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            "Unknown time zone %(value)s; use a name like Europe/Berlin.",
            params={"value": value},
        ) from None


class StudySettings(models.Model):
    """A student's study settings (a student without a row has the defaults)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="study_settings"
    )
    desired_retention = models.FloatField(
        default=0.90,
        validators=[MinValueValidator(RETENTION_MIN), MaxValueValidator(RETENTION_MAX)],
        help_text="The share of reviews you want to get right (0.80-0.97). Higher: more reviews.",
    )
    new_per_day = models.PositiveSmallIntegerField(
        "new cards per day", default=10, validators=[MaxValueValidator(500)]
    )
    max_reviews_per_day = models.PositiveSmallIntegerField(
        "maximum reviews per day", default=200, validators=[MaxValueValidator(9999)]
    )
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    day_start_hour = models.PositiveSmallIntegerField(
        "a new study day starts at",
        default=4,
        validators=[MaxValueValidator(23)],
        help_text="The hour (local time) your study day rolls over.",
    )

    class Meta:
        verbose_name_plural = "study settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(desired_retention__gte=RETENTION_MIN)
                & Q(desired_retention__lte=RETENTION_MAX),
                name="study_retention_in_range",
            ),
            models.CheckConstraint(condition=Q(day_start_hour__lte=23), name="study_day_hour"),
        ]

    def __str__(self) -> str:
        return f"Study settings of {self.user}"

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)
