"""When a student may see the right answers of a teacher's question set: the one decision that
every page showing a right answer or an explanation asks (a question's feedback, the result page,
a teacher's view of an attempt, practising mistakes, a set's hand-written questions as flashcards).

Rules
-----
- A quick quiz (no set) shows each right answer as soon as the question is answered.
- The set's owner, a superuser, and the teacher of a class the student is in see everything.
- Anyone else sees the answers to the questions a student answered as the set's ``reveal`` says:
  after each question at once; at the end of each attempt once the attempt is finished; after the
  last attempt once the set is over for the student and the attempt is finished.
- The answers to questions left unanswered (an attempt ended early), and a set's hand-written
  questions as flashcards, wait until the set is over for the student; except where attempts are
  unlimited and answers come with every attempt (after each question, end of attempt), since any
  answer can then be had by playing again.
- A set is over for a student when they have used every attempt allowed and none is in progress,
  or when the due dates of all its assignments in their classes have passed (an assignment with
  no due date keeps it open).
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import dateformat, timezone

from quiz.classroom.models import Assignment, Classroom
from quiz.models import Answer, Attempt, QuestionSet

Reveal = QuestionSet.Reveal
NO_DUE_DATE_YET = (
    "Your teacher shows the right answers after a due date, and this set has none for you yet."
)


class RevealReason(enum.StrEnum):
    """Why answers are shown or withheld; pages and tests branch on it."""

    QUICK_QUIZ = "quick-quiz"
    TEACHER = "teacher"
    AS_ANSWERED = "as-answered"
    ALL_ANSWERED = "all-answered"
    UNLIMITED_ATTEMPTS = "unlimited-attempts"
    ATTEMPTS_USED = "attempts-used"
    DUE_DATE_PASSED = "due-date-passed"
    ATTEMPT_UNFINISHED = "attempt-unfinished"
    ATTEMPTS_LEFT = "attempts-left"
    NOT_THEIRS = "not-theirs"


@dataclass(frozen=True)
class RevealDecision:
    """Which right answers (and explanations) the viewer sees now, and why."""

    answered: bool
    unanswered: bool
    reason: RevealReason
    due_at: dt.datetime | None = None
    limited: bool = True

    @property
    def everything(self) -> bool:
        return self.answered and self.unanswered

    def shows(self, answer: Answer | None) -> bool:
        """Whether the right answer of a question with this answer (None: unanswered) shows."""
        return self.answered if answer is not None else self.unanswered

    @property
    def when(self) -> str:
        """When what is withheld will show, as the end of a sentence; "" when unknown."""
        if self.reason == RevealReason.ATTEMPT_UNFINISHED:
            return "when you finish this attempt"
        if self.reason != RevealReason.ATTEMPTS_LEFT:
            return ""
        due = "" if self.due_at is None else f"after the due date, {due_text(self.due_at)}"
        if self.limited and due:
            return f"after your last attempt or {due}, whichever comes first"
        return "after your last attempt" if self.limited else due

    @property
    def message(self) -> str:
        """What the student is told about the answers withheld; "" when none are."""
        waiting = (RevealReason.ATTEMPT_UNFINISHED, RevealReason.ATTEMPTS_LEFT)
        if self.everything or self.reason not in waiting:
            return ""
        if not self.when:
            return NO_DUE_DATE_YET
        if self.answered:
            return (
                f"You will see the right answers to the questions you left unanswered {self.when}."
            )
        return f"You will see the right answers {self.when}."


def due_text(moment: dt.datetime) -> str:
    """A due date as the message says it: "14 December at 17:00" (the year when not this one)."""
    local = timezone.localtime(moment)
    pattern = "j F" if local.year == timezone.localdate().year else "j F Y"
    return f"{dateformat.format(local, pattern)} at {local:%H:%M}"


def _everything(reason: RevealReason) -> RevealDecision:
    return RevealDecision(answered=True, unanswered=True, reason=reason)


def reveal_decision(
    *,
    viewer,
    attempt: Attempt | None = None,
    question_set: QuestionSet | None = None,
    now: dt.datetime | None = None,
) -> RevealDecision:
    """What `viewer` sees of the right answers of `attempt`, or (without an attempt) of the
    hand-written questions of `question_set`. Reads the attempt's question_set (select it
    related); asks the database only to learn whether the set is over for a student, or
    whether a third party teaches them."""
    if attempt is not None:
        if attempt.question_set_id is None:
            return _everything(RevealReason.QUICK_QUIZ)
        question_set = attempt.question_set
    signed_in = viewer is not None and viewer.is_authenticated
    if signed_in and (viewer.is_superuser or viewer.pk == question_set.owner_id):
        return _everything(RevealReason.TEACHER)
    if attempt is not None and (not signed_in or viewer.pk != attempt.user_id):
        if signed_in and _teaches(viewer, attempt.user_id):
            return _everything(RevealReason.TEACHER)
        return _withheld(RevealReason.NOT_THEIRS)
    student = viewer if signed_in else None
    now = now or timezone.now()
    if attempt is not None and not attempt.is_finished:
        return _during_attempt(question_set, student, now)
    return _after_attempt(question_set, student, attempt, now)


def _during_attempt(question_set: QuestionSet, student, now: dt.datetime) -> RevealDecision:
    """An attempt in progress: what it shows of the questions answered so far."""
    if question_set.reveal == Reveal.AFTER_EACH_QUESTION:
        return RevealDecision(answered=True, unanswered=False, reason=RevealReason.AS_ANSWERED)
    if question_set.reveal == Reveal.END_OF_ATTEMPT:
        return _withheld(RevealReason.ATTEMPT_UNFINISHED)
    # After the last attempt; this one is in progress, so only a due date can have ended the set.
    over, due_at = _set_over(question_set, student, now, count_attempts=False)
    return _withheld(
        RevealReason.ATTEMPT_UNFINISHED if over else RevealReason.ATTEMPTS_LEFT,
        due_at=due_at,
        limited=question_set.attempts_allowed is not None,
    )


def _after_attempt(
    question_set: QuestionSet, student, attempt: Attempt | None, now: dt.datetime
) -> RevealDecision:
    """A finished attempt, or (no attempt) the set's hand-written questions as flashcards."""
    limited = question_set.attempts_allowed is not None
    with_each_attempt = question_set.reveal != Reveal.AFTER_LAST_ATTEMPT
    if with_each_attempt and not limited:
        return _everything(RevealReason.UNLIMITED_ATTEMPTS)
    answered_all = attempt is not None and attempt.answered_count >= attempt.question_count
    if with_each_attempt and answered_all:
        return _everything(RevealReason.ALL_ANSWERED)
    over, due_at = _set_over(question_set, student, now)
    if over is not None:
        return _everything(over)
    return RevealDecision(
        answered=with_each_attempt and attempt is not None,
        unanswered=False,
        reason=RevealReason.ATTEMPTS_LEFT,
        due_at=due_at,
        limited=limited,
    )


def _withheld(
    reason: RevealReason, *, due_at: dt.datetime | None = None, limited: bool = True
) -> RevealDecision:
    return RevealDecision(
        answered=False, unanswered=False, reason=reason, due_at=due_at, limited=limited
    )


def _teaches(viewer, student_id: int | None) -> bool:
    """Whether the viewer teaches a class the student is in (one query)."""
    if student_id is None:
        return False
    return Classroom.objects.filter(teacher=viewer, memberships__student=student_id).exists()


def _set_over(
    question_set: QuestionSet, student, now: dt.datetime, *, count_attempts: bool = True
) -> tuple[RevealReason | None, dt.datetime | None]:
    """Why the set is over for the student (None: it isn't), and the due date that will end it.

    At most two queries: the student's attempts at the set, their classes' due dates for it.
    """
    if student is None:
        return None, None
    allowed = question_set.attempts_allowed
    if allowed is not None and count_attempts:
        counts = Attempt.objects.filter(question_set=question_set, user=student).aggregate(
            started=Count("pk"), open=Count("pk", filter=Q(finished_at__isnull=True))
        )
        if counts["started"] >= allowed and not counts["open"]:
            return RevealReason.ATTEMPTS_USED, None
    due_dates = list(
        Assignment.objects.filter(
            question_set=question_set, classroom__memberships__student=student
        )
        .order_by()
        .values_list("due_at", flat=True)
    )
    due_at = None if not due_dates or None in due_dates else max(due_dates)
    if due_at is not None and now > due_at:
        return RevealReason.DUE_DATE_PASSED, due_at
    return None, due_at


def reveal_rule(question_set: QuestionSet) -> str:
    """The set's setting as a student reads it on the set's page."""
    if question_set.reveal == Reveal.AFTER_EACH_QUESTION:
        return "After each question"
    if question_set.reveal == Reveal.END_OF_ATTEMPT:
        return "When you finish an attempt"
    if question_set.attempts_allowed is None:
        return "After the due date"
    return "After your last attempt or the due date"
