"""Stored leaderboard totals: each player's points per board, and how many players hold each total.

Both tables change in the transaction that finishes, claims or deletes an attempt
(quiz/leaderboard/totals.py), so a board is read, never recomputed, per request; the
rebuild_leaderboards command recomputes them from the attempts and reports any difference.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class PlayerTotalQuerySet(models.QuerySet):
    """Queries on players' totals."""

    def on_board(self, key: str) -> PlayerTotalQuerySet:
        return self.filter(board=key)

    def in_board_order(self) -> PlayerTotalQuerySet:
        """Highest total first; equal totals by who signed up first (the rank index's order)."""
        return self.order_by("-total", "user_id")

    def with_names(self) -> PlayerTotalQuerySet:
        return self.select_related("user__profile")


class PlayerTotal(models.Model):
    """A player's points on one leaderboard: the sum of their finished attempts, or the best."""

    board = models.CharField(max_length=32)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="leaderboard_totals"
    )
    # Only for a set's board, so that the board goes when the set does.
    question_set = models.ForeignKey(
        "quiz.QuestionSet", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    total = models.PositiveIntegerField()
    attempts = models.PositiveIntegerField()
    # What the total was before the latest change: one upsert reports both (TotalCount needs both).
    previous_total = models.PositiveIntegerField(null=True, blank=True, editable=False)

    objects = PlayerTotalQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["board", "user"], name="unique_player_total"),
            models.CheckConstraint(condition=Q(attempts__gte=1), name="player_total_attempts"),
        ]
        indexes = [models.Index(fields=["board", "-total", "user"], name="player_total_order")]

    def __str__(self) -> str:
        return f"{self.board}: user {self.user_id}, {self.total}"

    @property
    def name(self) -> str:
        """The player as boards show them: display name, else username (reads user__profile)."""
        profile = getattr(self.user, "profile", None)
        return profile.display_name if profile else self.user.get_username()


class TotalCount(models.Model):
    """How many players of a board hold one total; a rank is one plus the players above it."""

    board = models.CharField(max_length=32)
    question_set = models.ForeignKey(
        "quiz.QuestionSet", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    total = models.PositiveIntegerField()
    players = models.IntegerField()

    class Meta:
        # No check that players >= 0: in SQLite a check applies to an upsert's proposed row
        # before its conflict, and the decrements ride in the same upsert as the increments (one
        # statement in one lock order). rebuild_leaderboards reports a count that went wrong.
        constraints = [
            models.UniqueConstraint(fields=["board", "total"], name="unique_total_count"),
        ]

    def __str__(self) -> str:
        return f"{self.board}: {self.players} at {self.total}"
