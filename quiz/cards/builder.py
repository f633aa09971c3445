"""Flashcards from one position's frozen facts: pure Python, no Django (an import contract).

`build_cards(facts)` returns one `FactCard` per fact a student can learn, each under its stable
key from `quiz.engine.keys`, so a student's memory of a fact survives reloads of the data.

Never ambiguous, by the engine's rules (see `quiz.engine`'s docstring):

- term / start: a person under one title (a person holding several titles gets a card for
  each); a start the source gives two ways shows both: "7 September 1953 (the article's text
  says 14 September)".
- successor / predecessor: the next (previous) *different* person, so a change of title by the
  same person (Brezhnev, 1966) is no succession; only handovers where nobody else starts or ends
  a term on the way (same-day handovers included); a pair that changes hands twice is left out.
  When someone held the office de facto in between (Stalin until 5 March 1953, then Malenkov,
  then Khrushchev), the front asks for the next *formal* holder and the back names them.
  A forward card and its reverse card share a sibling group, so never come on the same day.
- died: a holder whose last term ended with death; not someone whose tie to the office ended by
  death outside a formal term (Stalin, de facto until his death).
- first: of the office, under any of its titles (the back names the first holder of every
  title that goes by the office's short name: Stalin, the first General Secretary); of each
  later title. Not asked when two people started on the first day, or a de facto holder led
  the office before its first term.
- acting: who held the office only as an acting holder.
- length: how long, in all, a holder with finished terms held the office (a change of title
  by the same person is one tenure); the back by the table's dates, the detail telling any other
  start and any time led de facto.
- title-span: which title the office bore in a span of years, with years only when no other
  title was in use in both the first and the last year (else by exact dates), and the back
  telling plainly what came before and after: a rename with the holder staying in office (1966),
  or a time with no formal holder and who led de facto meanwhile (1952-53).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from history.facts import (
    DE_FACTO_HOLDER,
    MONTHS,
    AssociationFact,
    PersonFact,
    PositionFacts,
    TermFact,
    TitleFact,
    format_date,
)
from quiz.engine import keys
from quiz.engine.text import calendar_length


class CardKind(enum.StrEnum):
    """What a card asks; the same word as its fact key's kind."""

    TERM = "term"
    START = "start"
    SUCCESSION = "succession"
    PREDECESSOR = "predecessor"
    DIED = "died"
    FIRST = "first"
    ACTING = "acting"
    TITLE_SPAN = "title-span"
    LENGTH = "length"


@dataclass(frozen=True)
class FactCard:
    """One fact as a flashcard: the front asks, `back` is the short answer, `detail` explains."""

    fact_key: str
    kind: CardKind
    front: str
    back: str
    detail: str
    source: str
    sibling_group: str


def build_cards(facts: PositionFacts) -> list[FactCard]:
    """Every card the position's facts support, in a stable order."""
    return _Builder(facts).cards()


def _join(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def start_text(term: TermFact) -> str:
    """A term's start as cards write it, with the other reading of a disputed start."""
    text = format_date(term.start)
    other = term.disputed_start
    if other is None or other == term.start:
        return text
    said = f"{other.day} {MONTHS[other.month - 1]}"
    if other.year != term.start.year:
        said += f" {other.year}"
    return f"{text} (the article's text says {said})"


def span_text(term: TermFact) -> str:
    """ "from <start> to <end>", or "from <start>, with no end recorded"."""
    if term.end is None:
        return f"from {start_text(term)}, with no end recorded"
    return f"from {start_text(term)} to {format_date(term.end)}"


def _is_disputed(term: TermFact) -> bool:
    return term.disputed_start is not None and term.disputed_start != term.start


class _Builder:
    def __init__(self, facts: PositionFacts) -> None:
        self.facts = facts
        self.slug = facts.slug
        self.office = f"office of {facts.short_name or facts.name}"
        # The post as it was called then, or its role where a card spans titles (as questions).
        self.role = facts.role or f"the holder of the {self.office}"
        self.role_plural = facts.role_plural or f"the holders of the {self.office}"
        self.terms = sorted(
            facts.terms,
            key=lambda t: (t.start, t.end or dt.date.max, t.person.full_name, t.title.name),
        )
        self.de_facto = [a for a in facts.associations if a.relation == DE_FACTO_HOLDER]
        self.died_outside = {
            a.person.slug for a in facts.associations if a.ended_by_death and a.end is not None
        }
        self.titles: dict[str, TitleFact] = {}
        for title in [*facts.titles, *(t.title for t in self.terms)]:
            self.titles.setdefault(title.name, title)
        shorts = Counter(title.short_name for title in self.titles.values())
        self.label = {
            name: title.short_name
            if title.short_name
            and shorts[title.short_name] == 1
            and title.short_name not in {facts.short_name, facts.name, *self.titles}
            else name
            for name, title in self.titles.items()
        }
        self.stints: list[list[TermFact]] = []
        for term in self.terms:
            if self.stints and self.stints[-1][-1].person.slug == term.person.slug:
                self.stints[-1].append(term)
            else:
                self.stints.append([term])
        self.stint_count = Counter(stint[0].person.slug for stint in self.stints)
        self.short = {name: title.short_name or name for name, title in self.titles.items()}
        self.source = f"{facts.name}: the list of holders"

    def cards(self) -> list[FactCard]:
        return [
            *self._terms_and_starts(),
            *self._successions(),
            *self._deaths(),
            *self._firsts(),
            *self._acting(),
            *self._title_spans(),
            *self._lengths(),
        ]

    def _named(self, person_slug: str, title: str, by_holder: dict) -> str:
        """A title as a card about one person names it: short, unless two of theirs share it."""
        shorts = [self.short[t] for person, t in by_holder if person == person_slug]
        return self.short[title] if shorts.count(self.short[title]) == 1 else title

    def _card(self, key, kind, front, back, detail, group, *, de_facto=False, disputed=False):
        source = self.source
        if de_facto:
            source += " and the people the source says led the office de facto"
        if disputed:
            source += "; where the article's text gives another start, the table's comes first"
        return FactCard(key, kind, front, back, detail, source + ".", group)

    # -- de facto ------------------------------------------------------------------------------

    def _de_facto_between(self, first: dt.date, last: dt.date) -> list[AssociationFact]:
        return [
            a
            for a in self.de_facto
            if (a.start or dt.date.min) <= last and (a.end or dt.date.max) >= first
        ]

    def _de_facto_span(self, tie: AssociationFact) -> str:
        """ "from A until death on B", or "from a day the source does not give, until B"."""
        if tie.start_undated or tie.start is None:
            span, to = "from a day the source does not give,", "until"
        else:
            span, to = f"from {format_date(tie.start)}", "to"
        if tie.end and tie.ended_by_death:
            return f"{span} until death on {format_date(tie.end)}"
        if tie.end:
            return f"{span} {to} {format_date(tie.end)}"
        return f"{span} onward"

    def _de_facto_text(self, ties: Iterable[AssociationFact], named: set[str]) -> str:
        """ "Joseph Stalin held it de facto from A until death on B; ..." for each tie, naming
        someone already named by their short name."""
        parts = []
        mentioned = set(named)
        for tie in ties:
            person = tie.person
            name = person.short_name if person.full_name in mentioned else person.full_name
            mentioned.add(person.full_name)
            parts.append(f"{name} held it de facto {self._de_facto_span(tie)}")
        return "; ".join(parts)

    def _own_ties_text(self, ties: Sequence[AssociationFact], terms: Sequence[TermFact]) -> str:
        """A holder's own de facto ties, placed before, after or beside their formal terms, an
        undated start told in the source's words."""
        first, last = terms[0].start, terms[-1].end
        sentences = []
        for tie in ties:
            name = tie.person.short_name or tie.person.full_name
            if tie.end is not None and tie.end <= first:
                lead = "Before that, "
            elif last is not None and tie.start is not None and tie.start >= last:
                lead = "After that, "
            else:
                lead = ""
            if tie.start_undated and tie.description:
                # The source's own words, which say what is known of the start.
                sentence = (
                    f"{lead}in the source's words, {tie.description.rstrip('.')}. It gives no "
                    f"day on which {name} came to lead the office"
                )
            else:
                also = "" if lead else " also"
                sentence = f"{lead}{name}{also} held it de facto {self._de_facto_span(tie)}"
            sentences.append(sentence[0].upper() + sentence[1:] + ".")
        return " ".join(sentences)

    # -- term and start ------------------------------------------------------------------------

    def _terms_and_starts(self) -> list[FactCard]:
        by_holder: dict[tuple[str, str], list[TermFact]] = {}
        for term in self.terms:
            by_holder.setdefault((term.person.slug, term.title.name), []).append(term)
        cards = []
        for (person_slug, title), terms in by_holder.items():
            person = terms[0].person
            name = person.full_name
            group = f"holder:{self.slug}:{person_slug}:{keys.slug(title)}"
            disputed = any(_is_disputed(t) for t in terms)
            spans = _join([span_text(t) for t in terms])
            acting = "acting " if all(t.acting for t in terms) else ""
            detail = f"{name} held the office as {acting}{title} {spans}."
            if terms[-1].died_in_office:
                detail += f" {person.short_name or name} died in office."
            ties = [
                a
                for a in self.de_facto
                if a.person.slug == person_slug
                and any(
                    (a.start or dt.date.min) <= (t.end or dt.date.max)
                    and (a.end or dt.date.max) >= t.start
                    for t in terms
                )
            ]
            if ties:
                detail += f" {self._own_ties_text(ties, terms)}"
            back = spans[0].upper() + spans[1:]
            if acting:
                back += " (acting)"
            cards.append(
                self._card(
                    keys.term_key(self.slug, person_slug, title),
                    CardKind.TERM,
                    f"When was {name} {acting}{self._named(person_slug, title, by_holder)}?",
                    back,
                    detail,
                    group,
                    de_facto=bool(ties),
                    disputed=disputed,
                )
            )
            first = terms[0]
            again = "first " if len(terms) > 1 else ""
            acting = "acting " if first.acting else ""
            detail = f"{name} took office as {acting}{title} on {start_text(first)}."
            before = [a for a in ties if a.end is not None and a.end == first.start]
            if before:
                detail += f" {self._own_ties_text(before, terms)}"
            cards.append(
                self._card(
                    keys.start_key(self.slug, person_slug, title),
                    CardKind.START,
                    f"When did {name} {again}become "
                    f"{acting}{self._named(person_slug, title, by_holder)}?",
                    start_text(first)[0].upper() + start_text(first)[1:],
                    detail,
                    group,
                    de_facto=bool(before),
                    disputed=_is_disputed(first),
                )
            )
        return cards

    # -- successor and predecessor -------------------------------------------------------------

    def _clearly_follows(self, earlier: list[TermFact], later: list[TermFact]) -> bool:
        """Nobody but the two starts or ends a term from the one leaving to the other arriving,
        and neither holds the office again inside that handover."""
        left, took = earlier[-1].end, later[0].start
        if left is None or took < left:
            return False
        first, last = earlier[0].person.slug, later[0].person.slug
        starting = [t for t in self.terms if left <= t.start <= took]
        ending = [t for t in self.terms if t.end is not None and left <= t.end <= took]
        return (
            {t.person.slug for t in starting} - {first} == {last}
            and {t.person.slug for t in ending} - {last} == {first}
            and not any(t.person.slug == first and t.end != left for t in starting)
            and not any(t.person.slug == first and t.end > left for t in ending)
            and not any(t.person.slug == last and t.start < took for t in starting)
            and not any(t.person.slug == last and t.end < took for t in ending)
        )

    def _successions(self) -> list[FactCard]:
        pairs = Counter(
            (a[0].person.slug, b[0].person.slug)
            for a, b in zip(self.stints, self.stints[1:], strict=False)
        )
        cards = []
        for earlier, later in zip(self.stints, self.stints[1:], strict=False):
            before, after = earlier[0].person, later[0].person
            if pairs[(before.slug, after.slug)] > 1 or not self._clearly_follows(earlier, later):
                continue
            left, took = earlier[-1].end, later[0].start
            assert left is not None  # _clearly_follows checked it
            ties = self._de_facto_between(left, took)
            gap = (took - left).days
            how = "died in office" if earlier[-1].died_in_office else "left office"
            acting = "acting " if later[0].acting else ""
            detail = (
                f"{after.full_name} took office as {acting}{later[0].title.name} on "
                f"{start_text(later[0])}, "
            )
            if gap == 0:
                detail += f"the day {before.full_name} {how}."
            else:
                days = f"{gap:,} day{'s' if gap != 1 else ''}"
                detail += f"{days} after {before.full_name} {how} on {format_date(left)}."
            if ties:
                between = self._de_facto_text(ties, {before.full_name, after.full_name})
                detail += f" In between, the office had no formal holder: {between}."
            key = keys.succession_key(self.slug, before.slug, after.slug)
            shared = {self.short[earlier[-1].title.name], self.short[later[0].title.name]}
            post = shared.pop() if len(shared) == 1 else self.role
            # With de facto leaders in between, the question is who next held it formally.
            forward = (
                f"Who formally succeeded {before.full_name} as {self.role}"
                if ties
                else f"Who succeeded {before.full_name} as {post}"
            )
            if self.stint_count[before.slug] > 1:
                forward += (
                    f", when {before.short_name or before.full_name} left it on {format_date(left)}"
                )
            backward = (
                f"Whom did {after.full_name} formally succeed as {self.role}"
                if ties
                else f"Who preceded {after.full_name} as {post}"
            )
            if self.stint_count[after.slug] > 1:
                backward += (
                    f", before {after.short_name or after.full_name} took it on {format_date(took)}"
                )
            cards.append(
                self._card(
                    key,
                    CardKind.SUCCESSION,
                    forward + "?",
                    after.full_name + (" (acting)" if later[0].acting else ""),
                    detail,
                    key,
                    de_facto=bool(ties),
                    disputed=_is_disputed(later[0]),
                )
            )
            cards.append(
                self._card(
                    keys.predecessor_key(self.slug, before.slug, after.slug),
                    CardKind.PREDECESSOR,
                    backward + "?",
                    before.full_name + (" (acting)" if earlier[-1].acting else ""),
                    detail,
                    key,
                    de_facto=bool(ties),
                    disputed=_is_disputed(later[0]),
                )
            )
        return cards

    # -- died in office ------------------------------------------------------------------------

    def _deaths(self) -> list[FactCard]:
        cards = []
        last_terms: dict[str, TermFact] = {}
        for term in self.terms:
            last_terms[term.person.slug] = term
        for slug, term in last_terms.items():
            if not term.died_in_office or term.end is None or slug in self.died_outside:
                continue
            person = term.person
            which = "last term" if self.stint_count[slug] > 1 else "time"
            cards.append(
                self._card(
                    keys.died_key(self.slug, slug),
                    CardKind.DIED,
                    f"How did {person.full_name}'s {which} as {self.role} end?",
                    f"Died in office on {format_date(term.end)}",
                    f"{person.full_name} died in office as {term.title.name} on "
                    f"{format_date(term.end)}.",
                    keys.died_key(self.slug, slug),
                )
            )
        return cards

    # -- first holders -------------------------------------------------------------------------

    def _openers(self, terms: Sequence[TermFact]) -> set[str]:
        return {t.person.slug for t in terms if t.start == terms[0].start}

    def _first_own_right(self, terms: Sequence[TermFact]) -> str:
        own = next((t for t in terms if not t.acting), None)
        if own is None:
            return ""
        return f" The first to hold it in full was {own.person.full_name}, from {start_text(own)}."

    def _firsts(self) -> list[FactCard]:
        if not self.terms:
            return []
        cards = []
        by_title: dict[str, list[TermFact]] = {}
        for term in self.terms:
            by_title.setdefault(term.title.name, []).append(term)
        first = self.terms[0]
        # Someone else leading it before the first formal term would be arguably its first.
        led_before = any(
            (a.start or dt.date.min) <= first.start and a.person.slug != first.person.slug
            for a in self.de_facto
        )
        if len(self._openers(self.terms)) == 1 and not led_before:
            name = first.person.full_name
            acting = "acting " if first.acting else ""
            detail = f"{name} was the first holder, as {acting}{first.title.name}, from {start_text(first)}."
            if first.acting:
                detail += self._first_own_right(self.terms)
            for title, terms in by_title.items():
                same = self.titles[title].short_name in {self.facts.short_name, self.facts.name}
                if title == first.title.name or not (same or title == self.facts.name):
                    continue
                openers = sorted({t.person.full_name for t in terms if t.start == terms[0].start})
                detail += (
                    f" The first to hold it as {title} was {_join(openers)}, "
                    f"from {start_text(terms[0])}."
                )
            cards.append(
                self._card(
                    keys.first_key(self.slug),
                    CardKind.FIRST,
                    f"Who was the first of {self.role_plural}, under any title?",
                    name + (" (acting)" if first.acting else ""),
                    detail,
                    keys.first_key(self.slug),
                )
            )
        for title, terms in by_title.items():
            term = terms[0]
            if term is first or len(self._openers(terms)) != 1:
                continue
            name = term.person.full_name
            acting = "acting " if term.acting else ""
            detail = f"{name} took office as {acting}{title} on {start_text(term)}."
            if term.acting:
                detail += self._first_own_right(terms)
            cards.append(
                self._card(
                    keys.first_key(self.slug, title),
                    CardKind.FIRST,
                    f"Who was the first to bear the title “{self.label[title]}”?",
                    name + (" (acting)" if term.acting else ""),
                    detail,
                    f"title:{self.slug}:{keys.slug(title)}",
                    disputed=_is_disputed(term),
                )
            )
        return cards

    # -- length --------------------------------------------------------------------------------

    def _lengths(self) -> list[FactCard]:
        """How long, in all, each holder with finished terms held the office."""
        by_person: dict[str, list[TermFact]] = {}
        for term in self.terms:
            by_person.setdefault(term.person.slug, []).append(term)
        cards = []
        for slug, terms in by_person.items():
            if any(t.end is None for t in terms):
                continue
            person = terms[0].person
            spells: list[list[dt.date]] = []
            for term in terms:
                if spells and spells[-1][1] == term.start:
                    spells[-1][1] = term.end  # a change of title (1966) is one tenure
                else:
                    spells.append([term.start, term.end])
            days = sum((end - start).days for start, end in spells)
            back = calendar_length(*spells[0]) if len(spells) == 1 else f"{days:,} days"
            detail = (
                f"{person.full_name} held the office for {back} in total, "
                + _join([span_text(t) for t in terms])
                + "."
            )
            if any(_is_disputed(t) for t in terms):
                detail += " Counted from the table's start; the article's text gives another."
            ties = [a for a in self.de_facto if a.person.slug == slug]
            dated = [a for a in ties if a.start and a.end and not a.start_undated]
            short = person.short_name or person.full_name
            if dated:
                extra = sum((a.end - a.start).days for a in dated)
                detail += (
                    f" {short} also held it de facto for {extra:,} day{'s' if extra != 1 else ''}"
                    ", not counted here."
                )
            if len(dated) < len(ties):
                detail += (
                    f" {short} also held it de facto from a day the source does not give, so"
                    " that time is not counted."
                )
            cards.append(
                self._card(
                    keys.length_key(self.slug, slug),
                    CardKind.LENGTH,
                    f"For how long in total was {person.full_name} {self.role}?",
                    back[0].upper() + back[1:],
                    detail,
                    keys.length_key(self.slug, slug),
                    de_facto=bool(ties),
                    disputed=any(_is_disputed(t) for t in terms),
                )
            )
        return cards

    # -- acting --------------------------------------------------------------------------------

    def _acting(self) -> list[FactCard]:
        by_person: dict[str, list[TermFact]] = {}
        for term in self.terms:
            by_person.setdefault(term.person.slug, []).append(term)
        tied = {a.person.slug for a in self.de_facto}
        cards = []
        for slug, terms in by_person.items():
            if slug in tied or not all(t.acting for t in terms):
                continue
            person: PersonFact = terms[0].person
            titles = list(dict.fromkeys(t.title.name for t in terms))
            spans = _join([span_text(t) for t in terms])
            cards.append(
                self._card(
                    keys.acting_key(self.slug, slug),
                    CardKind.ACTING,
                    f"In what capacity was {person.full_name} {self.role}?",
                    f"Only as acting {_join(titles)}",
                    f"{person.full_name} served only as acting {_join(titles)}, {spans}, and "
                    "never held the post in full.",
                    keys.acting_key(self.slug, slug),
                    disputed=any(_is_disputed(t) for t in terms),
                )
            )
        return cards

    # -- title spans ---------------------------------------------------------------------------

    def _runs(self) -> dict[str, list[tuple[int, int]]]:
        """Each title's runs of consecutive terms, as (first index, last index) in self.terms."""
        runs: dict[str, list[tuple[int, int]]] = {}
        for index, term in enumerate(self.terms):
            spans = runs.setdefault(term.title.name, [])
            if spans and spans[-1][1] == index - 1:
                spans[-1] = (spans[-1][0], index)
            else:
                spans.append((index, index))
        return runs

    def _in_use(self, title: str, first: dt.date, last: dt.date, *, strict: bool) -> bool:
        """Whether another title than `title` was in use on a day in [first, last] (strict:
        strictly between them; a one-day span: that day)."""
        for term in self.terms:
            if term.title.name == title:
                continue
            end = term.end or dt.date.max
            if strict and first < last:
                if term.start < last and end > first:
                    return True
            elif term.start <= last and end >= first:
                return True
        return False

    def _year_span_clear(self, title: str, first: dt.date, last: dt.date) -> bool:
        year_start, year_end = dt.date(first.year, 1, 1), dt.date(last.year, 12, 31)
        for other in {t.title.name for t in self.terms} - {title}:
            touches_first = self._title_touches(other, year_start, dt.date(first.year, 12, 31))
            touches_last = self._title_touches(other, dt.date(last.year, 1, 1), year_end)
            if touches_first and touches_last:
                return False
        return True

    def _title_touches(self, title: str, first: dt.date, last: dt.date) -> bool:
        return any(
            t.title.name == title and t.start <= last and (t.end or dt.date.max) >= first
            for t in self.terms
        )

    def _title_spans(self) -> list[FactCard]:
        cards = []
        for title, runs in self._runs().items():
            fronts, details = [], []
            by_years = True
            used_de_facto = disputed = False
            for first_index, last_index in runs:
                first, last = self.terms[first_index], self.terms[last_index]
                end = last.end
                if self._in_use(title, first.start, end or dt.date.max, strict=True):
                    fronts = []
                    break
                other_year = first.disputed_start and first.disputed_start.year != first.start.year
                if end is None or other_year or not self._year_span_clear(title, first.start, end):
                    by_years = False
                fronts.append((first, end))
                text, de_facto = self._run_text(title, first_index, last_index)
                used_de_facto |= de_facto
                disputed |= _is_disputed(first)
                details.append(text)
            if not fronts:
                continue
            if by_years:
                spans = [f"from {first.start.year} to {end.year}" for first, end in fronts]
            else:
                spans = [
                    f"from {start_text(first)} to {format_date(end)}"
                    if end
                    else f"from {start_text(first)} onward"
                    for first, end in fronts
                ]
            cards.append(
                self._card(
                    keys.title_span_key(self.slug, title),
                    CardKind.TITLE_SPAN,
                    f"Which title did {self.role} bear {_join(spans)}?",
                    title,
                    " ".join(details),
                    f"title:{self.slug}:{keys.slug(title)}",
                    de_facto=used_de_facto,
                    disputed=disputed,
                )
            )
        return cards

    def _run_text(self, title: str, first_index: int, last_index: int) -> tuple[str, bool]:
        """The run's dates, and plainly what came before and after it."""
        first, last = self.terms[first_index], self.terms[last_index]
        label = self.label[title]
        text = f"The office bore the title {label} " + (
            f"from {start_text(first)} to {format_date(last.end)}."
            if last.end
            else f"from {start_text(first)}, with no end recorded."
        )
        used_de_facto = False
        if first_index > 0:
            previous = self.terms[first_index - 1]
            if previous.end is not None and previous.end >= first.start:
                if previous.person.slug == first.person.slug:
                    text += (
                        f" It replaced the title {previous.title.name} that day, with "
                        f"{first.person.full_name} staying in office."
                    )
                else:
                    text += f" It replaced the title {previous.title.name} that day."
            elif previous.end is not None:
                ties = self._de_facto_between(previous.end, first.start)
                text += (
                    f" Before it, the office had no formal holder from {format_date(previous.end)},"
                    f" when the title {previous.title.name} lapsed"
                )
                text += f": {self._de_facto_text(ties, set())}." if ties else "."
                used_de_facto |= bool(ties)
        else:
            text += " It was the office's first title."
        if last_index + 1 < len(self.terms) and last.end is not None:
            following = self.terms[last_index + 1]
            if following.start <= last.end:
                if following.person.slug == last.person.slug:
                    text += (
                        f" On {format_date(last.end)} the title became {following.title.name}, "
                        f"with {last.person.full_name} staying in office."
                    )
                else:
                    text += f" On {format_date(last.end)} the title became {following.title.name}."
            else:
                ties = self._de_facto_between(last.end, following.start)
                text += f" After it, the office had no formal holder until {start_text(following)}"
                text += f": {self._de_facto_text(ties, set())}." if ties else "."
                used_de_facto |= bool(ties)
        return text, used_de_facto
