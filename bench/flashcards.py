"""Flashcards: today's queue for a student with 10,000 cards and 100,000 logged reviews, and
ratings per second through the service function.

`make bench` runs it on its throw-away SQLite database. For PostgreSQL:
`.venv/bin/python -m bench.flashcards --postgres postgres://postgres@127.0.0.1:5432/postgres`
creates a database of its own on that server (histquiz_bench_<pid>), and drops it afterwards.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

CARDS = 10_000
REVIEWS = 100_000
RATINGS = 500
QUEUE_CALLS = 50
TARGET_MS = 20


def run() -> None:
    """Build the student's collection in the current database and measure."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from quiz.cards.models import Card, Fact, Review, StudySettings
    from quiz.cards.queue import study_queue
    from quiz.cards.services import card_rate

    print(f"\nFlashcards ({connection.vendor}): {CARDS:,} cards, {REVIEWS:,} logged reviews")
    rng = random.Random(7)
    now = timezone.now()
    user = get_user_model().objects.create(username=f"bench-{os.getpid()}-{rng.random()}")
    other = get_user_model().objects.create(username=f"bench-other-{os.getpid()}-{rng.random()}")
    facts = Fact.objects.bulk_create(
        Fact(
            key=f"bench:{n}",
            kind="term",
            front=f"Bench card {n}?",
            back=f"Answer {n}",
            sibling_group=f"bench:{n // 2}",
        )
        for n in range(CARDS)
    )
    cards = []
    for index, fact in enumerate(facts):
        kind = index % 10
        if kind < 2:
            state, due, last = Card.State.NEW, now, None
        else:
            state = Card.State.REVIEW if kind < 9 else Card.State.LEARNING
            last = now - dt.timedelta(days=rng.randint(1, 300))
            due = now + dt.timedelta(days=rng.randint(-5, 200))
        cards.append(
            Card(
                user=user if index % 5 else other,  # a fifth belong to someone else
                fact=fact,
                state=state,
                stability=None if state == Card.State.NEW else rng.uniform(1, 200),
                difficulty=None if state == Card.State.NEW else rng.uniform(1, 10),
                due=due,
                last_review=last,
                reps=0,
                added_at=now - dt.timedelta(days=365),
            )
        )
    cards = Card.objects.bulk_create(cards, batch_size=2000)
    reviewed = [card for card in cards if card.state != Card.State.NEW]
    numbers: dict[int, int] = {}
    logs = []
    for _ in range(REVIEWS):
        card = reviewed[rng.randrange(len(reviewed))]
        numbers[card.pk] = numbers.get(card.pk, 0) + 1
        logs.append(
            Review(
                card=card,
                user_id=card.user_id,
                number=numbers[card.pk],
                rating=rng.choice((1, 3, 3, 3, 4)),
                reviewed_at=now - dt.timedelta(minutes=rng.randint(1, 365 * 24 * 60)),
                state_before=Card.State.REVIEW,
                scheduled_days=rng.randint(1, 60),
            )
        )
    Review.objects.bulk_create(logs, batch_size=5000)
    for card in reviewed:
        card.reps = numbers.get(card.pk, 0)
    Card.objects.bulk_update(reviewed, ["reps"], batch_size=2000)
    settings = StudySettings(user=user)

    with CaptureQueriesContext(connection) as queries:
        queue = study_queue(user=user, settings=settings, now=now)
    best = min(
        _timed(lambda: study_queue(user=user, settings=settings, now=now))
        for _ in range(QUEUE_CALLS)
    )
    mine = sum(1 for card in cards if card.user_id == user.pk)
    print(
        f"  today's queue                              {len(queries.captured_queries)} queries, "
        f"{best * 1000:6.2f} ms (target < {TARGET_MS} ms; {mine:,} cards of this student, "
        f"{queue.reviews} reviews and {queue.new} new cards left)"
    )

    due = list(Card.objects.filter(user=user, state=Card.State.REVIEW).order_by("pk")[:RATINGS])
    start = time.perf_counter()
    for card in due:
        card_rate(card=card, rating=3, reps=card.reps, desired_retention=0.9, now=now)
    seconds = time.perf_counter() - start
    print(
        f"  ratings through card_rate                  {len(due) / seconds:8,.0f} ratings/s "
        f"({len(due)} ratings, one transaction each)"
    )


def _timed(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def _postgres(url: str) -> None:
    """Run on a fresh database of our own on the PostgreSQL server at `url`."""
    import psycopg

    name = f"histquiz_bench_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        base = url.rsplit("/", 1)[0]
        os.environ["DATABASE_URL"] = f"{base}/{name}"
        _setup()
        run()
        from django.db import connections

        connections.close_all()
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--postgres":
        _postgres(sys.argv[2])
    else:
        print("usage: python -m bench.flashcards --postgres postgres://user@host:5432/postgres")
        sys.exit(2)
