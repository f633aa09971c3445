"""How a class is doing with its assignments, and a student's own list (reads only).

An attempt counts towards an assignment when it is the student's attempt at the assigned set,
started once the assignment opened (its open date, else when it was made). A student has done
the assignment once a counted attempt is finished; it is late when the first finished one ended
after the due date. The best attempt is ranked as the set's class results rank it (percentage,
then score), and the class page reads everything in a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field

from quiz.classroom.models import Assignment, Classroom, Membership
from quiz.csv_cells import csv_text
from quiz.models import Attempt
from quiz.results import attempt_csv_cells


class Status(enum.StrEnum):
    """Where one student stands with one assignment."""

    NOT_OPEN = "not_open"
    TO_DO = "to_do"
    IN_PROGRESS = "in_progress"
    OVERDUE = "overdue"
    DONE = "done"
    DONE_LATE = "done_late"


STATUS_LABELS = {
    Status.NOT_OPEN: "Not open yet",
    Status.TO_DO: "To do",
    Status.IN_PROGRESS: "In progress",
    Status.OVERDUE: "Overdue",
    Status.DONE: "Done on time",
    Status.DONE_LATE: "Done late",
}


def user_name(user) -> str:
    """A user as classmates and teachers see them: display name, else username."""
    profile = getattr(user, "profile", None)
    return profile.display_name if profile else user.get_username()


def _better(attempt: Attempt, than: Attempt | None) -> bool:
    return than is None or (attempt.percentage, attempt.score) > (than.percentage, than.score)


@dataclass
class StudentProgress:
    """One student's counted attempts at one assignment."""

    student_id: int
    name: str
    username: str
    attempts: int = 0
    in_progress: Attempt | None = None
    first_finished: Attempt | None = None
    best: Attempt | None = None
    last: Attempt | None = None
    status: Status = Status.TO_DO

    def add(self, attempt: Attempt) -> None:
        self.attempts += 1
        if not attempt.is_finished:
            self.in_progress = attempt
            return
        if self.first_finished is None or attempt.finished_at < self.first_finished.finished_at:
            self.first_finished = attempt
        if self.last is None or attempt.finished_at >= self.last.finished_at:
            self.last = attempt
        if _better(attempt, self.best):
            self.best = attempt

    def settle(self, assignment: Assignment, now: dt.datetime) -> None:
        """Work out the status from the attempts added."""
        done = self.first_finished
        if done is not None:
            late = assignment.due_at is not None and done.finished_at > assignment.due_at
            self.status = Status.DONE_LATE if late else Status.DONE
        elif not assignment.is_open(now):
            self.status = Status.NOT_OPEN
        elif assignment.is_overdue(now):
            self.status = Status.OVERDUE
        elif self.in_progress is not None:
            self.status = Status.IN_PROGRESS
        else:
            self.status = Status.TO_DO

    @property
    def is_done(self) -> bool:
        return self.status in (Status.DONE, Status.DONE_LATE)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass
class AssignmentProgress:
    """One assignment and every current student's progress with it, by name."""

    assignment: Assignment
    students: list[StudentProgress] = field(default_factory=list)

    @property
    def done(self) -> list[StudentProgress]:
        return [student for student in self.students if student.is_done]

    @property
    def not_done(self) -> list[StudentProgress]:
        return [student for student in self.students if not student.is_done]

    @property
    def late_count(self) -> int:
        return sum(student.status == Status.DONE_LATE for student in self.students)


@dataclass
class ClassProgress:
    """A class's roster and each assignment's progress."""

    classroom: Classroom
    members: list[Membership]
    assignments: list[AssignmentProgress]


def class_progress(classroom: Classroom, *, now: dt.datetime) -> ClassProgress:
    """The class page's data in three queries, however many students and assignments."""
    members = sorted(
        Membership.objects.filter(classroom=classroom).select_related("student__profile"),
        key=lambda member: (user_name(member.student).casefold(), member.student_id),
    )
    assignments = list(
        Assignment.objects.filter(classroom=classroom).select_related("question_set")
    )
    # Each student is in the class once and each set assigned to it once, so the joins add no
    # duplicate rows.
    attempts = (
        Attempt.objects.filter(
            user__class_memberships__classroom=classroom,
            question_set__assignments__classroom=classroom,
        )
        .only(
            "pk",
            "user_id",
            "question_set_id",
            "started_at",
            "finished_at",
            "score",
            "question_count",
            "max_score",
            "answered_count",
        )
        .order_by("started_at", "pk")
    )
    by_set: dict[int, list[Attempt]] = {}
    for attempt in attempts:
        by_set.setdefault(attempt.question_set_id, []).append(attempt)
    progress = []
    for assignment in assignments:
        rows = {
            member.student_id: StudentProgress(
                member.student_id, user_name(member.student), member.student.get_username()
            )
            for member in members
        }
        for attempt in by_set.get(assignment.question_set_id, []):
            row = rows.get(attempt.user_id)
            if row is not None and attempt.started_at >= assignment.counts_from:
                row.add(attempt)
        for row in rows.values():
            row.settle(assignment, now)
        progress.append(AssignmentProgress(assignment, list(rows.values())))
    return ClassProgress(classroom=classroom, members=members, assignments=progress)


@dataclass(frozen=True)
class StudentAssignment:
    """One of a student's assignments as their home page lists it."""

    assignment: Assignment
    progress: StudentProgress

    @property
    def status(self) -> Status:
        return self.progress.status


def student_assignments(user, *, now: dt.datetime) -> list[StudentAssignment]:
    """The student's open assignments in every class, in two queries: to do first, by due date."""
    assignments = list(Assignment.objects.for_students_of(user).open_on(now))
    if not assignments:
        return []
    attempts = (
        Attempt.objects.filter(
            user=user, question_set_id__in={a.question_set_id for a in assignments}
        )
        .only(
            "pk",
            "question_set_id",
            "started_at",
            "finished_at",
            "score",
            "question_count",
            "max_score",
            "answered_count",
        )
        .order_by("started_at", "pk")
    )
    by_set: dict[int, list[Attempt]] = {}
    for attempt in attempts:
        by_set.setdefault(attempt.question_set_id, []).append(attempt)
    items = []
    for assignment in assignments:
        row = StudentProgress(user.pk, "", user.get_username())
        for attempt in by_set.get(assignment.question_set_id, []):
            if attempt.started_at >= assignment.counts_from:
                row.add(attempt)
        row.settle(assignment, now)
        items.append(StudentAssignment(assignment, row))
    order = [Status.OVERDUE, Status.IN_PROGRESS, Status.TO_DO, Status.DONE_LATE, Status.DONE]
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    return sorted(
        items,
        key=lambda item: (
            order.index(item.status),
            item.assignment.due_at or far,
            item.assignment.pk,
        ),
    )


CSV_HEADER = [
    "class",
    "assignment",
    "opens_at",
    "due_at",
    "student",
    "username",
    "status",
    "attempts",
    "best_score",
    "best_max_score",
    "best_percentage",
    "best_time_seconds",
    "last_score",
    "last_max_score",
    "last_percentage",
    "last_time_seconds",
    "first_finished_at",
]


def class_progress_csv(progress: ClassProgress) -> str:
    """One row per student per assignment; text cells can't become spreadsheet formulas."""
    return csv_text(
        CSV_HEADER,
        (
            [
                progress.classroom.name,
                str(item.assignment.material),
                item.assignment.opens_at.isoformat() if item.assignment.opens_at else "",
                item.assignment.due_at.isoformat() if item.assignment.due_at else "",
                student.name,
                student.username,
                student.status.value,
                student.attempts,
                *attempt_csv_cells(student.best),
                *attempt_csv_cells(student.last),
                student.first_finished.finished_at.isoformat() if student.first_finished else "",
            ]
            for item in progress.assignments
            for student in item.students
        ),
    )
