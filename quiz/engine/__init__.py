"""Multiple-choice questions about one position, built from its frozen facts (no Django here).

`generate_questions(facts, rng=random.Random(seed), count=...)` returns `Question`s. The same facts
and seed give the same questions, byte for byte; nothing iterates a set or reads the clock.

Never ambiguous. Every question has exactly one right choice by the data, and no choice that a
reasonable other reading would make right. Each kind's rules are the docstring of its module in
`kinds/`; `registry.py` lists the kinds, and every list of kinds (KINDS, labels, form choices)
derives from it. The shared pieces: `index.py` (people, stints, titles, ranking by nearness in
time), `days.py` (the days and years that may be asked about), `handover.py` (successions),
`ranking.py` (wrong choices per difficulty), `pools.py` (drawing without repeats), `text.py`
(wording), `keys.py` (fact keys).

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

Wording. Prompts are short enough for a phone and name the post as it was called at the time
they ask about: "Who was Responsible Secretary in 1920?", "Who succeeded Yuri Andropov as
General Secretary?". Where a question spans titles or names none, it names the holder by the
position's role ("Which title did the party's leading secretary bear in 1937?", "... under any
title"), so a prompt never names a title that does not cover its answer. Title choices give a
short name only where no other title goes by it, and every title in full on hard questions;
`about["office"]` and the explanation keep the full title. Explanations name each person in full
once, then by short name, and use no pronouns: the data does not say who is "he" or "she".

Speed: everything that does not depend on the random draw is computed once per facts object
(`prepared.py`, cached by identity and by value), so a question costs a few dictionary look-ups,
one sample and one shuffle.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence

from history.facts import PositionFacts
from quiz.engine import mix
from quiz.engine.prepared import Prepared, prepared_for
from quiz.engine.registry import KIND_LABELS, KINDS, REGISTRY, kind_choices
from quiz.engine.types import About, Difficulty, EngineError, Question

__all__ = [
    "KINDS",
    "KIND_LABELS",
    "REGISTRY",
    "About",
    "Difficulty",
    "EngineError",
    "Question",
    "available_kinds",
    "distinct_question_count",
    "generate_questions",
    "kind_choices",
    "kind_facts",
]


def available_kinds(facts: PositionFacts) -> dict[str, str | None]:
    """Every kind, mapped to None when it can be asked about the position, else the reason."""
    return dict(prepared_for(facts).reasons)


def distinct_question_count(
    facts: PositionFacts,
    kinds: Sequence[str] | None = None,
    *,
    repeat_facts: bool = False,
    avoid_facts: Collection[str] = (),
) -> int:
    """How many questions the kinds can give for the position: about different facts (none in
    `avoid_facts`), or with `repeat_facts` simply with different prompts."""
    prepared = prepared_for(facts)
    chosen = _resolve_kinds(prepared, kinds)
    if repeat_facts:
        return sum(prepared.sizes[kind] for kind in chosen)
    return mix.fact_capacity(prepared, chosen, frozenset(avoid_facts))


def kind_facts(facts: PositionFacts, kind: str) -> tuple[str, ...]:
    """The keys of the facts a kind can ask about the position (none when it can't be asked)."""
    prepared = prepared_for(facts)
    if kind not in prepared.facts:
        raise EngineError(f"Unknown question kind {kind!r}; known kinds: {', '.join(KINDS)}.")
    return tuple(prepared.facts[kind])


def generate_questions(
    facts: PositionFacts,
    *,
    rng: random.Random,
    count: int,
    kinds: Sequence[str] | None = None,
    difficulty: Difficulty = Difficulty.MEDIUM,
    repeat_facts: bool = False,
    avoid_facts: Collection[str] = (),
    recent_facts: Collection[str] = (),
) -> list[Question]:
    """`count` questions of the given kinds (default: every askable kind), mixed (see mix.py).

    Each about a different fact, none in `avoid_facts`, those in `recent_facts` only when the
    others run out; with `repeat_facts`, each with a different prompt (a list, not a quiz).
    """
    prepared = prepared_for(facts)
    level = _difficulty(difficulty)
    chosen = _resolve_kinds(prepared, kinds)
    if isinstance(count, bool) or not isinstance(count, int):
        raise EngineError(f"The count must be a whole number, not {count!r}.")
    if count < 0:
        raise EngineError(f"The count cannot be negative ({count}).")
    avoid = frozenset(avoid_facts)
    capacity = (
        sum(prepared.sizes[kind] for kind in chosen)
        if repeat_facts
        else mix.fact_capacity(prepared, chosen, avoid)
    )
    if count > capacity:
        raise EngineError(
            f"Only {capacity:,} distinct question{'s' if capacity != 1 else ''} of "
            f"{'this kind' if len(chosen) == 1 else 'these kinds'} can be asked about "
            f"{facts.name}; {count} were asked for."
        )
    if not repeat_facts:
        return mix.by_fact(prepared, chosen, rng, count, level, avoid, frozenset(recent_facts))
    return mix.by_prompt(prepared, chosen, rng, count, level)


def _difficulty(value: Difficulty | str) -> Difficulty:
    try:
        return Difficulty(value)
    except ValueError:
        known = ", ".join(level.value for level in Difficulty)
        raise EngineError(f"Unknown difficulty {value!r}; choose one of: {known}.") from None


def _resolve_kinds(prepared: Prepared, kinds: Sequence[str] | None) -> list[str]:
    if kinds is None:
        chosen = [kind for kind in KINDS if prepared.reasons[kind] is None]
        if not chosen:
            raise EngineError(
                f"No question can be asked about {prepared.index.name}: too few facts."
            )
        return chosen
    if isinstance(kinds, str):
        kinds = [kinds]
    chosen = []
    for kind in kinds:
        if kind not in prepared.reasons:
            raise EngineError(f"Unknown question kind {kind!r}; known kinds: {', '.join(KINDS)}.")
        reason = prepared.reasons[kind]
        if reason is not None:
            raise EngineError(f"Questions of kind {kind!r} cannot be asked: {reason}.")
        if kind not in chosen:
            chosen.append(kind)
    if not chosen:
        raise EngineError("No question kind was given.")
    return chosen
