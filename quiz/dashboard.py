"""The signed-in student's panels on the home page: one function per panel, one registry.

The home page belongs to the history app, which knows nothing of quizzes; its template loads
``{% dashboard_panels %}`` (quiz/templatetags/dashboard.py), which renders every panel in
``PANELS`` that has something to show. A feature adds its panel by writing a function that
returns a ``Panel`` (or None when it has nothing to show this student) and listing it here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

from quiz import panels
from quiz.cards import panels as study_panels


@dataclass(frozen=True)
class Panel:
    """One box on the dashboard: the template that draws it and what that template reads."""

    template: str
    context: Mapping[str, Any] = field(default_factory=dict)


PanelFunction = Callable[[HttpRequest], Panel | None]


def _assignments(request: HttpRequest) -> Panel | None:
    from quiz.classroom.dashboard import assignments_panel

    return assignments_panel(request)


# In the order the home page shows them.
PANELS: tuple[PanelFunction, ...] = (
    study_panels.study_due,
    _assignments,
    panels.quiz_to_continue,
    panels.open_sets,
)


def dashboard_panels_for(request: HttpRequest) -> list[Panel]:
    """The panels with something to show the signed-in user; none for guests."""
    if not request.user.is_authenticated:
        return []
    return [panel for panel in (function(request) for function in PANELS) if panel is not None]
