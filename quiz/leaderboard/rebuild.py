"""Recomputing the stored totals from the attempts, and saying where the stored ones differed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps as django_apps
from django.db import connection, transaction

from quiz.leaderboard.totals import Expected, Finished, expected_totals

BATCH = 5000


@dataclass(frozen=True)
class Difference:
    """A stored row that the attempts disagree with (None: the row is missing on that side)."""

    board: str
    what: str
    stored: object
    expected: object

    def __str__(self) -> str:
        return f"{self.board}, {self.what}: stored {self.stored}, expected {self.expected}"


def differences(*, apps=django_apps) -> list[Difference]:
    """Where the stored totals and counts differ from what the attempts say."""
    return _compare(apps)[0]


def rebuild(*, apps=django_apps) -> list[Difference]:
    """Replace the stored totals and counts with the attempts' where they differ."""
    player_total = apps.get_model("quiz", "PlayerTotal")
    total_count = apps.get_model("quiz", "TotalCount")
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Finishes wait here: those committed before are in the attempts read below, and
            # those after add to the rebuilt totals.
            tables = ", ".join(
                connection.ops.quote_name(model._meta.db_table)
                for model in (player_total, total_count)
            )
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {tables} IN EXCLUSIVE MODE")
        found, expected = _compare(apps)
        if found:
            with connection.cursor() as cursor:
                for model in (player_total, total_count):
                    # Raw, so that no post_delete receiver runs per row.
                    cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
            player_total.objects.bulk_create(
                (
                    player_total(
                        board=board.key,
                        user_id=user_id,
                        question_set_id=board.question_set_id,
                        total=sums.total,
                        attempts=sums.attempts,
                    )
                    for (_, user_id), (board, sums) in expected.items()
                ),
                batch_size=BATCH,
            )
            counts = Counter((board, sums.total) for board, sums in expected.values())
            total_count.objects.bulk_create(
                (
                    total_count(
                        board=board.key,
                        question_set_id=board.question_set_id,
                        total=total,
                        players=players,
                    )
                    for (board, total), players in counts.items()
                ),
                batch_size=BATCH,
            )
    return found


def _finished(apps) -> Iterator[tuple[int, Finished]]:
    attempt = apps.get_model("quiz", "Attempt")
    rows = (
        attempt.objects.filter(user__isnull=False, finished_at__isnull=False)
        .order_by()
        .values_list("user_id", "score", "finished_at", "question_set_id")
    )
    for user_id, score, finished_at, question_set_id in rows.iterator(chunk_size=BATCH):
        yield user_id, Finished(score, finished_at, question_set_id)


def _compare(apps):
    player_total = apps.get_model("quiz", "PlayerTotal")
    total_count = apps.get_model("quiz", "TotalCount")
    expected = expected_totals(_finished(apps))
    stored = {
        (board, user_id): Expected(total, attempts)
        for board, user_id, total, attempts in player_total.objects.values_list(
            "board", "user_id", "total", "attempts"
        ).iterator(chunk_size=BATCH)
    }
    found = []
    for key in sorted(expected.keys() | stored.keys()):
        wanted = expected[key][1] if key in expected else None
        if stored.get(key) != wanted:
            found.append(Difference(key[0], f"user {key[1]}", stored.get(key), wanted))
    wanted_counts = Counter((board.key, sums.total) for board, sums in expected.values())
    stored_counts = {
        (board, total): players
        for board, total, players in total_count.objects.exclude(players=0).values_list(
            "board", "total", "players"
        )
    }
    for key in sorted(wanted_counts.keys() | stored_counts.keys()):
        if stored_counts.get(key, 0) != wanted_counts.get(key, 0):
            found.append(
                Difference(
                    key[0],
                    f"players at {key[1]}",
                    stored_counts.get(key, 0),
                    wanted_counts.get(key, 0),
                )
            )
    return found, expected
