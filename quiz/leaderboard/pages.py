"""A page of a leaderboard, and the viewer's own neighbourhood on it, read from stored totals.

Nothing is recomputed per request, and no read walks the board: a rank is one plus the players
with a higher total, summed from TotalCount (one row per distinct total); a page starts at the
total its first place falls on (a running sum over those rows) and skips only within that total;
the viewer's neighbours are the nearest rows either side of their (total, user) in the board's
index. A guest's page takes 2 queries; a signed-in viewer off the page 6 more.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Q, Sum, Window

from quiz.leaderboard.boards import Board
from quiz.leaderboard.models import PlayerTotal, TotalCount

PER_PAGE = 25
AROUND = 5
PERIODS = {"all": "All time", "week": "This week"}


@dataclass(frozen=True)
class Row:
    """One player's line on a board."""

    rank: int
    user_id: int
    name: str
    total: int
    attempts: int
    is_viewer: bool


@dataclass(frozen=True)
class PageInfo:
    """Which page of how many, for the pagination links."""

    number: int
    num_pages: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


@dataclass(frozen=True)
class Leaderboard:
    """One page of a board, and the viewer's own neighbourhood when they are off the page."""

    page: PageInfo
    players: int
    rows: list[Row]
    viewer_row: Row | None
    around: list[Row]

    @property
    def viewer_on_page(self) -> bool:
        return any(row.is_viewer for row in self.rows)


@dataclass(frozen=True)
class _Start:
    """Where a page starts: the total its first place holds and how many players are above."""

    total: int
    above: int
    players: int


def leaderboard(
    *, board: Board, viewer=None, page_number: int | str | None = 1, per_page: int | None = None
) -> Leaderboard:
    """A page of the board (a page past the end shows the last), and the viewer's place."""
    per_page = per_page or PER_PAGE
    viewer_id = viewer.pk if viewer is not None and viewer.is_authenticated else None
    number = _page_number(page_number)
    start = _start(board, (number - 1) * per_page)
    if start is None and number > 1:
        players = TotalCount.objects.filter(board=board.key).aggregate(n=Sum("players", default=0))[
            "n"
        ]
        number = max(1, -(-players // per_page))
        start = _start(board, (number - 1) * per_page)
    rows: list[Row] = []
    if start is not None:
        first_place = (number - 1) * per_page + 1
        totals = (
            PlayerTotal.objects.on_board(board.key)
            .filter(total__lte=start.total)
            .in_board_order()
            .with_names()
        )
        skip = first_place - 1 - start.above
        rows = _ranked(
            totals[skip : skip + per_page],
            first_place=first_place,
            start=start,
            viewer_id=viewer_id,
        )
    viewer_row = next((row for row in rows if row.is_viewer), None)
    around: list[Row] = []
    if viewer_id is not None and viewer_row is None:
        around = _around(board, viewer_id)
        viewer_row = next((row for row in around if row.is_viewer), None)
    return Leaderboard(
        page=PageInfo(number, max(1, -(-(start.players if start else 0) // per_page))),
        players=start.players if start else 0,
        rows=rows,
        viewer_row=viewer_row,
        around=around,
    )


def _page_number(value: int | str | None) -> int:
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


def _start(board: Board, offset: int) -> _Start | None:
    """The total that the player at 0-based `offset` holds, from a running sum of the counts."""
    row = (
        TotalCount.objects.filter(board=board.key, players__gt=0)
        .annotate(
            through=Window(Sum("players"), order_by=F("total").desc()),
            everyone=Window(Sum("players")),
        )
        .filter(through__gt=offset)
        .order_by("-total")
        .values("total", "players", "through", "everyone")
        .first()
    )
    if row is None:
        return None
    return _Start(row["total"], row["through"] - row["players"], row["everyone"])


def _ranked(totals, *, first_place: int, start: _Start, viewer_id: int | None) -> list[Row]:
    """Rows from the page's first place on: equal totals share the rank of the first of them."""
    rows, rank, previous = [], 0, None
    for place, total in enumerate(totals, start=first_place):
        if total.total == start.total:
            rank = start.above + 1
        elif total.total != previous:
            rank = place
        previous = total.total
        rows.append(_row(total, rank, viewer_id))
    return rows


def _row(total: PlayerTotal, rank: int, viewer_id: int | None) -> Row:
    return Row(
        rank=rank,
        user_id=total.user_id,
        name=total.name,
        total=total.total,
        attempts=total.attempts,
        is_viewer=total.user_id == viewer_id,
    )


def _around(board: Board, viewer_id: int) -> list[Row]:
    """The viewer's row with up to AROUND rows either side, ranked; [] if not on the board."""
    totals = PlayerTotal.objects.on_board(board.key).with_names()
    mine = totals.filter(user_id=viewer_id).values_list("total", flat=True).first()
    if mine is None:
        return []
    # Nearest first on each side; ties order by user, so the same total is split at the viewer.
    above = list(totals.filter(total=mine, user_id__lt=viewer_id).order_by("-user_id")[:AROUND])
    above += list(totals.filter(total__gt=mine).order_by("total", "-user_id")[:AROUND])
    below = list(
        totals.filter(total=mine, user_id__gte=viewer_id).order_by("user_id")[: AROUND + 1]
    )
    below += list(totals.filter(total__lt=mine).in_board_order()[:AROUND])
    nearby = above[:AROUND][::-1] + below[: AROUND + 1]
    distinct = sorted({total.total for total in nearby})
    above_each = TotalCount.objects.filter(board=board.key).aggregate(
        **{
            f"above_{n}": Sum("players", filter=Q(total__gt=value), default=0)
            for n, value in enumerate(distinct)
        }
    )
    rank_of = {value: above_each[f"above_{n}"] + 1 for n, value in enumerate(distinct)}
    return [_row(total, rank_of[total.total], viewer_id) for total in nearby]
