"""Attempts at quizzes, the questions each attempt froze at its start, answers, profiles, and
teachers' question sets."""

from __future__ import annotations

import datetime as dt
import re
import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse

from quiz import engine

# Imported so that the leaderboard's tables register with this app.
from quiz.leaderboard.models import PlayerTotal, TotalCount  # noqa: F401
from quiz.scope import Scope

# Room for a name's key: NFKC and case folding can lengthen a name (ß becomes ss).
NAME_KEY_MAX_LENGTH = 600


class Profile(models.Model):
    """What the leaderboard calls a user."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(max_length=40)
    # quiz.identity.name_key(display_name), written with it by quiz.accounts: unique, so "ÄRGER"
    # and "ärger" can't both exist on any database, whatever LOWER does there.
    display_name_key = models.CharField(max_length=NAME_KEY_MAX_LENGTH)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["display_name_key"],
                name="unique_display_name_key",
                violation_error_message="That display name is taken.",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name


class UsernameKey(models.Model):
    """A user's username as quiz.identity.name_key gives it; the primary key makes usernames
    unique in any case on every database, which auth_user's case-sensitive index does not."""

    key = models.CharField(max_length=NAME_KEY_MAX_LENGTH, primary_key=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="username_key"
    )

    def __str__(self) -> str:
        return self.key


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

    def on_leaderboard(self) -> AttemptQuerySet:
        """Finished attempts of signed-up users: what the leaderboards' totals add up."""
        return self.filter(user__isnull=False, finished_at__isnull=False)

    def for_result_page(self) -> AttemptQuerySet:
        """The attempt with its questions and their answers, in order."""
        return self.select_related("position", "question_set").prefetch_related(
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
    question_set = models.ForeignKey(
        "QuestionSet",
        on_delete=models.SET_NULL,
        related_name="attempts",
        null=True,
        blank=True,
        help_text="The teacher's question set it was taken from; empty for a quick quiz.",
    )
    set_attempt_number = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="1 for a student's first attempt at the set, and so on."
    )
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    answered_count = models.PositiveSmallIntegerField(default=0)
    score = models.PositiveIntegerField(default=0)
    max_score = models.PositiveIntegerField(
        default=0, help_text="The sum of its questions' points: what all right answers score."
    )

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
            # With the count checked inside the start's transaction, this caps attempts per set.
            models.UniqueConstraint(
                fields=["question_set", "user", "set_attempt_number"],
                name="unique_set_attempt_number",
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


JOINED_ANSWER = "joined_answer_"
ANSWER_COLUMNS = ("id", "choice", "typed", "is_correct", "in_time", "points", "answered_at")


class AttemptQuestionQuerySet(models.QuerySet):
    """Queries on the questions of attempts."""

    def owned_by(self, *, user, guest_token: str) -> AttemptQuestionQuerySet:
        """Questions of attempts the viewer may see."""
        owner = _owner_q(user, guest_token, prefix="attempt__")
        return self.none() if owner is None else self.filter(owner)

    def for_question_page(self) -> AttemptQuestionQuerySet:
        """The question with its attempt, its set and its answer if any, in one query: a question
        has at most one answer (a constraint), so the answer's columns join in (read by .answer)."""
        return self.select_related("attempt__question_set").annotate(
            **{f"{JOINED_ANSWER}{name}": F(f"answers__{name}") for name in ANSWER_COLUMNS}
        )


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
    # A typed question keeps its one right answer as its only choice, shown only after answering.
    accepted = models.JSONField(
        default=list,
        blank=True,
        help_text="A typed question's accepted answers, folded; empty for multiple choice.",
    )
    points = models.PositiveSmallIntegerField(default=1, help_text="What a right answer scores.")

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
    def is_typed(self) -> bool:
        """Answered by typing a name rather than by picking a choice."""
        return bool(self.accepted)

    def answer_text(self, answer: Answer | None) -> str:
        """What the answer said: the chosen choice, or the typed text ("" for no answer)."""
        if answer is None:
            return ""
        return answer.typed if self.is_typed else self.choice_text(answer.choice)

    @property
    def chosen_text(self) -> str:
        """The student's choice or typed answer, or "" if unanswered."""
        return self.answer_text(self.answer)

    @property
    def answer(self) -> Answer | None:
        """The one answer: joined in by for_question_page, else from a prefetch of `answers`."""
        if f"{JOINED_ANSWER}id" in self.__dict__:
            if getattr(self, f"{JOINED_ANSWER}id") is None:
                return None
            columns = {name: getattr(self, f"{JOINED_ANSWER}{name}") for name in ANSWER_COLUMNS}
            return Answer(question=self, **columns)
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
    typed = models.CharField(
        max_length=100, blank=True, help_text="What the student typed, for a typed question."
    )
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


# ----------------------------------------------------------------------------------------------
# Question sets: what a teacher's class practises.

HANDWRITTEN_KIND = "handwritten"
KIND_LABELS = {**engine.KIND_LABELS, HANDWRITTEN_KIND: "Written by the teacher"}
DIFFICULTY_CHOICES = [(level.value, level.value.capitalize()) for level in engine.Difficulty]
# No 0/O, 1/I/L: a code read aloud or copied from a board is typed right the first time.
SHARE_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
SHARE_CODE_LENGTH = 6
# Anything else (a NUL byte, a thousand characters) is no code, and never reaches the database.
SHARE_CODE_PATTERN = re.compile(r"[A-Z0-9]{1,12}")
MAX_GENERATED_PER_KIND = 50
# The admin edits them all on one page; imports stop there too.
MAX_HANDWRITTEN_QUESTIONS = 100
MAX_CHOICES = 4


def new_share_code() -> str:
    """A random share code of SHARE_CODE_LENGTH unambiguous characters."""
    return "".join(secrets.choice(SHARE_CODE_ALPHABET) for _ in range(SHARE_CODE_LENGTH))


def normalize_share_code(code: str) -> str:
    """A code as typed (any case, stray spaces or dashes) in the form it is stored."""
    return "".join(code.split()).replace("-", "").upper()


class QuestionSetQuerySet(models.QuerySet):
    """Queries on question sets."""

    def published(self) -> QuestionSetQuerySet:
        return self.filter(is_published=True)

    def editable_by(self, user) -> QuestionSetQuerySet:
        """Every set for a superuser; a teacher's own sets for anyone else."""
        return self if user.is_superuser else self.filter(owner=user)

    def with_question_counts(self) -> QuestionSetQuerySet:
        """Annotated with generated_count and handwritten_count, in the same query."""
        kinds = (
            QuestionSetKind.objects.filter(question_set=OuterRef("pk"))
            .order_by()
            .values("question_set")
            .annotate(total=Sum("count"))
            .values("total")
        )
        handwritten = (
            HandwrittenQuestion.objects.filter(question_set=OuterRef("pk"))
            .order_by()
            .values("question_set")
            .annotate(total=Count("pk"))
            .values("total")
        )
        return self.annotate(
            generated_count=Coalesce(Subquery(kinds), 0),
            handwritten_count=Coalesce(Subquery(handwritten), 0),
        )

    def for_home_page(self) -> QuestionSetQuerySet:
        """Published sets, newest first, with their position, teacher and question counts."""
        return (
            self.published()
            .with_question_counts()
            .select_related("position", "owner__profile")
            .order_by("-updated_at", "-pk")
        )

    def for_taking(self) -> QuestionSetQuerySet:
        """Everything starting an attempt reads: position, kinds, scope, hand-written questions."""
        return self.select_related("position", "owner__profile").prefetch_related(
            "kinds",
            "scope_titles",
            Prefetch(
                "handwritten_questions",
                queryset=HandwrittenQuestion.objects.prefetch_related("choices"),
            ),
        )

    def with_code(self, code: str) -> QuestionSetQuerySet:
        """The set with this share code as typed (any case, spaces or dashes); junk finds none."""
        code = normalize_share_code(code)
        return self.filter(share_code=code) if SHARE_CODE_PATTERN.fullmatch(code) else self.none()


class QuestionSet(models.Model):
    """A teacher's quiz: generated questions of chosen kinds and scope, plus hand-written ones."""

    class Order(models.TextChoices):
        FIXED = "fixed", "Fixed: hand-written questions first, then generated ones kind by kind"
        SHUFFLED = "shuffled", "Shuffled: a different order for every attempt"

    class Reveal(models.TextChoices):
        """When students see the right answers and explanations (quiz.reveal decides per page)."""

        AFTER_EACH_QUESTION = "each_question", "After each question"
        END_OF_ATTEMPT = "end_of_attempt", "At the end of each attempt"
        AFTER_LAST_ATTEMPT = "after_last_attempt", "After the last attempt or the due date"

        @classmethod
        def default_for(cls, attempts_allowed: int | None) -> QuestionSet.Reveal:
            """The setting a set gets unless its teacher picks one: with two attempts or more a
            first attempt could be spent learning the answers, so they wait for the last."""
            if attempts_allowed is not None and attempts_allowed > 1:
                return cls.AFTER_LAST_ATTEMPT
            return cls.AFTER_EACH_QUESTION

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="What students see before they start.")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="question_sets"
    )
    position = models.ForeignKey(
        "history.Position",
        on_delete=models.PROTECT,
        related_name="question_sets",
        help_text="The office the generated questions are about.",
    )
    difficulty = models.CharField(
        max_length=10,
        choices=DIFFICULTY_CHOICES,
        default=engine.Difficulty.MEDIUM.value,
        help_text="How near in time the wrong choices are; also the points per right answer "
        "(easy 1, medium 2, hard 3).",
    )
    scope_titles = models.ManyToManyField(
        "history.Title",
        blank=True,
        related_name="question_sets",
        verbose_name="only these titles",
        help_text="Generated questions only about terms under these titles. None ticked: any title.",
    )
    scope_start = models.DateField(
        "only from", null=True, blank=True, help_text="Generated questions only about this day on."
    )
    scope_end = models.DateField(
        "only until", null=True, blank=True, help_text="…and up to this day."
    )
    order = models.CharField(max_length=10, choices=Order.choices, default=Order.SHUFFLED)
    time_limit_minutes = models.PositiveSmallIntegerField(
        "time limit (minutes)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
        help_text="Empty: no limit. Answers after the limit still get feedback but score nothing.",
    )
    attempts_allowed = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="How many times each student may take the set. Empty: as often as they like.",
    )
    reveal = models.CharField(
        "right answers shown",
        max_length=20,
        choices=Reveal.choices,
        default=Reveal.AFTER_EACH_QUESTION,
        help_text="When students see the right answers and explanations.",
    )
    is_published = models.BooleanField(
        "published", default=False, help_text="Students can find and take only published sets."
    )
    share_code = models.CharField(
        max_length=12, unique=True, default=new_share_code, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuestionSetQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope_start__isnull=True)
                | Q(scope_end__isnull=True)
                | Q(scope_end__gte=F("scope_start")),
                name="question_set_scope_in_order",
                violation_error_message="The scope cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=Q(time_limit_minutes__isnull=True) | Q(time_limit_minutes__gte=1),
                name="question_set_time_limit_positive",
            ),
            models.CheckConstraint(
                condition=Q(attempts_allowed__isnull=True) | Q(attempts_allowed__gte=1),
                name="question_set_attempts_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("question-set", kwargs={"code": self.share_code})

    @property
    def time_limit_seconds(self) -> int | None:
        return None if self.time_limit_minutes is None else self.time_limit_minutes * 60

    @property
    def owner_name(self) -> str:
        """The teacher as students see them: display name, else username."""
        profile = getattr(self.owner, "profile", None)
        return profile.display_name if profile else self.owner.get_username()

    def scope(self) -> Scope:
        """The scope as the pure question code takes it (reads a prefetch of scope_titles)."""
        return Scope(
            titles=frozenset(title.name for title in self.scope_titles.all()),
            start=self.scope_start,
            end=self.scope_end,
        )

    def kind_counts(self) -> dict[str, int]:
        """How many generated questions of each kind (reads a prefetch of kinds)."""
        return {row.kind: row.count for row in self.kinds.all()}

    @property
    def question_count(self) -> int:
        """Generated plus hand-written questions (annotated, else counted)."""
        if hasattr(self, "generated_count"):
            return self.generated_count + self.handwritten_count
        return sum(self.kind_counts().values()) + len(self.handwritten_questions.all())

    def is_previewable_by(self, user) -> bool:
        """Its owner and superusers may look at it unpublished."""
        return user.is_authenticated and (user.is_superuser or user.pk == self.owner_id)


class QuestionSetKind(models.Model):
    """How many generated questions of one kind a set asks."""

    question_set = models.ForeignKey(QuestionSet, on_delete=models.CASCADE, related_name="kinds")
    # A callable, so that a new kind of question needs no migration.
    kind = models.CharField(max_length=50, choices=engine.kind_choices)
    count = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(MAX_GENERATED_PER_KIND)]
    )

    class Meta:
        ordering = ["question_set", "pk"]
        verbose_name = "kind of generated question"
        verbose_name_plural = "generated questions"
        constraints = [
            models.UniqueConstraint(
                fields=["question_set", "kind"],
                name="unique_set_kind",
                violation_error_message="Each kind of question can be listed once per set.",
            ),
            models.CheckConstraint(condition=Q(count__gte=1), name="set_kind_count_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.count}"


class HandwrittenQuestion(models.Model):
    """A teacher's own multiple-choice question in a set."""

    question_set = models.ForeignKey(
        QuestionSet, on_delete=models.CASCADE, related_name="handwritten_questions"
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")
    prompt = models.TextField()
    explanation = models.TextField(blank=True, help_text="Shown after the student answers.")

    class Meta:
        ordering = ["question_set", "order", "pk"]
        verbose_name = "hand-written question"

    def __str__(self) -> str:
        return self.prompt

    def as_question(self) -> engine.Question:
        """The question as the engine shapes its own (reads a prefetch of choices)."""
        choices = list(self.choices.all())
        return engine.Question(
            kind=HANDWRITTEN_KIND,
            prompt=self.prompt,
            choices=tuple(choice.text for choice in choices),
            answer=next((choice.text for choice in choices if choice.is_correct), ""),
            explanation=self.explanation,
            about={"handwritten_question": self.pk},
        )


class HandwrittenChoice(models.Model):
    """One choice of a hand-written question; exactly one per question is correct."""

    question = models.ForeignKey(
        HandwrittenQuestion, on_delete=models.CASCADE, related_name="choices"
    )
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=200)
    is_correct = models.BooleanField(default=False)

    class Meta:
        ordering = ["question", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "text"],
                name="unique_choice_text",
                violation_error_message="Two choices of a question cannot read the same.",
            ),
            models.UniqueConstraint(
                fields=["question"],
                condition=Q(is_correct=True),
                name="one_correct_choice",
                violation_error_message="Only one choice of a question can be correct.",
            ),
        ]

    def __str__(self) -> str:
        return self.text
