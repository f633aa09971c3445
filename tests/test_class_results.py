"""Class results in the admin: students' attempts and questions' difficulty, in fixed queries."""

import csv
import datetime as dt
import html
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from quiz.accounts import profile_create
from quiz.models import QuestionSet
from quiz.results import class_results
from quiz.services import attempt_answer, attempt_finish, attempt_start_from_set
from tests.quiz_factories import add_handwritten, make_question_set, make_teacher, make_user

pytestmark = pytest.mark.django_db

START = timezone.now() - dt.timedelta(days=1)


@pytest.fixture
def teacher(client):
    teacher = make_teacher(username="ms-ada")
    client.force_login(teacher)
    return teacher


@pytest.fixture
def question_set(teacher):
    """Two hand-written questions in a fixed order, so every attempt asks the same."""
    question_set = make_question_set(owner=teacher, order=QuestionSet.Order.FIXED, title="Lenin")
    add_handwritten(
        question_set,
        prompt="Who created the office?",
        choices=["Lenin", "Stalin", "Trotsky"],
        order=0,
    )
    add_handwritten(
        question_set, prompt="Where did he live?", choices=["Kremlin Senate", "Smolny"], order=1
    )
    return question_set


def take(question_set, user, picks, *, minutes=3, started=START):
    """An attempt answering each question with the choice of that text (None: unanswered)."""
    fresh = QuestionSet.objects.for_taking().get(pk=question_set.pk)
    attempt = attempt_start_from_set(user=user, question_set=fresh, now=started)
    for question, pick in zip(attempt.questions.order_by("order"), picks, strict=True):
        if pick is not None:
            choice = next(c["id"] for c in question.choices if c["text"] == pick)
            attempt_answer(
                attempt=attempt,
                question=question,
                choice=choice,
                now=started + dt.timedelta(minutes=minutes),
            )
    if not attempt.is_finished:
        attempt_finish(attempt=attempt, now=started + dt.timedelta(minutes=minutes))
    return attempt


def student(username, display_name=None):
    user = make_user(username=username)
    if display_name:
        profile_create(user=user, display_name=display_name)
    return user


@pytest.fixture
def class_of_three(question_set):
    ann, ben, cat = student("ann", "Ann A."), student("ben"), student("cat", "Cat C.")
    take(question_set, ann, ["Lenin", "Kremlin Senate"], minutes=2)
    take(
        question_set,
        ann,
        ["Stalin", "Kremlin Senate"],
        minutes=5,
        started=START + dt.timedelta(hours=1),
    )
    take(question_set, ben, ["Stalin", "Smolny"], minutes=4)
    fresh = QuestionSet.objects.for_taking().get(pk=question_set.pk)
    attempt_start_from_set(user=cat, question_set=fresh)  # started, nothing answered
    return ann, ben, cat


def test_each_students_best_last_count_and_time(question_set, class_of_three):
    results = class_results(question_set)
    rows = {s.username: s for s in results.students}
    assert [s.name for s in results.students] == ["Ann A.", "ben", "Cat C."]
    ann = rows["ann"]
    assert (ann.attempts, ann.in_progress) == (2, 0)
    assert (ann.best.percentage, ann.best.time_taken) == (100, dt.timedelta(minutes=2))
    assert (ann.last.percentage, ann.last.time_taken) == (50, dt.timedelta(minutes=5))
    assert rows["ben"].best.score == 0
    assert (rows["cat"].attempts, rows["cat"].in_progress, rows["cat"].best) == (1, 1, None)
    assert results.attempt_count == 4


def test_each_questions_share_correct_and_most_chosen_wrong_answer(question_set, class_of_three):
    created, lived = class_results(question_set).questions  # hardest first
    assert created.prompt == "Who created the office?"
    assert (created.asked, created.answered, created.correct, created.share_correct) == (
        4,
        3,
        1,
        33,
    )
    assert created.top_wrong == ("Stalin", 2)
    assert (lived.answered, lived.correct, lived.share_correct) == (3, 2, 67)
    assert lived.top_wrong == ("Smolny", 1)


def test_the_results_page_shows_both_tables(client, question_set, class_of_three):
    response = client.get(reverse("admin:quiz_questionset_results", args=[question_set.pk]))
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html.unescape(response.content.decode())))
    assert response.status_code == 200
    assert "3 students, 4 attempts" in page
    assert "Ann A. (ann) 2 4 / 4 (100%) 2 min 0 s 2 / 4 (50%) 5 min 0 s" in page
    assert "(1 in progress)" in page and "No finished attempt yet." in page
    assert "3 of 4 asked 33% (1)" in page and "Stalin (chosen 2 times)" in page
    assert "Students as CSV" in page


def test_results_cost_the_same_queries_for_one_student_or_twenty(
    client, question_set, django_assert_num_queries
):
    url = reverse("admin:quiz_questionset_results", args=[question_set.pk])
    take(question_set, student("first"), ["Lenin", "Smolny"])
    # session, user, the teacher's groups' permissions, the teacher's own permissions,
    # the set, the attempts with their students, the questions with their answers
    with django_assert_num_queries(7):
        assert client.get(url).status_code == 200
    for number in range(19):
        take(question_set, student(f"s{number}", f"Student {number}"), ["Stalin", "Smolny"])
        take(question_set, student(f"t{number}"), ["Trotsky", None])
    with django_assert_num_queries(7):
        response = client.get(url)
    assert "39 students, 39 attempts" in html.unescape(response.content.decode())
    with django_assert_num_queries(7):
        client.get(
            reverse("admin:quiz_questionset_results_csv", args=[question_set.pk, "students"])
        )


def test_students_csv(client, question_set, class_of_three):
    url = reverse("admin:quiz_questionset_results_csv", args=[question_set.pk, "students"])
    response = client.get(url)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="{question_set.share_code}-students.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["student"] for row in rows] == ["Ann A.", "ben", "Cat C."]
    assert rows[0]["attempts"] == "2"
    assert (rows[0]["best_percentage"], rows[0]["best_time_seconds"]) == ("100", "120")
    assert (rows[0]["last_percentage"], rows[0]["last_time_seconds"]) == ("50", "300")
    assert rows[2]["in_progress"] == "1" and rows[2]["best_score"] == ""


def test_questions_csv(client, question_set, class_of_three):
    url = reverse("admin:quiz_questionset_results_csv", args=[question_set.pk, "questions"])
    rows = list(csv.DictReader(io.StringIO(client.get(url).content.decode())))
    assert rows[0]["prompt"] == "Who created the office?"
    assert (rows[0]["percentage_correct"], rows[0]["most_chosen_wrong_answer"]) == ("33", "Stalin")
    assert rows[0]["times_chosen"] == "2" and rows[0]["asked"] == "4"


def test_a_display_name_cannot_smuggle_a_spreadsheet_formula(client, question_set):
    take(question_set, student("eve", '=HYPERLINK("http://evil")'), ["Lenin", "Smolny"])
    url = reverse("admin:quiz_questionset_results_csv", args=[question_set.pk, "students"])
    rows = list(csv.DictReader(io.StringIO(client.get(url).content.decode())))
    assert rows[0]["student"] == '\'=HYPERLINK("http://evil")'


def test_an_unknown_table_is_404(client, question_set):
    url = reverse("admin:quiz_questionset_results_csv", args=[question_set.pk, "teachers"])
    assert client.get(url).status_code == 404


def test_an_empty_class(client, question_set):
    page = html.unescape(
        client.get(
            reverse("admin:quiz_questionset_results", args=[question_set.pk])
        ).content.decode()
    )
    assert "No student has taken this set yet." in page and "No questions answered yet." in page


def test_another_teacher_sees_none_of_it(client, question_set, class_of_three):
    client.force_login(make_teacher(username="mr-bo"))
    assert (
        client.get(reverse("admin:quiz_questionset_results", args=[question_set.pk])).status_code
        == 404
    )
