"""Which leaderboards there are, and which of them a finished attempt counts on.

A board is named by a short key: ``all`` (all time), ``week:2026-W48`` (an ISO week, in the
site's time zone) or ``set:42`` (a question set, where each player's best attempt counts).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

ALL_TIME_KEY = "all"


@dataclass(frozen=True)
class Board:
    """One leaderboard: its key, and for a question set's board the set it belongs to."""

    key: str
    question_set_id: int | None = None

    @property
    def keeps_best(self) -> bool:
        """A set's board ranks each player's best attempt; the others add attempts up."""
        return self.question_set_id is not None


def all_time() -> Board:
    return Board(ALL_TIME_KEY)


def week_of(moment: dt.datetime) -> Board:
    """The board of the ISO week (Monday to Sunday, site time zone) that holds the moment."""
    year, week, _ = timezone.localtime(moment).isocalendar()
    return Board(f"week:{year}-W{week:02}")


def this_week(now: dt.datetime | None = None) -> Board:
    return week_of(now or timezone.now())


def of_set(question_set_id: int) -> Board:
    return Board(f"set:{question_set_id}", question_set_id)


def boards_for(*, finished_at: dt.datetime, question_set_id: int | None) -> list[Board]:
    """Every board a signed-up player's attempt finished at that moment counts on."""
    boards = [all_time(), week_of(finished_at)]
    if question_set_id is not None:
        boards.append(of_set(question_set_id))
    return boards


def week_start(now: dt.datetime | None = None) -> dt.datetime:
    """Monday 00:00 of the current week, in the current time zone."""
    now = timezone.localtime(now or timezone.now())
    monday = now - dt.timedelta(days=now.weekday())
    return monday.replace(hour=0, minute=0, second=0, microsecond=0)
