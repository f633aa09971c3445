"""Which of these people held the office (or one title) for the longest time in total.

- Asked only where the answer beats every other choice clearly, by at least a year and by a
  quarter, under every reading: with and without de facto spans (Sverdlov first among the
  secretaries from 1917, Stalin after October 1952, Khrushchev in 1953), and with either start
  of a disputed term. No trivia decided by days.
- Totals across all of a person's terms; a change of title by the same person (Brezhnev, 1966)
  is one tenure, not two. People still in office are left out.
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

MARGIN_DAYS = 365
MARGIN_RATIO = 1.25


def clearly_longer(longest: int, other_most: int) -> bool:
    """Whether a total beats another by a year and by a quarter."""
    return longest - other_most >= MARGIN_DAYS and longest >= MARGIN_RATIO * other_most


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
    # The fewest days a person can be read to have held the office (formal terms, the later
    # reading of a disputed start) and the most (the earlier reading, plus de facto spans).
    fewest = {p.slug: _days_held_range(p.terms)[0] for p in finished}
    most = {
        p.slug: _days_held_range(p.terms)[1] + sum(last - first for first, last in p.de_facto)
        for p in finished
    }
    lengths: dict[tuple[str, str | None], str] = {}
    templates = []
    variants = []
    for person in finished:
        shorter = [p for p in finished if clearly_longer(fewest[person.slug], most[p.slug])]
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
        variants = []
        for person in holders:
            shorter = [
                p for p in holders if clearly_longer(scoped[person.slug][0], scoped[p.slug][1])
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
        "fewer than three holders whose times in office differ clearly"
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
    counts = {p.name: _tenure_count(p, title) for p in [person, *shorter]}
    order = {p.name: days[p.slug] for p in shorter}
    scope = "" if title is None else f" as {title}"

    def explain(picks: Sequence[str]) -> str:
        terms = counts[person.name]
        across = f", in {number_text(terms)} separate spells" if terms > 1 else ""
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


def _tenure_count(person: Person, title: str | None) -> int:
    """Separate tenures: terms back to back (a change of title, Brezhnev 1966) are one."""
    terms = [t for t in person.terms if title is None or t.title.name == title]
    return sum(1 for i, t in enumerate(terms) if i == 0 or terms[i - 1].end != t.start)


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
