"""Which of these people held the office (or one title) for the longest time in total.

- Totals across all of a person's terms; every wrong choice is strictly shorter both with and
  without de facto spans, under either reading of a disputed start.
- People still in office are left out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from history.facts import TermFact
from quiz.engine import keys
from quiz.engine.index import Person, PositionIndex
from quiz.engine.kind import Built, Kind
from quiz.engine.pools import TemplatePool, Variant
from quiz.engine.ranking import WINDOW
from quiz.engine.text import calendar_length, number_text


def _days_held(terms: Iterable[TermFact]) -> int:
    """Days in finished terms, by the table's starts."""
    return sum((t.end - t.start).days for t in terms)


def _days_held_range(terms: Iterable[TermFact]) -> tuple[int, int]:
    """Days in finished terms, fewest and most over the readings of disputed starts."""
    fewest = most = 0
    for t in terms:
        starts = (t.start, t.disputed_start or t.start)
        fewest += (t.end - max(starts)).days
        most += (t.end - min(starts)).days
    return fewest, most


def build(index: PositionIndex) -> Built:
    finished = [p for p in index.holders if all(t.end is not None for t in p.terms)]
    formal = {p.slug: _days_held(p.terms) for p in finished}
    # Each measure gives a person's (shortest, longest) total over the readings of disputed
    # starts; a wrong choice must be shorter than the answer however the source is read,
    # with de facto spans and without.
    plain = {p.slug: _days_held_range(p.terms) for p in finished}
    generous = {
        p.slug: tuple(n + sum(last - first for first, last in p.de_facto) for n in plain[p.slug])
        for p in finished
    }
    lengths: dict[tuple[str, str | None], str] = {}
    # Plain comparisons over tuples: with hundreds of holders this loop is quadratic.
    most = [(p, plain[p.slug][1], generous[p.slug][1]) for p in finished]
    templates = []
    variants = []
    for person in finished:
        least, least_generous = plain[person.slug][0], generous[person.slug][0]
        shorter = [p for p, days, more in most if days < least and more < least_generous]
        shorter.sort(key=lambda p: (formal[person.slug] - formal[p.slug], p.name))
        variant = _tenure_variant(index, person, shorter, formal, None, lengths)
        if variant is not None:
            variants.append(variant)
    if variants:
        templates.append(
            (
                f"Which of these people was {index.role} longest in total, under any title?",
                tuple(variants),
            )
        )
    for title in index.titles:
        terms = index.title_terms[title.name]
        holders = [p for p in finished if any(t.title.name == title.name for t in p.terms)]
        if len(holders) < 3 or any(t.end is None for t in terms):
            continue
        under_terms = {p.slug: [t for t in p.terms if t.title.name == title.name] for p in holders}
        under = {p.slug: _days_held(under_terms[p.slug]) for p in holders}
        scoped = {p.slug: _days_held_range(under_terms[p.slug]) for p in holders}
        most = [(p, scoped[p.slug][1], plain[p.slug][1], generous[p.slug][1]) for p in holders]
        variants = []
        for person in holders:
            least = (scoped[person.slug][0], plain[person.slug][0], generous[person.slug][0])
            shorter = [
                p
                for p, under_most, days, more in most
                if under_most < least[0] and days < least[1] and more < least[2]
            ]
            shorter.sort(key=lambda p: (under[person.slug] - under[p.slug], p.name))
            variant = _tenure_variant(index, person, shorter, under, title.name, lengths)
            if variant is not None:
                variants.append(variant)
        if variants:
            label = index.title_label[title.name]
            templates.append(
                (
                    f"Which of these people served as {label} for the longest time in total?",
                    tuple(variants),
                )
            )
    return [TemplatePool("longest_tenure", templates)], (
        "fewer than three holders with finished terms of different lengths"
    )


def _tenure_variant(
    index: PositionIndex,
    person: Person,
    shorter: list[Person],
    days: dict[str, int],
    title: str | None,
    lengths: dict[tuple[str, str | None], str],
) -> Variant | None:
    if len(shorter) < 2:
        return None
    if len(shorter) > 2 * WINDOW:
        shorter = shorter[:WINDOW] + shorter[-WINDOW:]  # all that `windows` reads
    texts = {p.name: _tenure_text(p, title, lengths) for p in [person, *shorter]}
    counts = {
        p.name: sum(1 for t in p.terms if title is None or t.title.name == title)
        for p in [person, *shorter]
    }
    order = {p.name: days[p.slug] for p in shorter}
    scope = "" if title is None else f" as {title}"

    def explain(picks: Sequence[str]) -> str:
        terms = counts[person.name]
        across = f", across {number_text(terms)} terms" if terms > 1 else ""
        runner_up = max(picks, key=lambda name: (order[name], name))
        return (
            f"{person.name} held the office{scope} for {texts[person.name]} in total{across}; "
            f"the longest-serving of the other choices, {runner_up}, held it for "
            f"{texts[runner_up]}."
        )

    about = {
        "fact_key": keys.tenure_key(index.slug, title),
        "variant": "office" if title is None else "title",
        "person": person.name,
    }
    about["days"] = days[person.slug]
    if title is not None:
        about["office"] = title
    return index.variant(person.name, [p.name for p in shorter], about, explain=explain)


def _tenure_text(person: Person, title: str | None, lengths: dict) -> str:
    key = (person.slug, title)
    if key not in lengths:
        lengths[key] = _tenure_length(person, title)
    return lengths[key]


def _tenure_length(person: Person, title: str | None) -> str:
    terms = [t for t in person.terms if title is None or t.title.name == title]
    merged: list[list[dt.date]] = []
    for term in terms:
        if merged and merged[-1][1] == term.start:
            merged[-1][1] = term.end
        else:
            merged.append([term.start, term.end])
    if len(merged) == 1:
        return calendar_length(*merged[0])
    total = sum((end - start).days for start, end in merged)
    return f"{total:,} days"


KIND = Kind(name="longest_tenure", label="Longest time in office", build=build, rules=__doc__)
