"""A page of a leaderboard, and the viewer's own neighbourhood on it, read from stored totals.

Nothing is recomputed per request, and no read walks the board: a rank is one plus the players
with a higher total, summed from TotalCount (one row per distinct total); a page starts at the
total its first place falls on (a running sum over those rows) and skips only within that total;
the viewer's neighbours are the nearest rows either side of their (total, user) in the board's
index. A guest's page takes 2 queries; a signed-in viewer off the page 2 more (their neighbours
in one, the ranks of them in another) and the user's (the session is a signed cookie).
"""

from __future__ import annotations

from dataclasses import dataclass

from quiz.leaderboard import sql
from quiz.leaderboard.boards import Board

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
        number = max(1, -(-sql.players(board.key) // per_page))
        start = _start(board, (number - 1) * per_page)
    rows: list[Row] = []
    if start is not None:
        first_place = (number - 1) * per_page + 1
        page = sql.page_rows(
            board.key, highest=start.total, skip=first_place - 1 - start.above, count=per_page
        )
        rows = _ranked(page, first_place=first_place, start=start, viewer_id=viewer_id)
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


# Far past any real board, and (times any page size) inside a 64-bit SQL integer.
LAST_PAGE_ASKABLE = 10**9


def _page_number(value: int | str | None) -> int:
    """The page asked for, at least 1 and small enough for an SQL offset (a page past the end shows the last)."""
    try:
        return min(max(1, int(value or 1)), LAST_PAGE_ASKABLE)
    except ValueError:
        return 1


def _start(board: Board, offset: int) -> _Start | None:
    """Where the page whose first player is at 0-based `offset` starts."""
    found = sql.page_start(board.key, offset)
    if found is None:
        return None
    total, players, through, everyone = found
    return _Start(total, through - players, everyone)


def _ranked(
    page: list[sql.Values], *, first_place: int, start: _Start, viewer_id: int | None
) -> list[Row]:
    """Rows from the page's first place on: equal totals share the rank of the first of them."""
    rows, rank, previous = [], 0, None
    for place, values in enumerate(page, start=first_place):
        total = values[1]
        if total == start.total:
            rank = start.above + 1
        elif total != previous:
            rank = place
        previous = total
        rows.append(_row(values, rank, viewer_id))
    return rows


def _row(values: sql.Values, rank: int, viewer_id: int | None) -> Row:
    user_id, total, attempts, display_name, username = values
    return Row(
        rank=rank,
        user_id=user_id,
        name=display_name or username,
        total=total,
        attempts=attempts,
        is_viewer=user_id == viewer_id,
    )


def _around(board: Board, viewer_id: int) -> list[Row]:
    """The viewer's row with up to AROUND rows either side, ranked; [] if not on the board."""
    above, below = sql.neighbours(board.key, viewer_id, AROUND)
    if not below or below[0][0] != viewer_id:
        return []
    nearby = above[::-1] + below
    above_each = sql.players_above(board.key, sorted({values[1] for values in nearby}))
    return [_row(values, above_each[values[1]] + 1, viewer_id) for values in nearby]
