"""Scale data for `make bench-web`: players, finished attempts of ten answered questions each.

Written with bulk_create in batches, then counted on the leaderboards by the rebuild command.
A marker table records what a database holds, so a second run reuses it; when the ISO week has
changed since, every attempt moves by whole weeks so that "this week" holds the same share.
"""

from __future__ import annotations

import datetime as dt
import random
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from quiz.identity import name_key
from quiz.leaderboard.boards import week_start
from quiz.leaderboard.rebuild import rebuild
from quiz.models import Answer, Attempt, AttemptQuestion, Profile, UsernameKey

VERSION = 1
QUESTIONS = 10
PASSWORD = "bench-password-2026"
BATCH = 5000
MARKER = "bench_web_data"
THIS_WEEK_SHARE = 0.3
WEEKS_BACK = 8


def ensure(*, players: int, log=print) -> None:
    """Make the database hold `players` players with one finished attempt of 10 answers each."""
    from history.models import Position

    marker = _marker()
    monday = week_start()
    if marker == (VERSION, players):
        shift = monday - _stored_monday()
        if shift:
            log(f"  moving the cached attempts by {shift.days // 7} weeks into this week")
            with transaction.atomic():
                Attempt.objects.update(
                    started_at=F("started_at") + shift, finished_at=F("finished_at") + shift
                )
                _mark(players, monday)
            rebuild()
        return
    if Attempt.objects.exists() or get_user_model().objects.exists():
        raise SystemExit(
            "The benchmark database holds other data; give bench-web a database of its own."
        )
    position = Position.objects.get(slug="general-secretary-cpsu")
    started = time.perf_counter()
    rng = random.Random(VERSION)
    now = timezone.now()
    password = make_password(PASSWORD)
    for first in range(0, players, BATCH):
        numbers = range(first, min(first + BATCH, players))
        with transaction.atomic():
            users = get_user_model().objects.bulk_create(
                get_user_model()(username=_username(n), password=password) for n in numbers
            )
            UsernameKey.objects.bulk_create(
                UsernameKey(key=name_key(user.username), user=user) for user in users
            )
            Profile.objects.bulk_create(
                Profile(user=user, display_name=name, display_name_key=name_key(name))
                for user, name in (
                    (user, f"Player {n:06}") for n, user in zip(numbers, users, strict=True)
                )
            )
            attempts = Attempt.objects.bulk_create(
                _attempt(user, position, rng, now, monday) for user in users
            )
            questions = AttemptQuestion.objects.bulk_create(
                (
                    AttemptQuestion(
                        attempt=attempt,
                        order=order,
                        kind="successor",
                        prompt=f"Who succeeded holder {order} of the office?",
                        choices=[{"id": f"c{order}{k}", "text": f"Person {k}"} for k in "abcd"],
                        correct_choice=f"c{order}a",
                        explanation="The table of the office's holders says so.",
                        about={},
                        points=2,
                    )
                    for attempt in attempts
                    for order in range(QUESTIONS)
                ),
                batch_size=BATCH,
            )
            Answer.objects.bulk_create(
                (_answer(question, attempt) for question, attempt in _with_attempts(questions)),
                batch_size=BATCH,
            )
        log(f"  {first + len(numbers):,} players ({time.perf_counter() - started:.0f} s)")
    rebuild()
    _mark(players, monday)
    log(f"  written and counted in {time.perf_counter() - started:.0f} s")


def _username(number: int) -> str:
    return f"p{number:06}"


def _attempt(user, position, rng: random.Random, now: dt.datetime, monday: dt.datetime) -> Attempt:
    # Each player's share of right answers; the score is fixed here and the answers follow it.
    right = sum(rng.random() < rng.uniform(0.3, 0.95) for _ in range(QUESTIONS))
    if rng.random() < THIS_WEEK_SHARE:
        finished = monday + (now - monday) * rng.random()
    else:
        finished = monday - dt.timedelta(days=7 * WEEKS_BACK * rng.random() + 0.001)
    attempt = Attempt(
        user=user,
        position=position,
        title="Quick quiz: General Secretary, medium",
        seed=rng.getrandbits(62),
        difficulty="medium",
        question_count=QUESTIONS,
        points_per_correct=2,
        max_score=2 * QUESTIONS,
        started_at=finished - dt.timedelta(minutes=4),
        finished_at=finished,
        answered_count=QUESTIONS,
        score=2 * right,
    )
    attempt._right = right
    return attempt


def _with_attempts(questions):
    for question in questions:
        yield question, question.attempt


def _answer(question: AttemptQuestion, attempt: Attempt) -> Answer:
    correct = question.order < attempt._right
    return Answer(
        question=question,
        choice=question.correct_choice if correct else question.choices[1]["id"],
        is_correct=correct,
        points=2 if correct else 0,
        answered_at=attempt.finished_at,
    )


def _marker() -> tuple[int, int] | None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {MARKER} (version integer, players integer, monday text)"
        )
        cursor.execute(f"SELECT version, players FROM {MARKER}")
        row = cursor.fetchone()
    return tuple(row) if row else None


def _stored_monday() -> dt.datetime:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT monday FROM {MARKER}")
        return dt.datetime.fromisoformat(cursor.fetchone()[0])


def _mark(players: int, monday: dt.datetime) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {MARKER}")
        cursor.execute(
            f"INSERT INTO {MARKER} (version, players, monday) VALUES (%s, %s, %s)",
            [VERSION, players, monday.isoformat()],
        )
