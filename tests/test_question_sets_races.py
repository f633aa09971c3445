"""Students starting a set at the same moment get no more attempts than it allows."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from quiz.models import Attempt, QuestionSet
from quiz.services import SET_BUSY, SET_NO_ATTEMPTS_LEFT, QuizError, attempt_start_from_set
from tests.quiz_factories import make_question_set, make_user

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 12


def start_together(question_set, users):
    barrier = threading.Barrier(len(users))

    def start(user):
        try:
            fresh = QuestionSet.objects.for_taking().get(pk=question_set.pk)
            barrier.wait()
            try:
                return attempt_start_from_set(user=user, question_set=fresh).set_attempt_number
            except QuizError as error:
                return error.message
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(users)) as pool:
        return list(pool.map(start, users))


def test_one_student_starting_twelve_times_at_once_gets_the_two_attempts_allowed():
    student = make_user()
    question_set = make_question_set(handwritten=2, attempts_allowed=2)
    results = start_together(question_set, [student] * THREADS)
    assert sorted(r for r in results if isinstance(r, int)) == [1, 2]
    assert {r for r in results if isinstance(r, str)} <= {SET_NO_ATTEMPTS_LEFT, SET_BUSY}
    numbers = Attempt.objects.filter(user=student).values_list("set_attempt_number", flat=True)
    assert sorted(numbers) == [1, 2]


def test_twelve_students_at_once_each_get_their_first_attempt():
    question_set = make_question_set(handwritten=1, attempts_allowed=1)
    students = [make_user() for _ in range(THREADS)]
    assert start_together(question_set, students) == [1] * THREADS
