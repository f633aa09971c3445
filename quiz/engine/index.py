"""Everything about one position's facts that does not depend on the random draw.

`PositionIndex` is built once per facts object (see `prepared.py` for the cache) and shared by
every kind: the people (holders and de facto holders) with their spans, the stints (a change of
title alone does not end one), the titles with the labels prompts use, and the ranking of
people and titles nearest in time, from which each difficulty draws its wrong choices.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from history.facts import (
    DE_FACTO_HOLDER,
    AssociationFact,
    PositionFacts,
    TermFact,
    TitleFact,
    format_date,
)
from quiz.engine.pools import Variant, freeze
from quiz.engine.ranking import MANY_PEOPLE, WINDOW, windows
from quiz.engine.spans import FAR, Spans
from quiz.engine.text import clamped_date
from quiz.engine.types import Difficulty

# A future de facto holder is no wrong choice for "who held the office" this many years before
# their de facto start: such ties grow out of informal power the data does not date (the source
# says Stalin left "the supervision of the body to Georgy Malenkov" in the 1950s, years before
# Malenkov led it de facto from 5 March 1953), so a reader could fairly argue for them.
DE_FACTO_LEAD_YEARS = 3


class Person:
    """One person tied to the position, with what the kinds need to know about them."""

    def __init__(self, slug: str, name: str, short: str) -> None:
        self.slug, self.name, self.short = slug, name, short  # short: for a second mention
        self.terms: list[TermFact] = []
        self.de_facto: list[tuple[int, int]] = []
        self.ended_by_death = False
        self.spans: list[tuple[int, int]] = []
        self.first = 0
        self.index = Spans(())

    @property
    def is_holder(self) -> bool:
        return bool(self.terms)

    def distance(self, first: int, last: int) -> int:
        return self.index.distance(first, last)


@dataclass(frozen=True, slots=True)
class Stint:
    """Consecutive terms of one person: a change of title alone does not end a stint."""

    person: Person
    terms: tuple[TermFact, ...]

    @property
    def start(self) -> dt.date:
        return self.terms[0].start

    @property
    def end(self) -> dt.date | None:
        return self.terms[-1].end

    @property
    def acting(self) -> bool:
        return all(term.acting for term in self.terms)

    @property
    def died(self) -> bool:
        return self.terms[-1].died_in_office


DeFacto = tuple[Person, int, int, AssociationFact]


class PositionIndex:
    """One position's facts, indexed for the kinds."""

    def __init__(self, facts: PositionFacts) -> None:
        self.name, self.slug = facts.name, facts.slug
        # Prompts name the position by its short name: "the office of General Secretary".
        self.office = f"office of {facts.short_name or facts.name}"
        self.short_name = facts.short_name
        # The holder under any of the titles, for prompts that span titles or name none:
        # "Who was the party's leading secretary in 1966?"
        self.role = facts.role or f"the holder of the {self.office}"
        self.role_plural = facts.role_plural or f"the holders of the {self.office}"
        self.terms = sorted(
            facts.terms,
            key=lambda t: (t.start, t.end or dt.date.max, t.person.full_name, t.title.name),
        )
        known = [t.start for t in self.terms] + [t.end for t in self.terms if t.end]
        known += [t.disputed_start for t in self.terms if t.disputed_start]
        known += [a.start for a in facts.associations if a.start]
        known += [a.end for a in facts.associations if a.end]
        self.first_known = min(known).toordinal() if known else 0
        self.last_known = max(known).toordinal() if known else 0
        self._collect_people(facts)
        self._collect_titles(facts)
        self.stints = self._stints()
        # A start the source gives two ways: every day from the one reading to the other (both
        # in) is ambiguous, and so is every year the term touches under one reading only.
        self.disputed = [
            tuple(sorted((t.start.toordinal(), t.disputed_start.toordinal())))
            for t in self.terms
            if t.disputed_start is not None and t.disputed_start != t.start
        ]
        self.disputed_years = {
            year
            for first, last in self.disputed
            for year in range(dt.date.fromordinal(first).year, dt.date.fromordinal(last).year)
        }
        self.term_starts = [t.start.toordinal() for t in self.terms]
        self.term_max_ends = list(itertools.accumulate((self.end(t.end) for t in self.terms), max))
        self.ended = sorted((t.end, i) for i, t in enumerate(self.terms) if t.end is not None)
        self.term_ends = [end for end, _ in self.ended]
        self._memo: dict[str, Any] = {}

    def memo(self, name: str, compute: Callable[[PositionIndex], Any]) -> Any:
        """What several kinds derive from the index alike, computed once."""
        if name not in self._memo:
            self._memo[name] = compute(self)
        return self._memo[name]

    def end(self, day: dt.date | None) -> int:
        """A term's last day as an ordinal; an open term runs to the last day the data knows."""
        return day.toordinal() if day is not None else self.last_known

    # -- collecting ----------------------------------------------------------------------------

    def _collect_people(self, facts: PositionFacts) -> None:
        people: dict[str, Person] = {}

        def person(fact) -> Person:
            if fact.slug not in people:
                people[fact.slug] = Person(
                    fact.slug, fact.full_name, fact.short_name or fact.full_name
                )
            return people[fact.slug]

        for term in self.terms:
            holder = person(term.person)
            holder.terms.append(term)
            holder.spans.append((term.start.toordinal(), self.end(term.end)))
        self.de_facto: list[DeFacto] = []
        for association in facts.associations:
            if association.relation == DE_FACTO_HOLDER:
                tied = person(association.person)
                first = association.start.toordinal() if association.start else self.first_known
                last = association.end.toordinal() if association.end else self.last_known
                tied.de_facto.append((first, last))
                tied.spans.append((first, last))
                self.de_facto.append((tied, first, last, association))
        for association in facts.associations:
            # People outside `people` (deputies, contemporaries) are never choices anyway.
            if association.ended_by_death and association.person.slug in people:
                people[association.person.slug].ended_by_death = True
        # Days (first, last) before each de facto start in which that person is no distractor
        # for a holder question; see DE_FACTO_LEAD_YEARS.
        self.de_facto_leads: list[tuple[int, int, str]] = []
        for tied, first, _, _ in self.de_facto:
            start = dt.date.fromordinal(max(first, 1))
            year = max(start.year - DE_FACTO_LEAD_YEARS, 1)
            lead = clamped_date(year, start.month, start.day).toordinal()
            self.de_facto_leads.append((lead, first, tied.name))
        for tied in people.values():
            tied.first = min(start for start, _ in tied.spans)
            tied.index = Spans(tied.spans)
        # Holders and de facto holders, the people questions offer as choices.
        self.people = sorted(people.values(), key=lambda p: (p.first, p.name, p.slug))
        self.holders = [p for p in self.people if p.is_holder]
        self.by_slug = {p.slug: p for p in self.people}
        # Every span of every person, by start, to find the people near a day quickly.
        self.all_spans = sorted(
            (start, end, p.first, p.name, p.slug) for p in self.people for start, end in p.spans
        )
        self.all_starts = [span[0] for span in self.all_spans]
        self._near_cache: dict[tuple[int, int], list[tuple[int, int, str]]] = {}

    def _collect_titles(self, facts: PositionFacts) -> None:
        by_name: dict[str, TitleFact] = {}
        for title in facts.titles:
            by_name.setdefault(title.name, title)
        for term in self.terms:
            by_name.setdefault(term.title.name, term.title)
        self.title_terms: dict[str, list[TermFact]] = {name: [] for name in by_name}
        for term in self.terms:
            self.title_terms[term.title.name].append(term)
        self.titles = list(by_name.values())
        # How a prompt names a title: its short name when no other title, nor the position,
        # goes by it ("First Secretary"), else in full (two titles are "General Secretary").
        shorts = Counter(title.short_name for title in self.titles)
        self.title_label = {
            title.name: title.short_name
            if title.short_name
            and shorts[title.short_name] == 1
            and title.short_name not in {self.short_name, self.name, *by_name}
            else title.name
            for title in self.titles
        }
        self.title_spans = {
            name: Spans((t.start.toordinal(), self.end(t.end)) for t in terms)
            for name, terms in self.title_terms.items()
        }
        # A title named where a time or person already tells which is meant: "Who was First
        # Secretary in 1960?", "Who succeeded Yuri Andropov as General Secretary?"
        self.title_short = {title.name: title.short_name or title.name for title in self.titles}

    def aftermath(self, term: TermFact) -> str:
        """What followed a term by the same person, as a sentence to append: Stalin led the
        office de facto after it was abolished. Empty when nothing did."""
        if term.end is None:
            return ""
        for tied, first, _, association in self.de_facto:
            if tied.slug == term.person.slug and first == term.end.toordinal() and association.end:
                until = format_date(association.end)
                if association.ended_by_death:
                    return f" {tied.short} led it de facto from then until dying on {until}."
                return f" {tied.short} led it de facto from then until {until}."
        return ""

    def title_in_force(self, terms: Sequence[TermFact]) -> str | None:
        """The short name the terms' titles share, or None when they go by different names."""
        names = {self.title_short[term.title.name] for term in terms}
        return names.pop() if len(names) == 1 else None

    def show_titles(self, names: Sequence[str], level: Difficulty) -> tuple[str, ...]:
        """Title choices as a student reads them: by the short name where no other title goes
        by it ("First Secretary"; never "General Secretary", which two titles share: one may be a
        right answer left out of the choices), every title in full on hard questions."""
        if level == Difficulty.HARD:
            return tuple(names)
        return tuple(self.title_label[name] for name in names)

    def _stints(self) -> list[Stint]:
        stints: list[Stint] = []
        current: list[TermFact] = []
        for term in self.terms:
            if current and current[-1].person.slug != term.person.slug:
                stints.append(Stint(self.by_slug[current[0].person.slug], tuple(current)))
                current = []
            current.append(term)
        if current:
            stints.append(Stint(self.by_slug[current[0].person.slug], tuple(current)))
        return stints

    # -- ranking -------------------------------------------------------------------------------

    def rank_people(
        self,
        first: int,
        last: int,
        leave_out: Iterable[str],
        among: Iterable[Person] | None = None,
    ) -> list[str]:
        """Names nearest in time first, without the left-out names (and without duplicates).

        With many people, only the nearest and the farthest few are returned (nearest first,
        farthest last): all that `windows` reads. Candidates then come from the spans next to
        the interval and at both ends of the timeline, so the cost stays flat as data grows.
        """
        skip = set(leave_out)
        if among is None:
            scored = self._near_cache.get((first, last))
            if scored is None:
                pool = self.people
                if len(pool) > MANY_PEOPLE:
                    pool = self._people_around(first, last)
                scored = sorted((p.distance(first, last), p.first, p.name) for p in pool)
                self._near_cache[(first, last)] = scored
        else:
            scored = sorted((p.distance(first, last), p.first, p.name) for p in among)
        names: list[str] = []
        for _, _, name in scored:
            if name not in skip:
                skip.add(name)
                names.append(name)
        if len(names) > 2 * WINDOW:
            names = names[:WINDOW] + names[-WINDOW:]
        return names

    def _people_around(self, first: int, last: int) -> list[Person]:
        """People with a span near the interval, or at either end of the timeline."""
        middle = bisect.bisect_left(self.all_starts, first)
        reach = 2 * WINDOW
        picked = (
            self.all_spans[max(0, middle - reach) : middle + reach]
            + self.all_spans[:reach]
            + self.all_spans[-reach:]
        )
        slugs = dict.fromkeys(span[4] for span in picked)
        return [self.by_slug[slug] for slug in slugs]

    def rank_titles(self, first: int, last: int, leave_out: Iterable[str]) -> list[str]:
        """Title names nearest in time first, without the left-out ones."""
        skip = set(leave_out)

        def distance(name: str) -> tuple[int, int]:
            spans = self.title_spans[name]
            if not spans.starts:
                return (FAR, 0)
            return (spans.distance(first, last), spans.starts[0])

        return sorted((t.name for t in self.titles if t.name not in skip), key=distance)

    def de_facto_soon(self, first: int, last: int) -> list[str]:
        """People whose de facto tie starts within DE_FACTO_LEAD_YEARS after a day in [first, last]."""
        return sorted(
            {name for lead, start, name in self.de_facto_leads if lead <= last and start >= first}
        )

    def de_facto_overlapping(self, first: int, last: int) -> list[DeFacto]:
        """The de facto ties that meet the days from first to last."""
        return [entry for entry in self.de_facto if entry[1] <= last and entry[2] >= first]

    def variant(
        self,
        answer: str,
        ranked: Sequence[str],
        about: dict[str, Any],
        explanation: str = "",
        explain: Callable[[Sequence[str]], str] | None = None,
        titles: bool = False,
    ) -> Variant | None:
        """A right answer with wrong choices from `ranked` (title names when `titles`); None when
        fewer than two exist."""
        if len(ranked) < 2:
            return None
        drawn, need = windows(ranked)
        return Variant(
            answer=answer,
            about=freeze({"position": self.slug, **about}),
            windows=drawn,
            need=need,
            explanation=explanation,
            explain=explain,
            show=self.show_titles if titles else None,
            fewer_when_easy=titles,
        )
