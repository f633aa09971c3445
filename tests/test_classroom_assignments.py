"""Assignments: due dates on a fixed clock, the class page in fixed queries, one student's
answers, the CSV export, and the student's panel on the home page."""

import csv
import datetime as dt
import html
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from quiz.classroom import services
from quiz.classroom.models import Assignment
from quiz.classroom.progress import Status, class_progress, student_assignments
from quiz.classroom.services import ClassroomError, ErrorCode
from quiz.models import QuestionSet
from quiz.services import attempt_answer, attempt_start_from_set
from tests.classroom_factories import make_assignment, make_classroom, make_student
from tests.quiz_factories import add_handwritten, make_question_set, make_teacher

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)
DUE = dt.datetime(2026, 3, 12, 23, 59, tzinfo=dt.UTC)


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def teacher():
    return make_teacher(username="ms-ada")


@pytest.fixture
def question_set(teacher):
    """Two hand-written questions in a fixed order: 4 points at most."""
    question_set = make_question_set(owner=teacher, order=QuestionSet.Order.FIXED, title="Lenin")
    add_handwritten(question_set, prompt="Who created the office?", choices=["Lenin", "Stalin"])
    add_handwritten(question_set, prompt="Where?", choices=["Kremlin Senate", "Smolny"], order=1)
    return question_set


@pytest.fixture
def classroom(teacher):
    return make_classroom(teacher=teacher)


def take(question_set, student, picks, *, started, minutes=4):
    """An attempt answering each question with the choice of that text; None leaves it open."""
    fresh = QuestionSet.objects.for_taking().get(pk=question_set.pk)
    attempt = attempt_start_from_set(user=student, question_set=fresh, now=started)
    for question, pick in zip(attempt.questions.order_by("order"), picks, strict=False):
        choice = next(c["id"] for c in question.choices if c["text"] == pick)
        attempt_answer(
            attempt=attempt,
            question=question,
            choice=choice,
            now=started + dt.timedelta(minutes=minutes),
        )
    attempt.refresh_from_db()
    return attempt


# -- creating assignments -------------------------------------------------------------------------


def test_a_set_is_assigned_once_to_a_class_with_dates_in_order(classroom, question_set):
    assignment = services.assignment_create(
        classroom=classroom, question_set=question_set, due_at=DUE, now=NOW
    )
    assert assignment.material == question_set and assignment.counts_from == NOW
    with pytest.raises(ClassroomError) as twice:
        services.assignment_create(classroom=classroom, question_set=question_set, now=NOW)
    assert twice.value.code == ErrorCode.ALREADY_ASSIGNED
    other = make_question_set(owner=classroom.teacher, title="Other")
    with pytest.raises(ClassroomError) as order:
        services.assignment_create(
            classroom=classroom, question_set=other, opens_at=DUE, due_at=NOW, now=NOW
        )
    assert order.value.code == ErrorCode.DUE_BEFORE_OPEN
    assert Assignment.objects.count() == 1


def test_unpublished_sets_and_other_teachers_private_sets_are_not_assignable(classroom):
    draft = make_question_set(owner=classroom.teacher, is_published=False, title="Draft")
    theirs = make_question_set(owner=make_teacher(username="mr-bo"), is_published=False)
    shared = make_question_set(owner=make_teacher(username="ms-cy"), title="Shared")
    with pytest.raises(ClassroomError) as draft_error:
        services.assignment_create(classroom=classroom, question_set=draft)
    with pytest.raises(ClassroomError) as theirs_error:
        services.assignment_create(classroom=classroom, question_set=theirs)
    assert draft_error.value.code == ErrorCode.SET_NOT_PUBLISHED
    assert theirs_error.value.code == ErrorCode.SET_UNAVAILABLE
    assert services.assignment_create(classroom=classroom, question_set=shared).pk


def test_the_assign_form_takes_a_due_day_and_defaults_to_its_end(client, classroom, question_set):
    client.force_login(classroom.teacher)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(
        reverse("assignment-create", args=[classroom.pk]),
        {"question_set": question_set.pk, "due_on": tomorrow.isoformat()},
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert timezone.localtime(assignment.due_at).date() == tomorrow
    assert timezone.localtime(assignment.due_at).time() == dt.time(23, 59)
    assert "Lenin" in text(client.get(classroom.get_absolute_url()))


def test_the_assign_form_refuses_a_past_due_date_and_keeps_what_was_typed(
    client, classroom, question_set
):
    client.force_login(classroom.teacher)
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = client.post(
        reverse("assignment-create", args=[classroom.pk]),
        {"question_set": question_set.pk, "due_on": yesterday, "due_time": "09:00"},
    )
    assert response.status_code == 400
    page = text(response)
    assert "That due date has already passed" in page and f'value="{yesterday}"' in page
    assert not Assignment.objects.exists()


def test_changing_the_dates_and_taking_an_assignment_back(client, classroom, question_set):
    assignment = make_assignment(classroom, question_set)
    client.force_login(classroom.teacher)
    day = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = client.post(
        reverse("assignment-edit", args=[assignment.pk]), {"due_on": day, "due_time": "08:30"}
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert timezone.localtime(assignment.due_at).isoformat().startswith(f"{day}T08:30")
    client.post(reverse("assignment-delete", args=[assignment.pk]))
    assert not Assignment.objects.exists()
    other = make_teacher(username="mr-bo")
    client.force_login(other)
    mine = make_assignment(classroom, question_set)
    assert client.post(reverse("assignment-delete", args=[mine.pk])).status_code == 404


# -- progress on a fixed clock --------------------------------------------------------------------


def test_statuses_best_last_and_lateness_on_a_fixed_clock(classroom, question_set):
    assignment = make_assignment(
        classroom, question_set, created=NOW - dt.timedelta(days=2), due=DUE
    )
    ada = make_student("ada", "Ada", classroom=classroom)
    bo = make_student("bo", "Bo", classroom=classroom)
    cy = make_student("cy", "Cy", classroom=classroom)
    make_student("di", "Di", classroom=classroom)
    # Before the assignment was made: does not count.
    take(question_set, ada, ["Lenin", "Kremlin Senate"], started=NOW - dt.timedelta(days=5))
    take(question_set, ada, ["Stalin", "Kremlin Senate"], started=NOW - dt.timedelta(days=1))
    best = take(question_set, ada, ["Lenin", "Kremlin Senate"], started=NOW - dt.timedelta(hours=3))
    last = take(question_set, ada, ["Lenin", "Smolny"], started=NOW - dt.timedelta(hours=1))
    take(question_set, bo, ["Lenin"], started=NOW - dt.timedelta(hours=2))  # unfinished
    late = take(question_set, cy, ["Lenin", "Smolny"], started=DUE + dt.timedelta(hours=1))

    rows = {row.username: row for row in class_progress(classroom, now=NOW).assignments[0].students}
    assert rows["ada"].status == Status.DONE and rows["ada"].attempts == 3
    assert (rows["ada"].best, rows["ada"].last) == (best, last)
    assert rows["bo"].status == Status.IN_PROGRESS and rows["bo"].best is None
    assert rows["di"].status == Status.TO_DO
    assert [row.username for row in class_progress(classroom, now=NOW).assignments[0].students] == [
        "ada",
        "bo",
        "cy",
        "di",
    ]

    after = class_progress(classroom, now=DUE + dt.timedelta(days=1)).assignments[0]
    rows = {row.username: row for row in after.students}
    assert rows["cy"].status == Status.DONE_LATE and rows["cy"].best == late
    assert rows["bo"].status == Status.OVERDUE and rows["di"].status == Status.OVERDUE
    assert [row.username for row in after.done] == ["ada", "cy"] and after.late_count == 1
    assert assignment.is_overdue(DUE + dt.timedelta(seconds=1))


def test_an_assignment_not_open_yet_is_hidden_from_students(classroom, question_set):
    kim = make_student("kim", classroom=classroom)
    make_assignment(classroom, question_set, opens=NOW + dt.timedelta(days=1), due=DUE)
    assert student_assignments(kim, now=NOW) == []
    teacher_view = class_progress(classroom, now=NOW).assignments[0].students[0]
    assert teacher_view.status == Status.NOT_OPEN
    (item,) = student_assignments(kim, now=NOW + dt.timedelta(days=1))
    assert item.status == Status.TO_DO


def test_a_student_sees_overdue_then_to_do_then_done(classroom, question_set, teacher):
    kim = make_student("kim", classroom=classroom)
    later = make_question_set(owner=teacher, title="Later", handwritten=1)
    overdue = make_question_set(owner=teacher, title="Overdue", handwritten=1)
    make_assignment(classroom, question_set, created=NOW - dt.timedelta(days=1), due=DUE)
    make_assignment(
        classroom, later, created=NOW - dt.timedelta(days=1), due=DUE + dt.timedelta(days=1)
    )
    make_assignment(
        classroom, overdue, created=NOW - dt.timedelta(days=3), due=NOW - dt.timedelta(days=1)
    )
    take(question_set, kim, ["Lenin", "Smolny"], started=NOW - dt.timedelta(hours=1))
    items = student_assignments(kim, now=NOW)
    assert [(item.assignment.material.title, item.status) for item in items] == [
        ("Overdue", Status.OVERDUE),
        ("Later", Status.TO_DO),
        ("Lenin", Status.DONE),
    ]
    assert student_assignments(make_student("lee"), now=NOW) == []


# -- the class page, one student's answers, the CSV -----------------------------------------------


def build_class(classroom, question_set, students: int):
    make_assignment(classroom, question_set, due=timezone.now() + dt.timedelta(days=1))
    second = make_question_set(owner=classroom.teacher, title="Second", handwritten=2)
    make_assignment(classroom, second)
    started = timezone.now() - dt.timedelta(hours=1)
    for number in range(students):
        student = make_student(f"s{number}", f"Student {number}", classroom=classroom)
        take(question_set, student, ["Lenin", "Smolny"], started=started)
        take(second, student, [], started=started)


CLASS_PAGE_QUERIES = (
    7  # user (the session is a cookie), groups, the class, members, assignments, attempts, sets
)


@pytest.mark.parametrize("students", [1, 40])
def test_the_class_page_takes_the_same_queries_for_1_and_40_students(
    client, classroom, question_set, students, django_assert_num_queries
):
    build_class(classroom, question_set, students)
    client.force_login(classroom.teacher)
    with django_assert_num_queries(CLASS_PAGE_QUERIES):
        response = client.get(classroom.get_absolute_url())
    page = text(response)
    assert page.count("Done on time") == students
    assert page.count("In progress") == students
    assert f"done by {students} of {students}" in page


def test_one_click_opens_a_students_answers(client, classroom, question_set):
    make_assignment(classroom, question_set)
    kim = make_student("kim", "Kim the Historian", classroom=classroom)
    attempt = take(question_set, kim, ["Stalin", "Kremlin Senate"], started=timezone.now())
    client.force_login(classroom.teacher)
    page = text(client.get(classroom.get_absolute_url()))
    assignment = Assignment.objects.get()
    url = reverse("assignment-attempt", args=[assignment.pk, attempt.pk])
    assert f'href="{url}"' in page
    answers = " ".join(strip_tags(text(client.get(url))).split())
    assert "Kim the Historian\N{RIGHT SINGLE QUOTATION MARK}s answers" in answers
    assert "Their answer: Stalin ✗ wrong" in answers and "Right answer: Lenin" in answers
    assert "Their answer: Kremlin Senate ✓ right" in answers
    client.force_login(make_teacher(username="mr-bo"))
    assert client.get(url).status_code == 404


def test_attempts_of_students_outside_the_class_stay_hidden(client, classroom, question_set):
    assignment = make_assignment(classroom, question_set)
    outsider = make_student("out")
    attempt = take(question_set, outsider, ["Lenin", "Smolny"], started=timezone.now())
    client.force_login(classroom.teacher)
    url = reverse("assignment-attempt", args=[assignment.pk, attempt.pk])
    assert client.get(url).status_code == 404
    assert "out" not in [row.username for row in class_progress(classroom, now=NOW).members]


def test_the_csv_has_a_row_per_student_and_assignment_and_no_formulas(
    client, classroom, question_set
):
    make_assignment(classroom, question_set)
    make_student("kim", "=HYPERLINK(1)", classroom=classroom)
    take(
        question_set,
        classroom.memberships.get().student,
        ["Lenin", "Smolny"],
        started=timezone.now(),
    )
    client.force_login(classroom.teacher)
    response = client.get(reverse("classroom-csv", args=[classroom.pk]))
    assert response["Content-Type"].startswith("text/csv")
    (row,) = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert row["student"] == "'=HYPERLINK(1)" and row["assignment"] == "Lenin"
    assert row["status"] == "done" and row["best_score"] == "2" and row["best_max_score"] == "4"


def test_the_home_page_panel_lists_the_students_assignments(client, classroom, question_set):
    make_assignment(classroom, question_set, due=timezone.now() + dt.timedelta(days=1))
    kim = make_student("kim", classroom=classroom)
    client.force_login(kim)
    page = " ".join(text(client.get(reverse("home"))).split())
    assert "Your assignments" in page and "To do" in page and "Lenin" in page
    take(question_set, kim, ["Lenin", "Kremlin Senate"], started=timezone.now())
    page = " ".join(text(client.get(reverse("home"))).split())
    assert "Done on time" in page and "best 4 / 4" in page
    client.force_login(make_student("lee"))
    assert "Your assignments" not in text(client.get(reverse("home")))
