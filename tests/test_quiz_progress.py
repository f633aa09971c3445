import datetime as dt
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from quiz.services import attempt_answer
from tests.quiz_factories import finished_attempt, make_attempt, make_user, wrong_choice

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return make_user()


def answer_all(attempt, right: int):
    for question in attempt.questions.order_by("order"):
        choice = question.correct_choice if question.order < right else wrong_choice(question)
        attempt_answer(attempt=attempt, question=question, choice=choice)


def test_progress_needs_an_account(client):
    response = client.get(reverse("progress"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_progress_with_no_quizzes(client, user):
    client.force_login(user)
    page = client.get(reverse("progress")).content.decode()
    assert "You have not taken a quiz yet" in page
    assert "<svg" not in page


def test_progress_lists_attempts_accuracy_and_a_chart(client, user):
    first = make_attempt(user=user, count=4, kinds=("successor", "start_year"))
    answer_all(first, right=3)  # successor 2/2, start_year 1/2
    unfinished = make_attempt(user=user, count=2, kinds=("successor",))
    make_attempt(user=make_user(), count=2)  # someone else's, not shown

    client.force_login(user)
    response = client.get(reverse("progress"))
    page = html.unescape(response.content.decode())

    assert response.status_code == 200
    assert "75%" in page  # 6 of 8 points
    assert f'href="{reverse("attempt-result", kwargs={"pk": first.pk})}"' in page
    assert f'href="{reverse("attempt-detail", kwargs={"pk": unfinished.pk})}"' in page
    assert "Continue (0 of 2)" in page
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</th>(.*?)</tr>", page)
    assert [(label, re.findall(r">(\d+%?)<", cells)) for label, cells in rows] == [
        ("When a term began", ["1", "2", "50%"]),
        ("Who came next", ["2", "2", "100%"]),
    ]
    assert '<svg class="score-chart"' in page
    assert 'role="img"' in page and "<desc" in page
    assert page.count('<circle class="point"') == 1


def test_chart_follows_finished_attempts_in_time_order(client, user):
    now = timezone.now()
    for days, score in [(3, 5), (2, 10), (1, 20)]:
        finished_attempt(user=user, score=score, finished_at=now - dt.timedelta(days=days))
    client.force_login(user)
    page = client.get(reverse("progress")).content.decode()
    assert page.count('<circle class="point"') == 3
    assert "first 25%, latest 100%, best 100%" in page
    assert "<polyline" in page
    assert "<script" not in page.split("<svg")[1].split("</svg>")[0]


@pytest.mark.parametrize("attempts", [1, 12])
def test_progress_query_count_is_fixed(client, user, attempts, django_assert_num_queries):
    for _ in range(attempts):
        answer_all(make_attempt(user=user, count=3), right=2)
    client.force_login(user)
    # user (the session is a cookie), attempts, accuracy per kind
    with django_assert_num_queries(3):
        assert client.get(reverse("progress")).status_code == 200
