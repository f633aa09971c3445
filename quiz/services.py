"""Writes for quizzes: starting, answering and finishing attempts, claiming a guest's attempts.

Scoring rule
------------
- A correct answer scores the question's ``points``, fixed when the attempt starts from its
  difficulty: easy 1, medium 2, hard 3 (``POINTS_PER_CORRECT``). A kind that is the same at every
  level (typed answers: there are no choices to bring nearer) scores ``SAME_AT_EVERY_LEVEL`` (2)
  in every quiz. A wrong answer scores 0. ``Attempt.max_score`` is the sum of the questions'
  points.
- A typed answer is right when it folds to one of the question's accepted names
  (``quiz.engine.answers``: any case, diacritics, common transliterations, the surname alone).
- Where the attempt has a time limit, an answer given more than ``TIME_LIMIT_GRACE`` after the limit
  is still recorded (the student sees the feedback) but scores 0 (``Answer.in_time`` is False).
- There is no speed or streak bonus, so nothing needs switching off per question set.
- Each question takes one answer. The database enforces it (``one_answer_per_question``); a second
  submit fails on insert and changes nothing.
- ``Attempt.score`` always equals the sum of its answers' ``points``: the answer's insert and the
  ``F("score") + points`` update happen in one transaction, so both land or neither does.
- The leaderboards add up the scores of finished attempts by signed-up users (a set's board takes
  each player's best); guests' attempts count once a guest signs up (or logs in) in the same
  browser session and claims them. The stored totals change in the same transaction that
  finishes, claims or deletes an attempt (quiz/leaderboard/totals.py).

Randomness
----------
An attempt stores one seed. ``random.Random(seed)`` draws its questions; the order of each
question's choices comes from a second stream, ``choice_order_rng(seed)``, seeded with the
SHA-256 of ``"choice-order:<seed>"``. Both are reproducible from the stored seed, and the choice
order is independent of the question draw: reusing the draw's own stream put question 1's right
answer third in 28% of attempts (tests/test_choice_order.py measures the positions' spread).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import secrets
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from quiz.cards.services import card_missed
from quiz.leaderboard.boards import Board, boards_for
from quiz.leaderboard.totals import Finished, totals_add, totals_recount
from quiz.models import (
    KIND_LABELS,
    Answer,
    Attempt,
    AttemptQuestion,
    HandwrittenChoice,
    HandwrittenQuestion,
    QuestionSet,
    QuestionSetKind,
)
from quiz.prepared import PreparedInsert, PreparedUpdate
from quiz.reveal import reveal_decision

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from history.models import Position
    from quiz.engine import Question
    from quiz.scope import Scope

QUICK_QUIZ_LENGTH = 10
QUICK_QUIZ_LENGTHS = (5, 10, 20)
QUICK_QUIZ_POSITION_SLUG = "general-secretary-cpsu"
POINTS_PER_CORRECT = {"easy": 1, "medium": 2, "hard": 3}
SAME_AT_EVERY_LEVEL = POINTS_PER_CORRECT["medium"]
TYPED_MAX_LENGTH = 100
TIME_LIMIT_GRACE = dt.timedelta(seconds=5)

# Errors, worded for the student; tests compare against these.
ALREADY_ANSWERED = "You have already answered this question; your first answer stands."
ATTEMPT_FINISHED = "This quiz is finished, so it takes no more answers."
INVALID_CHOICE = "That is not one of this question's choices. Please pick one of the buttons."
TYPED_MISSING = "Please type a name before you answer."
TYPED_TOO_LONG = f"That answer is too long; a name fits in {TYPED_MAX_LENGTH} characters."
NO_QUESTIONS = "There are not enough facts to make questions with these settings."
TOO_FEW_QUESTIONS = (
    "The kinds of question you picked make only {available} different question{plural}, and "
    "this quiz has {count}. Choose a shorter quiz, tick more kinds, or none to use them all."
)
NO_POSITION = "There is no history data to make a quiz from yet."
UNKNOWN_DIFFICULTY = "Please choose easy, medium or hard."
SET_LOGIN_REQUIRED = "Please log in to take this set, so that your teacher sees your result."
SET_NOT_PUBLISHED = "This set is not published yet, so it can't be taken."
SET_NO_ATTEMPTS_LEFT = "You have used all your attempts at this set."
SET_BUSY = "Another attempt at this set was starting at the same moment. Please try again."
# Admin messages about a set's generated questions.
KIND_NOT_ASKABLE = "“{label}” questions can't be asked about the {position}: {reason}."
SCOPE_TOO_NARROW = (
    "This scope holds only {available} “{label}” question{plural} about facts the set does not "
    "already ask, but {asked} were asked for. Widen the scope or ask for fewer."
)
POSITION_TOO_SMALL = (
    "The {position} gives only {available} “{label}” question{plural} about facts the set does "
    "not already ask, but {asked} were asked for."
)
# A student's next quick quiz avoids the facts of about their last three, while it can.
RECENT_FACTS = 30


class QuizError(Exception):
    """A request the quiz refuses, with a message meant for the student."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def quick_quiz_position() -> Position:
    """The seed position, or the first published one if it is missing."""
    from history.models import Position

    # Published only: a teacher's unpublished topic is never anyone else's default quiz.
    published = Position.objects.published()
    position = (
        published.filter(slug=QUICK_QUIZ_POSITION_SLUG).first() or published.order_by("pk").first()
    )
    if position is None:
        raise QuizError(NO_POSITION)
    return position


def attempt_start(
    *,
    user: AbstractBaseUser | None,
    guest_token: str = "",
    position: Position,
    difficulty: str,
    kinds: Sequence[str] = (),
    count: int = QUICK_QUIZ_LENGTH,
    time_limit_seconds: int | None = None,
    seed: int | None = None,
    now: dt.datetime | None = None,
) -> Attempt:
    """Start a quick quiz: generate its questions from a stored seed and freeze them."""
    from history.models import Position
    from quiz import engine

    if difficulty not in POINTS_PER_CORRECT:
        raise QuizError(UNKNOWN_DIFFICULTY)
    seed = secrets.randbits(62) if seed is None else seed
    facts = Position.objects.facts_for(position.slug)
    recent = recent_facts(user=user, guest_token=guest_token, position=position)
    try:
        # A quiz shorter than promised would be a cheap way to points, so refuse it instead.
        available = engine.distinct_question_count(facts, list(kinds) or None)
        if available < count:
            raise QuizError(too_few_questions(available=available, count=count))
        questions = engine.generate_questions(
            facts,
            rng=random.Random(seed),
            count=count,
            kinds=list(kinds) or None,
            difficulty=engine.Difficulty(difficulty),
            recent_facts=recent,
        )
    except engine.EngineError as error:
        raise QuizError(NO_QUESTIONS) from error
    if not questions:
        raise QuizError(NO_QUESTIONS)
    return attempt_create(
        user=user,
        guest_token=guest_token,
        position=position,
        title=f"Quick quiz: {facts.short_name}, {difficulty}",
        seed=seed,
        difficulty=difficulty,
        kinds=kinds,
        questions=questions,
        time_limit_seconds=time_limit_seconds,
        now=now,
    )


def too_few_questions(*, available: int, count: int) -> str:
    """Why a quick quiz of `count` can't be made from `available` questions."""
    plural = "" if available == 1 else "s"
    return TOO_FEW_QUESTIONS.format(available=available, plural=plural, count=count)


def recent_facts(
    *, user: AbstractBaseUser | None, guest_token: str = "", position: Position
) -> set[str]:
    """The facts of the player's latest questions about the position (one query)."""
    if user is not None and user.is_authenticated:
        owner = {"attempt__user": user}
    elif guest_token:
        owner = {"attempt__user": None, "attempt__guest_token": guest_token}
    else:
        return set()
    keys = (
        AttemptQuestion.objects.filter(attempt__position=position, **owner)
        .order_by("-attempt__started_at", "-attempt_id", "order")
        .values_list("about__fact_key", flat=True)[:RECENT_FACTS]
    )
    return {key for key in keys if isinstance(key, str)}


def attempt_create(
    *,
    user: AbstractBaseUser | None,
    guest_token: str = "",
    position: Position,
    title: str,
    seed: int,
    difficulty: str,
    kinds: Sequence[str] = (),
    questions: Sequence[Question],
    time_limit_seconds: int | None = None,
    question_set: QuestionSet | None = None,
    set_attempt_number: int | None = None,
    now: dt.datetime | None = None,
) -> Attempt:
    """Store an attempt and its questions, choices in attempt_choices' order under opaque ids."""
    from quiz import engine

    if user is not None and not user.is_authenticated:
        user = None
    shuffled = attempt_choices(seed=seed, questions=questions)
    points = [_points(question.kind, difficulty, engine.REGISTRY) for question in questions]
    with transaction.atomic():
        attempt = Attempt.objects.create(
            user=user,
            guest_token="" if user is not None else guest_token,
            position=position,
            title=title,
            seed=seed,
            difficulty=difficulty,
            kinds=list(kinds),
            question_count=len(questions),
            points_per_correct=POINTS_PER_CORRECT[difficulty],
            max_score=sum(points),
            time_limit_seconds=time_limit_seconds,
            question_set=question_set,
            set_attempt_number=set_attempt_number,
            started_at=now or timezone.now(),
        )
        rows = []
        for order, (question, choices) in enumerate(zip(questions, shuffled, strict=True)):
            rows.append(
                AttemptQuestion(
                    attempt=attempt,
                    order=order,
                    kind=question.kind,
                    prompt=question.prompt,
                    choices=choices,
                    correct_choice=next(c["id"] for c in choices if c["text"] == question.answer),
                    explanation=question.explanation,
                    about=dict(question.about),
                    accepted=list(question.accepted),
                    points=points[order],
                )
            )
        AttemptQuestion.objects.bulk_create(rows)
    return attempt


def _points(kind: str, difficulty: str, registry: Mapping) -> int:
    """What a right answer scores: by the difficulty, unless the kind is the same at every level."""
    known = registry.get(kind)
    if known is not None and not known.varies_with_difficulty:
        return SAME_AT_EVERY_LEVEL
    return POINTS_PER_CORRECT[difficulty]


def choice_order_rng(seed: int) -> random.Random:
    """The stream that orders an attempt's choices: derived from its seed, apart from the draw."""
    digest = hashlib.sha256(f"choice-order:{seed}".encode()).digest()
    return random.Random(int.from_bytes(digest, "big"))


def attempt_choices(*, seed: int, questions: Sequence[Question]) -> list[list[dict[str, str]]]:
    """Each question's choices in the order the attempt with this seed shows them."""
    rng = choice_order_rng(seed)
    # A typed question keeps its one right answer as its only choice, never shown before answering.
    return [_opaque_choices(question.choices or (question.answer,), rng) for question in questions]


def _opaque_choices(texts: Sequence[str], rng: random.Random) -> list[dict[str, str]]:
    # Random ids, not derived from text, order or correctness, so the HTML can't give them away.
    ids: set[str] = set()
    while len(ids) < len(texts):
        ids.add(secrets.token_urlsafe(6))
    shuffled = list(texts)
    rng.shuffle(shuffled)
    return [{"id": choice_id, "text": text} for choice_id, text in zip(ids, shuffled, strict=True)]


def attempt_answer(
    *,
    attempt: Attempt,
    question: AttemptQuestion,
    choice: str = "",
    typed: str = "",
    now: dt.datetime | None = None,
) -> Answer:
    """Record the one answer to a question (a choice's id, or the typed text of a typed question)
    and add its points to the attempt, atomically.

    Raises QuizError(INVALID_CHOICE), QuizError(TYPED_MISSING), QuizError(TYPED_TOO_LONG),
    QuizError(ALREADY_ANSWERED) or QuizError(ATTEMPT_FINISHED); in every case nothing is written.
    """
    from quiz.engine.answers import matches

    if question.attempt_id != attempt.pk:
        raise QuizError(INVALID_CHOICE)
    if question.is_typed:
        typed = " ".join(typed.split())
        if not typed:
            raise QuizError(TYPED_MISSING)
        if len(typed) > TYPED_MAX_LENGTH:
            raise QuizError(TYPED_TOO_LONG)
        is_correct = matches(typed, question.accepted)
        choice = question.correct_choice if is_correct else ""
    else:
        if not any(c["id"] == choice for c in question.choices):
            raise QuizError(INVALID_CHOICE)
        typed = ""
        is_correct = choice == question.correct_choice
    now = now or timezone.now()
    deadline = attempt.deadline
    in_time = deadline is None or now <= deadline + TIME_LIMIT_GRACE
    points = question.points if is_correct and in_time else 0
    with transaction.atomic():
        # The insert goes first: a concurrent duplicate waits on the unique index, then fails.
        try:
            answer = _INSERT_ANSWER(
                question=question,
                choice=choice,
                typed=typed,
                is_correct=is_correct,
                in_time=in_time,
                points=points,
                answered_at=now,
            )
        except IntegrityError:
            raise QuizError(ALREADY_ANSWERED) from None
        if _attempt_count_answer(attempt, points=points, now=now) and attempt.user_id:
            totals_add(user_id=attempt.user_id, finished=[_finished(attempt)])
    if (
        not is_correct
        and attempt.user_id is not None
        and question.about.get("fact_key")
        # Studying the fact would tell the student the answer was wrong, so not before the
        # set shows it; "Practise my mistakes" catches up once it does.
        and reveal_decision(viewer=attempt.user, attempt=attempt, now=now).answered
    ):
        # The fact behind a wrong answer comes first in the student's next study session.
        card_missed(
            user=attempt.user,
            question_kind=question.kind,
            fact_key=question.about["fact_key"],
            now=now,
        )
    return answer


def _attempt_count_answer(attempt: Attempt, *, points: int, now: dt.datetime) -> bool:
    """Add an answer to its attempt (row and object); True if it was the attempt's last.

    The update names the answered count and owner it read, so it knows for sure whether it
    finishes the attempt, and whose it is (a claim may have moved it): when another answer or a
    claim came first, it reads the row again and retries.
    """
    while True:
        answered = attempt.answered_count
        last = answered + 1 >= attempt.question_count
        if last:
            updated = Attempt.objects.filter(
                pk=attempt.pk,
                finished_at__isnull=True,
                answered_count=answered,
                user=attempt.user_id,
            ).update(score=F("score") + points, answered_count=answered + 1, finished_at=now)
        elif attempt.user_id is None:
            updated = _COUNT_GUESTS_ANSWER(
                pk=attempt.pk, answered=answered, counted=answered + 1, points=points
            )
        else:
            updated = _COUNT_ANSWER(
                pk=attempt.pk,
                answered=answered,
                counted=answered + 1,
                points=points,
                user_id=attempt.user_id,
            )
        if updated:
            # score moves only with answered_count, so the one read gave both.
            attempt.score += points
            attempt.answered_count = answered + 1
            attempt.finished_at = now if last else None
            return last
        fresh = Attempt.objects.filter(pk=attempt.pk).values(
            "answered_count", "score", "user_id", "finished_at"
        )
        row = fresh.first()
        if row is None or row["finished_at"] is not None:
            raise QuizError(ATTEMPT_FINISHED)
        attempt.answered_count, attempt.score = row["answered_count"], row["score"]
        attempt.user_id = row["user_id"]


def _prepared_count(*, guests: bool) -> PreparedUpdate:
    """Every answer but an attempt's last counted on its attempt, a signed-in player's or a
    guest's (whose owner is NULL, a different statement): the busiest write, its SQL built once.
    finished_at stays NULL, as the filter requires."""

    def build(*, pk, answered, counted, points, user_id=None):
        owner = {"user__isnull": True} if guests else {"user_id": user_id}
        attempts = Attempt.objects.filter(
            pk=pk, finished_at__isnull=True, answered_count=answered, **owner
        )
        return attempts, {"score": F("score") + points, "answered_count": counted}

    kinds = {"pk": int, "answered": int, "counted": int, "points": int}
    return PreparedUpdate(build, **kinds, **({} if guests else {"user_id": int}))


# Every answer's insert, its SQL built once.
_INSERT_ANSWER = PreparedInsert(Answer)
_COUNT_ANSWER = _prepared_count(guests=False)
_COUNT_GUESTS_ANSWER = _prepared_count(guests=True)


def _finished(attempt: Attempt) -> Finished:
    return Finished(attempt.score, attempt.finished_at, attempt.question_set_id)


def attempt_finish(*, attempt: Attempt, now: dt.datetime | None = None) -> Attempt:
    """End an attempt early; unanswered questions score nothing. Finishing twice is harmless."""
    now = now or timezone.now()
    with transaction.atomic():
        ended = Attempt.objects.filter(pk=attempt.pk, finished_at__isnull=True).update(
            finished_at=now
        )
        # Read inside the transaction: once updated, the row is this transaction's until commit.
        attempt.refresh_from_db(
            fields=["finished_at", "score", "answered_count", "user", "question_set"]
        )
        if ended and attempt.user_id is not None:
            totals_add(user_id=attempt.user_id, finished=[_finished(attempt)])
    return attempt


def attempts_claim(*, user: AbstractBaseUser, guest_token: str) -> int:
    """Give a guest's attempts from this browser session to the user who just signed up or in."""
    if not guest_token or not user.is_authenticated:
        return 0
    with transaction.atomic():
        # Locked, so that a second claim of the same token waits and then finds nothing.
        claimed = list(
            Attempt.objects.select_for_update()
            .filter(user__isnull=True, guest_token=guest_token)
            .order_by("pk")
        )
        if not claimed:
            return 0
        Attempt.objects.filter(pk__in=[attempt.pk for attempt in claimed]).update(
            user=user, guest_token=""
        )
        totals_add(
            user_id=user.pk,
            finished=[_finished(attempt) for attempt in claimed if attempt.is_finished],
        )
    return len(claimed)


def attempts_delete(*, attempts: QuerySet[Attempt]) -> int:
    """Delete attempts (with their questions and answers) and take them off the leaderboards."""
    with transaction.atomic():
        doomed = list(
            attempts.select_for_update()
            .order_by("pk")
            .values_list("pk", "user_id", "finished_at", "question_set_id")
        )
        Attempt.objects.filter(pk__in=[pk for pk, *_ in doomed]).delete()
        boards: dict[int, set[Board]] = {}
        for _, user_id, finished_at, question_set_id in doomed:
            if user_id is not None and finished_at is not None:
                boards.setdefault(user_id, set()).update(
                    boards_for(finished_at=finished_at, question_set_id=question_set_id)
                )
        for user_id in sorted(boards):
            totals_recount(user_id=user_id, boards=boards[user_id])
    return len(doomed)


# ----------------------------------------------------------------------------------------------
# Question sets

TEACHERS_GROUP = "Teachers"
# What a teacher does in the admin: their sets, with generated kinds and hand-written questions
# inline (whose choices are fields of the question's form). Class results, previews and exports
# are views of the set, checked against its owner. quiz/migrations/0004 holds the same list.
TEACHER_PERMISSIONS = tuple(
    f"{action}_{model}"
    for model in ("questionset", "questionsetkind", "handwrittenquestion")
    for action in ("add", "change", "delete", "view")
)
SET_START_RETRIES = 3


def teachers_group_ensure():
    """The Teachers group with exactly TEACHER_PERMISSIONS (the data migration's, rebuilt)."""
    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.get_or_create(name=TEACHERS_GROUP)
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="quiz", codename__in=TEACHER_PERMISSIONS)
    )
    return group


def question_set_questions(
    *, question_set: QuestionSet, rng: random.Random, strict: bool = True
) -> list[Question]:
    """One draw of a set's questions: generated ones in its scope, plus its hand-written ones.

    Reads the set's kinds, scope titles and hand-written questions with their choices (prefetch
    them with QuestionSet.objects.for_taking()). Raises engine.EngineError; when the scope holds
    too few questions of a kind, scope.TooFewQuestions if strict, else the kind comes up short.
    """
    from history.models import Position
    from quiz import scope

    counts = question_set.kind_counts()
    generated: list[Question] = []
    if counts:
        generated = scope.generated_questions(
            Position.objects.facts_for(question_set.position.slug),
            scope=question_set.scope(),
            counts=counts,
            difficulty=question_set.difficulty,
            rng=rng,
            strict=strict,
        )
    handwritten = [question.as_question() for question in question_set.handwritten_questions.all()]
    questions = handwritten + generated
    if question_set.order == QuestionSet.Order.SHUFFLED:
        rng.shuffle(questions)
    return questions


def question_set_problems(
    *, position: Position, scope: Scope, counts: Mapping[str, int], difficulty: str
) -> list[str]:
    """Why a set's generated questions can't be drawn, one message per kind; [] when they can.

    It generates them as an attempt would, kind after kind with a fixed seed, so the engine and
    the scope decide, not an estimate. Kinds share facts (a term is asked by "who held it in a
    year" and by "which title did they hold"), and a set asks each fact once, so a kind may come
    up short of what the kinds before it left.
    """
    from history.models import Position
    from quiz import engine
    from quiz import scope as scopes

    facts = Position.objects.facts_for(position.slug)
    reasons = engine.available_kinds(facts)
    problems = []
    asked: set[str] = set()
    rng = random.Random(0)
    for kind in engine.KINDS:
        count = counts.get(kind, 0)
        if not count:
            continue
        label = KIND_LABELS.get(kind, kind)
        if reasons[kind] is not None:
            problems.append(
                KIND_NOT_ASKABLE.format(label=label, position=position.name, reason=reasons[kind])
            )
            continue
        try:
            drawn = scopes.scoped_questions(
                facts,
                scope=scope,
                kind=kind,
                count=count,
                difficulty=difficulty,
                rng=rng,
                avoid_facts=frozenset(asked),
            )
            asked.update(question.about["fact_key"] for question in drawn)
        except scopes.TooFewQuestions as error:
            message = SCOPE_TOO_NARROW if error.scoped else POSITION_TOO_SMALL
            problems.append(
                message.format(
                    available=error.available,
                    label=label,
                    plural="" if error.available == 1 else "s",
                    asked=error.asked,
                    position=position.name,
                )
            )
        except engine.EngineError as error:
            problems.append(str(error))
    return problems


def attempt_start_from_set(
    *,
    user: AbstractBaseUser | None,
    question_set: QuestionSet,
    seed: int | None = None,
    now: dt.datetime | None = None,
) -> Attempt:
    """Start a signed-in student's attempt at a published set, within its attempts allowed.

    Raises QuizError(SET_LOGIN_REQUIRED), QuizError(SET_NOT_PUBLISHED),
    QuizError(SET_NO_ATTEMPTS_LEFT) or QuizError(NO_QUESTIONS); nothing is written then.
    """
    from quiz import engine

    if user is None or not user.is_authenticated:
        raise QuizError(SET_LOGIN_REQUIRED)
    if not question_set.is_published:
        raise QuizError(SET_NOT_PUBLISHED)
    seed = secrets.randbits(62) if seed is None else seed
    try:
        # Not strict: the admin checked the scope; a kind short by a variant is no reason to refuse.
        questions = question_set_questions(
            question_set=question_set, rng=random.Random(seed), strict=False
        )
    except engine.EngineError as error:
        raise QuizError(NO_QUESTIONS) from error
    if not questions:
        raise QuizError(NO_QUESTIONS)
    kinds = sorted({question.kind for question in questions})
    for _ in range(SET_START_RETRIES):
        try:
            with transaction.atomic():
                # Numbers are unique per student and set (a constraint), so two starts racing
                # for the last attempt pick the same number and only one insert succeeds.
                used = set(
                    Attempt.objects.filter(question_set=question_set, user=user).values_list(
                        "set_attempt_number", flat=True
                    )
                )
                allowed = question_set.attempts_allowed
                if allowed is not None and len(used) >= allowed:
                    raise QuizError(SET_NO_ATTEMPTS_LEFT)
                number = next(n for n in range(1, len(used) + 2) if n not in used)
                return attempt_create(
                    user=user,
                    position=question_set.position,
                    title=question_set.title,
                    seed=seed,
                    difficulty=question_set.difficulty,
                    kinds=kinds,
                    questions=questions,
                    time_limit_seconds=question_set.time_limit_seconds,
                    question_set=question_set,
                    set_attempt_number=number,
                    now=now,
                )
        except IntegrityError:
            continue
    raise QuizError(SET_BUSY)


def question_set_duplicate(*, question_set: QuestionSet, owner: AbstractBaseUser) -> QuestionSet:
    """A copy of the set, unpublished, with a new share code, owned by `owner`."""
    source = QuestionSet.objects.for_taking().get(pk=question_set.pk)
    with transaction.atomic():
        copy = QuestionSet.objects.create(
            title=f"Copy of {source.title}"[: QuestionSet._meta.get_field("title").max_length],
            description=source.description,
            owner=owner,
            position=source.position,
            difficulty=source.difficulty,
            scope_start=source.scope_start,
            scope_end=source.scope_end,
            order=source.order,
            time_limit_minutes=source.time_limit_minutes,
            attempts_allowed=source.attempts_allowed,
            reveal=source.reveal,
            is_published=False,
        )
        copy.scope_titles.set(source.scope_titles.all())
        QuestionSetKind.objects.bulk_create(
            QuestionSetKind(question_set=copy, kind=row.kind, count=row.count)
            for row in source.kinds.all()
        )
        for question in source.handwritten_questions.all():
            new = HandwrittenQuestion.objects.create(
                question_set=copy,
                order=question.order,
                prompt=question.prompt,
                explanation=question.explanation,
            )
            HandwrittenChoice.objects.bulk_create(
                HandwrittenChoice(
                    question=new, order=choice.order, text=choice.text, is_correct=choice.is_correct
                )
                for choice in question.choices.all()
            )
    return copy
