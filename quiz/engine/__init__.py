"""Multiple-choice questions about one position, built from its frozen facts (no Django here).

`generate_questions(facts, rng=random.Random(seed), count=...)` returns `Question`s. The same facts
and seed give the same questions, byte for byte; nothing iterates a set or reads the clock.

Never ambiguous. Every question has exactly one right choice by the data, and no choice that a
reasonable other reading would make right:

- successor / predecessor: the next (previous) *different* person in the list of terms, so a
  change of title by the same person (Brezhnev, 1966) is no succession. De facto holders of the
  gap between the two terms (Malenkov and Khrushchev in 1953) are never offered; nor, when the
  answer was only acting, the next (previous) holder in their own right.
- holder_in_year / title_in_year: by date, only strictly inside one formal term, never on a
  term's or a de facto tie's first or last day (so never a handover day), never inside a de facto
  span of another person, nor from one reading of a disputed start to the other (Khrushchev: 7
  September 1953 in the table, 14 September in the text; both days in). By year, never a year
  touched by a de facto span (1952, 1953), nor one a term touches under only one reading of its
  start, nor one with no formal holder; a year with two holders (two titles) is asked as "which
  of these", with the other right ones left out of the choices. Nobody whose de facto tie
  starts within three years after the day or year asked is offered as a wrong holder (not
  Malenkov for 1950-1952: he supervised the Secretariat before leading it de facto in 1953).
- start_year: names the title when the person held several; other years in which the same
  person took office (under another title, by another reading, or de facto) are never
  distractors. A start the source gives in two different years is not asked.
- died_in_office: people whose tie to the office ended by death outside a formal term (Stalin,
  de facto until his death) are never choices, right or wrong.
- longest_tenure: totals across all of a person's terms; every wrong choice is strictly shorter
  both with and without de facto spans, under either reading of a disputed start; people still
  in office are left out.
- title_of_person: full title names (two titles share the short name "General Secretary"); a
  person's other titles are left out of the choices.
- first_holder (of the office, or of one title): the first holder of any title that carries the
  office's short name (Stalin, first General Secretary) is never a wrong choice for the office,
  and vice versa.
- acting: who held the office only as acting holder; de facto holders are never choices.

Distinct questions. A question is identified by its prompt: different distractors do not make a
new question, and no prompt repeats within one call. The date forms of holder_in_year and
title_in_year (one prompt per eligible day) give tens of thousands of distinct prompts for the
seed, so one call can produce a 2,000-question export with no repeats; the kinds with few
subjects (one successor question per succession) simply run out first. Asking for more questions
than distinct prompts exist is an EngineError, never a silent repeat.

Mixing kinds. Each question's kind is drawn at random, weighted by the square root of the
kind's number of distinct questions, capped: the seed's single acting question turns up in
about a quarter of quick quizzes of ten, the date kinds in most, and a long export still uses
up every kind.

Choices: four, or three when the data has only two plausible wrong ones; a subject with fewer is
not asked, and a kind with no askable subject is reported by `available_kinds` with the reason.
Distractors come from the same position, nearest in time first; the difficulty sets how near
(hard: the nearest, medium: among the nearest few, easy: the farthest). Wrong years lie inside
the position's lifetime (its first start to its last end), so none is wrong on its face.

Wording. Prompts are short enough for a phone: they name the position by its short name ("the
office of General Secretary") and a title by its short name unless another title or the position
shares it (then in full, where the title is the point of the question); `about["office"]` keeps
the full title. Explanations name each person in full once, then by short name, and use no
pronouns: the data does not say who is "he" or "she".

Speed: everything that does not depend on the random draw is computed once per facts object
(`_Index`, cached by identity and by value), so a question costs a few dictionary look-ups, one
sample and one shuffle.
"""

from __future__ import annotations

import bisect
import datetime as dt
import enum
import functools
import itertools
import math
import random
import weakref
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from history.facts import (
    DE_FACTO_HOLDER,
    MONTHS,
    PositionFacts,
    TermFact,
    TitleFact,
    format_date,
)

KINDS: tuple[str, ...] = (
    "successor",
    "predecessor",
    "holder_in_year",
    "title_in_year",
    "start_year",
    "died_in_office",
    "longest_tenure",
    "title_of_person",
    "first_holder",
    "acting",
)


class Difficulty(enum.StrEnum):
    """How near in time the wrong choices are to the right one."""

    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


@dataclass(frozen=True)
class Question:
    """One multiple-choice question; `answer` is one of `choices`, `about` is JSON-serialisable."""

    kind: str
    prompt: str
    choices: tuple[str, ...]
    answer: str
    explanation: str
    about: dict


class EngineError(ValueError):
    """A request the engine cannot meet (unknown kind, impossible count, ...), with a message."""


def available_kinds(facts: PositionFacts) -> dict[str, str | None]:
    """Every kind, mapped to None when it can be asked about the position, else the reason."""
    return dict(_index_for(facts).reasons)


def distinct_question_count(facts: PositionFacts, kinds: Sequence[str] | None = None) -> int:
    """How many distinct questions (distinct prompts) the kinds can give for the position."""
    index = _index_for(facts)
    return sum(index.sizes[kind] for kind in _resolve_kinds(index, kinds))


def generate_questions(
    facts: PositionFacts,
    *,
    rng: random.Random,
    count: int,
    kinds: Sequence[str] | None = None,
    difficulty: Difficulty = Difficulty.MEDIUM,
) -> list[Question]:
    """`count` distinct questions of the given kinds (default: every askable kind), mixed."""
    index = _index_for(facts)
    level = _difficulty(difficulty)
    chosen = _resolve_kinds(index, kinds)
    if isinstance(count, bool) or not isinstance(count, int):
        raise EngineError(f"The count must be a whole number, not {count!r}.")
    if count < 0:
        raise EngineError(f"The count cannot be negative ({count}).")
    capacity = sum(index.sizes[kind] for kind in chosen)
    if count > capacity:
        raise EngineError(
            f"Only {capacity:,} distinct question{'s' if capacity != 1 else ''} of "
            f"{'this kind' if len(chosen) == 1 else 'these kinds'} can be asked about "
            f"{facts.name}; {count} were asked for."
        )
    draws = {kind: [_Draw(pool) for pool in index.pools[kind]] for kind in chosen}
    questions: list[Question] = []
    seen: set[str] = set()
    # Each question's kind is drawn at random, weighted by how many distinct questions the kind
    # has (see _kind_weight): a kind with one question (acting) turns up in a few quick quizzes,
    # not in every one, and a long export still uses every kind up, the small ones first.
    active = list(chosen)
    cumulative = list(itertools.accumulate(index.weights[kind] for kind in active))
    while len(questions) < count:
        if not active:
            raise EngineError(f"Ran out of distinct questions about {facts.name}.")
        k = bisect.bisect_right(cumulative, rng.randrange(cumulative[-1]))
        kind = active[k]
        open_draws = [draw for draw in draws[kind] if draw.left]
        draw = open_draws[rng.randrange(len(open_draws))] if len(open_draws) > 1 else open_draws[0]
        question = draw.pool.question(draw.take(rng), rng, level)
        if question.prompt not in seen:
            seen.add(question.prompt)
            questions.append(question)
        if len(open_draws) == 1 and not draw.left:
            del active[k]
            cumulative = list(itertools.accumulate(index.weights[kind] for kind in active))
    return questions


_KIND_WEIGHT_CAP = 50  # a kind with 25 or more distinct questions weighs as much as any other


def _kind_weight(size: int) -> int:
    """How often a kind is drawn: ten times the square root of its size, whole, capped."""
    return max(1, min(_KIND_WEIGHT_CAP, math.isqrt(100 * size)))


def _difficulty(value: Difficulty | str) -> Difficulty:
    try:
        return Difficulty(value)
    except ValueError:
        known = ", ".join(level.value for level in Difficulty)
        raise EngineError(f"Unknown difficulty {value!r}; choose one of: {known}.") from None


def _resolve_kinds(index: _Index, kinds: Sequence[str] | None) -> list[str]:
    if kinds is None:
        chosen = [kind for kind in KINDS if index.reasons[kind] is None]
        if not chosen:
            raise EngineError(f"No question can be asked about {index.name}: too few facts.")
        return chosen
    if isinstance(kinds, str):
        kinds = [kinds]
    chosen = []
    for kind in kinds:
        if kind not in index.reasons:
            raise EngineError(f"Unknown question kind {kind!r}; known kinds: {', '.join(KINDS)}.")
        reason = index.reasons[kind]
        if reason is not None:
            raise EngineError(f"Questions of kind {kind!r} cannot be asked: {reason}.")
        if kind not in chosen:
            chosen.append(kind)
    if not chosen:
        raise EngineError("No question kind was given.")
    return chosen


# ----------------------------------------------------------------------------------------------
# Text helpers


_NUMBER_WORDS = (
    "no",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
)


def _days_text(days: int) -> str:
    word = _NUMBER_WORDS[days] if days < len(_NUMBER_WORDS) else str(days)
    return f"{word} day" if days == 1 else f"{word} days"


def _join(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _span_text(start: dt.date, end: dt.date | None) -> str:
    """ "from 3 April 1922 to 16 October 1952", "from 5 to 14 March 1953", "on 1 May 1950"."""
    if end is None:
        return f"from {format_date(start)}, still in office in the source"
    if start == end:
        return f"on {format_date(start)}"
    return f"from {_start_of_range(start, end)} to {format_date(end)}"


def _start_of_range(start: dt.date, end: dt.date) -> str:
    """The start of a range without what its end repeats: "5" (March 1953), "14 March" (1953)."""
    if start.year != end.year:
        return format_date(start)
    if start.month != end.month:
        return f"{start.day} {MONTHS[start.month - 1]}"
    return str(start.day)


def _calendar_length(start: dt.date, end: dt.date) -> str:
    """Years, months and days from start to end, whole calendar months first."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    year, month_index = divmod(start.month - 1 + months, 12)
    anchor_year = start.year + year
    anchor = _clamped_date(anchor_year, month_index + 1, start.day)
    days = (end - anchor).days
    parts = [
        f"{n} {unit}{'' if n == 1 else 's'}"
        for n, unit in ((months // 12, "year"), (months % 12, "month"), (days, "day"))
        if n
    ]
    return ", ".join(parts) if parts else "0 days"


def _clamped_date(year: int, month: int, day: int) -> dt.date:
    while True:
        try:
            return dt.date(year, month, day)
        except ValueError:
            day -= 1


# ----------------------------------------------------------------------------------------------
# The per-facts index


_LEVELS = (Difficulty.EASY, Difficulty.MEDIUM, Difficulty.HARD)
Windows = dict[Difficulty, tuple[str, ...]]


_WINDOW = 6  # the most wrong choices a difficulty draws from
_MANY_PEOPLE = 64  # above this, people are ranked among those near in time only


def _windows(ranked: Sequence[str]) -> tuple[Windows, int]:
    """Distractor pools per difficulty from candidates ranked nearest first, and how many to draw."""
    n = len(ranked)
    need = min(3, n)
    ranked = tuple(ranked)
    return {
        Difficulty.HARD: ranked[: min(n, need + 1)],
        Difficulty.MEDIUM: ranked[: min(n, 2 * need)],
        Difficulty.EASY: ranked[max(0, n - 2 * need) :],
    }, need


_YEAR_BANDS = {Difficulty.HARD: (1, 4), Difficulty.MEDIUM: (2, 10), Difficulty.EASY: (5, 30)}


def _year_windows(
    answer: int, forbidden: set[int], low: int, high: int
) -> tuple[Windows, int] | None:
    """Wrong years per difficulty, and how many to draw; None when fewer than two exist.

    Only years inside the position's lifetime (low to high): a year before its first term or
    after its last gives the answer away. A band too narrow for the draw falls back to the
    nearest (or, for easy, the farthest) of the years in reach.
    """
    reach = max(far for _, far in _YEAR_BANDS.values())
    ranked = [
        year
        for distance in range(1, reach + 1)
        for year in (answer - distance, answer + distance)
        if low <= year <= high and year not in forbidden
    ]
    if len(ranked) < 2:
        return None
    fallback, need = _windows([str(year) for year in ranked])
    windows = {}
    for level, (near, far) in _YEAR_BANDS.items():
        years = [year for year in ranked if near <= abs(year - answer) <= far]
        windows[level] = (
            tuple(str(year) for year in sorted(years)) if len(years) >= need else fallback[level]
        )
    return windows, need


@dataclass(frozen=True, slots=True)
class _Variant:
    """One right answer to a prompt, with what to draw wrong choices from."""

    answer: str
    about: tuple[tuple[str, Any], ...]
    windows: Windows
    need: int
    explanation: str = ""
    explain: Callable[[Sequence[str]], str] | None = None
    years: bool = False


def _about(about: tuple[tuple[str, Any], ...]) -> dict:
    return {key: list(value) if isinstance(value, tuple) else value for key, value in about}


def _emit(kind: str, prompt: str, variant: _Variant, rng: random.Random, level: Difficulty):
    picks = rng.sample(variant.windows[level], variant.need)
    choices = [*picks, variant.answer]
    if variant.years:
        choices.sort(key=int)
    else:
        rng.shuffle(choices)
    explanation = variant.explain(picks) if variant.explain is not None else variant.explanation
    return Question(
        kind, prompt, tuple(choices), variant.answer, explanation, _about(variant.about)
    )


class _TemplatePool:
    """Prompts known in advance, each with one or more right answers."""

    def __init__(self, kind: str, templates: list[tuple[str, tuple[_Variant, ...]]]) -> None:
        self.kind, self.templates, self.size = kind, templates, len(templates)

    def question(self, i: int, rng: random.Random, level: Difficulty) -> Question:
        prompt, variants = self.templates[i]
        variant = variants[rng.randrange(len(variants))] if len(variants) > 1 else variants[0]
        return _emit(self.kind, prompt, variant, rng, level)


@dataclass(frozen=True, slots=True)
class _DaySpan:
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
    about: tuple[tuple[str, Any], ...]


class _DayPool:
    """One prompt per eligible day, built when drawn."""

    def __init__(
        self, kind: str, spans: list[_DaySpan], make: Callable[..., Question], index: _Index
    ) -> None:
        self.kind, self.spans, self.make = kind, spans, make
        self.office, self.slug = index.office, index.slug
        self.offsets: list[int] = []
        total = 0
        for span in spans:
            self.offsets.append(total)
            total += span.last - span.first + 1
        self.size = total

    def question(self, i: int, rng: random.Random, level: Difficulty) -> Question:
        k = bisect.bisect_right(self.offsets, i) - 1
        span = self.spans[k]
        day = dt.date.fromordinal(span.first + i - self.offsets[k])
        return self.make(self, span, day, rng, level)


def _holder_on_day(pool: _DayPool, span: _DaySpan, day: dt.date, rng, level) -> Question:
    term = span.term
    choices = [*rng.sample(span.people[level], span.people_need), term.person.full_name]
    rng.shuffle(choices)
    return Question(
        "holder_in_year",
        f"Who held the {pool.office} on {format_date(day)}?",
        tuple(choices),
        term.person.full_name,
        span.holder_explanation,
        {"position": pool.slug, "variant": "date", "date": day.isoformat(), **_about(span.about)},
    )


def _title_on_day(pool: _DayPool, span: _DaySpan, day: dt.date, rng, level) -> Question:
    term = span.term
    choices = [*rng.sample(span.titles[level], span.titles_need), term.title.name]
    rng.shuffle(choices)
    when = format_date(day)
    return Question(
        "title_in_year",
        f"Under which title was the {pool.office} held on {when}?",
        tuple(choices),
        term.title.name,
        f"On {when} {span.title_explanation}",
        {"position": pool.slug, "variant": "date", "date": day.isoformat(), **_about(span.about)},
    )


class _Draw:
    """Draws pool indexes without replacement, deterministically from the rng."""

    __slots__ = ("pool", "rest", "used")

    def __init__(self, pool: _TemplatePool | _DayPool) -> None:
        self.pool, self.used, self.rest = pool, set(), None

    @property
    def left(self) -> int:
        return self.pool.size - len(self.used) if self.rest is None else len(self.rest)

    def take(self, rng: random.Random) -> int:
        size = self.pool.size
        if self.rest is None:
            if 2 * len(self.used) < size:
                while True:
                    i = rng.randrange(size)
                    if i not in self.used:
                        self.used.add(i)
                        return i
            self.rest = [i for i in range(size) if i not in self.used]
        j = rng.randrange(len(self.rest))
        self.rest[j], self.rest[-1] = self.rest[-1], self.rest[j]
        return self.rest.pop()


_FAR = 10**9
# A future de facto holder is no wrong choice for "who held the office" this many years before
# their de facto start: such ties grow out of informal power the data does not date (the source
# says Stalin left "the supervision of the body to Georgy Malenkov" in the 1950s, years before
# Malenkov led it de facto from 5 March 1953), so a reader could fairly argue for them.
_DE_FACTO_LEAD_YEARS = 3


class _Spans:
    """Day spans (ordinals, both ends in) that answer "how far from this interval?" by bisection."""

    __slots__ = ("max_ends", "starts")

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [start for start, _ in ordered]
        self.max_ends = list(itertools.accumulate((end for _, end in ordered), max))

    def distance(self, first: int, last: int) -> int:
        """Days between the interval and the nearest span; 0 when they overlap."""
        cut = bisect.bisect_right(self.starts, last)
        best = _FAR
        if cut:
            end = self.max_ends[cut - 1]
            if end >= first:
                return 0
            best = first - end
        if cut < len(self.starts):
            best = min(best, self.starts[cut] - last)
        return best


class _Person:
    """One person tied to the position, with what the kinds need to know about them."""

    def __init__(self, slug: str, name: str, short: str) -> None:
        self.slug, self.name, self.short = slug, name, short  # short: for a second mention
        self.terms: list[TermFact] = []
        self.de_facto: list[tuple[int, int]] = []
        self.ended_by_death = False
        self.spans: list[tuple[int, int]] = []
        self.first = 0
        self.index = _Spans(())

    @property
    def is_holder(self) -> bool:
        return bool(self.terms)

    def distance(self, first: int, last: int) -> int:
        return self.index.distance(first, last)


@dataclass(frozen=True, slots=True)
class _Stint:
    """Consecutive terms of one person: a change of title alone does not end a stint."""

    person: _Person
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


class _Index:
    """Everything about one position's facts that does not depend on the random draw."""

    def __init__(self, facts: PositionFacts) -> None:
        self.name, self.slug = facts.name, facts.slug
        # Prompts name the position by its short name: "the office of General Secretary".
        self.office = f"office of {facts.short_name or facts.name}"
        self.short_name = facts.short_name
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

        self.pools: dict[str, list[_TemplatePool | _DayPool]] = {}
        self.reasons: dict[str, str | None] = {}
        builders = {
            "successor": self._successor,
            "predecessor": self._predecessor,
            "holder_in_year": self._holder_in_year,
            "title_in_year": self._title_in_year,
            "start_year": self._start_year,
            "died_in_office": self._died_in_office,
            "longest_tenure": self._longest_tenure,
            "title_of_person": self._title_of_person,
            "first_holder": self._first_holder,
            "acting": self._acting,
        }
        self.term_starts = [t.start.toordinal() for t in self.terms]
        self.term_max_ends = list(itertools.accumulate((self._end(t.end) for t in self.terms), max))
        self.ended = sorted((t.end, i) for i, t in enumerate(self.terms) if t.end is not None)
        self.term_ends = [end for end, _ in self.ended]
        self._day_spans = self._eligible_days() if self.terms else []
        self.year_terms = self._years()
        for kind in KINDS:
            pools, reason = builders[kind]()
            pools = [pool for pool in pools if pool.size]
            self.pools[kind] = pools
            self.reasons[kind] = None if pools else reason
        self.sizes = {kind: sum(pool.size for pool in pools) for kind, pools in self.pools.items()}
        self.weights = {kind: _kind_weight(size) for kind, size in self.sizes.items()}

    # -- collecting ----------------------------------------------------------------------------

    def _end(self, day: dt.date | None) -> int:
        return day.toordinal() if day is not None else self.last_known

    def _collect_people(self, facts: PositionFacts) -> None:
        people: dict[str, _Person] = {}

        def person(fact) -> _Person:
            if fact.slug not in people:
                people[fact.slug] = _Person(
                    fact.slug, fact.full_name, fact.short_name or fact.full_name
                )
            return people[fact.slug]

        for term in self.terms:
            holder = person(term.person)
            holder.terms.append(term)
            holder.spans.append((term.start.toordinal(), self._end(term.end)))
        self.de_facto: list[tuple[_Person, int, int, Any]] = []
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
        # for a holder question; see _DE_FACTO_LEAD_YEARS.
        self.de_facto_leads: list[tuple[int, int, str]] = []
        for tied, first, _, _ in self.de_facto:
            start = dt.date.fromordinal(max(first, 1))
            year = max(start.year - _DE_FACTO_LEAD_YEARS, 1)
            lead = _clamped_date(year, start.month, start.day).toordinal()
            self.de_facto_leads.append((lead, first, tied.name))
        for tied in people.values():
            tied.first = min(start for start, _ in tied.spans)
            tied.index = _Spans(tied.spans)
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
        self._tenure_texts: dict[tuple[str, str | None], str] = {}

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
            name: _Spans((t.start.toordinal(), self._end(t.end)) for t in terms)
            for name, terms in self.title_terms.items()
        }

    def _stints(self) -> list[_Stint]:
        stints: list[_Stint] = []
        people = {p.slug: p for p in self.people}
        current: list[TermFact] = []
        for term in self.terms:
            if current and current[-1].person.slug != term.person.slug:
                stints.append(_Stint(people[current[0].person.slug], tuple(current)))
                current = []
            current.append(term)
        if current:
            stints.append(_Stint(people[current[0].person.slug], tuple(current)))
        return stints

    # -- ranking -------------------------------------------------------------------------------

    def _rank_people(
        self,
        first: int,
        last: int,
        leave_out: Iterable[str],
        among: Iterable[_Person] | None = None,
    ) -> list[str]:
        """Names nearest in time first, without the left-out names (and without duplicates).

        With many people, only the nearest and the farthest few are returned (nearest first,
        farthest last): all that `_windows` reads. Candidates then come from the spans next to
        the interval and at both ends of the timeline, so the cost stays flat as data grows.
        """
        skip = set(leave_out)
        if among is None:
            scored = self._near_cache.get((first, last))
            if scored is None:
                pool = self.people
                if len(pool) > _MANY_PEOPLE:
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
        if len(names) > 2 * _WINDOW:
            names = names[:_WINDOW] + names[-_WINDOW:]
        return names

    def _people_around(self, first: int, last: int) -> list[_Person]:
        """People with a span near the interval, or at either end of the timeline."""
        middle = bisect.bisect_left(self.all_starts, first)
        reach = 2 * _WINDOW
        picked = (
            self.all_spans[max(0, middle - reach) : middle + reach]
            + self.all_spans[:reach]
            + self.all_spans[-reach:]
        )
        slugs = dict.fromkeys(span[4] for span in picked)
        return [self.by_slug[slug] for slug in slugs]

    def _rank_titles(self, first: int, last: int, leave_out: Iterable[str]) -> list[str]:
        skip = set(leave_out)

        def distance(name: str) -> tuple[int, int]:
            spans = self.title_spans[name]
            if not spans.starts:
                return (_FAR, 0)
            return (spans.distance(first, last), spans.starts[0])

        return sorted((t.name for t in self.titles if t.name not in skip), key=distance)

    def _de_facto_soon(self, first: int, last: int) -> list[str]:
        """People whose de facto tie starts within _DE_FACTO_LEAD_YEARS after a day in [first, last]."""
        return sorted(
            {name for lead, start, name in self.de_facto_leads if lead <= last and start >= first}
        )

    def _de_facto_overlapping(self, first: int, last: int) -> list[tuple[_Person, int, int, Any]]:
        return [entry for entry in self.de_facto if entry[1] <= last and entry[2] >= first]

    def _variant(
        self,
        answer: str,
        ranked: Sequence[str],
        about: dict[str, Any],
        explanation: str = "",
        explain: Callable[[Sequence[str]], str] | None = None,
    ) -> _Variant | None:
        if len(ranked) < 2:
            return None
        windows, need = _windows(ranked)
        return _Variant(
            answer=answer,
            about=_freeze({"position": self.slug, **about}),
            windows=windows,
            need=need,
            explanation=explanation,
            explain=explain,
        )

    # -- successor and predecessor ---------------------------------------------------------------

    def _gap_sentence(self, earlier: _Stint, later: _Stint) -> tuple[str, list[str]]:
        """Who held the office de facto between two stints, and those people's names.

        The two stints' holders are named in full just before, so they get their short names.
        No pronouns: the data does not say who is "he" or "she" (the source names women too).
        """
        entries = self._de_facto_overlapping(self._end(earlier.end), later.start.toordinal())
        if not entries:
            return "", []
        named = {earlier.person.name, later.person.name}
        # One mention per person, with all of that person's spans: a person may hold the
        # office de facto more than once between the same two stints.
        spans_of: dict[str, list[str]] = {}
        people: dict[str, _Person] = {}
        for tied, _, _, association in entries:
            start, end = association.start, association.end
            if end and association.ended_by_death:
                span = f"from {_start_of_range(start, end)} " if start else ""
                span += f"until {tied.short}'s death on {format_date(end)}"
            else:
                span = _span_text(start, end) if start else ""
            people[tied.name] = tied
            spans = spans_of.setdefault(tied.name, [])
            if span and span not in spans:
                spans.append(span)
        parts = []
        for name, spans in spans_of.items():
            shown = people[name].short if name in named else name
            parts.append(f"{shown} ({' and '.join(spans)})" if spans else shown)
        sentence = f" In between, {_join(parts)} held the office de facto."
        return sentence, list(spans_of)

    def _acting_after(self, took: dt.date, skip: set[str]) -> set[str]:
        """Everyone taking office from `took` up to the first holder in their own right."""
        later = [t for t in self.terms if t.start >= took and t.person.full_name not in skip]
        own = [t.start for t in later if not t.acting]
        cutoff = min(own) if own else dt.date.max
        return {t.person.full_name for t in later if t.start <= cutoff}

    def _acting_before(self, left: dt.date, skip: set[str]) -> set[str]:
        """Everyone leaving office up to `left`, back to the last holder in their own right."""
        earlier = [
            t for t in self.terms if t.end and t.end <= left and t.person.full_name not in skip
        ]
        own = [t.end for t in earlier if not t.acting]
        cutoff = max(own) if own else dt.date.min
        return {t.person.full_name for t in earlier if t.end >= cutoff}

    def _stint_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for stint in self.stints:
            counts[stint.person.slug] = counts.get(stint.person.slug, 0) + 1
        return counts

    def _clearly_follows(self, earlier: _Stint, later: _Stint) -> bool:
        """Whether `later` is, beyond doubt, the next different person after `earlier` and
        `earlier` the previous different person before `later` (same-day terms can blur both)."""
        if earlier.end is None:
            return False
        left, took = earlier.end, later.start
        first, last = earlier.person.slug, later.person.slug
        starting = self.terms[
            bisect.bisect_left(self.term_starts, left.toordinal()) : bisect.bisect_right(
                self.term_starts, took.toordinal()
            )
        ]
        ending = [
            self.terms[i]
            for _, i in self.ended[
                bisect.bisect_left(self.term_ends, left) : bisect.bisect_right(self.term_ends, took)
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

    def _successor(self):
        if len(self.stints) < 2:
            return [], "the office never passed from one holder to a different one"
        counts = self._stint_counts()
        templates = []
        for i, stint in enumerate(self.stints[:-1]):
            after = self.stints[i + 1]
            if not self._clearly_follows(stint, after):
                continue
            subject, answer = stint.person, after.person
            gap_text, gap_people = self._gap_sentence(stint, after)
            arguable = set(gap_people)
            if after.acting:
                arguable.update(self._acting_after(after.start, {subject.name, answer.name}))
            arguable -= {answer.name, subject.name}
            ranked = self._rank_people(
                stint.start.toordinal(),
                self._end(stint.end),
                [subject.name, answer.name, *sorted(arguable)],
            )
            left = "died in office" if stint.died else "left office"
            gap = (after.start - stint.end).days
            start = format_date(after.start)
            if gap == 0:
                text = f"{answer.name} took office on {start}, the same day {subject.name} {left}."
            elif gap <= 31:
                text = f"{answer.name} took office on {start}, {_days_text(gap)} after {subject.name} {left}."
            else:
                text = (
                    f"{answer.name} took office on {start}, the next formal holder after "
                    f"{subject.name}, who {left} on {format_date(stint.end)}."
                )
            about = {
                "person": subject.name,
                "left_office": stint.end.isoformat(),
                "successor": answer.name,
                "took_office": after.start.isoformat(),
                "office": after.terms[0].title.name,
            }
            if arguable:
                about["left_out"] = sorted(arguable)
            variant = self._variant(answer.name, ranked, about, text + gap_text)
            if variant is None:
                continue
            if counts[subject.slug] == 1:
                prompt = f"Who succeeded {subject.name} in the {self.office}?"
            else:
                prompt = (
                    f"Who succeeded {subject.name} in the {self.office} when "
                    f"{subject.short} left it on {format_date(stint.end)}?"
                )
            templates.append((prompt, (variant,)))
        return [_TemplatePool("successor", templates)], (
            "too few other people to offer three choices"
        )

    def _predecessor(self):
        if len(self.stints) < 2:
            return [], "the office never passed from one holder to a different one"
        counts = self._stint_counts()
        templates = []
        for i, stint in enumerate(self.stints[1:], start=1):
            before = self.stints[i - 1]
            if not self._clearly_follows(before, stint):
                continue
            subject, answer = stint.person, before.person
            gap_text, gap_people = self._gap_sentence(before, stint)
            arguable = set(gap_people)
            if before.acting:
                arguable.update(self._acting_before(before.end, {subject.name, answer.name}))
            arguable -= {answer.name, subject.name}
            ranked = self._rank_people(
                stint.start.toordinal(),
                self._end(stint.end),
                [subject.name, answer.name, *sorted(arguable)],
            )
            left = "died in office" if before.died else "left office"
            gap = (stint.start - before.end).days
            end, start = format_date(before.end), format_date(stint.start)
            if gap == 0:
                text = f"{answer.name} {left} on {end}, the day {subject.name} took office."
            elif gap <= 31:
                text = (
                    f"{answer.name} {left} on {end}; {subject.name} took office "
                    f"{_days_text(gap)} later, on {start}."
                )
            else:
                text = (
                    f"{answer.name} {left} on {end}; the next formal holder, {subject.name}, "
                    f"took office on {start}."
                )
            about = {
                "person": subject.name,
                "took_office": stint.start.isoformat(),
                "predecessor": answer.name,
                "left_office": before.end.isoformat(),
                "office": before.terms[-1].title.name,
            }
            if arguable:
                about["left_out"] = sorted(arguable)
            variant = self._variant(answer.name, ranked, about, text + gap_text)
            if variant is None:
                continue
            if counts[subject.slug] == 1:
                prompt = f"Who preceded {subject.name} in the {self.office}?"
            else:
                prompt = (
                    f"Who preceded {subject.name} in the {self.office} before "
                    f"{subject.short} took it on {start}?"
                )
            templates.append((prompt, (variant,)))
        return [_TemplatePool("predecessor", templates)], (
            "too few other people to offer three choices"
        )

    # -- by year and by date ---------------------------------------------------------------------

    def _eligible_days(self) -> list[_DaySpan]:
        """Days strictly inside exactly one formal term, away from every boundary and de facto span."""
        boundaries = sorted(
            {t.start.toordinal() for t in self.terms}
            | {t.end.toordinal() for t in self.terms if t.end is not None}
            | {day for _, first, last, _ in self.de_facto for day in (first, last)}
        )
        # Who is too soon a de facto holder to be a wrong choice changes on these days.
        cuts = sorted({day for lead, start, _ in self.de_facto_leads for day in (lead, start + 1)})
        spans = []
        per_term: dict[tuple[int, tuple[str, ...]], tuple | None] = {}
        for first, last, index in self._single_cover():
            term = self.terms[index]
            blocked = [
                (day, day)
                for day in boundaries[
                    bisect.bisect_left(boundaries, first) : bisect.bisect_right(boundaries, last)
                ]
            ]
            blocked += [
                (start, end)
                for tied, start, end, _ in self.de_facto
                if tied.slug != term.person.slug and start <= last and end >= first
            ]
            blocked += [(start, end) for start, end in self.disputed]
            for piece_first, piece_last in _subtract(first, last, blocked):
                inner = cuts[
                    bisect.bisect_right(cuts, piece_first) : bisect.bisect_right(cuts, piece_last)
                ]
                for part_first, part_last in zip(
                    [piece_first, *inner], [day - 1 for day in inner] + [piece_last], strict=True
                ):
                    soon = tuple(self._de_facto_soon(part_first, part_first))
                    key = (index, soon)
                    if key not in per_term:
                        per_term[key] = self._day_facts(term, soon)
                    facts = per_term[key]
                    if facts is not None:
                        spans.append(_DaySpan(part_first, part_last, term, *facts))
        return spans

    def _single_cover(self) -> list[tuple[int, int, int]]:
        """Stretches of days (first, last, term index) covered by exactly one formal term."""
        events = []
        for index, term in enumerate(self.terms):
            events.append((term.start.toordinal(), 1, index))
            events.append((self._end(term.end) + 1, -1, index))
        events.sort()
        active: dict[int, None] = {}
        stretches = []
        i = 0
        while i < len(events):
            day = events[i][0]
            while i < len(events) and events[i][0] == day:
                _, delta, index = events[i]
                if delta > 0:
                    active[index] = None
                else:
                    del active[index]
                i += 1
            if i < len(events) and len(active) == 1:
                stretches.append((day, events[i][0] - 1, next(iter(active))))
        return stretches

    def _day_facts(self, term: TermFact, soon: Sequence[str]) -> tuple | None:
        """What every day question about one term shares: wrong choices, explanation, about."""
        first, last = term.start.toordinal(), self._end(term.end)
        people = self._rank_people(first, last, [term.person.full_name, *soon])
        titles = self._rank_titles(first, last, [term.title.name])
        if len(people) < 2 and len(titles) < 2:
            return None
        people_windows, people_need = _windows(people)
        title_windows, title_need = _windows(titles)
        acting = "acting " if term.acting else ""
        explanation = (
            f"{term.person.full_name} held the office as {acting}{term.title.name} "
            f"{_span_text(term.start, term.end)}."
        )
        title_explanation = (
            # Not "... (3 April 1922 to ...)": three titles end in "(Bolsheviks)".
            f"the office was held by {term.person.full_name} as {acting}{term.title.name}, "
            f"in a term {_span_text(term.start, term.end)}."
        )
        about = {
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
            _freeze(about),
        )

    def _years(self) -> list[tuple[int, int, int, list[TermFact]]]:
        """Each year with a formal holder, no de facto span and no disputed start, with its terms."""
        if not self.terms:
            return []
        years = []
        first_year = self.terms[0].start.year
        last_year = dt.date.fromordinal(self.last_known).year
        for year in range(first_year, last_year + 1):
            first, last = dt.date(year, 1, 1).toordinal(), dt.date(year, 12, 31).toordinal()
            if self._de_facto_overlapping(first, last) or year in self.disputed_years:
                continue
            terms = []
            i = bisect.bisect_right(self.term_starts, last) - 1
            while i >= 0 and self.term_max_ends[i] >= first:
                if self._end(self.terms[i].end) >= first:
                    terms.append(self.terms[i])
                i -= 1
            if terms:
                years.append((year, first, last, terms[::-1]))
        return years

    def _holder_in_year(self):
        if len(self.people) < 3:
            return [], "fewer than three people held the office, too few for three choices"
        templates = []
        stints_of: dict[str, list[_Stint]] = {}
        for stint in self.stints:
            stints_of.setdefault(stint.person.slug, []).append(stint)
        for year, first, last, terms in self.year_terms:
            holders: list[_Person] = []
            for term in terms:
                holder = self.by_slug[term.person.slug]
                if holder not in holders:
                    holders.append(holder)
            names = [holder.name for holder in holders]
            ranked = self._rank_people(first, last, names + self._de_facto_soon(first, last))
            variants = []
            for holder in holders:
                stints = [
                    s
                    for s in stints_of[holder.slug]
                    if s.start.toordinal() <= last and self._end(s.end) >= first
                ]
                text = f"{holder.name} held the office " + " and ".join(
                    _span_text(s.start, s.end) for s in stints
                )
                others = [name for name in names if name != holder.name]
                if others:
                    text += (
                        f"; {_join(others)} also held it in {year} and "
                        f"{'is' if len(others) == 1 else 'are'} not among the choices"
                    )
                about = {"variant": "year", "year": year, "person": holder.name}
                about["office"] = next(t.title.name for t in terms if t.person.slug == holder.slug)
                if others:
                    about["variant"] = "year_which_of_these"
                    about["left_out"] = others
                variant = self._variant(holder.name, ranked, about, text + ".")
                if variant is not None:
                    variants.append(variant)
            if not variants:
                continue
            if len(holders) == 1:
                prompt = f"Who held the {self.office} in {year}?"
            else:
                prompt = f"Which of these people held the {self.office} at some time in {year}?"
            templates.append((prompt, tuple(variants)))
        days = _DayPool(
            "holder_in_year",
            [s for s in self._day_spans if s.people_need >= 2],
            _holder_on_day,
            self,
        )
        return [_TemplatePool("holder_in_year", templates), days], (
            "no year or day has exactly one answer with enough wrong choices"
        )

    def _title_in_year(self):
        if len(self.titles) < 3:
            return [], "the office had fewer than three titles, too few for three choices"
        templates = []
        for year, first, last, terms in self.year_terms:
            titles: list[str] = []
            for term in terms:
                if term.title.name not in titles:
                    titles.append(term.title.name)
            ranked = self._rank_titles(first, last, titles)
            variants = []
            for title in titles:
                holders: list[str] = []
                for term in terms:
                    if term.title.name == title and term.person.full_name not in holders:
                        holders.append(term.person.full_name)
                others = [name for name in titles if name != title]
                text = f"In {year} the office was held by {_join(holders)} as {title}"
                if others:
                    text += (
                        f"; it was also held as {_join(others)} that year, "
                        f"{'a title' if len(others) == 1 else 'titles'} not among the choices"
                    )
                about = {"variant": "year", "year": year, "office": title}
                if len(holders) == 1:
                    about["person"] = holders[0]
                if others:
                    about["variant"] = "year_which_of_these"
                    about["left_out"] = others
                variant = self._variant(title, ranked, about, text + ".")
                if variant is not None:
                    variants.append(variant)
            if not variants:
                continue
            if len(titles) == 1:
                prompt = f"Under which title was the {self.office} held in {year}?"
            else:
                prompt = f"Which of these titles did the {self.office} have at some time in {year}?"
            templates.append((prompt, tuple(variants)))
        days = _DayPool(
            "title_in_year", [s for s in self._day_spans if s.titles_need >= 2], _title_on_day, self
        )
        return [_TemplatePool("title_in_year", templates), days], (
            "no year or day has exactly one title with enough wrong choices"
        )

    # -- start year ----------------------------------------------------------------------------

    def _start_year(self):
        if not self.terms:
            return [], "the office has no terms"
        # The position's lifetime: its first start to its last end (or last start, if open).
        low = self.terms[0].start.year
        high = max((t.end or t.start).year for t in self.terms)
        templates = []
        for holder in self.holders:
            by_title: dict[str, list[TermFact]] = {}
            for term in holder.terms:
                by_title.setdefault(term.title.name, []).append(term)
            taken = {t.start.year for t in holder.terms}
            taken |= {t.disputed_start.year for t in holder.terms if t.disputed_start}
            taken |= {dt.date.fromordinal(first).year for first, _ in holder.de_facto}
            for title, terms in by_title.items():
                term = terms[0]
                answer = term.start.year
                disputed = term.disputed_start
                if disputed is not None and disputed.year != answer:
                    continue  # the source gives two years: no one right choice
                again = (
                    "first "
                    if len(terms) > 1 or (len(by_title) == 1 and len(holder.terms) > 1)
                    else ""
                )
                acting = "acting " if term.acting else ""
                if len(by_title) == 1:
                    prompt = f"In which year did {holder.name} {again}take up the {self.office}?"
                else:
                    label = self.title_label[title]
                    prompt = f"In which year did {holder.name} {again}take office as {label}?"
                text = f"{holder.name} took office as {acting}{title} on {format_date(term.start)}"
                if disputed is not None and disputed != term.start:
                    text += f" (another passage of the source gives {format_date(disputed)})"
                text += "."
                for other, other_terms in by_title.items():
                    if other == title:
                        continue
                    when = "had taken" if other_terms[0].start < term.start else "later took"
                    text += (
                        f" {holder.short} {when} office as {other} on "
                        f"{format_date(other_terms[0].start)}."
                    )
                drawn = _year_windows(answer, taken - {answer}, low, high)
                if drawn is None:
                    continue
                windows, need = drawn
                about = {
                    "person": holder.name,
                    "office": title,
                    "year": answer,
                    "date": term.start.isoformat(),
                }
                variant = _Variant(
                    answer=str(answer),
                    about=_freeze({"position": self.slug, **about}),
                    windows=windows,
                    need=need,
                    explanation=text,
                    years=True,
                )
                templates.append((prompt, (variant,)))
        return [_TemplatePool("start_year", templates)], (
            "the office's lifetime holds too few other years to offer three choices"
        )

    # -- died in office ------------------------------------------------------------------------

    def _died_in_office(self):
        # A person's last term marked died-in-office (data may, wrongly, mark more than one).
        deaths = {
            p.slug: [t for t in p.terms if t.died_in_office][-1]
            for p in self.holders
            if not p.ended_by_death and any(t.died_in_office for t in p.terms)
        }
        if not deaths:
            return [], "no holder died in office"
        # Wrong choices: holders who never died in office, nor died tied to it in another way.
        alive = [p for p in self.holders if p.slug not in deaths and not p.ended_by_death]
        if len(alive) < 2:
            return [], "fewer than two holders left office alive, too few for three choices"
        people = {p.slug: p for p in self.holders}
        variants = []
        by_year: dict[int, dict[str, TermFact]] = {}
        for slug in deaths:
            for term in people[slug].terms:
                if term.died_in_office:
                    by_year.setdefault(term.end.year, {})[slug] = term
        templates = []
        for slug, term in deaths.items():
            person = people[slug]
            day = term.end.toordinal()
            ranked = self._rank_people(day, day, [person.name], among=alive)
            text = (
                f"{person.name} died in office on {format_date(term.end)}; "
                "none of the other choices did."
            )
            about = {"variant": "any", "person": person.name, "date": term.end.isoformat()}
            variant = self._variant(person.name, ranked, about, text)
            if variant is not None:
                variants.append(variant)
        if variants:
            templates.append(
                (f"Which of these holders of the {self.office} died in office?", tuple(variants))
            )
        for year, died in sorted(by_year.items()):
            if len(died) != 1:
                continue
            ((slug, term),) = died.items()
            person = people[slug]
            day = term.end.toordinal()
            # Holders who died in office in another year are fair, plausible wrong choices.
            among = [p for p in self.holders if p is not person and not p.ended_by_death]
            ranked = self._rank_people(day, day, [person.name], among=among)
            text = f"{person.name} died in office on {format_date(term.end)}."
            others = [
                f"{people[s].name} on {format_date(deaths[s].end)}"
                for s in deaths
                if s != person.slug
            ]
            if others:
                text += f" Other holders who died in office: {_join(others)}."
            about = {
                "variant": "year",
                "year": year,
                "person": person.name,
                "date": term.end.isoformat(),
            }
            variant = self._variant(person.name, ranked, about, text)
            if variant is not None:
                templates.append(
                    (f"Which holder of the {self.office} died in office in {year}?", (variant,))
                )
        return [_TemplatePool("died_in_office", templates)], (
            "too few holders to offer three choices"
        )

    # -- longest tenure ------------------------------------------------------------------------

    def _longest_tenure(self):
        finished = [p for p in self.holders if all(t.end is not None for t in p.terms)]
        formal = {p.slug: _days_held(p.terms) for p in finished}
        # Each measure gives a person's (shortest, longest) total over the readings of disputed
        # starts; a wrong choice must be shorter than the answer however the source is read,
        # with de facto spans and without.
        plain = {p.slug: _days_held_range(p.terms) for p in finished}
        generous = {
            p.slug: tuple(
                n + sum(last - first for first, last in p.de_facto) for n in plain[p.slug]
            )
            for p in finished
        }
        # Plain comparisons over tuples: with hundreds of holders this loop is quadratic.
        most = [(p, plain[p.slug][1], generous[p.slug][1]) for p in finished]
        templates = []
        variants = []
        for person in finished:
            least, least_generous = plain[person.slug][0], generous[person.slug][0]
            shorter = [p for p, days, more in most if days < least and more < least_generous]
            shorter.sort(key=lambda p: (formal[person.slug] - formal[p.slug], p.name))
            variant = self._tenure_variant(person, shorter, formal, None)
            if variant is not None:
                variants.append(variant)
        if variants:
            templates.append(
                (
                    f"Which of these people held the {self.office} for the longest time in total?",
                    tuple(variants),
                )
            )
        for title in self.titles:
            terms = self.title_terms[title.name]
            holders = [p for p in finished if any(t.title.name == title.name for t in p.terms)]
            if len(holders) < 3 or any(t.end is None for t in terms):
                continue
            under_terms = {
                p.slug: [t for t in p.terms if t.title.name == title.name] for p in holders
            }
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
                variant = self._tenure_variant(person, shorter, under, title.name)
                if variant is not None:
                    variants.append(variant)
            if variants:
                label = self.title_label[title.name]
                templates.append(
                    (
                        f"Which of these people served as {label} for the longest time in total?",
                        tuple(variants),
                    )
                )
        return [_TemplatePool("longest_tenure", templates)], (
            "fewer than three holders with finished terms of different lengths"
        )

    def _tenure_variant(
        self, person: _Person, shorter: list[_Person], days: dict[str, int], title: str | None
    ) -> _Variant | None:
        if len(shorter) < 2:
            return None
        if len(shorter) > 2 * _WINDOW:
            shorter = shorter[:_WINDOW] + shorter[-_WINDOW:]  # all that `_windows` reads
        lengths = {p.name: self._tenure_text(p, title) for p in [person, *shorter]}
        counts = {
            p.name: sum(1 for t in p.terms if title is None or t.title.name == title)
            for p in [person, *shorter]
        }
        order = {p.name: days[p.slug] for p in shorter}
        scope = "" if title is None else f" as {title}"

        def explain(picks: Sequence[str]) -> str:
            terms = counts[person.name]
            across = (
                f", across {_NUMBER_WORDS[terms] if terms < 21 else terms} terms"
                if terms > 1
                else ""
            )
            runner_up = max(picks, key=lambda name: (order[name], name))
            return (
                f"{person.name} held the office{scope} for {lengths[person.name]} in total{across}; "
                f"the longest-serving of the other choices, {runner_up}, held it for "
                f"{lengths[runner_up]}."
            )

        about = {"variant": "office" if title is None else "title", "person": person.name}
        about["days"] = days[person.slug]
        if title is not None:
            about["office"] = title
        return self._variant(person.name, [p.name for p in shorter], about, explain=explain)

    def _tenure_text(self, person: _Person, title: str | None) -> str:
        key = (person.slug, title)
        if key not in self._tenure_texts:
            self._tenure_texts[key] = self._tenure_length(person, title)
        return self._tenure_texts[key]

    def _tenure_length(self, person: _Person, title: str | None) -> str:
        terms = [t for t in person.terms if title is None or t.title.name == title]
        merged: list[list[dt.date]] = []
        for term in terms:
            if merged and merged[-1][1] == term.start:
                merged[-1][1] = term.end
            else:
                merged.append([term.start, term.end])
        if len(merged) == 1:
            return _calendar_length(*merged[0])
        total = sum((end - start).days for start, end in merged)
        return f"{total:,} days"

    # -- title of a person ---------------------------------------------------------------------

    def _title_of_person(self):
        if len(self.titles) < 3:
            return [], "the office had fewer than three titles, too few for three choices"
        templates = []
        for holder in self.holders:
            held: list[str] = []
            for term in holder.terms:
                if term.title.name not in held:
                    held.append(term.title.name)
            variants = []
            for title in held:
                terms = [t for t in holder.terms if t.title.name == title]
                ranked = self._rank_titles(
                    terms[0].start.toordinal(), self._end(terms[-1].end), held
                )
                spans = " and ".join(_span_text(t.start, t.end) for t in terms)
                acting = "acting " if all(t.acting for t in terms) else ""
                text = f"{holder.name} held the office as {acting}{title} {spans}."
                others = [name for name in held if name != title]
                about = {"person": holder.name, "office": title}
                if others:
                    text += (
                        f" {holder.short} also held it as {_join(others)}, "
                        f"{'a title' if len(others) == 1 else 'titles'} not among the choices."
                    )
                    about["left_out"] = others
                variant = self._variant(title, ranked, about, text)
                if variant is not None:
                    variants.append(variant)
            if not variants:
                continue
            if len(held) == 1:
                prompt = f"Under which title did {holder.name} hold the {self.office}?"
            else:
                prompt = f"Under which of these titles did {holder.name} hold the {self.office}?"
            templates.append((prompt, tuple(variants)))
        return [_TemplatePool("title_of_person", templates)], (
            "too few titles to offer three choices"
        )

    # -- first holder --------------------------------------------------------------------------

    def _first_holders(self) -> tuple[dict[str, TermFact], dict[str, set[str]]]:
        """The first term under each title when one person alone started it that day, and
        everyone who started a term under each title on its first day."""
        firsts, openers = {}, {}
        for name, terms in self.title_terms.items():
            if not terms:
                continue
            openers[name] = {t.person.full_name for t in terms if t.start == terms[0].start}
            if len(openers[name]) == 1:
                firsts[name] = terms[0]
        return firsts, openers

    def _first_holder(self):
        if len(self.people) < 3:
            return [], "fewer than three people held the office, too few for three choices"
        if not self.stints:
            return [], "the office has no terms"
        firsts, openers = self._first_holders()
        titles = {t.name: t for t in self.titles}
        templates = []
        first = self.stints[0]
        office_openers = {t.person.full_name for t in self.terms if t.start == first.start}
        if len(office_openers) == 1:
            answer = first.person
            arguable = {
                name
                for title, names in openers.items()
                if titles[title].short_name == self.short_name or title == self.name
                for name in names
            }
            if first.acting:
                arguable.update(self._acting_after(first.start, {answer.name}))
            arguable.update(
                tied.name for tied, start, _, _ in self.de_facto if start <= first.start.toordinal()
            )
            arguable.discard(answer.name)
            ranked = self._rank_people(
                first.start.toordinal(),
                self._end(first.end),
                [answer.name, *sorted(arguable)],
            )
            term = first.terms[0]
            acting = "acting " if term.acting else ""
            text = (
                f"{answer.name} was the first holder of the office, as {acting}{term.title.name}, "
                f"from {format_date(term.start)}."
            )
            about = {
                "variant": "office",
                "person": answer.name,
                "office": term.title.name,
                "date": term.start.isoformat(),
            }
            if arguable:
                about["left_out"] = sorted(arguable)
            variant = self._variant(answer.name, ranked, about, text)
            if variant is not None:
                templates.append(
                    (
                        f"Who was the first holder of the {self.office}, under any of its titles?",
                        (variant,),
                    )
                )
        for name, term in firsts.items():
            if term is self.terms[0]:
                continue  # the same fact as the office's first holder
            title = titles[name]
            answer_name = term.person.full_name
            arguable = {
                person
                for other, names in openers.items()
                if other != name and titles[other].short_name == title.short_name
                for person in names
            }
            if title.short_name == self.short_name or name == self.name:
                arguable.update(office_openers)
            # Someone who led the office de facto just before a title's first use (Malenkov,
            # "first in the Secretariat" until the First Secretary's office began) reads as
            # arguably its first holder, so is never offered as wrong.
            opened = term.start.toordinal()
            arguable.update(
                tied.name
                for tied, start, end, _ in self.de_facto
                if start <= opened and end >= opened - 366 * _DE_FACTO_LEAD_YEARS
            )
            if term.acting:
                later = [t for t in self.title_terms[name] if t.start > term.start]
                for other in later:
                    arguable.add(other.person.full_name)
                    if not other.acting:
                        break
            arguable.discard(answer_name)
            ranked = self._rank_people(
                term.start.toordinal(), self._end(term.end), [answer_name, *sorted(arguable)]
            )
            text = (
                f"{answer_name} was the first to hold the office as {name}, "
                f"from {format_date(term.start)}."
            )
            about = {
                "variant": "title",
                "person": answer_name,
                "office": name,
                "date": term.start.isoformat(),
            }
            if arguable:
                about["left_out"] = sorted(arguable)
            variant = self._variant(answer_name, ranked, about, text)
            if variant is not None:
                label = self.title_label[name]
                templates.append(
                    (f"Who was the first to hold the office under the title “{label}”?", (variant,))
                )
        return [_TemplatePool("first_holder", templates)], (
            "too few other people to offer three choices"
        )

    # -- acting --------------------------------------------------------------------------------

    def _acting(self):
        only_acting = [p for p in self.holders if all(t.acting for t in p.terms) and not p.de_facto]
        if not only_acting:
            return [], "no holder served only as acting holder"
        never_acting = [
            p for p in self.holders if not any(t.acting for t in p.terms) and not p.de_facto
        ]
        variants = []
        for person in only_acting:
            term = person.terms[0]
            ranked = self._rank_people(
                term.start.toordinal(),
                self._end(person.terms[-1].end),
                [person.name],
                among=never_acting,
            )
            spans = " and ".join(_span_text(t.start, t.end) for t in person.terms)
            text = (
                f"{person.name} was acting {term.title.name} {spans}; the other choices held the "
                "office in their own right."
            )
            about = {
                "person": person.name,
                "office": term.title.name,
                "date": term.start.isoformat(),
            }
            variant = self._variant(person.name, ranked, about, text)
            if variant is not None:
                variants.append(variant)
        templates = []
        if variants:
            templates.append(
                (
                    f"Which of these people held the {self.office} only in an acting capacity?",
                    tuple(variants),
                )
            )
        return [_TemplatePool("acting", templates)], (
            "fewer than two holders who never acted, too few for three choices"
        )


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


def _freeze(about: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(
        (key, tuple(value) if isinstance(value, list) else value) for key, value in about.items()
    )


def _subtract(first: int, last: int, blocked: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of [first, last] outside every blocked span (all ends included)."""
    pieces = []
    cursor = first
    for start, end in sorted(blocked):
        if end < cursor:
            continue
        if start > last:
            break
        if start > cursor:
            pieces.append((cursor, min(start - 1, last)))
        cursor = max(cursor, end + 1)
        if cursor > last:
            break
    if cursor <= last:
        pieces.append((cursor, last))
    return pieces


# ----------------------------------------------------------------------------------------------
# Caching: by identity first (free), then by value (hashing frozen facts costs ~20 µs).

_build_index = functools.lru_cache(maxsize=32)(_Index)
_BY_ID: dict[int, tuple[weakref.ref, _Index]] = {}


def _index_for(facts: PositionFacts) -> _Index:
    key = id(facts)
    hit = _BY_ID.get(key)
    if hit is not None and hit[0]() is facts:
        return hit[1]
    index = _build_index(facts)
    try:
        ref = weakref.ref(facts, lambda _, key=key: _BY_ID.pop(key, None))
    except TypeError:
        return index
    _BY_ID[key] = (ref, index)
    return index
