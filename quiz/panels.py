"""The quiz's panels on the home page: an unfinished quiz to continue, the teachers' sets the
student has open (see quiz.dashboard)."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest

from quiz import dashboard
from quiz.models import Attempt, QuestionSet

OPEN_SETS_SHOWN = 5


def quiz_to_continue(request: HttpRequest) -> dashboard.Panel | None:
    """The student's latest unfinished quiz, to continue where they left off."""
    attempt = (
        Attempt.objects.filter(user=request.user, finished_at__isnull=True)
        .order_by("-started_at")
        .first()
    )
    if attempt is None:
        return None
    return dashboard.Panel("quiz/_dashboard_continue.html", {"attempt": attempt})


def open_sets(request: HttpRequest) -> dashboard.Panel | None:
    """Published sets the student has taken or studies as flashcards, latest first."""
    sets = list(
        QuestionSet.objects.published()
        .filter(Q(attempts__user=request.user) | Q(study_decks__user=request.user))
        .select_related("owner__profile")
        .distinct()
        .order_by("-updated_at")[:OPEN_SETS_SHOWN]
    )
    if not sets:
        return None
    return dashboard.Panel("quiz/_dashboard_sets.html", {"question_sets": sets})
