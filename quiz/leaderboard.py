"""Leaderboards: users ranked by the summed scores of their finished attempts.

Every board is a fixed number of queries whatever the number of users or attempts: the page's
count and rows, and for a signed-in viewer with a score, their total, their place, and the rows
around them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.utils import timezone

from quiz.models import Attempt

PER_PAGE = 25
AROUND = 5
PERIODS = {"all": "All time", "week": "This week"}


@dataclass(frozen=True)
class Row:
    """One user's line on a board."""

    rank: int
    place: int
    user_id: int
    name: str
    total: int
    attempts: int
    is_viewer: bool


@dataclass(frozen=True)
class Leaderboard:
    """One page of a board, and the viewer's own neighbourhood on it."""

    page: Page
    rows: list[Row]
    viewer_row: Row | None
    around: list[Row]

    @property
    def viewer_on_page(self) -> bool:
        return any(row.is_viewer for row in self.rows)


def week_start(now: dt.datetime | None = None) -> dt.datetime:
    """Monday 00:00 of the current week, in the current time zone."""
    now = timezone.localtime(now or timezone.now())
    monday = now - dt.timedelta(days=now.weekday())
    return monday.replace(hour=0, minute=0, second=0, microsecond=0)


def leaderboard(
    *,
    viewer=None,
    page_number: int | str | None = 1,
    since: dt.datetime | None = None,
    where: Q | None = None,
    per_page: int = PER_PAGE,
) -> Leaderboard:
    """A page of the board of attempts finished since `since` and matching `where` (e.g. a set)."""
    totals = Attempt.objects.on_leaderboard(since=since, where=where).totals_by_user()
    ranked = totals.ranked()
    viewer_id = viewer.pk if viewer is not None and viewer.is_authenticated else None

    def row(values: dict) -> Row:
        return Row(
            rank=values["rank"],
            place=values["place"],
            user_id=values["user_id"],
            name=values["name"],
            total=values["total"],
            attempts=values["attempts"],
            is_viewer=values["user_id"] == viewer_id,
        )

    page = Paginator(ranked, per_page).get_page(page_number)
    rows = [row(values) for values in page.object_list]
    viewer_row, around = None, []
    if viewer_id is not None:
        mine = next(iter(totals.filter(user_id=viewer_id)), None)
        if mine is not None:
            place = totals.ahead_of(total=mine["total"], name=mine["name"], user_id=viewer_id) + 1
            around = [
                row(values)
                for values in ranked.filter(place__gte=place - AROUND, place__lte=place + AROUND)
            ]
            viewer_row = next((r for r in around if r.is_viewer), None)
    return Leaderboard(page=page, rows=rows, viewer_row=viewer_row, around=around)
