"""The home page's "Assignments" panel (registered in quiz.dashboard.PANELS)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.utils import timezone

from quiz.classroom.models import Membership
from quiz.classroom.progress import Status, student_assignments

if TYPE_CHECKING:
    from quiz.dashboard import Panel

DONE_SHOWN = 5


def assignments_panel(request: HttpRequest) -> Panel | None:
    """What the student's classes ask of them: overdue, to do, and recently done; None if in no class."""
    from quiz.dashboard import Panel

    items = student_assignments(request.user, now=timezone.now())
    if not items and not Membership.objects.filter(student=request.user).exists():
        return None
    done = [item for item in items if item.status in (Status.DONE, Status.DONE_LATE)]
    return Panel(
        "classroom/_assignments_panel.html",
        {
            "overdue": [item for item in items if item.status == Status.OVERDUE],
            "to_do": [item for item in items if item.status in (Status.TO_DO, Status.IN_PROGRESS)],
            "done": done[:DONE_SHOWN],
            "more_done": max(0, len(done) - DONE_SHOWN),
        },
    )
