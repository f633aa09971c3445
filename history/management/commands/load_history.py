"""python manage.py load_history [FILE ...]: validate, then load history fixtures."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from history.loading import FixtureError, history_load


class Command(BaseCommand):
    help = "Validate and load history fixtures (default: every JSON file in fixtures/)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("files", nargs="*", type=Path, help="Fixture files to load.")

    def handle(self, *args, files: list[Path], **options) -> None:
        paths = files or sorted((Path(settings.BASE_DIR) / "fixtures").glob("*.json"))
        if not paths:
            raise CommandError("No fixture files found in fixtures/.")
        try:
            report = history_load(paths=paths)
        except FixtureError as error:
            raise CommandError(f"Nothing was loaded. {error}") from None
        except DatabaseError as error:
            raise CommandError(
                f"Nothing was loaded: the database is not ready ({error}). "
                "Run `python manage.py migrate` first."
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {report.records} records from {len(paths)} file(s): "
                f"{report.created} created, {report.changed} changed, "
                f"{report.records - report.created - report.changed} unchanged."
            )
        )
