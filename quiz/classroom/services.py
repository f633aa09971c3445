"""Writes for classes: creating them, joining and leaving, rotating codes, assigning sets."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from quiz.classroom.models import Assignment, Classroom, Membership
from quiz.models import QuestionSet, new_share_code

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

CODE_RETRIES = 5
CLASS_NAME_LENGTH = Classroom._meta.get_field("name").max_length


class ErrorCode(enum.StrEnum):
    """Why a classroom write was refused; views branch on these."""

    NAME_MISSING = "name_missing"
    NAME_TAKEN = "name_taken"
    CODE_UNKNOWN = "code_unknown"
    ALREADY_MEMBER = "already_member"
    OWN_CLASS = "own_class"
    NOT_MEMBER = "not_member"
    SET_UNAVAILABLE = "set_unavailable"
    SET_NOT_PUBLISHED = "set_not_published"
    ALREADY_ASSIGNED = "already_assigned"
    DUE_BEFORE_OPEN = "due_before_open"
    BUSY = "busy"


MESSAGES = {
    ErrorCode.NAME_MISSING: "Give the class a name.",
    ErrorCode.NAME_TAKEN: "You already have a class called “{name}”. Pick another name.",
    ErrorCode.CODE_UNKNOWN: (
        "No class has the code “{code}”. Check it with your teacher: codes have six letters and "
        "digits, and a teacher may have changed it."
    ),
    ErrorCode.ALREADY_MEMBER: "You are already in {name}.",
    ErrorCode.OWN_CLASS: "You teach {name}, so you can't join it as a student.",
    ErrorCode.NOT_MEMBER: "You are not in that class.",
    ErrorCode.SET_UNAVAILABLE: "Choose one of your question sets, or a published one.",
    ErrorCode.SET_NOT_PUBLISHED: (
        "“{title}” is not published, so students could not open it. Publish it first (tick "
        "“published” on the set's page in the admin), then assign it."
    ),
    ErrorCode.ALREADY_ASSIGNED: "“{title}” is already assigned to {name}; change its dates instead.",
    ErrorCode.DUE_BEFORE_OPEN: "The due date must come after the open date.",
    ErrorCode.BUSY: "Something else changed this class at the same moment. Please try again.",
}


class ClassroomError(Exception):
    """A classroom write refused, with a code for views and a message for people."""

    def __init__(self, error_code: ErrorCode, /, **details: object) -> None:
        self.code = error_code
        self.message = MESSAGES[error_code].format(**details)
        super().__init__(self.message)


def _fresh_code() -> str:
    # A class code is typed into the same box as a set's share code; keep the two apart.
    for _ in range(CODE_RETRIES):
        code = new_share_code()
        if not QuestionSet.objects.filter(share_code=code).exists():
            return code
    return code


def classroom_create(*, teacher: AbstractBaseUser, name: str) -> Classroom:
    """A new class with a fresh join code; names are unique per teacher in any case."""
    name = " ".join(name.split())[:CLASS_NAME_LENGTH]
    if not name:
        raise ClassroomError(ErrorCode.NAME_MISSING)
    if Classroom.objects.filter(teacher=teacher, name__iexact=name).exists():
        raise ClassroomError(ErrorCode.NAME_TAKEN, name=name)
    for _ in range(CODE_RETRIES):
        try:
            with transaction.atomic():
                return Classroom.objects.create(teacher=teacher, name=name, join_code=_fresh_code())
        except IntegrityError:
            # A racing create of the same name, or (rarely) a code already taken.
            if Classroom.objects.filter(teacher=teacher, name__iexact=name).exists():
                raise ClassroomError(ErrorCode.NAME_TAKEN, name=name) from None
    raise ClassroomError(ErrorCode.BUSY)


def classroom_code_rotate(*, classroom: Classroom) -> str:
    """Give the class a new join code; the old one stops working at once."""
    for _ in range(CODE_RETRIES):
        code = _fresh_code()
        try:
            with transaction.atomic():
                Classroom.objects.filter(pk=classroom.pk).update(join_code=code)
        except IntegrityError:
            continue
        classroom.join_code = code
        return code
    raise ClassroomError(ErrorCode.BUSY)


def classroom_join(
    *, student: AbstractBaseUser, code: str, now: dt.datetime | None = None
) -> Membership:
    """Put the student in the class with this code (any case, spaces or dashes allowed)."""
    classroom = Classroom.objects.with_code(code).select_related("teacher").first()
    if classroom is None:
        raise ClassroomError(ErrorCode.CODE_UNKNOWN, code=code.strip()[:20])
    if classroom.teacher_id == student.pk:
        raise ClassroomError(ErrorCode.OWN_CLASS, name=classroom.name)
    try:
        with transaction.atomic():
            return Membership.objects.create(
                classroom=classroom, student=student, joined_at=now or timezone.now()
            )
    except IntegrityError:
        raise ClassroomError(ErrorCode.ALREADY_MEMBER, name=classroom.name) from None


def classroom_leave(*, student: AbstractBaseUser, classroom: Classroom) -> None:
    """Take the student out of the class; their attempts stay theirs."""
    deleted, _ = Membership.objects.filter(classroom=classroom, student=student).delete()
    if not deleted:
        raise ClassroomError(ErrorCode.NOT_MEMBER)


def classroom_student_remove(*, classroom: Classroom, student_id: int) -> bool:
    """The teacher takes a student out of the class; False if they were not in it."""
    deleted, _ = Membership.objects.filter(classroom=classroom, student_id=student_id).delete()
    return bool(deleted)


def assignable_sets(teacher: AbstractBaseUser):
    """What a teacher may assign: their own sets and every published one."""
    from django.db.models import Q

    return (
        QuestionSet.objects.filter(Q(owner=teacher) | Q(is_published=True))
        .select_related("owner__profile", "position")
        .order_by("-updated_at", "-pk")
    )


def _check_dates(opens_at: dt.datetime | None, due_at: dt.datetime | None) -> None:
    if opens_at is not None and due_at is not None and due_at <= opens_at:
        raise ClassroomError(ErrorCode.DUE_BEFORE_OPEN)


def assignment_create(
    *,
    classroom: Classroom,
    question_set: QuestionSet,
    opens_at: dt.datetime | None = None,
    due_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> Assignment:
    """Assign a published set to the class, once, with optional open and due dates."""
    if not assignable_sets(classroom.teacher).filter(pk=question_set.pk).exists():
        raise ClassroomError(ErrorCode.SET_UNAVAILABLE)
    if not question_set.is_published:
        raise ClassroomError(ErrorCode.SET_NOT_PUBLISHED, title=question_set.title)
    _check_dates(opens_at, due_at)
    try:
        with transaction.atomic():
            return Assignment.objects.create(
                classroom=classroom,
                question_set=question_set,
                opens_at=opens_at,
                due_at=due_at,
                created_at=now or timezone.now(),
            )
    except IntegrityError:
        raise ClassroomError(
            ErrorCode.ALREADY_ASSIGNED, title=question_set.title, name=classroom.name
        ) from None


def assignment_dates_change(
    *, assignment: Assignment, opens_at: dt.datetime | None, due_at: dt.datetime | None
) -> Assignment:
    """New open and due dates for an assignment."""
    _check_dates(opens_at, due_at)
    Assignment.objects.filter(pk=assignment.pk).update(opens_at=opens_at, due_at=due_at)
    assignment.opens_at, assignment.due_at = opens_at, due_at
    return assignment


def assignment_delete(*, assignment: Assignment) -> None:
    """Take an assignment back; the students' attempts at the set stay."""
    Assignment.objects.filter(pk=assignment.pk).delete()
