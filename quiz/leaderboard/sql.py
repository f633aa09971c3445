"""The leaderboard pages' reads as fixed SQL (the same text for SQLite and PostgreSQL).

The profile of a board page showed more time in the ORM building its SQL than in the database
running it; these statements are built once per process and take only parameters.
"""

from __future__ import annotations

import functools

from django.contrib.auth import get_user_model
from django.db import connection

from quiz.leaderboard.models import PlayerTotal, TotalCount

# A board row as pages.py reads it.
Values = tuple[int, int, int, str | None, str]


@functools.cache
def _names() -> dict[str, str]:
    from quiz.models import Profile

    quote = connection.ops.quote_name
    return {
        "totals": quote(PlayerTotal._meta.db_table),
        "counts": quote(TotalCount._meta.db_table),
        "users": quote(get_user_model()._meta.db_table),
        "profiles": quote(Profile._meta.db_table),
    }


@functools.cache
def _row_select() -> str:
    return (
        "SELECT t.user_id, t.total, t.attempts, p.display_name, u.username "
        "FROM {totals} t JOIN {users} u ON u.id = t.user_id "
        "LEFT JOIN {profiles} p ON p.user_id = t.user_id WHERE t.board = %s "
    ).format(**_names())


def page_start(board: str, offset: int) -> tuple[int, int, int, int] | None:
    """(total, players at it, players through it, players on the board) for the total that the
    player at 0-based `offset` holds: a running sum over the counts, highest total first."""
    sql = (
        "SELECT total, players, through, everyone FROM ("
        "SELECT total, players, SUM(players) OVER (ORDER BY total DESC) AS through, "
        "SUM(players) OVER () AS everyone FROM {counts} WHERE board = %s AND players > 0"
        ") AS running WHERE through > %s ORDER BY total DESC LIMIT 1"
    ).format(**_names())
    with connection.cursor() as cursor:
        cursor.execute(sql, [board, offset])
        return cursor.fetchone()


def players(board: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(SUM(players), 0) FROM {counts} WHERE board = %s".format(**_names()),
            [board],
        )
        return cursor.fetchone()[0]


def page_rows(board: str, *, highest: int, skip: int, count: int) -> list[Values]:
    """Rows in board order from the first with a total of at most `highest`, skipping `skip`."""
    sql = _row_select() + "AND t.total <= %s ORDER BY t.total DESC, t.user_id LIMIT %s OFFSET %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [board, highest, count, skip])
        return cursor.fetchall()


def neighbours(board: str, user_id: int, around: int) -> tuple[list[Values], list[Values]]:
    """Up to `around` rows just above the player (nearest first), and the player's own row with
    up to `around` rows below: four index reads either side of their (total, user), one query."""
    mine = "(SELECT total FROM {totals} WHERE board = %s AND user_id = %s)".format(**_names())
    row = _row_select()
    parts = [
        f"SELECT 1, q.* FROM ({row} AND t.total = {mine} AND t.user_id < %s "
        "ORDER BY t.user_id DESC LIMIT %s) AS q",
        f"SELECT 2, q.* FROM ({row} AND t.total > {mine} "
        "ORDER BY t.total, t.user_id DESC LIMIT %s) AS q",
        f"SELECT 3, q.* FROM ({row} AND t.total = {mine} AND t.user_id >= %s "
        "ORDER BY t.user_id LIMIT %s) AS q",
        f"SELECT 4, q.* FROM ({row} AND t.total < {mine} "
        "ORDER BY t.total DESC, t.user_id LIMIT %s) AS q",
    ]
    params = [
        *(board, board, user_id, user_id, around),
        *(board, board, user_id, around),
        *(board, board, user_id, user_id, around + 1),
        *(board, board, user_id, around),
    ]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        found = cursor.fetchall()
    part = {n: [tuple(values[1:]) for values in found if values[0] == n] for n in (1, 2, 3, 4)}
    # A union promises no order, so each part is put back in its own.
    part[1].sort(key=lambda values: -values[0])
    part[2].sort(key=lambda values: (values[1], -values[0]))
    part[3].sort(key=lambda values: values[0])
    part[4].sort(key=lambda values: (-values[1], values[0]))
    above = (part[1] + part[2])[:around]
    below = (part[3] + part[4])[: around + 1]
    return above, below


def players_above(board: str, totals: list[int]) -> dict[int, int]:
    """For each total, how many players of the board hold a higher one."""
    sums = ", ".join(["COALESCE(SUM(CASE WHEN total > %s THEN players END), 0)"] * len(totals))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {sums} FROM {_names()['counts']} WHERE board = %s", [*totals, board]
        )
        return dict(zip(totals, cursor.fetchone(), strict=True))
