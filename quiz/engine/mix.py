"""The weighted mix: which kind, which fact and which prompt each question of a call takes.

Two modes. A quiz asks each fact at most once: "Who was General Secretary in 1977?" and "Which
title did the party's leading secretary bear in 1977?" are one fact, so a quiz asks one. A
list (an export) asks each prompt at most once and may come back to a fact in another form.

In a quiz, the kind is drawn first, weighted by the square root of its number of facts, then
one of its unasked facts evenly (so the date questions are spread over the terms, not weighted
by days in office), preferring facts the student was not asked recently, then one of that
fact's prompts not yet used. A quiz can ask as many questions as the facts admit, found by a
matching of facts to prompts (two facts that only one prompt asks, such as two deaths in the
same year, count once); should the random draw paint itself into a corner, the matching itself
supplies the rest, so a quiz within capacity is never refused.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Collection, Sequence

from quiz.engine.pools import DayPool, Draw, Pool
from quiz.engine.prepared import Prepared
from quiz.engine.types import Difficulty, EngineError, Question


def by_prompt(
    prepared: Prepared, chosen: Sequence[str], rng: random.Random, count: int, level: Difficulty
) -> list[Question]:
    """`count` questions with distinct prompts, kinds drawn by weight until each runs out."""
    draws = {kind: [Draw(pool) for pool in prepared.pools[kind]] for kind in chosen}
    questions: list[Question] = []
    seen: set[str] = set()
    active = list(chosen)
    cumulative = list(itertools.accumulate(prepared.weights[kind] for kind in active))
    while len(questions) < count:
        if not active:
            raise EngineError(f"Ran out of distinct questions about {prepared.index.name}.")
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
            cumulative = list(itertools.accumulate(prepared.weights[kind] for kind in active))
    return questions


def fact_capacity(prepared: Prepared, chosen: Sequence[str], avoid: Collection[str]) -> int:
    """How many questions about different facts the kinds can ask together."""
    return len(_matching(prepared, chosen, avoid))


def by_fact(
    prepared: Prepared,
    chosen: Sequence[str],
    rng: random.Random,
    count: int,
    level: Difficulty,
    avoid: Collection[str],
    recent: Collection[str],
) -> list[Question]:
    """`count` questions about different facts (none in `avoid`), the recent ones last."""
    used = set(avoid)
    asked: set[str] = set()
    # Per kind, the facts still to draw from, and those asked recently, kept for last. A fact
    # asked meanwhile (by another kind) is dropped, and a recent one set aside, when drawn, so a
    # draw costs the same however many facts the position has.
    fresh = {kind: list(prepared.facts[kind]) for kind in chosen}
    stale: dict[str, list[str]] = {kind: [] for kind in chosen}
    questions: list[Question] = []
    while len(questions) < count:
        kinds = [kind for kind in chosen if fresh[kind]] or [kind for kind in chosen if stale[kind]]
        if not kinds:
            return _by_matching(prepared, chosen, rng, count, level, avoid)
        cumulative = list(itertools.accumulate(prepared.fact_weights[kind] for kind in kinds))
        kind = kinds[bisect.bisect_right(cumulative, rng.randrange(cumulative[-1]))]
        facts = fresh[kind] or stale[kind]
        i = rng.randrange(len(facts))
        fact = facts[i]
        facts[i] = facts[-1]
        facts.pop()
        if fact in used:
            continue
        if facts is fresh[kind] and fact in recent:
            stale[kind].append(fact)
            continue
        question = _ask(prepared.facts[kind][fact], fact, rng, level, asked)
        if question is None:
            continue  # no prompt of this kind left for it; another kind may still ask it
        used.add(fact)
        asked.add(question.prompt)
        questions.append(question)
    return questions


def _ask(
    pools: Sequence[Pool], fact: str, rng: random.Random, level: Difficulty, asked: set[str]
) -> Question | None:
    order = rng.sample(range(len(pools)), len(pools)) if len(pools) > 1 else [0]
    if level != Difficulty.MEDIUM:
        # Easy asks by the year, hard by the exact day, where a fact can be asked both ways.
        by_day = level == Difficulty.HARD
        order.sort(key=lambda position: isinstance(pools[position], DayPool) != by_day)
    for position in order:
        question = pools[position].question_about(fact, rng, level, asked)
        if question is not None:
            return question
    return None


def _by_matching(
    prepared: Prepared,
    chosen: Sequence[str],
    rng: random.Random,
    count: int,
    level: Difficulty,
    avoid: Collection[str],
) -> list[Question]:
    """The fallback: each fact asked by the prompt the matching gave it."""
    matching = _matching(prepared, chosen, avoid)
    if len(matching) < count:
        raise EngineError(
            f"Only {len(matching)} questions about different facts of {prepared.index.name} "
            f"can be asked; {count} were asked for."
        )
    facts = list(matching)
    rng.shuffle(facts)
    questions = []
    for fact in facts[:count]:
        _, pool, i, j = matching[fact]
        if i is None:
            question = pool.question_about(fact, rng, level, set())
        else:
            question = pool.question_variant(i, j, rng, level)
        questions.append(question)
    return questions


def _matching(prepared: Prepared, chosen: Sequence[str], avoid: Collection[str]) -> dict:
    """A maximum matching of facts to prompts: fact -> (kind, pool, template, variant).

    A fact a day pool asks has prompts of its own (a day belongs to one term), so it is matched
    at once (template None). The others are matched to template prompts by augmenting paths.
    """
    key = (tuple(chosen), frozenset(avoid))
    cached = prepared.matchings.get(key)
    if cached is not None:
        return cached
    matched: dict[str, tuple] = {}
    for kind in chosen:
        for fact, pools in prepared.facts[kind].items():
            day_pools = [pool for pool in pools if not hasattr(pool, "templates")]
            if fact not in avoid and fact not in matched and day_pools:
                matched[fact] = (kind, day_pools[0], None, None)
    edges: dict[str, list[tuple]] = {}
    for kind in chosen:
        for fact, pools in prepared.facts[kind].items():
            if fact in avoid or fact in matched:
                continue
            for pool in pools:
                edges.setdefault(fact, []).extend(
                    (kind, pool, i, j, (kind, id(pool), i)) for i, j in pool.facts[fact]
                )
    owner: dict[tuple, str] = {}  # prompt -> fact
    choice: dict[str, tuple] = {}

    def augment(fact: str, seen: set) -> bool:
        for kind, pool, i, j, prompt in edges[fact]:
            if prompt in seen:
                continue
            seen.add(prompt)
            if prompt not in owner or augment(owner[prompt], seen):
                owner[prompt] = fact
                choice[fact] = (kind, pool, i, j)
                return True
        return False

    for fact in edges:
        if fact not in matched:
            augment(fact, set())
    result = {**matched, **{fact: choice[fact] for fact in edges if fact in choice}}
    if len(prepared.matchings) > 64:
        prepared.matchings.clear()
    prepared.matchings[key] = result
    return result
