"""Stable keys for the facts that questions and flashcards are about (pure Python, no Django).

A fact key names one thing a student can know, however it is asked: "Who was General Secretary
in 1977?", "Which title did the party's leading secretary bear in 1977?" and "Which title did
Leonid Brezhnev bear?" are all about the key ``term:general-secretary-cpsu:leonid-brezhnev:general-secretary-
of-the-central-committee-of-the-communist-party-of-the-soviet-union``. Keys are built from slugs,
never database ids, so reloading or correcting the history data keeps them, and with them every
student's memory of a fact, for as long as the fact itself exists.
"""

from __future__ import annotations

import re
import unicodedata

SEPARATOR = ":"


def slug(text: str) -> str:
    """Lowercase ASCII words joined by hyphens: "Responsible Secretary (Bolsheviks)" ->
    "responsible-secretary-bolsheviks"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _key(kind: str, *parts: str) -> str:
    return SEPARATOR.join((kind, *parts))


def term_key(position: str, person: str, title: str) -> str:
    """One person's tenure under one title (person and position by slug, the title by name)."""
    return _key("term", position, person, slug(title))


def succession_key(position: str, earlier: str, later: str) -> str:
    """One handover from a person to the next different person (both by slug)."""
    return _key("succession", position, earlier, later)


def predecessor_key(position: str, earlier: str, later: str) -> str:
    """The same handover asked the other way round: who came before `later` (both by slug)."""
    return _key("predecessor", position, earlier, later)


def start_key(position: str, person: str, title: str) -> str:
    """When a person first took office under a title."""
    return _key("start", position, person, slug(title))


def died_key(position: str, person: str) -> str:
    """That a holder died in office."""
    return _key("died", position, person)


def first_key(position: str, title: str | None = None) -> str:
    """The first holder of the office (no title) or of one of its titles."""
    return _key("first", position) if title is None else _key("first", position, slug(title))


def acting_key(position: str, person: str) -> str:
    """That a holder held the office only in an acting capacity."""
    return _key("acting", position, person)


def title_span_key(position: str, title: str) -> str:
    """The span of years in which the office bore a title."""
    return _key("title-span", position, slug(title))


def tenure_key(position: str, title: str | None = None) -> str:
    """Who held the office (or one title) for the longest time in total."""
    return _key("tenure", position) if title is None else _key("tenure", position, slug(title))


def kind_of(key: str) -> str:
    """The kind a fact key names: "term", "succession", ..."""
    return key.split(SEPARATOR, 1)[0]


def length_key(position: str, person: str) -> str:
    """How long, in all, a person held the office."""
    return _key("length", position, person)
