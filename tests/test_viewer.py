"""The question page and the answer submit load the signed-in viewer inside their own query; they
must accept exactly the user Django's session authentication would, and no one else."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from tests.quiz_factories import make_attempt, make_user

pytestmark = pytest.mark.django_db


def question_url(attempt):
    return reverse("attempt-question", kwargs={"pk": attempt.pk, "number": 1})


def test_the_viewer_is_the_signed_in_student(client):
    student = make_user(username="kim")
    attempt = make_attempt(user=student)
    client.force_login(student)
    response = client.get(question_url(attempt))
    assert response.status_code == 200
    assert response.wsgi_request.user == student
    assert "Log out (kim)" in response.content.decode()


def test_a_changed_password_signs_the_old_session_out(client):
    student = make_user()
    attempt = make_attempt(user=student)
    client.force_login(student)
    student.set_password("a-new-password-2026")
    student.save()

    response = client.get(question_url(attempt))

    assert response.status_code == 404
    assert not response.wsgi_request.user.is_authenticated
    assert SESSION_KEY not in client.session  # flushed, as Django's own check does


def test_a_deactivated_student_is_no_longer_signed_in(client):
    student = make_user()
    attempt = make_attempt(user=student)
    client.force_login(student)
    student.is_active = False
    student.save()
    response = client.get(question_url(attempt))
    assert response.status_code == 404
    assert not response.wsgi_request.user.is_authenticated


def test_another_students_attempt_is_not_found_and_the_viewer_stays_themselves(client):
    owner, other = make_user(), make_user(username="other")
    attempt = make_attempt(user=owner)
    client.force_login(other)
    response = client.get(question_url(attempt))
    assert response.status_code == 404
    assert response.wsgi_request.user == other
    answer = reverse("attempt-answer", kwargs={"pk": attempt.pk, "number": 1})
    question = attempt.questions.get(order=0)
    assert client.post(answer, {"choice": question.correct_choice}).status_code == 404
    assert not question.answers.exists()
