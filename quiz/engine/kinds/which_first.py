"""Which of these people became the office's holder first, or last ("Which of these people
became the party's leading secretary first?").

- Only people who held the office in their own right: an acting holder (Ivashko, five days in
  1991) is neither answer nor choice, since a teacher would call Gorbachev the last General
  Secretary.

- By every reading of when each began: the table's start, another start the text gives, and a
  de facto tie before the formal one (Khrushchev from 14 March 1953). The answer began at least
  a year before (or after) every other choice however each is read: no question is decided by
  days.
- The fact is the answer's start (the same as "In which year did X become ...?").
"""

from __future__ import annotations

from collections.abc import Sequence

from quiz.engine import keys
from quiz.engine.index import Person, PositionIndex
from quiz.engine.kind import Built, Kind
from quiz.engine.pools import TemplatePool
from quiz.engine.text import start_text

CLEAR_DAYS = 365


def began(person: Person) -> tuple[int, int]:
    """The earliest and latest readings of when the person's tie to the office began."""
    readings = [person.terms[0].start.toordinal()]
    if person.terms[0].disputed_start is not None:
        readings.append(person.terms[0].disputed_start.toordinal())
    readings += [first for first, _ in person.de_facto]
    return min(readings), max(readings)


def build(index: PositionIndex) -> Built:
    holders = [p for p in index.holders if not all(term.acting for term in p.terms)]
    if len(holders) < 3:
        return [], "fewer than three people held the office in their own right, too few choices"
    spans = {person.slug: began(person) for person in holders}
    templates = []
    for word, first in (("first", True), ("last", False)):
        variants = []
        for person in holders:
            earliest, latest = spans[person.slug]
            if first:
                others = [p for p in holders if spans[p.slug][0] >= latest + CLEAR_DAYS]
                others.sort(key=lambda p: (spans[p.slug][0], p.name))
            else:
                others = [p for p in holders if spans[p.slug][1] + CLEAR_DAYS <= earliest]
                others.sort(key=lambda p: (-spans[p.slug][1], p.name))
            term = person.terms[0]
            variant = index.variant(
                person.name,
                [p.name for p in others],
                {
                    "fact_key": keys.start_key(index.slug, person.slug, term.title.name),
                    "variant": word,
                    "person": person.name,
                    "office": term.title.name,
                    "date": term.start.isoformat(),
                },
                explain=_explainer(person, others, first=first),
            )
            if variant is not None:
                variants.append(variant)
        if variants:
            prompt = f"Which of these people became {index.role} {word}?"
            templates.append((prompt, tuple(variants)))
    return [TemplatePool("which_first", templates)], "too few holders who began years apart"


def _explainer(person: Person, others: list[Person], *, first: bool):
    by_name = {p.name: p for p in others}

    def explain(picks: Sequence[str]) -> str:
        rest = sorted((by_name[name] for name in picks), key=lambda p: p.terms[0].start)
        listed = "; ".join(f"{p.name} on {start_text(p.terms[0])}" for p in rest)
        term = person.terms[0]
        took = f"{person.name} took office as {term.title.name} on {start_text(term)}"
        if first:
            return f"{took}, first of these. The others followed: {listed}."
        return f"{took}, last of these. The others had taken office before: {listed}."

    return explain


KIND = Kind(name="which_first", label="Who came first", build=build, rules=__doc__)
