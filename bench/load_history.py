"""python -m bench.load_history: how long load_history holds the write lock on a large file.

Writes a synthetic fixture (1,000 positions of 100 records each by default), loads it with
load_history into a throw-away SQLite database (or the PostgreSQL database given with
--postgres, whose history tables it empties first) while another thread writes a row every
half second, as the app would. It reports the whole load, the time inside the loader's write
transaction, and how the other writes fared; then loads the same file again (all unchanged).
Wall-clock times depend on what else the machine runs; CPU times (this process's) less so.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

RECORDS_PER_POSITION = 100


def synthetic_records(count: int) -> list[dict]:
    """`count` fixture records (rounded down to whole positions), valid and without overlaps."""
    records: list[dict] = []
    for number in range(count // RECORDS_PER_POSITION):
        slug = f"bench-office-{number}"
        records.append(
            {
                "model": "history.position",
                "fields": {
                    "name": f"Bench Office {number}",
                    "short_name": f"Office {number}",
                    "slug": slug,
                    "source_title": "bench",
                },
            }
        )
        titles = [f"Chair of Bench Office {number}", f"President of Bench Office {number}"]
        records += [
            {"model": "history.title", "fields": {"position": [slug], "name": n, "short_name": n}}
            for n in titles
        ]
        records += [
            {
                "model": "history.positionfact",
                "fields": {"position": [slug], "label": f"Fact {k}", "value": f"Value {k}"},
            }
            for k in range(5)
        ]
        people = [f"Bench Person {number}-{k}" for k in range(40)]
        records += [
            {
                "model": "history.person",
                "fields": {"full_name": name, "short_name": f"P{k}", "slug": f"bp-{number}-{k}"},
            }
            for k, name in enumerate(people)
        ]
        records += [
            {
                "model": "history.term",
                "fields": {
                    "person": [name],
                    "title": [slug, titles[k // 20]],
                    "start_date": f"{1900 + k}-01-01",
                    "end_date": f"{1901 + k}-01-01",
                    "note": "A synthetic term.",
                },
            }
            for k, name in enumerate(people)
        ]
        relations = ("deputy", "contemporary", "de_facto_holder")
        records += [
            {
                "model": "history.association",
                "fields": {
                    "position": [slug],
                    "person": [people[k]],
                    "relation": relations[k % 3],
                    "description": "A synthetic tie.",
                },
            }
            for k in range(12)
        ]
    return records


class TimedAtomic:
    """Wraps transaction.atomic to time the outermost block: how long the write lock is held."""

    def __init__(self) -> None:
        self.seconds = self.cpu_seconds = 0.0
        self.depth = 0

    def install(self) -> None:
        from django.db import transaction

        original = transaction.atomic

        @contextmanager
        def timed(*args, **kwargs):
            if threading.current_thread() is not threading.main_thread():
                with original(*args, **kwargs):
                    yield
                return
            self.depth += 1
            start, cpu_start = time.perf_counter(), time.process_time()
            try:
                with original(*args, **kwargs):
                    yield
            finally:
                self.depth -= 1
                if self.depth == 0:
                    self.seconds += time.perf_counter() - start
                    self.cpu_seconds += time.process_time() - cpu_start

        transaction.atomic = timed


class Writer(threading.Thread):
    """Another client of the database: one small write every half second, each timed."""

    names: list[str] = []

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.stopping = threading.Event()
        self.latencies: list[float] = []
        self.failures: list[str] = []

    def run(self) -> None:
        from django.contrib.auth.models import Group
        from django.db import DatabaseError, connection

        while not self.stopping.is_set():
            name = f"bench-writer-{len(Writer.names)}"
            Writer.names.append(name)
            start = time.perf_counter()
            try:
                Group.objects.create(name=name)
            except DatabaseError as error:
                self.failures.append(str(error))
            self.latencies.append(time.perf_counter() - start)
            self.stopping.wait(0.5)
        connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--postgres", help="a PostgreSQL URL to load into instead of SQLite")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="histquiz-load-") as directory:
        os.environ["DATABASE_URL"] = options.postgres or f"sqlite:///{directory}/load.sqlite3"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        # Production settings: with debug on, Django also formats every query for its log.
        os.environ.setdefault("DJANGO_DEBUG", "0")
        os.environ.setdefault("DJANGO_SECRET_KEY", "bench-load-history")
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        import django

        django.setup()
        from django.contrib.auth.models import Group
        from django.core.management import call_command
        from django.db import connection

        from history.models import Association, Person, Position, PositionFact, Term, Title

        call_command("migrate", verbosity=0)
        for model in (Association, Term, PositionFact, Title, Person, Position):
            model.objects.all().delete()
        Group.objects.filter(name__startswith="bench-writer-").delete()
        path = Path(directory) / "synthetic.json"
        path.write_text(json.dumps(synthetic_records(options.records)), encoding="utf-8")
        print(
            f"load_history on {connection.vendor}: {options.records:,} records, "
            f"{path.stat().st_size / 1e6:.1f} MB"
        )
        atomic = TimedAtomic()
        atomic.install()
        for round_name in ("first load (all created)", "second load (all unchanged)"):
            atomic.seconds = atomic.cpu_seconds = 0.0
            writer = Writer()
            writer.start()
            start, cpu_start = time.perf_counter(), time.process_time()
            call_command("load_history", str(path), stdout=io.StringIO())
            total, cpu = time.perf_counter() - start, time.process_time() - cpu_start
            writer.stopping.set()
            writer.join()
            print(
                f"  {round_name}: {total:.1f} s in all ({cpu:.1f} s CPU), "
                f"{total - atomic.seconds:.1f} s ({cpu - atomic.cpu_seconds:.1f} s CPU) before "
                f"the write transaction, {atomic.seconds:.1f} s ({atomic.cpu_seconds:.1f} s CPU) "
                f"inside it; other writes: {len(writer.latencies)}, {len(writer.failures)} "
                f"failed, slowest {max(writer.latencies):.2f} s"
            )
            for failure in sorted(set(writer.failures)):
                print(f"    failed: {failure}")


if __name__ == "__main__":
    main()
