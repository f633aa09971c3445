"""python -m bench: questions per second on one core, and the cost of loading a position's facts.

Sets Django up on its own throw-away SQLite database (a temporary file), migrates it, loads the
fixtures with load_history, then measures. Timings are the best of several rounds.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROUNDS = 5
SMALL_KINDS = ["successor", "died_in_office", "title_of_person", "first_holder"]
SEED_SLUG = "general-secretary-cpsu"


def main() -> None:
    one_core = _pin_to_one_core()
    with tempfile.TemporaryDirectory(prefix="histquiz-bench-") as directory:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(directory) / 'bench.sqlite3'}"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("load_history", verbosity=0, stdout=io.StringIO())
        print(f"histquiz bench: Python {sys.version.split()[0]}, {one_core}")
        _facts_loading()
        _generation()
        from bench import flashcards

        flashcards.run()


def _pin_to_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        core = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {core})
        return f"pinned to CPU {core}"
    return "single thread (CPU pinning unavailable)"


def _best(work: Callable[[], object], rounds: int = ROUNDS) -> float:
    """The fastest of several timed runs, in seconds."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def _facts_loading() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from history.models import Position
    from quiz.models import Attempt
    from quiz.services import attempt_start

    print("\nLoading facts: Position.objects.facts_for(slug)")
    position = Position.objects.get(slug=SEED_SLUG)

    def measure(label: str, slug: str) -> None:
        with CaptureQueriesContext(connection) as queries:
            facts = Position.objects.facts_for(slug)
        calls = 50
        seconds = _best(lambda: [Position.objects.facts_for(slug) for _ in range(calls)], 3)
        print(
            f"  {label:<44} {len(queries.captured_queries)} query, "
            f"{seconds / calls * 1000:6.2f} ms per load "
            f"({len(facts.terms)} terms, {len(facts.associations)} associations)"
        )

    measure("seed, no attempts", SEED_SLUG)
    for total in (100, 1000):
        start = time.perf_counter()
        for n in range(Attempt.objects.count(), total):
            attempt_start(
                user=None, guest_token=f"bench-{n}", position=position, difficulty="medium", seed=n
            )
        made = time.perf_counter() - start
        measure(f"seed, {total:,} attempts stored", SEED_SLUG)
        print(f"  {'':<44} (storing them took {made:.1f} s through attempt_start)")
    _add_big_position()
    measure("synthetic position, 2,000 terms", "bench-big")


def _add_big_position() -> None:
    from history.models import Association, Person, Position, Term, Title

    position = Position.objects.create(
        name="Bench Chancellor", short_name="Chancellor", slug="bench-big", source_title="bench"
    )
    titles = Title.objects.bulk_create(
        Title(position=position, name=f"Bench Chancellor, style {n}", short_name="Chancellor")
        for n in range(8)
    )
    people = Person.objects.bulk_create(
        Person(full_name=f"Bench Person {n}", short_name=f"Person{n}", slug=f"bench-person-{n}")
        for n in range(400)
    )
    day = dt.date(1000, 1, 1)
    terms = []
    for n in range(2000):
        end = day + dt.timedelta(days=100 + n % 50)
        terms.append(
            Term(person=people[n % 400], title=titles[n // 250], start_date=day, end_date=end)
        )
        day = end
    Term.objects.bulk_create(terms)
    Association.objects.bulk_create(
        Association(
            position=position,
            person=people[n],
            relation=Association.Relation.CONTEMPORARY,
            description="bench",
        )
        for n in range(300)
    )


def _generation() -> None:
    from history.models import Position
    from quiz import engine
    from quiz.engine.prepared import prepare
    from quiz.export import to_json

    print("\nGenerating questions: quiz.engine.generate_questions (one core)")
    facts = Position.objects.facts_for(SEED_SLUG)
    build = _best(lambda: prepare(facts))
    print(f"  {'index per facts object (built once, cached)':<44} {build * 1000:8.1f} ms")
    big = Position.objects.facts_for("bench-big")
    build = _best(lambda: prepare(big), 1)
    print(f"  {'  the same for the 2,000-term position':<44} {build * 1000:8.1f} ms")

    def rate(label: str, facts, count: int, quizzes: int, **options) -> float:
        engine.generate_questions(facts, rng=random.Random(0), count=count, **options)
        seconds = _best(
            lambda: [
                engine.generate_questions(facts, rng=random.Random(seed), count=count, **options)
                for seed in range(quizzes)
            ]
        )
        per_second = count * quizzes / seconds
        print(f"  {label:<44} {per_second:>10,.0f} questions/s")
        return per_second

    rates = [
        rate("quizzes of 10, medium", facts, 10, 2000),
        rate("quizzes of 10, easy", facts, 10, 2000, difficulty="easy"),
        rate("quizzes of 10, hard", facts, 10, 2000, difficulty="hard"),
        rate("one export of 2,000 questions", facts, 2000, 10, repeat_facts=True),
        rate("quizzes of 10, small kinds only", facts, 10, 2000, kinds=SMALL_KINDS),
    ]
    rates.append(rate("quizzes of 10, 2,000-term synthetic position", big, 10, 2000))
    questions = engine.generate_questions(
        facts, rng=random.Random(1), count=2000, repeat_facts=True
    )
    json_seconds = _best(lambda: to_json(questions))
    print(f"  {'JSON export of 2,000 questions':<44} {json_seconds * 1000:8.1f} ms")
    slowest = min(rates)
    verdict = "meets" if slowest >= 20_000 else "MISSES"
    print(f"\nSlowest case: {slowest:,.0f} questions/s ({verdict} the 20,000/s target).")
    print(f"Median of the cases: {statistics.median(rates):,.0f} questions/s.")


if __name__ == "__main__":
    main()
