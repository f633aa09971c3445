"""Validate and load history fixtures: a bad file is refused whole, with a message that names it.

A load has two phases, so that it never holds the database's write lock for long (on SQLite,
other writers wait for it, and give up after 20 s). The first reads the documents and the rows
they can touch and checks every record in memory, with no transaction open and nothing written
(checks.py). The second writes only the rows to create or change, in bulk, in one short
transaction that reads nothing (writes.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from history.loading.checks import check_documents
from history.loading.documents import MAX_FIXTURE_BYTES, MAX_NESTING, history_parse, read_document
from history.loading.errors import FixtureError
from history.loading.writes import write_checked

__all__ = [
    "MAX_FIXTURE_BYTES",
    "MAX_NESTING",
    "FixtureError",
    "LoadReport",
    "history_load",
    "history_load_documents",
    "history_parse",
]


@dataclass(frozen=True)
class LoadReport:
    """How many records each file held, and how many rows loading created or changed."""

    records: int
    created: int
    changed: int


def history_load(*, paths: list[Path]) -> LoadReport:
    """Load the fixture files; raise FixtureError and write nothing if any is bad."""
    return history_load_documents(documents=[(path, read_document(path)) for path in paths])


def history_load_documents(
    *, documents: list[tuple[Path, list[dict]]], dry_run: bool = False
) -> LoadReport:
    """Load parsed documents (see history_parse): check them all, then write in one transaction.

    With dry_run, every record is checked exactly as a real load checks it, and nothing is written.
    """
    checked = check_documents(documents)
    if not dry_run and any(c.outcome != "unchanged" for c in checked):
        write_checked(checked, documents[0][0])
    return LoadReport(
        records=len(checked),
        created=sum(c.outcome == "created" for c in checked),
        changed=sum(c.outcome == "changed" for c in checked),
    )
