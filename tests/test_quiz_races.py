"""Concurrent submits, on whichever database the suite runs against (SQLite or PostgreSQL)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from quiz.leaderboard.models import PlayerTotal
from quiz.leaderboard.rebuild import differences
from quiz.models import Answer, Attempt, AttemptQuestion
from quiz.services import ALREADY_ANSWERED, QuizError, attempt_answer
from tests.quiz_factories import make_attempt, make_user, wrong_choice

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 20


def run_together(task, arguments):
    """Run task(argument) in THREADS threads released at the same moment; return the results."""
    barrier = threading.Barrier(len(arguments))

    def worker(argument):
        try:
            return task(argument, barrier)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(arguments)) as pool:
        return list(pool.map(worker, arguments))


def submit(question, pick):
    """A task answering the question with pick(thread index, question)."""

    def task(index, barrier):
        # Each thread loads its own copies, as separate requests would.
        attempt = Attempt.objects.get(pk=question.attempt_id)
        mine = AttemptQuestion.objects.get(pk=question.pk)
        barrier.wait()
        try:
            answer = attempt_answer(attempt=attempt, question=mine, choice=pick(index, mine))
        except QuizError as error:
            return error.message
        return answer.points

    return task


def test_twenty_identical_submits_score_once():
    attempt = make_attempt(user=make_user(), count=3)
    question = attempt.questions.get(order=0)

    results = run_together(
        submit(question, lambda index, q: q.correct_choice), list(range(THREADS))
    )

    assert sorted(results, key=str) == sorted([2] + [ALREADY_ANSWERED] * (THREADS - 1), key=str)
    attempt.refresh_from_db()
    assert attempt.score == 2
    assert attempt.answered_count == 1
    assert Answer.objects.filter(question=question).count() == 1


def test_twenty_different_submits_keep_only_the_first():
    attempt = make_attempt(user=make_user(), count=3)
    question = attempt.questions.get(order=0)

    def pick(index, q):
        return q.correct_choice if index % 2 else wrong_choice(q)

    results = run_together(submit(question, pick), list(range(THREADS)))

    scored = [result for result in results if result != ALREADY_ANSWERED]
    assert len(scored) == 1
    answer = Answer.objects.get(question=question)
    attempt.refresh_from_db()
    assert attempt.score == answer.points == scored[0]
    assert attempt.answered_count == 1


def test_twenty_questions_answered_at_once_all_count():
    attempt = make_attempt(user=make_user(), count=THREADS)
    questions = {q.order: q for q in attempt.questions.all()}

    def task(order, barrier):
        mine = Attempt.objects.get(pk=attempt.pk)
        question = AttemptQuestion.objects.get(pk=questions[order].pk)
        barrier.wait()
        choice = question.correct_choice if order % 3 else wrong_choice(question)
        return attempt_answer(attempt=mine, question=question, choice=choice).points

    results = run_together(task, list(range(THREADS)))

    attempt.refresh_from_db()
    assert attempt.score == sum(results) == 2 * len([n for n in range(THREADS) if n % 3])
    assert attempt.answered_count == THREADS
    assert attempt.finished_at is not None
    # Exactly one of them saw that it finished the attempt, and counted it on the boards.
    assert PlayerTotal.objects.get(user=attempt.user, board="all").total == attempt.score
    assert differences() == []


def test_twenty_players_finishing_at_once_keep_the_totals_in_step():
    # Four players, five attempts each, scores crossing each other's totals: the counts' rows are
    # taken in one order by every transaction, so PostgreSQL finds no deadlock.
    users = [make_user() for _ in range(4)]
    attempts = [make_attempt(user=users[n % 4], count=1) for n in range(THREADS)]

    def task(index, barrier):
        attempt = Attempt.objects.get(pk=attempts[index].pk)
        question = attempt.questions.get()
        barrier.wait()
        choice = question.correct_choice if index % 3 else wrong_choice(question)
        return attempt_answer(attempt=attempt, question=question, choice=choice).points

    results = run_together(task, list(range(THREADS)))

    assert sum(PlayerTotal.objects.filter(board="all").values_list("total", flat=True)) == sum(
        results
    )
    assert differences() == []


def test_twenty_replayed_posts_through_the_views_score_once():
    user = make_user()
    attempt = make_attempt(user=user, count=3)
    question = attempt.questions.get(order=0)
    url = reverse("attempt-answer", kwargs={"pk": attempt.pk, "number": 1})
    clients = []
    for _ in range(THREADS):
        client = Client()
        client.force_login(user)
        clients.append(client)

    def task(client, barrier):
        barrier.wait()
        response = client.post(url, {"choice": question.correct_choice}, HTTP_HX_REQUEST="true")
        return response.status_code, response.content.decode()

    results = run_together(task, clients)

    assert {status for status, _ in results} == {200}
    assert sum("Right!" in body and "already answered" not in body for _, body in results) == 1
    assert sum("already answered" in body for _, body in results) == THREADS - 1
    attempt.refresh_from_db()
    assert attempt.score == 2
    assert Answer.objects.filter(question=question).count() == 1
