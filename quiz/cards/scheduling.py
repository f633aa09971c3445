"""Scheduling with the `fsrs` package (FSRS-6, default parameters, fuzzing on), and study days.

A card the student has never rated is "new" here; fsrs has no such state and starts it in
Learning at step 0, which is what `to_fsrs` hands it.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from dataclasses import dataclass

import fsrs

LEARNING_STEPS = (dt.timedelta(minutes=1), dt.timedelta(minutes=10))
RELEARNING_STEPS = (dt.timedelta(minutes=10),)
NEW, LEARNING, REVIEW, RELEARNING = 0, 1, 2, 3


@dataclass(frozen=True)
class Memory:
    """The FSRS fields of one card, as stored."""

    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: dt.datetime
    last_review: dt.datetime | None


@functools.lru_cache(maxsize=64)
def scheduler(desired_retention: float, *, fuzz: bool = True) -> fsrs.Scheduler:
    """The FSRS scheduler for a desired retention (default parameters, no optimizer)."""
    return fsrs.Scheduler(
        desired_retention=desired_retention,
        learning_steps=LEARNING_STEPS,
        relearning_steps=RELEARNING_STEPS,
        enable_fuzzing=fuzz,
    )


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC)


def to_fsrs(memory: Memory) -> fsrs.Card:
    state = fsrs.State.Learning if memory.state == NEW else fsrs.State(memory.state)
    return fsrs.Card(
        card_id=1,
        state=state,
        step=0 if memory.state == NEW else memory.step,
        stability=memory.stability,
        difficulty=memory.difficulty,
        due=_utc(memory.due),
        last_review=_utc(memory.last_review) if memory.last_review else None,
    )


def review(
    memory: Memory, rating: int, now: dt.datetime, *, desired_retention: float, fuzz: bool = True
) -> Memory:
    """The memory after a rating (1 Again .. 4 Easy) at `now`."""
    card, _ = scheduler(desired_retention, fuzz=fuzz).review_card(
        to_fsrs(memory), fsrs.Rating(rating), review_datetime=_utc(now)
    )
    return Memory(
        state=int(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
    )


def format_interval(span: dt.timedelta) -> str:
    """An interval as a rating button shows it: "1 min", "10 min", "3 h", "4 d", "2 mo", "1.5 y"."""
    minutes = span.total_seconds() / 60
    if minutes < 60:
        return f"{max(1, round(minutes))} min"
    hours = minutes / 60
    if hours < 24:
        return f"{round(hours)} h"
    days = hours / 24
    if days < 30.5:
        return f"{round(days)} d"
    if days < 365:
        return f"{round(days / 30.4)} mo"
    years = days / 365
    return f"{years:.1f} y".replace(".0 y", " y")


def intervals(memory: Memory, now: dt.datetime, *, desired_retention: float) -> dict[int, str]:
    """What each rating would give, as the buttons show it (before fuzzing, as Anki shows it)."""
    return {
        rating: format_interval(
            review(memory, rating, now, desired_retention=desired_retention, fuzz=False).due - now
        )
        for rating in (1, 2, 3, 4)
    }


def study_day(
    now: dt.datetime, zone: zoneinfo.ZoneInfo, start_hour: int
) -> tuple[dt.datetime, dt.datetime]:
    """The study day holding `now`: from `start_hour` local time to the next day's, as aware
    datetimes (a day across a daylight-saving change is 23 or 25 hours long)."""
    local = now.astimezone(zone)
    day = local.date() if local.hour >= start_hour else local.date() - dt.timedelta(days=1)
    start = dt.datetime.combine(day, dt.time(start_hour), tzinfo=zone)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(start_hour), tzinfo=zone)
    return start, end


def local_date(moment: dt.datetime, zone: zoneinfo.ZoneInfo, start_hour: int) -> dt.date:
    """The study day (a date) a moment belongs to."""
    return study_day(moment, zone, start_hour)[0].date()
