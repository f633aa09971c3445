"""Classes a teacher runs, the students in them, what they are assigned, and question imports."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse

from quiz.models import SHARE_CODE_PATTERN, new_share_code, normalize_share_code


class ClassroomQuerySet(models.QuerySet):
    """Queries on classes."""

    def taught_by(self, user) -> ClassroomQuerySet:
        """The teacher's own classes (every class for a superuser)."""
        return self if user.is_superuser else self.filter(teacher=user)

    def joined_by(self, user) -> ClassroomQuerySet:
        """The classes the student is in."""
        return self.filter(memberships__student=user)

    def with_code(self, code: str) -> ClassroomQuerySet:
        """The class with this join code as typed (any case, spaces or dashes); junk finds none."""
        code = normalize_share_code(code)
        return self.filter(join_code=code) if SHARE_CODE_PATTERN.fullmatch(code) else self.none()

    def with_student_counts(self) -> ClassroomQuerySet:
        return self.annotate(student_count=models.Count("memberships", distinct=True))


class Classroom(models.Model):
    """A teacher's class: a name, a join code, its students and its assignments."""

    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="classrooms_taught"
    )
    name = models.CharField(max_length=100)
    join_code = models.CharField(max_length=12, unique=True, default=new_share_code)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ClassroomQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "class"
        verbose_name_plural = "classes"
        constraints = [
            models.UniqueConstraint(
                "teacher",
                Lower("name"),
                name="unique_class_name_per_teacher",
                violation_error_message="You already have a class with that name.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("classroom-detail", kwargs={"pk": self.pk})

    def get_join_url(self) -> str:
        return reverse("classroom-join-code", kwargs={"code": self.join_code})


class Membership(models.Model):
    """A student's place in a class."""

    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="memberships")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="class_memberships"
    )
    joined_at = models.DateTimeField()

    class Meta:
        ordering = ["classroom", "joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["classroom", "student"],
                name="unique_class_member",
                violation_error_message="This student is already in the class.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} in {self.classroom}"


class AssignmentQuerySet(models.QuerySet):
    """Queries on assignments."""

    def for_students_of(self, user) -> AssignmentQuerySet:
        """Assignments of every class the student is in, with their class, teacher and set."""
        return self.filter(classroom__memberships__student=user).select_related(
            "classroom__teacher__profile", "question_set"
        )

    def open_on(self, moment: dt.datetime) -> AssignmentQuerySet:
        """Assignments students can see: opened already, or with no open date."""
        return self.filter(Q(opens_at__isnull=True) | Q(opens_at__lte=moment))


class Assignment(models.Model):
    """Something a class is asked to do, from an optional open date to an optional due date."""

    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="assignments")
    # Exactly one thing is assigned. Only question sets exist so far; when flashcard decks land,
    # a nullable `deck` joins this field and the check below becomes "exactly one of the two".
    question_set = models.ForeignKey(
        "quiz.QuestionSet",
        on_delete=models.CASCADE,
        related_name="assignments",
        null=True,
        blank=True,
    )
    opens_at = models.DateTimeField(
        null=True, blank=True, help_text="Students see it from then on. Empty: straight away."
    )
    due_at = models.DateTimeField(null=True, blank=True, help_text="Empty: no due date.")
    created_at = models.DateTimeField()

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = [F("due_at").asc(nulls_last=True), "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(question_set__isnull=False),
                name="assignment_assigns_something",
                violation_error_message="Choose what to assign.",
            ),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(due_at__isnull=True)
                | Q(due_at__gt=F("opens_at")),
                name="assignment_due_after_it_opens",
                violation_error_message="The due date must come after the open date.",
            ),
            models.UniqueConstraint(
                fields=["classroom", "question_set"],
                name="unique_assignment_per_class",
                violation_error_message="This set is already assigned to the class.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.material} for {self.classroom}"

    @property
    def material(self):
        """What is assigned (a question set today)."""
        return self.question_set

    @property
    def counts_from(self) -> dt.datetime:
        """Attempts started from this moment count towards the assignment."""
        return self.opens_at or self.created_at

    def is_open(self, now: dt.datetime) -> bool:
        return self.opens_at is None or self.opens_at <= now

    def is_overdue(self, now: dt.datetime) -> bool:
        return self.due_at is not None and now > self.due_at


class QuestionImport(models.Model):
    """A file of questions a teacher imported into a set: the record that it happened, once."""

    question_set = models.ForeignKey(
        "quiz.QuestionSet", on_delete=models.CASCADE, related_name="imports"
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The preview's token: confirming the same preview twice (a double click, a second tab)
    # fails on this constraint and saves nothing the second time.
    token = models.CharField(max_length=64, unique=True)
    file_name = models.CharField(max_length=255)
    file_format = models.CharField(max_length=20)
    question_count = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} into {self.question_set}"
