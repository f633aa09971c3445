"""The order new cards come in: for each student, a stable shuffle that deals the kinds in turn,
so the first cards of a deck mix its kinds (and a set's hand-written questions come early)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable


def _draw(user_id: int, text: str) -> bytes:
    return hashlib.sha256(f"{user_id}:{text}".encode()).digest()


def new_card_order(user_id: int, facts: Iterable[tuple[str, str]]) -> dict[str, int]:
    """Each fact key's place (0, 1, ...) among the new cards of a deck the student adds, from
    (fact key, kind) pairs: each kind's cards shuffled by a hash of the student and the key, then
    dealt one kind at a time, the kinds in an order drawn the same way. The same student and
    facts always give the same order; another student, another."""
    by_kind: dict[str, list[str]] = {}
    for key, kind in facts:
        by_kind.setdefault(kind, []).append(key)
    kinds = sorted(by_kind, key=lambda kind: _draw(user_id, kind))
    piles = [sorted(by_kind[kind], key=lambda key: _draw(user_id, key)) for kind in kinds]
    order: dict[str, int] = {}
    for slot in range(max(map(len, piles), default=0)):
        for pile in piles:
            if slot < len(pile):
                order[pile[slot]] = len(order)
    return order
