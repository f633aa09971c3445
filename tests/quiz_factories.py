"""Helpers that build quiz attempts without the question engine, for quiz tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from quiz.models import Attempt
from quiz.services import attempt_create
from tests.factories import PositionFactory, UserFactory


@dataclass(frozen=True)
class StubQuestion:
    """Shaped like quiz.engine.Question, so attempt_create takes it."""

    kind: str
    prompt: str
    choices: tuple[str, ...]
    answer: str
    explanation: str
    about: dict = field(default_factory=dict)
    accepted: tuple[str, ...] = ()

    @property
    def is_typed(self) -> bool:
        return not self.choices


def stub_questions(count: int = 3, kinds: tuple[str, ...] = ("successor", "start_year")):
    return [
        StubQuestion(
            kind=kinds[n % len(kinds)],
            prompt=f"Question {n + 1}: who came after Holder {n}?",
            choices=(f"Right {n}", f"Wrong {n}a", f"Wrong {n}b", f"Wrong {n}c"),
            answer=f"Right {n}",
            explanation=f"Right {n} followed Holder {n}.",
        )
        for n in range(count)
    ]


def make_attempt(
    *,
    user=None,
    guest_token: str = "",
    count: int = 3,
    difficulty: str = "medium",
    time_limit_seconds: int | None = None,
    now: dt.datetime | None = None,
    position=None,
    kinds: tuple[str, ...] = ("successor", "start_year"),
) -> Attempt:
    return attempt_create(
        user=user,
        guest_token=guest_token if user is None else "",
        position=position or PositionFactory(),
        title="Test quiz",
        seed=1234,
        difficulty=difficulty,
        questions=stub_questions(count, kinds),
        time_limit_seconds=time_limit_seconds,
        now=now,
    )


def wrong_choice(question) -> str:
    return next(c["id"] for c in question.choices if c["id"] != question.correct_choice)


def make_user(**kwargs):
    """A saved user whose password is tests.factories' test password."""
    return UserFactory(**kwargs)


def finished_attempt(
    *, user, score: int, finished_at: dt.datetime | None = None, position=None, question_set=None
):
    """An attempt with the given score, without questions, finished through the service (so it
    counts on the leaderboards' totals)."""
    from django.utils import timezone

    from quiz.services import attempt_finish

    finished_at = finished_at or timezone.now()
    attempt = Attempt.objects.create(
        user=user,
        guest_token="" if user is not None else "guest",
        position=position or PositionFactory(),
        title="Test quiz",
        seed=1,
        difficulty="medium",
        question_count=10,
        points_per_correct=2,
        question_set=question_set,
        started_at=finished_at - dt.timedelta(minutes=3),
        answered_count=10,
        score=score,
        max_score=20,
    )
    return attempt_finish(attempt=attempt, now=finished_at)


def make_teacher(**kwargs):
    """A staff user in the Teachers group (rebuilt if a transactional test flushed it)."""
    from quiz.services import teachers_group_ensure

    user = make_user(is_staff=True, **kwargs)
    user.groups.add(teachers_group_ensure())
    return user


def make_question_set(
    *,
    owner=None,
    position=None,
    kinds: dict[str, int] | None = None,
    handwritten: int = 0,
    **fields,
):
    """A published set (unless told otherwise) with generated kinds and hand-written questions."""
    from quiz.models import QuestionSet, QuestionSetKind

    fields.setdefault("title", "Test set")
    fields.setdefault("is_published", True)
    question_set = QuestionSet.objects.create(
        owner=owner or make_teacher(), position=position or PositionFactory(), **fields
    )
    for kind, count in (kinds or {}).items():
        QuestionSetKind.objects.create(question_set=question_set, kind=kind, count=count)
    for number in range(handwritten):
        add_handwritten(
            question_set,
            prompt=f"Hand-written question {number + 1}?",
            choices=[f"Right {number + 1}", f"Wrong {number + 1}a", f"Wrong {number + 1}b"],
            order=number,
        )
    return question_set


def add_handwritten(question_set, *, prompt: str, choices: list[str], correct: int = 0, order=0):
    """A hand-written question whose choice number `correct` (0-based) is the right one."""
    from quiz.models import HandwrittenChoice, HandwrittenQuestion

    question = HandwrittenQuestion.objects.create(
        question_set=question_set, prompt=prompt, explanation=f"{choices[correct]}.", order=order
    )
    for number, text in enumerate(choices):
        HandwrittenChoice.objects.create(
            question=question, order=number, text=text, is_correct=number == correct
        )
    return question


def answer_form(question, *, right: bool = True) -> dict[str, str]:
    """The POST data answering a question rightly or wrongly, typed or chosen."""
    if question.is_typed:
        return {"typed": question.correct_text if right else "Nobody Atall"}
    if right:
        return {"choice": question.correct_choice}
    return {"choice": next(c["id"] for c in question.choices if c["id"] != question.correct_choice)}
