"""For how long, in all, a person held the office, in bands of years ("For how long in total
was Elena Stasova the party's leading secretary?" "Less than a year").

- Asked only where every reading gives the same band, well inside it: with and without de
  facto spans, with either start of a disputed term, and at least two months from either edge.
- People still in office are not asked.
"""

from __future__ import annotations

from quiz.engine import keys
from quiz.engine.index import Person, PositionIndex
from quiz.engine.kind import Built, Kind
from quiz.engine.pools import TemplatePool, Variant, freeze
from quiz.engine.text import calendar_length
from quiz.engine.types import Difficulty

YEAR = 365.2425
# (upper bound in days, how a choice reads), shortest first; the last band has no upper bound.
BANDS = (
    (YEAR, "Less than a year"),
    (5 * YEAR, "Between one and five years"),
    (10 * YEAR, "Between five and ten years"),
    (20 * YEAR, "Between ten and twenty years"),
    (float("inf"), "More than twenty years"),
)
BAND_ORDER = {name: i for i, (_, name) in enumerate(BANDS)}
EDGE_DAYS = 61


def band_of(days: float) -> int:
    """The band a number of days falls in."""
    return next(i for i, (upper, _) in enumerate(BANDS) if days < upper)


def clear_band(fewest: int, most: int) -> int | None:
    """The band every reading falls in, well away from its edges; None when readings differ."""
    band = band_of(fewest)
    if band != band_of(most):
        return None
    lower = BANDS[band - 1][0] if band else 0
    upper = BANDS[band][0]
    if fewest - lower < EDGE_DAYS or upper - most < EDGE_DAYS:
        return None
    return band


def _readings(person: Person) -> tuple[int, int]:
    fewest = most = 0
    for term in person.terms:
        starts = (term.start, term.disputed_start or term.start)
        fewest += (term.end - max(starts)).days
        most += (term.end - min(starts)).days
    return fewest, most + sum(last - first for first, last in person.de_facto)


def build(index: PositionIndex) -> Built:
    templates = []
    for person in index.holders:
        if any(term.end is None for term in person.terms):
            continue
        band = clear_band(*_readings(person))
        if band is None:
            continue
        # Wrong bands nearest first; easy questions offer the two farthest.
        others = sorted((i for i in range(len(BANDS)) if i != band), key=lambda i: abs(i - band))
        names = [BANDS[i][1] for i in others]
        windows = {
            Difficulty.HARD: tuple(names[:3]),
            Difficulty.MEDIUM: tuple(names[:4]),
            Difficulty.EASY: tuple(names[-3:]),
        }
        variant = Variant(
            answer=BANDS[band][1],
            about=freeze(
                {
                    "position": index.slug,
                    "fact_key": keys.length_key(index.slug, person.slug),
                    "person": person.name,
                    "days": _readings(person)[0],
                }
            ),
            windows=windows,
            need=3,
            explanation=_explanation(person),
            fewer_when_easy=True,
            order=BAND_ORDER.__getitem__,
        )
        templates.append((f"For how long in total was {person.name} {index.role}?", (variant,)))
    return [TemplatePool("tenure_band", templates)], "no finished tenure falls clearly in one band"


def _explanation(person: Person) -> str:
    merged: list[list] = []
    for term in person.terms:
        if merged and merged[-1][1] == term.start:
            merged[-1][1] = term.end
        else:
            merged.append([term.start, term.end])
    if len(merged) == 1:
        length = calendar_length(*merged[0])
    else:
        length = f"{sum((end - start).days for start, end in merged):,} days"
    text = f"{person.name} held the office for {length} in total"
    if person.de_facto:
        extra = sum(last - first for first, last in person.de_facto)
        text += f", and led it de facto for {extra:,} days more"
    return text + "."


KIND = Kind(name="tenure_band", label="How long someone held it", build=build, rules=__doc__)
