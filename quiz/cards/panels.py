"""The student's study panel on the home page: cards due today, Study now, and the streak."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone

from quiz import dashboard
from quiz.cards import services, stats
from quiz.cards.queue import study_queue

STREAK_WINDOW = dt.timedelta(days=400)


def study_due(request: HttpRequest) -> dashboard.Panel | None:
    """Cards due today with a Study now button and the streak; an invitation before any deck."""
    settings = services.study_settings_for(request.user)
    now = timezone.now()
    queue = study_queue(user=request.user, settings=settings, now=now)
    days = stats.reviews_by_day(user=request.user, settings=settings, since=now - STREAK_WINDOW)
    return dashboard.Panel(
        "cards/_dashboard_panel.html",
        {
            "queue": queue,
            "streak": stats.streak(days, stats.study_today(settings, now)),
        },
    )
