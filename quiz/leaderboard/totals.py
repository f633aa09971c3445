"""Keeping the stored totals in step with finished attempts, inside the caller's transaction.

- ``totals_add`` counts newly finished (or claimed) attempts: one upsert of the player's totals
  and one of the counts per total, whatever the number of boards.
- ``totals_recount`` recomputes a player's totals on some boards from their attempts (after a
  deletion, which is rare).
- Deleting a total row (a user or a set deleted, cascading) takes it off its count by the
  ``post_delete`` receiver below: cascades call no service, so a receiver is the one hook.

Rows are written in board-key order and counts in (board, total) order, after the attempt's own
row: every transaction takes its locks in that one order, so concurrent finishes cannot deadlock.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import F
from django.db.models.signals import post_delete
from django.dispatch import receiver

from quiz.leaderboard.boards import Board, boards_for
from quiz.leaderboard.models import PlayerTotal, TotalCount


@dataclass(frozen=True)
class Finished:
    """What a finished attempt brings to the boards: its score, when it finished, its set."""

    score: int
    finished_at: dt.datetime
    question_set_id: int | None


@dataclass(frozen=True)
class TotalChange:
    """A player's total on a board before and after a write (None: not on the board)."""

    board: Board
    user_id: int
    before: int | None
    after: int | None


@dataclass(frozen=True)
class Expected:
    """A player's total and attempts on a board, as the attempts say."""

    total: int
    attempts: int

    def __str__(self) -> str:
        return (
            f"{self.total} points from {self.attempts} attempt{'' if self.attempts == 1 else 's'}"
        )


def expected_totals(
    finished: Iterable[tuple[int, Finished]], *, only: set[str] | None = None
) -> dict[tuple[str, int], tuple[Board, Expected]]:
    """Totals per (board key, user id) from (user id, finished attempt) pairs."""
    sums: dict[tuple[str, int], tuple[Board, int, int]] = {}
    for user_id, attempt in finished:
        for board in boards_for(
            finished_at=attempt.finished_at, question_set_id=attempt.question_set_id
        ):
            if only is not None and board.key not in only:
                continue
            _, total, count = sums.get((board.key, user_id), (board, 0, 0))
            total = max(total, attempt.score) if board.keeps_best else total + attempt.score
            sums[board.key, user_id] = (board, total, count + 1)
    return {key: (board, Expected(total, count)) for key, (board, total, count) in sums.items()}


def totals_add(*, user_id: int, finished: Sequence[Finished]) -> list[TotalChange]:
    """Count a signed-up player's newly finished attempts on every board they belong to."""
    expected = expected_totals((user_id, attempt) for attempt in finished)
    if not expected:
        return []
    table = connection.ops.quote_name(PlayerTotal._meta.db_table)
    rows = sorted(expected.values(), key=lambda item: item[0].key)
    values = ", ".join(["(%s, %s, %s, %s, %s, NULL)"] * len(rows))
    params: list[object] = []
    for board, sums in rows:
        params += [board.key, user_id, board.question_set_id, sums.total, sums.attempts]
    # One statement for every board; a set's board keeps the best, the others add up. In SET,
    # the table's columns are the row before the update, so previous_total is the old total.
    sql = (
        f"INSERT INTO {table} (board, user_id, question_set_id, total, attempts, previous_total) "
        f"VALUES {values} ON CONFLICT (board, user_id) DO UPDATE SET "
        f"previous_total = {table}.total, "
        f"total = CASE WHEN {table}.question_set_id IS NULL THEN {table}.total + excluded.total "
        f"WHEN excluded.total > {table}.total THEN excluded.total ELSE {table}.total END, "
        f"attempts = {table}.attempts + excluded.attempts "
        "RETURNING board, question_set_id, previous_total, total"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        returned = cursor.fetchall()
    changes = [
        TotalChange(Board(key, set_id), user_id, before, after)
        for key, set_id, before, after in returned
    ]
    _count(changes)
    return changes


def totals_recount(*, user_id: int, boards: Iterable[Board]) -> list[TotalChange]:
    """Recompute a player's totals on the boards from their finished attempts (after a deletion)."""
    from quiz.models import Attempt

    keys = {board.key: board for board in boards}
    attempts = (
        Attempt.objects.on_leaderboard()
        .filter(user_id=user_id)
        .values_list("score", "finished_at", "question_set_id")
    )
    expected = expected_totals(
        ((user_id, Finished(*row)) for row in attempts.iterator()), only=set(keys)
    )
    current = {
        row.board: row
        for row in PlayerTotal.objects.select_for_update()
        .filter(user_id=user_id, board__in=keys)
        .order_by("board")
    }
    changes = []
    for key in sorted(keys):
        row, wanted = current.get(key), expected.get((key, user_id))
        if wanted is None:
            if row is not None:
                row.delete()  # the receiver takes it off its count
            continue
        _, sums = wanted
        if row is None:
            board = keys[key]
            PlayerTotal.objects.create(
                board=key,
                user_id=user_id,
                question_set_id=board.question_set_id,
                total=sums.total,
                attempts=sums.attempts,
            )
            changes.append(TotalChange(board, user_id, None, sums.total))
        elif (row.total, row.attempts) != (sums.total, sums.attempts):
            PlayerTotal.objects.filter(pk=row.pk).update(
                previous_total=row.total, total=sums.total, attempts=sums.attempts
            )
            changes.append(TotalChange(keys[key], user_id, row.total, sums.total))
    _count(changes)
    return changes


def _count(changes: Sequence[TotalChange]) -> None:
    """Move each changed player from their old total's count to their new one's."""
    deltas: Counter[tuple[str, int | None, int]] = Counter()
    for change in changes:
        if change.before == change.after:
            continue
        board = change.board
        if change.before is not None:
            deltas[board.key, board.question_set_id, change.before] -= 1
        if change.after is not None:
            deltas[board.key, board.question_set_id, change.after] += 1
    rows = sorted(
        (item for item in deltas.items() if item[1]), key=lambda item: (item[0][0], item[0][2])
    )
    if rows:
        table = connection.ops.quote_name(TotalCount._meta.db_table)
        values = ", ".join(["(%s, %s, %s, %s)"] * len(rows))
        params: list[object] = []
        for (key, set_id, total), delta in rows:
            params += [key, set_id, total, delta]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (board, question_set_id, total, players) VALUES {values} "
                f"ON CONFLICT (board, total) DO UPDATE SET "
                f"players = {table}.players + excluded.players",
                params,
            )


@receiver(post_delete, sender=PlayerTotal, dispatch_uid="player_total_deleted")
def _player_total_deleted(sender, instance: PlayerTotal, **kwargs) -> None:
    # An UPDATE, not an upsert: when a set is deleted its counts may already be gone.
    TotalCount.objects.filter(board=instance.board, total=instance.total).update(
        players=F("players") - 1
    )
