"""Handovers between holders, shared by the successor and predecessor kinds."""

from __future__ import annotations

import bisect
import datetime as dt

from history.facts import format_date
from quiz.engine.index import Person, PositionIndex, Stint
from quiz.engine.text import days_text, join, span_text, start_of_range, start_text


def stint_counts(index: PositionIndex) -> dict[str, int]:
    """How many separate stints each person (by slug) served."""
    counts: dict[str, int] = {}
    for stint in index.stints:
        counts[stint.person.slug] = counts.get(stint.person.slug, 0) + 1
    return counts


def clearly_follows(index: PositionIndex, earlier: Stint, later: Stint) -> bool:
    """Whether `later` is, beyond doubt, the next different person after `earlier` and
    `earlier` the previous different person before `later` (same-day terms can blur both)."""
    if earlier.end is None:
        return False
    left, took = earlier.end, later.start
    first, last = earlier.person.slug, later.person.slug
    starting = index.terms[
        bisect.bisect_left(index.term_starts, left.toordinal()) : bisect.bisect_right(
            index.term_starts, took.toordinal()
        )
    ]
    ending = [
        index.terms[i]
        for _, i in index.ended[
            bisect.bisect_left(index.term_ends, left) : bisect.bisect_right(index.term_ends, took)
        ]
    ]
    return (
        {t.person.slug for t in starting if t.person.slug != first} == {last}
        and {t.person.slug for t in ending if t.person.slug != last} == {first}
        # Neither may hold the office again inside the handover: the one leaving may not
        # start another term, nor end a later one; the one arriving may not have started
        # or ended a term earlier in it.
        and not any(t.person.slug == first and t.end != left for t in starting)
        and not any(t.person.slug == first and t.end > left for t in ending)
        and not any(t.person.slug == last and t.start < took for t in starting)
        and not any(t.person.slug == last and t.end < took for t in ending)
    )


def gap_sentence(index: PositionIndex, earlier: Stint, later: Stint) -> tuple[str, list[str]]:
    """Who held the office de facto between two stints, and those people's names.

    The two stints' holders are named in full just before, so they get their short names.
    No pronouns: the data does not say who is "he" or "she" (the source names women too).
    """
    entries = index.de_facto_overlapping(index.end(earlier.end), later.start.toordinal())
    if not entries:
        return "", []
    named = {earlier.person.name, later.person.name}
    # One mention per person, with all of that person's spans: a person may hold the
    # office de facto more than once between the same two stints.
    spans_of: dict[str, list[str]] = {}
    people: dict[str, Person] = {}
    for tied, _, _, association in entries:
        start, end = association.start, association.end
        if end and association.ended_by_death:
            span = f"from {start_of_range(start, end)} " if start else ""
            span += f"until {tied.short}'s death on {format_date(end)}"
        else:
            span = span_text(start, end) if start else ""
        people[tied.name] = tied
        spans = spans_of.setdefault(tied.name, [])
        if span and span not in spans:
            spans.append(span)
    parts = []
    for name, spans in spans_of.items():
        shown = people[name].short if name in named else name
        parts.append(f"{shown} ({' and '.join(spans)})" if spans else shown)
    sentence = f" In between, {join(parts)} held the office de facto."
    return sentence, list(spans_of)


def acting_after(index: PositionIndex, took: dt.date, skip: set[str]) -> set[str]:
    """Everyone taking office from `took` up to the first holder in their own right."""
    later = [t for t in index.terms if t.start >= took and t.person.full_name not in skip]
    own = [t.start for t in later if not t.acting]
    cutoff = min(own) if own else dt.date.max
    return {t.person.full_name for t in later if t.start <= cutoff}


def acting_before(index: PositionIndex, left: dt.date, skip: set[str]) -> set[str]:
    """Everyone leaving office up to `left`, back to the last holder in their own right."""
    earlier = [t for t in index.terms if t.end and t.end <= left and t.person.full_name not in skip]
    own = [t.end for t in earlier if not t.acting]
    cutoff = max(own) if own else dt.date.min
    return {t.person.full_name for t in earlier if t.end >= cutoff}


def handover_text(
    index: PositionIndex, earlier: Stint, later: Stint, *, answer_is_later: bool
) -> str:
    """How the office passed from one stint to the next, naming each holder in full once: a
    death, the office's abolition (1952), the days between, an acting holder, both readings of a
    disputed start."""
    before, after = earlier.person.name, later.person.name
    last, first = earlier.terms[-1], later.terms[0]
    end, start = format_date(last.end), start_text(first)
    took = "took office" + (
        f" as acting {index.title_short[first.title.name]}" if first.acting else ""
    )
    left = "died in office" if earlier.died else "left office"
    gap = (later.start - earlier.end).days
    if last.office_abolished:
        office = index.title_short[last.title.name]
        return (
            f"{before}'s office of {office} was abolished on {end}; the next formal holder, "
            f"{after}, took office as {first.title.name} on {start}."
        )
    if answer_is_later:
        if gap == 0:
            return f"{after} {took} on {start}, the same day {before} {left}."
        if gap <= 31:
            return f"{after} {took} on {start}, {days_text(gap)} after {before} {left}."
        return f"{after} {took} on {start}, the next formal holder after {before}, who {left} on {end}."
    if gap == 0:
        return f"{before} {left} on {end}, the day {after} {took}."
    if gap <= 31:
        return f"{before} {left} on {end}; {after} {took} {days_text(gap)} later, on {start}."
    return f"{before} {left} on {end}; the next formal holder, {after}, {took} on {start}."
