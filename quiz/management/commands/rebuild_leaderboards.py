"""python manage.py rebuild_leaderboards: recompute the stored totals from the attempts."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from quiz.leaderboard.rebuild import differences, rebuild

SHOWN = 20


class Command(BaseCommand):
    help = (
        "Recompute every leaderboard's stored totals "
        "from the finished attempts, and report where the stored ones differed."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only report differences, and exit with status 1 if there are any.",
        )

    def handle(self, *args, check: bool = False, **options) -> None:
        found = differences() if check else rebuild()
        for difference in found[:SHOWN]:
            self.stdout.write(f"  {difference}")
        if len(found) > SHOWN:
            self.stdout.write(f"  ... and {len(found) - SHOWN} more")
        if not found:
            self.stdout.write("The stored totals match the attempts.")
        elif check:
            raise CommandError(f"{len(found)} stored totals differ from the attempts.")
        else:
            self.stdout.write(f"Rebuilt: {len(found)} stored totals differed from the attempts.")
