"""A question set's class results: each student's attempts and each question's difficulty.

Two queries whatever the size of the class: the set's attempts with their students, and its
attempts' questions with their answers (a LEFT JOIN, one row per question). Everything else is
counted here, in Python.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from quiz.csv_cells import csv_text
from quiz.models import KIND_LABELS, Attempt, AttemptQuestion, QuestionSet


@dataclass
class StudentResult:
    """One student's attempts at the set."""

    user_id: int
    name: str
    username: str
    attempts: int = 0
    in_progress: int = 0
    best: Attempt | None = None
    last: Attempt | None = None

    @property
    def finished(self) -> int:
        return self.attempts - self.in_progress


@dataclass
class QuestionResult:
    """How one question (the same prompt, in whichever attempts it came up) went."""

    kind: str
    prompt: str
    asked: int = 0
    answered: int = 0
    correct: int = 0
    wrong_choices: Counter = field(default_factory=Counter)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def share_correct(self) -> int | None:
        """Right answers as a whole percentage of the answers given; None if none were."""
        return round(100 * self.correct / self.answered) if self.answered else None

    @property
    def top_wrong(self) -> tuple[str, int] | None:
        """The most chosen wrong answer and how often (ties: alphabetical), if any."""
        if not self.wrong_choices:
            return None
        return min(self.wrong_choices.items(), key=lambda item: (-item[1], item[0]))


@dataclass
class ClassResults:
    """Students by name; questions hardest first."""

    students: list[StudentResult]
    questions: list[QuestionResult]

    @property
    def attempt_count(self) -> int:
        return sum(student.attempts for student in self.students)


def _better(attempt: Attempt, than: Attempt | None) -> bool:
    if than is None:
        return True
    return (attempt.percentage, attempt.score) > (than.percentage, than.score)


def class_results(question_set: QuestionSet) -> ClassResults:
    """The set's results, in two queries."""
    students: dict[int, StudentResult] = {}
    attempts = (
        Attempt.objects.filter(question_set=question_set, user__isnull=False)
        .select_related("user__profile")
        .order_by("started_at", "pk")
    )
    for attempt in attempts:
        user = attempt.user
        if user.pk not in students:
            profile = getattr(user, "profile", None)
            name = profile.display_name if profile else user.get_username()
            students[user.pk] = StudentResult(user.pk, name, user.get_username())
        student = students[user.pk]
        student.attempts += 1
        if not attempt.is_finished:
            student.in_progress += 1
            continue
        if student.last is None or attempt.finished_at >= student.last.finished_at:
            student.last = attempt
        if _better(attempt, student.best):
            student.best = attempt

    questions: dict[tuple[str, str], QuestionResult] = {}
    rows = (
        AttemptQuestion.objects.filter(attempt__question_set=question_set)
        .order_by()
        .values("kind", "prompt", "choices", "correct_choice", "answers__choice")
    )
    for row in rows:
        key = (row["kind"], row["prompt"])
        result = questions.setdefault(key, QuestionResult(*key))
        result.asked += 1
        choice = row["answers__choice"]
        if choice is None:
            continue
        result.answered += 1
        if choice == row["correct_choice"]:
            result.correct += 1
        else:
            text = next((c["text"] for c in row["choices"] if c["id"] == choice), "")
            result.wrong_choices[text] += 1

    return ClassResults(
        students=sorted(students.values(), key=lambda s: (s.name.casefold(), s.user_id)),
        questions=sorted(
            questions.values(),
            key=lambda q: (q.share_correct is None, q.share_correct or 0, q.prompt),
        ),
    )


def _seconds(span: dt.timedelta | None) -> str:
    return "" if span is None else str(round(span.total_seconds()))


STUDENTS_CSV_HEADER = (
    "student",
    "username",
    "attempts",
    "in_progress",
    "best_score",
    "best_max_score",
    "best_percentage",
    "best_time_seconds",
    "last_score",
    "last_max_score",
    "last_percentage",
    "last_time_seconds",
    "last_finished_at",
)
QUESTIONS_CSV_HEADER = (
    "kind",
    "prompt",
    "asked",
    "answered",
    "correct",
    "percentage_correct",
    "most_chosen_wrong_answer",
    "times_chosen",
)


def students_csv(results: ClassResults) -> str:
    """One row per student: attempts, best and last scores, their times in seconds."""
    return csv_text(
        STUDENTS_CSV_HEADER,
        (
            [
                student.name,
                student.username,
                student.attempts,
                student.in_progress,
                *attempt_csv_cells(student.best),
                *attempt_csv_cells(student.last),
                student.last.finished_at.isoformat() if student.last else "",
            ]
            for student in results.students
        ),
    )


def attempt_csv_cells(attempt: Attempt | None) -> tuple:
    """An attempt's score, maximum, percentage and seconds taken as CSV cells (blank if none)."""
    if attempt is None:
        return ("", "", "", "")
    return (attempt.score, attempt.max_score, attempt.percentage, _seconds(attempt.time_taken))


def questions_csv(results: ClassResults) -> str:
    """One row per question, hardest first: how often asked, answered, right, the top wrong answer."""
    return csv_text(
        QUESTIONS_CSV_HEADER,
        (
            [
                question.kind,
                question.prompt,
                question.asked,
                question.answered,
                question.correct,
                "" if question.share_correct is None else question.share_correct,
                question.top_wrong[0] if question.top_wrong else "",
                question.top_wrong[1] if question.top_wrong else "",
            ]
            for question in results.questions
        ),
    )
