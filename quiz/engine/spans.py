"""Stretches of days as ordinals (both ends in): distances between them, and what is left."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable

FAR = 10**9  # farther than any two days


class Spans:
    """Day spans that answer "how far from this interval?" by bisection."""

    __slots__ = ("max_ends", "starts")

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [start for start, _ in ordered]
        self.max_ends = list(itertools.accumulate((end for _, end in ordered), max))

    def distance(self, first: int, last: int) -> int:
        """Days between the interval and the nearest span; 0 when they overlap."""
        cut = bisect.bisect_right(self.starts, last)
        best = FAR
        if cut:
            end = self.max_ends[cut - 1]
            if end >= first:
                return 0
            best = first - end
        if cut < len(self.starts):
            best = min(best, self.starts[cut] - last)
        return best


def subtract(first: int, last: int, blocked: list[tuple[int, int]]) -> list[tuple[int, int]]:
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
