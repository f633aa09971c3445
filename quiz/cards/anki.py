"""A deck as an Anki package (.apkg) built with genanki.

The note type's id is fixed here and each deck's id is derived from its name in the data, and
every note's GUID from its fact key: importing an updated deck again updates the notes in Anki
instead of adding copies. Anki updates a note only when the imported one is newer, so each
note's modification time is its fact's last change; the package's ids start from the newest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
from collections.abc import Iterable

import genanki
from django.utils.html import escape

from quiz.cards.models import Fact

NOTE_TYPE_ID = 1_735_020_914  # never change: Anki matches notes to their type by this id
DECK_ID_BASE = 1_735_100_000
NOTE_TYPE = genanki.Model(
    NOTE_TYPE_ID,
    "History Quiz fact",
    fields=[
        {"name": "Front"},
        {"name": "Back"},
        {"name": "Detail"},
        {"name": "Source"},
        {"name": "Key"},
    ],
    templates=[
        {
            "name": "Card",
            "qfmt": "<div class=front>{{Front}}</div>",
            "afmt": "{{FrontSide}}<hr id=answer><div class=back>{{Back}}</div>"
            "<p class=detail>{{Detail}}</p><p class=source>{{Source}}</p>",
        }
    ],
    css=".card{font-family:Georgia,serif;font-size:20px;text-align:left;max-width:36em;margin:auto}"
    ".back{font-weight:bold}.detail{font-size:16px}.source{font-size:13px;color:#555}",
    sort_field_index=0,
)


def deck_id(name: str) -> int:
    """A deck's Anki id, the same every time for the same deck."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return DECK_ID_BASE + int.from_bytes(digest[:4], "big") % 1_000_000_000


def note_guid(fact_key: str) -> str:
    """A note's GUID, derived from the fact key alone."""
    return genanki.guid_for(fact_key)


class _Note(genanki.Note):
    """A note modified when its fact last changed, not when the package was written."""

    def __init__(self, *, changed: dt.datetime, **kwargs) -> None:
        super().__init__(**kwargs)
        self.changed = changed

    def write_to_db(self, cursor, timestamp: float, deck_id, id_gen) -> None:
        super().write_to_db(cursor, self.changed.timestamp(), deck_id, id_gen)


def package(*, name: str, identity: str, facts: Iterable[Fact]) -> bytes:
    """The .apkg file of a deck named `name` (its id from `identity`) with one note per fact."""
    deck = genanki.Deck(deck_id(identity), name)
    newest = dt.datetime.fromtimestamp(0, dt.UTC)
    for fact in facts:
        newest = max(newest, fact.changed_at)
        deck.add_note(
            _Note(
                changed=fact.changed_at,
                model=NOTE_TYPE,
                fields=[
                    escape(fact.front),
                    escape(fact.back),
                    escape(fact.detail),
                    escape(fact.source),
                    escape(fact.key),
                ],
                guid=note_guid(fact.key),
                tags=[fact.kind.replace(" ", "_")],
            )
        )
    # genanki writes its collection through a temporary file; the zip itself goes to memory.
    handle, path = tempfile.mkstemp(suffix=".apkg")
    os.close(handle)
    try:
        genanki.Package(deck).write_to_file(path, timestamp=newest.timestamp())
        with open(path, "rb") as file:
            return file.read()
    finally:
        os.unlink(path)
