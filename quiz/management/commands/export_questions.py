"""python manage.py export_questions: print generated questions as JSON, GIFT or CSV."""

from __future__ import annotations

import random

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from history.models import Position
from quiz import engine
from quiz.export import FORMATS


def _whole_number(value: object, option: str) -> int:
    # Parsed here rather than by argparse, so a bad value is a one-line CommandError.
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    try:
        return int(str(value).strip())
    except ValueError:
        raise CommandError(f"{option} must be a whole number, not {value!r}.") from None


class Command(BaseCommand):
    help = (
        "Print quiz questions generated from a position's facts. The same seed and data give "
        "the same output, byte for byte."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--count", default="10", help="How many questions (default 10).")
        parser.add_argument("--seed", default="0", help="Random seed (default 0).")
        parser.add_argument(
            "--kind",
            action="append",
            dest="kinds",
            metavar="KIND",
            help=f"Only this kind; repeat for several. One of: {', '.join(engine.KINDS)}.",
        )
        parser.add_argument(
            "--difficulty",
            default=engine.Difficulty.MEDIUM.value,
            help="easy, medium (default) or hard: how near in time the wrong choices are.",
        )
        parser.add_argument(
            "--format",
            dest="output_format",
            default="json",
            help=f"Output format: {', '.join(FORMATS)} (default json).",
        )
        parser.add_argument(
            "--position", metavar="SLUG", help="The position's slug (default: the first one)."
        )

    def handle(self, *args, **options) -> None:
        count = _whole_number(options["count"], "--count")
        seed = _whole_number(options["seed"], "--seed")
        if count < 0:
            raise CommandError(f"--count cannot be negative ({count}).")
        output_format = str(options["output_format"]).lower()
        if output_format not in FORMATS:
            raise CommandError(
                f"Unknown format {options['output_format']!r}; choose one of: {', '.join(FORMATS)}."
            )
        try:
            slug = options["position"] or Position.objects.values_list("slug", flat=True).first()
            if slug is None:
                raise CommandError("There are no positions; load some with load_history first.")
            facts = Position.objects.facts_for(slug)
        except Position.DoesNotExist:
            raise CommandError(f"No position has the slug {slug!r}.") from None
        except DatabaseError as error:
            raise CommandError(
                f"The database is not ready ({error}). Run `python manage.py migrate` first."
            ) from None
        try:
            questions = engine.generate_questions(
                facts,
                rng=random.Random(seed),
                count=count,
                kinds=options["kinds"],
                difficulty=options["difficulty"],
                # A list for a question bank: every prompt once, facts in several forms.
                repeat_facts=True,
            )
        except engine.EngineError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(FORMATS[output_format](questions), ending="")
