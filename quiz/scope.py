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

A few "Which of these ..." prompts come in variants about different people or titles, and the
engine draws one per call; small kinds are generated in several passes so that the variants
inside the scope turn up. The admin checks a set strictly, with a fixed seed; an attempt takes
the questions there are (``strict=False``), so it is never refused over a variant that didn't.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from dataclasses import dataclass

from history.facts import PositionFacts
from quiz.engine import KINDS, Difficulty, EngineError, Question, generate_questions
from quiz.engine import distinct_question_count as _capacity

# A kind with at most this many distinct questions is generated whole and then filtered; a
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
) -> list[Question]:
    """`count` distinct questions of one kind inside the scope, in random order.

    When there are fewer, raises TooFewQuestions if strict, else returns those there are.
    Raises EngineError when the kind can't be asked about the position at all.
    """
    if count <= 0:
        return []
    capacity = _capacity(facts, [kind])
    if scope.is_everything:
        if count > capacity:
            if strict:
                raise TooFewQuestions(kind, capacity, count, scoped=False)
            count = capacity
        return generate_questions(facts, rng=rng, count=count, kinds=[kind], difficulty=difficulty)
    found: dict[str, Question] = {}

    def take(size: int) -> None:
        for question in generate_questions(
            facts, rng=rng, count=size, kinds=[kind], difficulty=difficulty
        ):
            if question.prompt not in found and covers(scope, question, facts):
                found[question.prompt] = question

    if capacity > WHOLE_KIND_LIMIT:
        # One kind's questions come in the same order however many are asked for: from the same
        # state, the whole kind starts with the sample, so the sample is only a shortcut.
        state = rng.getstate()
        take(min(capacity, max(WHOLE_KIND_LIMIT, SAMPLE_PER_QUESTION * count)))
        if len(found) < count:
            rng.setstate(state)
            take(capacity)
    else:
        # A "Which of these ..." prompt comes in variants about different people or titles, and
        # a call draws one: more passes let the variants inside the scope turn up.
        for _ in range(max(1, min(MAX_PASSES, MAX_PASS_QUESTIONS // capacity))):
            take(capacity)
            if len(found) >= count:
                break
    chosen = list(found.values())[:count]
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
    """The questions a set generates: each kind's count, inside the scope, in the engine's kind order."""
    unknown = sorted(set(counts) - set(KINDS))
    if unknown:
        raise EngineError(f"Unknown question kind {unknown[0]!r}; known kinds: {', '.join(KINDS)}.")
    questions: list[Question] = []
    for kind in KINDS:
        questions += scoped_questions(
            facts,
            scope=scope,
            kind=kind,
            count=counts.get(kind, 0),
            difficulty=difficulty,
            rng=rng,
            strict=strict,
        )
    return questions
