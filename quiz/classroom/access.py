"""Who may use the teacher pages: staff in the Teachers group, and superusers."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from quiz.services import TEACHERS_GROUP

NOT_A_TEACHER = (
    "These pages are for teachers. If you teach, ask an administrator to add your account to "
    "the Teachers group."
)


def is_teacher(user) -> bool:
    """Whether the user may run classes (the answer is kept on the user for the request)."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, "_is_teacher"):
        user._is_teacher = user.groups.filter(name=TEACHERS_GROUP).exists()
    return user._is_teacher


def teacher_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Guests go to the login page; signed-in non-teachers get a page saying why not."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_teacher(request.user):
            return render(
                request, "classroom/forbidden.html", {"message": NOT_A_TEACHER}, status=403
            )
        return view(request, *args, **kwargs)

    return wrapper
