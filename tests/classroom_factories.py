"""Helpers that build classes, members and assignments for the classroom tests."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from quiz.accounts import profile_create
from quiz.classroom.models import Assignment, Classroom, Membership
from tests.quiz_factories import make_teacher, make_user


def make_classroom(*, teacher=None, name: str = "10B History") -> Classroom:
    return Classroom.objects.create(teacher=teacher or make_teacher(), name=name)


def make_student(username: str, display_name: str | None = None, *, classroom=None, joined=None):
    """A student with a profile, in the class if one is given."""
    student = make_user(username=username)
    if display_name:
        profile_create(user=student, display_name=display_name)
    if classroom is not None:
        Membership.objects.create(
            classroom=classroom, student=student, joined_at=joined or timezone.now()
        )
    return student


def make_assignment(classroom, question_set, *, created=None, opens=None, due=None) -> Assignment:
    return Assignment.objects.create(
        classroom=classroom,
        question_set=question_set,
        created_at=created or timezone.now() - dt.timedelta(days=7),
        opens_at=opens,
        due_at=due,
    )
