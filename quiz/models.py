"""Attempts at quizzes, the questions each attempt froze at its start, answers, and profiles."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Count, F, Prefetch, Q, Sum, Window
from django.db.models.functions import Coalesce, Lower, Rank, RowNumber
from django.urls import reverse


class Profile(models.Model):
    """What the leaderboard calls a user."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("display_name"),
                name="unique_display_name_any_case",
                violation_error_message="That display name is taken.",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name


def _owner_q(user, guest_token: str, prefix: str = "") -> Q | None:
    if user is not None and user.is_authenticated:
        return Q(**{f"{prefix}user": user})
    if guest_token:
        return Q(**{f"{prefix}user__isnull": True, f"{prefix}guest_token": guest_token})
    return None


class AttemptQuerySet(models.QuerySet):
    """Queries on attempts."""

    def owned_by(self, *, user, guest_token: str) -> AttemptQuerySet:
        """Attempts the viewer may see: their own, or a guest's made in this browser session."""
        owner = _owner_q(user, guest_token)
        return self.none() if owner is None else self.filter(owner)

    def finished(self) -> AttemptQuerySet:
        return self.filter(finished_at__isnull=False)

    def on_leaderboard(self, *, since=None, where: Q | None = None) -> AttemptQuerySet:
        """Finished attempts of signed-up users, since a time and matching a filter if given."""
        attempts = self.filter(user__isnull=False, finished_at__isnull=False)
        if since is not None:
            attempts = attempts.filter(finished_at__gte=since)
        if where is not None:
            attempts = attempts.filter(where)
        return attempts

    def totals_by_user(self) -> AttemptQuerySet:
        """One row per user: user_id, name (display name, else username), total, attempts."""
        return (
            self.order_by()
            .values("user_id")
            .annotate(
                name=Coalesce("user__profile__display_name", "user__username"),
                total=Sum("score"),
                attempts=Count("id"),
            )
        )

    def ranked(self) -> AttemptQuerySet:
        """Totals ranked: ties share a rank (1, 2, 2, 4); place orders ties by name."""
        return self.annotate(
            rank=Window(Rank(), order_by=F("total").desc()),
            place=Window(
                RowNumber(), order_by=[F("total").desc(), F("name").asc(), F("user_id").asc()]
            ),
        ).order_by("place")

    def ahead_of(self, *, total: int, name: str, user_id: int) -> int:
        """How many totals rows come before the given one in the board's order."""
        return self.filter(
            Q(total__gt=total)
            | Q(total=total, name__lt=name)
            | Q(total=total, name=name, user_id__lt=user_id)
        ).count()

    def for_result_page(self) -> AttemptQuerySet:
        """The attempt with its questions and their answers, in order."""
        return self.select_related("position").prefetch_related(
            Prefetch(
                "questions",
                queryset=AttemptQuestion.objects.order_by("order").prefetch_related("answers"),
            )
        )


class Attempt(models.Model):
    """One sitting of a quiz: its settings, the seed its questions came from, and its score."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="attempts",
        null=True,
        blank=True,
        help_text="Empty for a guest's attempt.",
    )
    guest_token = models.CharField(
        max_length=64,
        blank=True,
        db_index=True,
        help_text="The guest's browser-session token; cleared when the attempt is claimed.",
    )
    position = models.ForeignKey(
        "history.Position", on_delete=models.PROTECT, related_name="attempts"
    )
    title = models.CharField(max_length=200, help_text="How lists name the attempt.")
    seed = models.BigIntegerField(help_text="The random seed the questions were generated from.")
    difficulty = models.CharField(max_length=10)
    kinds = models.JSONField(default=list, blank=True, help_text="Empty means every kind.")
    question_count = models.PositiveSmallIntegerField()
    points_per_correct = models.PositiveSmallIntegerField()
    time_limit_seconds = models.PositiveIntegerField(null=True, blank=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    answered_count = models.PositiveSmallIntegerField(default=0)
    score = models.PositiveIntegerField(default=0)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["user", "finished_at"], name="attempt_user_finished")]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(guest_token=""),
                name="attempt_has_owner",
                violation_error_message="An attempt belongs to a user or to a guest.",
            ),
            models.CheckConstraint(
                condition=Q(answered_count__lte=models.F("question_count")),
                name="attempt_answers_within_count",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.started_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self) -> str:
        return reverse("attempt-detail", kwargs={"pk": self.pk})

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None

    @property
    def max_score(self) -> int:
        return self.question_count * self.points_per_correct

    @property
    def percentage(self) -> int:
        """The score as a whole percentage of the maximum."""
        return round(100 * self.score / self.max_score) if self.max_score else 0

    @property
    def deadline(self) -> dt.datetime | None:
        """When answers stop scoring (before the grace period), or None if untimed."""
        if self.time_limit_seconds is None:
            return None
        return self.started_at + dt.timedelta(seconds=self.time_limit_seconds)

    @property
    def time_taken(self) -> dt.timedelta | None:
        if self.finished_at is None:
            return None
        return self.finished_at - self.started_at


class AttemptQuestionQuerySet(models.QuerySet):
    """Queries on the questions of attempts."""

    def owned_by(self, *, user, guest_token: str) -> AttemptQuestionQuerySet:
        """Questions of attempts the viewer may see."""
        owner = _owner_q(user, guest_token, prefix="attempt__")
        return self.none() if owner is None else self.filter(owner)

    def for_question_page(self) -> AttemptQuestionQuerySet:
        """The question with its attempt and its answer, if any."""
        return self.select_related("attempt").prefetch_related("answers")


class AttemptQuestion(models.Model):
    """A question as it was frozen when its attempt started; later data edits don't touch it."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(help_text="0-based position in the attempt.")
    kind = models.CharField(max_length=50)
    prompt = models.TextField()
    choices = models.JSONField(help_text='Shuffled [{"id": opaque id, "text": ...}, ...].')
    correct_choice = models.CharField(max_length=32)
    explanation = models.TextField(blank=True)
    about = models.JSONField(default=dict, blank=True)

    objects = AttemptQuestionQuerySet.as_manager()

    class Meta:
        ordering = ["attempt_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "order"], name="unique_question_order"),
        ]

    def __str__(self) -> str:
        return self.prompt

    @property
    def number(self) -> int:
        """1-based, as people count."""
        return self.order + 1

    def choice_text(self, choice_id: str) -> str:
        return next((c["text"] for c in self.choices if c["id"] == choice_id), "")

    @property
    def correct_text(self) -> str:
        return self.choice_text(self.correct_choice)

    @property
    def chosen_text(self) -> str:
        """The text of the student's choice, or "" if unanswered."""
        answer = self.answer
        return self.choice_text(answer.choice) if answer else ""

    @property
    def answer(self) -> Answer | None:
        """The one answer, from a prefetch of `answers` when there is one."""
        answers = list(self.answers.all())
        return answers[0] if answers else None


class AnswerQuerySet(models.QuerySet):
    """Queries on answers."""

    def accuracy_by_kind(self) -> AnswerQuerySet:
        """Per question kind: how many answered, how many right, in kind order."""
        return (
            self.order_by()
            .values(kind=F("question__kind"))
            .annotate(answered=Count("id"), correct=Count("id", filter=Q(is_correct=True)))
            .order_by("kind")
        )


class Answer(models.Model):
    """A student's one answer to one question of an attempt."""

    question = models.ForeignKey(AttemptQuestion, on_delete=models.CASCADE, related_name="answers")
    choice = models.CharField(max_length=32)
    is_correct = models.BooleanField()
    in_time = models.BooleanField(default=True, help_text="Given before the time limit ran out.")
    points = models.PositiveSmallIntegerField(default=0)
    answered_at = models.DateTimeField()

    objects = AnswerQuerySet.as_manager()

    class Meta:
        ordering = ["answered_at"]
        constraints = [
            models.UniqueConstraint(fields=["question"], name="one_answer_per_question"),
        ]

    def __str__(self) -> str:
        return f"{self.question} -> {self.choice}"
