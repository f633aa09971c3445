"""The days and years a "who held it" or "which title" question may ask about, unambiguously.

Shared by holder_in_year and title_in_year. A day qualifies when it lies strictly inside exactly
one formal term, on no term's or de facto tie's first or last day, inside no other person's de
facto span, and outside the days between the two readings of a disputed start. A year
qualifies when it has a formal holder, no de facto span of anyone else touches it, and no term
touches it under one reading of its start only.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from history.facts import TermFact
from quiz.engine import keys
from quiz.engine.index import PositionIndex
from quiz.engine.pools import FrozenAbout, freeze
from quiz.engine.ranking import Windows, windows
from quiz.engine.spans import subtract
from quiz.engine.text import term_span_text


@dataclass(frozen=True, slots=True)
class DaySpan:
    """Days (as ordinals, both ends in) on which one formal term alone applies, unambiguously."""

    first: int
    last: int
    term: TermFact
    people: Windows
    people_need: int
    titles: Windows
    titles_need: int
    holder_explanation: str
    title_explanation: str  # follows "On <day>"
    about: FrozenAbout

    @property
    def fact_key(self) -> str:
        return dict(self.about)["fact_key"]


@dataclass(frozen=True, slots=True)
class Year:
    """A year that may be asked about, with its ordinals and the terms in force in it."""

    year: int
    first: int
    last: int
    terms: list[TermFact]


def day_spans(index: PositionIndex) -> list[DaySpan]:
    """Every eligible stretch of days, each with what its questions share."""
    return index.memo("day_spans", _eligible_days)


def years(index: PositionIndex) -> list[Year]:
    """Each year with a formal holder, no de facto span and no disputed start, with its terms."""
    return index.memo("years", _years)


def _eligible_days(index: PositionIndex) -> list[DaySpan]:
    if not index.terms:
        return []
    boundaries = sorted(
        {t.start.toordinal() for t in index.terms}
        | {t.end.toordinal() for t in index.terms if t.end is not None}
        | {day for _, first, last, _ in index.de_facto for day in (first, last)}
    )
    # Who is too soon a de facto holder to be a wrong choice changes on these days.
    cuts = sorted({day for lead, start, _ in index.de_facto_leads for day in (lead, start + 1)})
    spans = []
    per_term: dict[tuple[int, tuple[str, ...]], tuple | None] = {}
    for first, last, position in _single_cover(index):
        term = index.terms[position]
        blocked = [
            (day, day)
            for day in boundaries[
                bisect.bisect_left(boundaries, first) : bisect.bisect_right(boundaries, last)
            ]
        ]
        blocked += [
            (start, end)
            for tied, start, end, _ in index.de_facto
            if tied.slug != term.person.slug and start <= last and end >= first
        ]
        blocked += [(start, end) for start, end in index.disputed]
        for piece_first, piece_last in subtract(first, last, blocked):
            inner = cuts[
                bisect.bisect_right(cuts, piece_first) : bisect.bisect_right(cuts, piece_last)
            ]
            for part_first, part_last in zip(
                [piece_first, *inner], [day - 1 for day in inner] + [piece_last], strict=True
            ):
                soon = tuple(index.de_facto_soon(part_first, part_first))
                key = (position, soon)
                if key not in per_term:
                    per_term[key] = _day_facts(index, term, soon)
                facts = per_term[key]
                if facts is not None:
                    spans.append(DaySpan(part_first, part_last, term, *facts))
    return spans


def _single_cover(index: PositionIndex) -> list[tuple[int, int, int]]:
    """Stretches of days (first, last, term position) covered by exactly one formal term."""
    events = []
    for position, term in enumerate(index.terms):
        events.append((term.start.toordinal(), 1, position))
        events.append((index.end(term.end) + 1, -1, position))
    events.sort()
    active: dict[int, None] = {}
    stretches = []
    i = 0
    while i < len(events):
        day = events[i][0]
        while i < len(events) and events[i][0] == day:
            _, delta, position = events[i]
            if delta > 0:
                active[position] = None
            else:
                del active[position]
            i += 1
        if i < len(events) and len(active) == 1:
            stretches.append((day, events[i][0] - 1, next(iter(active))))
    return stretches


def _day_facts(index: PositionIndex, term: TermFact, soon: Sequence[str]) -> tuple | None:
    """What every day question about one term shares: wrong choices, explanation, about."""
    first, last = term.start.toordinal(), index.end(term.end)
    people = index.rank_people(first, last, [term.person.full_name, *soon])
    titles = index.rank_titles(first, last, [term.title.name])
    if len(people) < 2 and len(titles) < 2:
        return None
    people_windows, people_need = windows(people)
    title_windows, title_need = windows(titles)
    acting = "acting " if term.acting else ""
    after = index.aftermath(term)
    explanation = (
        f"{term.person.full_name} held the office as {acting}{term.title.name} "
        f"{term_span_text(term)}.{after}"
    )
    title_explanation = (
        # Not "... (3 April 1922 to ...)": three titles end in "(Bolsheviks)".
        f"the office was held by {term.person.full_name} as {acting}{term.title.name}, "
        f"in a term {term_span_text(term)}.{after}"
    )
    about = {
        "fact_key": keys.term_key(index.slug, term.person.slug, term.title.name),
        "person": term.person.full_name,
        "office": term.title.name,
        "term_start": term.start.isoformat(),
    }
    if term.end is not None:
        about["term_end"] = term.end.isoformat()
    return (
        people_windows,
        people_need,
        title_windows,
        title_need,
        explanation,
        title_explanation,
        freeze(about),
    )


def _years(index: PositionIndex) -> list[Year]:
    if not index.terms:
        return []
    found = []
    first_year = index.terms[0].start.year
    last_year = dt.date.fromordinal(index.last_known).year
    for year in range(first_year, last_year + 1):
        first, last = dt.date(year, 1, 1).toordinal(), dt.date(year, 12, 31).toordinal()
        if year in index.disputed_years:
            continue
        terms = []
        i = bisect.bisect_right(index.term_starts, last) - 1
        while i >= 0 and index.term_max_ends[i] >= first:
            if index.end(index.terms[i].end) >= first:
                terms.append(index.terms[i])
            i -= 1
        holders = {term.person.slug for term in terms}
        # Someone else leading the office de facto that year would be arguably right too;
        # a formal holder's own de facto span (Stalin after October 1952) changes nothing.
        if any(tied.slug not in holders for tied, *_ in index.de_facto_overlapping(first, last)):
            continue
        if terms:
            found.append(Year(year, first, last, terms[::-1]))
    return found
