"""A student's study statistics: a year's review heatmap, a 30-day forecast, true retention,
cards by state and the streak. Each is one aggregate query grouped by local study day; the
charts are SVG drawn here, with a text alternative."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, DateTimeField, ExpressionWrapper, F, Q
from django.db.models.functions import TruncDate

from quiz.cards import scheduling
from quiz.cards.models import MATURE_DAYS, Card, Review, StudySettings

HEATMAP_DAYS = 371  # 53 weeks, so the grid always starts on a Monday column
FORECAST_DAYS = 30
RETENTION_DAYS = 30
CELL, GAP = 11, 2


def _local_day(field: str, settings: StudySettings):
    """The study day (local date, rolled over at the student's hour) of a datetime column."""
    shifted = ExpressionWrapper(
        F(field) - dt.timedelta(hours=settings.day_start_hour), output_field=DateTimeField()
    )
    return TruncDate(shifted, tzinfo=settings.zone)


def _as_date(value) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def reviews_by_day(
    *, user: AbstractBaseUser, settings: StudySettings, since: dt.datetime
) -> dict[dt.date, int]:
    """How many reviews the student made on each study day since a moment."""
    rows = (
        Review.objects.of(user)
        .filter(reviewed_at__gte=since)
        .annotate(day=_local_day("reviewed_at", settings))
        .values("day")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {_as_date(row["day"]): row["count"] for row in rows}


def streak(days: Mapping[dt.date, int], today: dt.date) -> int:
    """Study days in a row up to today (or up to yesterday, while today is still open)."""
    day = today if days.get(today) else today - dt.timedelta(days=1)
    count = 0
    while days.get(day):
        count += 1
        day -= dt.timedelta(days=1)
    return count


@dataclass(frozen=True)
class HeatCell:
    """One day of the heatmap."""

    x: int
    y: int
    day: dt.date
    count: int
    level: int


@dataclass(frozen=True)
class Heatmap:
    """The last year of reviews as a grid of weeks (columns) by weekdays (rows)."""

    cells: list[HeatCell]
    months: list[tuple[int, str]]
    width: int
    height: int
    total: int
    active_days: int


def heatmap(days: Mapping[dt.date, int], today: dt.date) -> Heatmap:
    """A GitHub-style grid of the last 53 weeks, Mondays on top, darker for more reviews."""
    first = today - dt.timedelta(days=HEATMAP_DAYS - 1)
    first -= dt.timedelta(days=first.weekday())
    peak = max(days.values(), default=0)
    cells, months = [], []
    day, column = first, 0
    while day <= today:
        count = days.get(day, 0)
        level = 0 if not count else min(4, 1 + (3 * count) // max(peak, 1))
        x, y = 24 + column * (CELL + GAP), 14 + day.weekday() * (CELL + GAP)
        cells.append(HeatCell(x, y, day, count, level))
        if day.day == 1 or (column == 0 and day.weekday() == 0 and day.day < 8):
            months.append((x, f"{day:%b}"))
        if day.weekday() == 6:
            column += 1
        day += dt.timedelta(days=1)
    in_range = {d: c for d, c in days.items() if first <= d <= today}
    return Heatmap(
        cells=cells,
        months=months,
        width=24 + (column + 1) * (CELL + GAP),
        height=14 + 7 * (CELL + GAP),
        total=sum(in_range.values()),
        active_days=sum(1 for c in in_range.values() if c),
    )


@dataclass(frozen=True)
class ForecastBar:
    """Cards due on one of the next days."""

    x: int
    y: int
    height: int
    day: dt.date
    count: int


def forecast(
    *, user: AbstractBaseUser, settings: StudySettings, now: dt.datetime
) -> tuple[list[ForecastBar], int]:
    """Cards due on each of the next 30 study days (overdue ones today), as bars; and the peak."""
    today, _ = scheduling.study_day(now, settings.zone, settings.day_start_hour)
    end = today + dt.timedelta(days=FORECAST_DAYS)
    rows = (
        Card.objects.of(user)
        .studyable()
        .exclude(state=Card.State.NEW)
        .filter(due__lt=end)
        .annotate(day=_local_day("due", settings))
        .values("day")
        .annotate(count=Count("pk"))
        .order_by()
    )
    counts: dict[dt.date, int] = {}
    for row in rows:
        day = max(_as_date(row["day"]), today.date())
        counts[day] = counts.get(day, 0) + row["count"]
    peak = max(counts.values(), default=0)
    bars = []
    for offset in range(FORECAST_DAYS):
        day = today.date() + dt.timedelta(days=offset)
        count = counts.get(day, 0)
        height = round(100 * count / peak) if peak else 0
        bars.append(
            ForecastBar(x=30 + offset * 16, y=110 - height, height=height, day=day, count=count)
        )
    return bars, peak


def true_retention(*, user: AbstractBaseUser, now: dt.datetime) -> tuple[int, int]:
    """Reviews of mature cards in the last 30 days: (not rated Again, all)."""
    counts = (
        Review.objects.of(user)
        .filter(
            reviewed_at__gte=now - dt.timedelta(days=RETENTION_DAYS),
            state_before=Card.State.REVIEW,
            scheduled_days__gte=MATURE_DAYS,
        )
        .aggregate(all=Count("pk"), passed=Count("pk", filter=~Q(rating=Review.Rating.AGAIN)))
    )
    return counts["passed"], counts["all"]


def cards_by_state(*, user: AbstractBaseUser) -> dict[str, int]:
    """How many of the student's cards are new, learning, in review, relearning, suspended."""
    counts = Card.objects.of(user).aggregate(
        new=Count("pk", filter=Q(state=Card.State.NEW, suspended=False)),
        learning=Count("pk", filter=Q(state=Card.State.LEARNING, suspended=False)),
        review=Count("pk", filter=Q(state=Card.State.REVIEW, suspended=False)),
        relearning=Count("pk", filter=Q(state=Card.State.RELEARNING, suspended=False)),
        suspended=Count("pk", filter=Q(suspended=True)),
    )
    return counts


def study_today(settings: StudySettings, now: dt.datetime) -> dt.date:
    """Today's study day for the student."""
    return scheduling.local_date(now, settings.zone, settings.day_start_hour)
