"""A question set's generated questions, kept to its scope (pure Python, no Django).

A scope narrows what the questions are *about* (some titles, a span of dates); it never narrows
the facts they are generated from. Facts cut down to the scope make false questions: with only
the two "General Secretary" titles' terms left, the engine asks "Who succeeded Joseph Stalin?"
and marks Leonid Brezhnev right, offers 1964 as a wrong year for Brezhnev taking office, and
names Stalin the office's first holder. So the engine always sees the whole position, which
keeps every question unambiguous, and a question is kept when its subject lies in the scope:

- titles: the title the question names (``about["office"]``), or, when it names none, any title
  its person held;
- dates: the day the question is about (a handover, a start, a death, a date asked about), or
  the year it asks about, or, when it has no day, any of its person's terms (under its title).

A set asks each fact once, across all its kinds ("Who held the office in 1977?" and "Under
which title did Leonid Brezhnev hold it?" are one fact), so a kind draws from the facts the kinds
before it left. Scoped, a kind is listed by prompt (every form of every fact), filtered to the
scope, and one question kept per fact; "Which of these ..." prompts come in variants about
different people or titles, and the engine draws one per call, so small kinds are listed in
several passes for the variants inside the scope to turn up. The admin checks a set strictly,
with a fixed seed; an attempt takes the questions there are (``strict=False``), so it is never
refused over a variant that didn't.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from history.facts import PositionFacts
from quiz.engine import (
    KINDS,
    Difficulty,
    EngineError,
    Question,
    available_kinds,
    generate_questions,
    kind_facts,
)
from quiz.engine import distinct_question_count as _capacity

# A kind with at most this many distinct questions is listed whole and then filtered; a
# bigger one (the date forms run to tens of thousands) is sampled first, whole only if need be.
WHOLE_KIND_LIMIT = 2000
SAMPLE_PER_QUESTION = 40
# Passes over a small kind, while short: "Which of these ..." prompts have up to a dozen variants.
MAX_PASSES = 64
MAX_PASS_QUESTIONS = 20_000


@dataclass(frozen=True)
class Scope:
    """Which titles (by full name) and which span of days questions may be about; empty: any."""

    titles: frozenset[str] = frozenset()
    start: dt.date | None = None
    end: dt.date | None = None

    @property
    def is_everything(self) -> bool:
        return not self.titles and self.start is None and self.end is None

    def overlaps(self, first: dt.date, last: dt.date | None) -> bool:
        """Whether the days from first to last (open-ended if None) meet the scope's span."""
        return (self.end is None or first <= self.end) and (
            self.start is None or last is None or last >= self.start
        )


class TooFewQuestions(EngineError):
    """Fewer distinct questions of a kind exist (inside the scope, if scoped) than were asked for."""

    def __init__(self, kind: str, available: int, asked: int, *, scoped: bool) -> None:
        where = "lie within the scope" if scoped else "can be asked about the position"
        super().__init__(
            f"Only {available} question{'s' if available != 1 else ''} of kind {kind!r} {where}; "
            f"{asked} were asked for."
        )
        self.kind, self.available, self.asked, self.scoped = kind, available, asked, scoped


def covers(scope: Scope, question: Question, facts: PositionFacts) -> bool:
    """Whether the question is about something inside the scope."""
    if scope.is_everything:
        return True
    about = question.about
    office = about.get("office")
    person = about.get("person")
    terms = [
        term
        for term in facts.terms
        if term.person.full_name == person and (office is None or term.title.name == office)
    ]
    if scope.titles:
        titles = {office} if office else {term.title.name for term in terms}
        if not titles & scope.titles:
            return False
    if scope.start is not None or scope.end is not None:
        day = about.get("took_office") or about.get("date")
        if day:
            spans = [(dt.date.fromisoformat(day), dt.date.fromisoformat(day))]
        elif about.get("year"):
            year = int(about["year"])
            spans = [(dt.date(year, 1, 1), dt.date(year, 12, 31))]
        else:
            spans = [(term.start, term.end) for term in terms]
        if not any(scope.overlaps(first, last) for first, last in spans):
            return False
    return True


def scoped_questions(
    facts: PositionFacts,
    *,
    scope: Scope,
    kind: str,
    count: int,
    difficulty: Difficulty | str,
    rng: random.Random,
    strict: bool = True,
    avoid_facts: Collection[str] = frozenset(),
    spare_facts: Collection[str] = frozenset(),
) -> list[Question]:
    """`count` questions of one kind inside the scope, each about a different fact (none of
    `avoid_facts`, and those of `spare_facts` only when the others run out), in random order.

    When there are fewer, raises TooFewQuestions if strict, else returns those there are.
    Raises EngineError when the kind can't be asked about the position at all.
    """
    if count <= 0:
        return []
    capacity = _capacity(facts, [kind], avoid_facts=avoid_facts)
    if scope.is_everything:
        if count > capacity:
            if strict:
                raise TooFewQuestions(kind, capacity, count, scoped=False)
            count = capacity
        return generate_questions(
            facts,
            rng=rng,
            count=count,
            kinds=[kind],
            difficulty=difficulty,
            avoid_facts=avoid_facts,
            recent_facts=spare_facts,
        )
    found: dict[str, Question] = {}  # by fact key
    prompts = _capacity(facts, [kind], repeat_facts=True)

    def take(size: int) -> None:
        for question in generate_questions(
            facts, rng=rng, count=size, kinds=[kind], difficulty=difficulty, repeat_facts=True
        ):
            fact = question.about["fact_key"]
            if fact not in avoid_facts and fact not in found and covers(scope, question, facts):
                found[fact] = question

    def enough() -> bool:
        return sum(fact not in spare_facts for fact in found) >= count

    if prompts > WHOLE_KIND_LIMIT:
        # One kind's questions come in the same order however many are asked for: from the same
        # state, the whole kind starts with the sample, so the sample is only a shortcut.
        state = rng.getstate()
        take(min(prompts, max(WHOLE_KIND_LIMIT, SAMPLE_PER_QUESTION * count)))
        if not enough():
            rng.setstate(state)
            take(prompts)
    else:
        for _ in range(max(1, min(MAX_PASSES, MAX_PASS_QUESTIONS // prompts))):
            take(prompts)
            if enough():
                break
    ordered = sorted(found.items(), key=lambda item: item[0] in spare_facts)
    chosen = [question for _, question in ordered[:count]]
    if len(chosen) < count and strict:
        raise TooFewQuestions(kind, len(chosen), count, scoped=True)
    return chosen


def generated_questions(
    facts: PositionFacts,
    *,
    scope: Scope,
    counts: Mapping[str, int],
    difficulty: Difficulty | str,
    rng: random.Random,
    strict: bool = True,
) -> list[Question]:
    """The questions a set generates: each kind's count, inside the scope, in the engine's kind
    order, no fact asked twice (a kind draws from the facts the kinds before it left)."""
    unknown = sorted(set(counts) - set(KINDS))
    if unknown:
        raise EngineError(f"Unknown question kind {unknown[0]!r}; known kinds: {', '.join(KINDS)}.")
    drawn: dict[str, list[Question]] = {}
    asked: set[str] = set()
    order = allocation_order(facts, counts)
    for position, kind in enumerate(order):
        wanted_later = facts_of_kinds(facts, order[position + 1 :])
        drawn[kind] = scoped_questions(
            facts,
            scope=scope,
            kind=kind,
            count=counts.get(kind, 0),
            difficulty=difficulty,
            rng=rng,
            strict=strict,
            avoid_facts=frozenset(asked),
            spare_facts=frozenset(wanted_later),
        )
        asked.update(question.about["fact_key"] for question in drawn[kind])
    return [question for kind in KINDS for question in drawn.get(kind, [])]


def allocation_order(facts: PositionFacts, counts: Mapping[str, int]) -> list[str]:
    """The kinds a set asks, tightest first (fewest facts to spare), so that a kind drawing
    from facts another kind also needs leaves that kind enough."""
    asked = [kind for kind in KINDS if counts.get(kind, 0) > 0]
    spare = {
        kind: (_capacity(facts, [kind]) if fact_keys_known(facts, kind) else 0) - counts[kind]
        for kind in asked
    }
    return sorted(asked, key=lambda kind: (spare[kind], KINDS.index(kind)))


def fact_keys_known(facts: PositionFacts, kind: str) -> bool:
    """Whether the kind can be asked about the position at all."""
    return available_kinds(facts)[kind] is None


def facts_of_kinds(facts: PositionFacts, kinds: list[str]) -> set[str]:
    """Every fact the kinds can ask about."""
    return {
        fact for kind in kinds if fact_keys_known(facts, kind) for fact in kind_facts(facts, kind)
    }
