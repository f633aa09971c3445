"""Frozen facts about one position, the only thing the quiz engine reads (no Django here)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

DE_FACTO_HOLDER = "de_facto_holder"

# The columns of one row of Position.objects.facts_for's query: a UNION of the position row,
# its title rows, its term rows and its association rows, told apart by ROW_KIND.
ROW_COLUMNS = (
    "row_kind",
    "position_name",
    "position_short_name",
    "position_slug",
    "title_name",
    "title_short_name",
    "person_full_name",
    "person_short_name",
    "person_slug",
    "starts",
    "ends",
    "died",
    "is_acting",
    "relation_name",
    "text",
    "disputed_starts",
    "office_ended",
    "undated_start",
)
ROW_POSITION, ROW_TITLE, ROW_TERM, ROW_ASSOCIATION = "position", "title", "term", "association"

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def format_date(day: dt.date) -> str:
    """A date as pages and explanations write it: "13 February 1984"."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class PersonFact:
    """Someone who held the position or whom the source ties to it."""

    full_name: str
    short_name: str
    slug: str


@dataclass(frozen=True)
class TitleFact:
    """A name the position went by."""

    name: str
    short_name: str


@dataclass(frozen=True)
class TermFact:
    """One person's continuous tenure under one title; end is None while in office."""

    person: PersonFact
    title: TitleFact
    start: dt.date
    end: dt.date | None
    died_in_office: bool
    acting: bool
    note: str
    disputed_start: dt.date | None = None  # another passage of the source gives this start
    office_abolished: bool = False  # the office itself ended with this term


@dataclass(frozen=True)
class AssociationFact:
    """A tie outside the formal list of terms (de facto holder, deputy, contemporary)."""

    person: PersonFact
    relation: str
    start: dt.date | None
    end: dt.date | None
    ended_by_death: bool
    description: str
    start_undated: bool = False  # the source gives no day: `start` is only the earliest it can be


@dataclass(frozen=True)
class PositionFacts:
    """A position with its titles (in order of first use), terms (by start) and associations."""

    name: str
    short_name: str
    slug: str
    titles: tuple[TitleFact, ...]
    terms: tuple[TermFact, ...]
    associations: tuple[AssociationFact, ...]
    role: str = ""  # the holder under any title: "the party's leading secretary"
    role_plural: str = ""


def position_facts_from_rows(rows: Iterable[Mapping[str, Any]]) -> PositionFacts:
    """Assemble PositionFacts from the rows of the facts query (see ROW_COLUMNS)."""
    position: Mapping[str, Any] | None = None
    titles: dict[str, TitleFact] = {}
    people: dict[str, PersonFact] = {}
    terms: list[TermFact] = []
    associations: list[AssociationFact] = []

    def person_of(row: Mapping[str, Any]) -> PersonFact:
        slug = row["person_slug"]
        if slug not in people:
            people[slug] = PersonFact(row["person_full_name"], row["person_short_name"], slug)
        return people[slug]

    def title_of(row: Mapping[str, Any]) -> TitleFact:
        name = row["title_name"]
        if name not in titles:
            titles[name] = TitleFact(name, row["title_short_name"])
        return titles[name]

    for row in rows:
        kind = row["row_kind"]
        if kind == ROW_POSITION:
            # The position row carries its role names in the title columns.
            position = row
        elif kind == ROW_TITLE:
            title_of(row)
        elif kind == ROW_TERM:
            terms.append(
                TermFact(
                    person=person_of(row),
                    title=title_of(row),
                    start=row["starts"],
                    end=row["ends"],
                    died_in_office=bool(row["died"]),
                    acting=bool(row["is_acting"]),
                    note=row["text"] or "",
                    disputed_start=row["disputed_starts"],
                    office_abolished=bool(row["office_ended"]),
                )
            )
        elif kind == ROW_ASSOCIATION:
            associations.append(
                AssociationFact(
                    person=person_of(row),
                    relation=row["relation_name"],
                    start=row["starts"],
                    end=row["ends"],
                    ended_by_death=bool(row["died"]),
                    description=row["text"] or "",
                    start_undated=bool(row["undated_start"]),
                )
            )
    if position is None:
        raise ValueError("The rows hold no position row.")

    terms.sort(key=lambda t: (t.start, t.end or dt.date.max, t.person.full_name, t.title.name))
    associations.sort(
        key=lambda a: (a.start or dt.date.min, a.end or dt.date.max, a.person.full_name, a.relation)
    )
    first_use: dict[str, dt.date] = {}
    for term in terms:
        first_use.setdefault(term.title.name, term.start)
    ordered_titles = sorted(
        titles.values(), key=lambda t: (t.name not in first_use, first_use.get(t.name), t.name)
    )
    return PositionFacts(
        name=position["position_name"],
        short_name=position["position_short_name"],
        slug=position["position_slug"],
        titles=tuple(ordered_titles),
        terms=tuple(terms),
        associations=tuple(associations),
        role=position["title_name"] or "",
        role_plural=position["title_short_name"] or "",
    )
