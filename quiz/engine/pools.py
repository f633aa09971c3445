"""Pools of distinct questions a kind can ask, and drawing from them without repeats.

A pool has a size (its number of distinct prompts) and builds question i on demand. Template
pools know their prompts in advance; day pools have one prompt per eligible day, built when
drawn, so a kind can offer tens of thousands of questions without building them.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from quiz.engine.ranking import Windows
from quiz.engine.types import About, Difficulty, Question

FrozenAbout = tuple[tuple[str, Any], ...]


def freeze(about: dict[str, Any]) -> FrozenAbout:
    """An About as a hashable tuple (lists as tuples), to share between questions."""
    return tuple(
        (key, tuple(value) if isinstance(value, list) else value) for key, value in about.items()
    )


def thaw(about: FrozenAbout) -> About:
    """A fresh About from its frozen form (tuples back to lists)."""
    return {key: list(value) if isinstance(value, tuple) else value for key, value in about}  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class Variant:
    """One right answer to a prompt, with what to draw wrong choices from."""

    answer: str
    about: FrozenAbout
    windows: Windows
    need: int
    explanation: str = ""
    explain: Callable[[Sequence[str]], str] | None = None
    years: tuple[str, ...] = ()  # a year question: every wrong year in reach, nearest first
    # How the choices read (title choices: short names where unambiguous), by difficulty.
    show: Callable[[Sequence[str], Difficulty], tuple[str, ...]] | None = None
    fewer_when_easy: bool = False  # easy questions offer two wrong choices, not three
    # Choices in this order (bands of years) rather than shuffled.
    order: Callable[[str], Any] | None = None
    accepted: tuple[str, ...] = ()  # a typed question: no choices, these folded names are right

    @property
    def fact_key(self) -> str:
        return dict(self.about)["fact_key"]


def easy_need(need: int, level: Difficulty, fewer_when_easy: bool) -> int:
    """How many wrong choices a question offers at its level."""
    return min(need, 2) if fewer_when_easy and level == Difficulty.EASY else need


def pick_years(
    window: Sequence[str], in_reach: Sequence[str], answer: str, need: int, rng: random.Random
) -> list[str]:
    """Wrong years such that the answer is the earliest, the latest or any place between
    equally often, as far as the position's lifetime allows: a choice never gives itself away
    by its rank. Each side draws from the level's window, topped up, when the window is short
    on that side, with the years in reach nearest to it."""
    year = int(answer)
    reach_below = [y for y in in_reach if int(y) < year]
    reach_above = [y for y in in_reach if int(y) > year]
    ranks = [r for r in range(need + 1) if r <= len(reach_below) and need - r <= len(reach_above)]
    r = ranks[rng.randrange(len(ranks))]
    band = statistics.mean(abs(int(y) - year) for y in window)

    def side(count: int, reach: list[str]) -> list[str]:
        own = [y for y in window if y in reach]
        if len(own) >= count:
            return rng.sample(own, count)
        rest = sorted(
            (y for y in reach if y not in own), key=lambda y: (abs(abs(int(y) - year) - band), y)
        )
        return own + rest[: count - len(own)]

    return side(r, reach_below) + side(need - r, reach_above)


def emit(kind: str, prompt: str, variant: Variant, rng: random.Random, level: Difficulty):
    """The question: wrong choices drawn from the level's window, then the order."""
    if variant.accepted:
        about = thaw(variant.about)
        return Question(
            kind, prompt, (), variant.answer, variant.explanation, about, variant.accepted
        )
    need = easy_need(variant.need, level, variant.fewer_when_easy)
    if variant.years:
        picks = pick_years(variant.windows[level], variant.years, variant.answer, need, rng)
        choices = sorted([*picks, variant.answer], key=int)
    else:
        picks = rng.sample(variant.windows[level], need)
        choices = [*picks, variant.answer]
        if variant.order is not None:
            choices.sort(key=variant.order)
        else:
            rng.shuffle(choices)
    explanation = variant.explain(picks) if variant.explain is not None else variant.explanation
    shown = tuple(choices) if variant.show is None else variant.show(choices, level)
    answer = shown[choices.index(variant.answer)]
    return Question(kind, prompt, shown, answer, explanation, thaw(variant.about))


class Pool(Protocol):
    """What the mix draws from: `size` distinct prompts, about the facts in `facts`."""

    kind: str
    size: int
    facts: dict[str, Any]  # fact key -> how the pool finds that fact's prompts

    def question(self, i: int, rng: random.Random, level: Difficulty) -> Question: ...

    def question_about(
        self, fact: str, rng: random.Random, level: Difficulty, asked: set[str]
    ) -> Question | None:
        """A question about the fact whose prompt is not in `asked`, or None."""


class TemplatePool:
    """Prompts known in advance, each with one or more right answers."""

    def __init__(self, kind: str, templates: list[tuple[str, tuple[Variant, ...]]]) -> None:
        self.kind, self.templates, self.size = kind, templates, len(templates)
        # fact key -> (template, variant) pairs that ask it
        self.facts: dict[str, list[tuple[int, int]]] = {}
        for i, (_, variants) in enumerate(templates):
            for j, variant in enumerate(variants):
                self.facts.setdefault(variant.fact_key, []).append((i, j))

    def question(self, i: int, rng: random.Random, level: Difficulty) -> Question:
        prompt, variants = self.templates[i]
        variant = variants[rng.randrange(len(variants))] if len(variants) > 1 else variants[0]
        return emit(self.kind, prompt, variant, rng, level)

    def question_variant(self, i: int, j: int, rng: random.Random, level: Difficulty) -> Question:
        """Prompt i with its variant j."""
        prompt, variants = self.templates[i]
        return emit(self.kind, prompt, variants[j], rng, level)

    def question_about(
        self, fact: str, rng: random.Random, level: Difficulty, asked: set[str]
    ) -> Question | None:
        """A question about the fact whose prompt is not in `asked`, or None.

        Prompts that ask this fact alone come first: a prompt shared with other facts (one
        "Which of these ..." prompt, a variant per right answer) may be the only way to ask them.
        """
        entries = self.facts.get(fact, ())
        private = [(i, j) for i, j in entries if len(self.templates[i][1]) == 1]
        fresh = [(i, j) for i, j in private if self.templates[i][0] not in asked] or [
            (i, j) for i, j in entries if self.templates[i][0] not in asked
        ]
        if not fresh:
            return None
        i, j = fresh[rng.randrange(len(fresh))] if len(fresh) > 1 else fresh[0]
        prompt, variants = self.templates[i]
        return emit(self.kind, prompt, variants[j], rng, level)


class DaySpanLike(Protocol):
    first: int
    last: int
    fact_key: str


class DayPool:
    """One prompt per eligible day, built when drawn."""

    def __init__(
        self,
        kind: str,
        spans: Sequence[DaySpanLike],
        make: Callable[..., Question],
        index: Any,
    ) -> None:
        self.kind, self.spans, self.make, self.index = kind, spans, make, index
        self.offsets: list[int] = []
        # fact key -> the positions of its spans in `spans`
        self.facts: dict[str, list[int]] = {}
        total = 0
        for k, span in enumerate(spans):
            self.offsets.append(total)
            total += span.last - span.first + 1
            self.facts.setdefault(span.fact_key, []).append(k)
        self.size = total

    def question(self, i: int, rng: random.Random, level: Difficulty) -> Question:
        k = bisect.bisect_right(self.offsets, i) - 1
        span = self.spans[k]
        day = dt.date.fromordinal(span.first + i - self.offsets[k])
        return self.make(self, span, day, rng, level)

    _TRIES = 8  # random days to try before giving up on a fact whose days are nearly all asked

    def question_about(
        self, fact: str, rng: random.Random, level: Difficulty, asked: set[str]
    ) -> Question | None:
        """A question on a day drawn evenly from the fact's days, its prompt not in `asked`."""
        spans = [self.spans[k] for k in self.facts.get(fact, ())]
        if not spans:
            return None
        lengths = list(itertools.accumulate(span.last - span.first + 1 for span in spans))
        for _ in range(self._TRIES):
            r = rng.randrange(lengths[-1])
            k = bisect.bisect_right(lengths, r)
            span = spans[k]
            day = dt.date.fromordinal(span.last - (lengths[k] - 1 - r))
            question = self.make(self, span, day, rng, level)
            if question.prompt not in asked:
                return question
        return None


class Draw:
    """Draws pool indexes without replacement, deterministically from the rng."""

    __slots__ = ("pool", "rest", "used")

    def __init__(self, pool: Pool) -> None:
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
