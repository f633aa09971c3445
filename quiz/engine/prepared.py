"""A position's index and every kind's pools, built once per facts object and cached."""

from __future__ import annotations

import functools
import math
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field

from history.facts import PositionFacts
from quiz.engine.index import PositionIndex
from quiz.engine.pools import Pool
from quiz.engine.registry import REGISTRY

_KIND_WEIGHT_CAP = 50  # a kind with 25 or more distinct questions weighs as much as any other


def kind_weight(size: int) -> int:
    """How often a kind is drawn: ten times the square root of its size, whole, capped."""
    return max(1, min(_KIND_WEIGHT_CAP, math.isqrt(100 * size)))


@dataclass(frozen=True)
class Prepared:
    """Everything about one position that does not depend on the random draw."""

    index: PositionIndex
    pools: dict[str, Sequence[Pool]]
    reasons: dict[str, str | None]
    sizes: dict[str, int]  # distinct prompts per kind
    weights: dict[str, int]
    facts: dict[str, dict[str, list[Pool]]]  # per kind: fact key -> the pools that ask it
    fact_weights: dict[str, int]
    matchings: dict = field(default_factory=dict)  # see mix._matching

    def fact_count(self, kinds: Sequence[str]) -> int:
        """How many different facts the kinds ask about together (kinds share facts)."""
        return len({fact for kind in kinds for fact in self.facts[kind]})


def prepare(facts: PositionFacts) -> Prepared:
    """Index the facts and build every kind's pools."""
    index = PositionIndex(facts)
    pools: dict[str, Sequence[Pool]] = {}
    reasons: dict[str, str | None] = {}
    for name, kind in REGISTRY.items():
        built, reason = kind.build(index)
        built = [pool for pool in built if pool.size]
        pools[name] = built
        reasons[name] = None if built else reason
    sizes = {name: sum(pool.size for pool in kind_pools) for name, kind_pools in pools.items()}
    weights = {name: kind_weight(size) for name, size in sizes.items()}
    facts: dict[str, dict[str, list[Pool]]] = {}
    for name, kind_pools in pools.items():
        facts[name] = {}
        for pool in kind_pools:
            for fact in pool.facts:
                facts[name].setdefault(fact, []).append(pool)
    fact_weights = {name: kind_weight(len(kind_facts)) for name, kind_facts in facts.items()}
    return Prepared(index, pools, reasons, sizes, weights, facts, fact_weights)


# Caching: by identity first (free), then by value (hashing frozen facts costs ~20 µs).
_by_value = functools.lru_cache(maxsize=32)(prepare)
_BY_ID: dict[int, tuple[weakref.ref, Prepared]] = {}


def prepared_for(facts: PositionFacts) -> Prepared:
    """The cached Prepared for these facts."""
    key = id(facts)
    hit = _BY_ID.get(key)
    if hit is not None and hit[0]() is facts:
        return hit[1]
    prepared = _by_value(facts)
    try:
        ref = weakref.ref(facts, lambda _, key=key: _BY_ID.pop(key, None))
    except TypeError:
        return prepared
    _BY_ID[key] = (ref, prepared)
    return prepared
