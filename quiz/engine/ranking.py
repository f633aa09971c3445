"""Wrong choices per difficulty, from candidates ranked nearest in time first."""

from __future__ import annotations

from collections.abc import Sequence

from quiz.engine.types import Difficulty

Windows = dict[Difficulty, tuple[str, ...]]

WINDOW = 6  # the most wrong choices a difficulty draws from
MANY_PEOPLE = 64  # above this, people are ranked among those near in time only


def windows(ranked: Sequence[str]) -> tuple[Windows, int]:
    """Distractor pools per difficulty from candidates ranked nearest first, and how many to draw."""
    n = len(ranked)
    need = min(3, n)
    ranked = tuple(ranked)
    return {
        Difficulty.HARD: ranked[: min(n, need + 1)],
        Difficulty.MEDIUM: ranked[: min(n, 2 * need)],
        Difficulty.EASY: ranked[max(0, n - 2 * need) :],
    }, need


YEAR_BANDS = {Difficulty.HARD: (1, 4), Difficulty.MEDIUM: (2, 10), Difficulty.EASY: (5, 30)}


def year_windows(
    answer: int, forbidden: set[int], low: int, high: int
) -> tuple[Windows, int, tuple[str, ...]] | None:
    """Wrong years per difficulty, how many to draw, and every wrong year in reach (nearest
    first, for a window short on one side); None when fewer than two exist.

    Only years inside the position's lifetime (low to high): a year before its first term or
    after its last gives the answer away. A band too narrow for the draw falls back to the
    nearest (or, for easy, the farthest) of the years in reach.
    """
    reach = max(far for _, far in YEAR_BANDS.values())
    ranked = [
        year
        for distance in range(1, reach + 1)
        for year in (answer - distance, answer + distance)
        if low <= year <= high and year not in forbidden
    ]
    if len(ranked) < 2:
        return None
    fallback, need = windows([str(year) for year in ranked])
    drawn = {}
    for level, (near, far) in YEAR_BANDS.items():
        years = [year for year in ranked if near <= abs(year - answer) <= far]
        drawn[level] = (
            tuple(str(year) for year in sorted(years)) if len(years) >= need else fallback[level]
        )
    return drawn, need, tuple(str(year) for year in ranked)
