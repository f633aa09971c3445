"""Stored leaderboard totals: kept in step by finishing, claiming and deleting, and rebuilt."""

import datetime as dt

import pytest
from django.contrib import admin
from django.core.management import CommandError, call_command
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from quiz.leaderboard import boards
from quiz.leaderboard.models import PlayerTotal, TotalCount
from quiz.leaderboard.pages import leaderboard
from quiz.leaderboard.rebuild import differences
from quiz.models import Attempt
from quiz.services import (
    attempt_answer,
    attempt_create,
    attempt_finish,
    attempts_claim,
    attempts_delete,
)
from tests.factories import PositionFactory
from tests.quiz_factories import (
    finished_attempt,
    make_attempt,
    make_question_set,
    make_user,
    stub_questions,
    wrong_choice,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)  # a Wednesday of ISO week 48
THIS_WEEK = boards.week_of(NOW).key


@pytest.fixture
def position():
    return PositionFactory()


def totals(user) -> dict[str, tuple[int, int]]:
    return {row.board: (row.total, row.attempts) for row in PlayerTotal.objects.filter(user=user)}


def counts(board: str) -> dict[int, int]:
    return dict(
        TotalCount.objects.filter(board=board).exclude(players=0).values_list("total", "players")
    )


def answer_all(attempt, *, right=True, now=NOW):
    for question in attempt.questions.order_by("order"):
        choice = question.correct_choice if right else wrong_choice(question)
        attempt_answer(attempt=attempt, question=question, choice=choice, now=now)
    return attempt


def test_the_last_answer_counts_the_attempt_on_all_time_and_its_week(position):
    user = make_user()
    attempt = make_attempt(user=user, position=position, count=3)
    questions = list(attempt.questions.order_by("order"))
    attempt_answer(attempt=attempt, question=questions[0], choice=questions[0].correct_choice)
    attempt_answer(attempt=attempt, question=questions[1], choice=questions[1].correct_choice)
    assert totals(user) == {}  # not finished yet

    attempt_answer(
        attempt=attempt, question=questions[2], choice=wrong_choice(questions[2]), now=NOW
    )

    assert totals(user) == {"all": (4, 1), THIS_WEEK: (4, 1)}
    assert counts("all") == {4: 1} and counts(THIS_WEEK) == {4: 1}


def test_a_second_attempt_adds_up_and_moves_the_player_between_counts(position):
    user = make_user()
    answer_all(make_attempt(user=user, position=position, count=2))
    answer_all(make_attempt(user=user, position=position, count=1), now=NOW + dt.timedelta(days=7))
    assert totals(user) == {
        "all": (6, 2),
        THIS_WEEK: (4, 1),
        boards.week_of(NOW + dt.timedelta(days=7)).key: (2, 1),
    }
    assert counts("all") == {6: 1}


def test_a_sets_board_keeps_the_best_attempt(position):
    user = make_user()
    question_set = make_question_set(position=position, handwritten=1)
    board = boards.of_set(question_set.pk).key
    for right in (True, False, True):
        attempt = attempt_create(
            user=user,
            position=position,
            title="Set",
            seed=1,
            difficulty="easy",
            questions=stub_questions(2),
            question_set=question_set,
        )
        answer_all(attempt, right=right)
    assert totals(user)[board] == (2, 3)
    assert totals(user)["all"] == (4, 3)
    assert counts(board) == {2: 1}


def test_ending_early_counts_once_however_often_it_is_asked(position):
    user = make_user()
    attempt = make_attempt(user=user, position=position, count=3)
    question = attempt.questions.get(order=0)
    attempt_answer(attempt=attempt, question=question, choice=question.correct_choice)
    attempt_finish(attempt=attempt, now=NOW)
    attempt_finish(attempt=attempt, now=NOW + dt.timedelta(minutes=1))
    assert totals(user) == {"all": (2, 1), THIS_WEEK: (2, 1)}


def test_a_guests_attempts_count_once_claimed_and_once_only(position):
    finished = answer_all(make_attempt(guest_token="tok", position=position, count=2))
    unfinished = make_attempt(guest_token="tok", position=position, count=1)
    assert PlayerTotal.objects.count() == 0
    user = make_user()

    assert attempts_claim(user=user, guest_token="tok") == 2
    assert attempts_claim(user=user, guest_token="tok") == 0
    assert totals(user) == {"all": (4, 1), boards.week_of(finished.finished_at).key: (4, 1)}

    unfinished.refresh_from_db()
    answer_all(unfinished)
    assert totals(user)["all"] == (6, 2)


def test_an_answer_read_before_a_claim_still_counts_for_the_new_owner(position):
    attempt = make_attempt(guest_token="tok", position=position, count=1)
    question = attempt.questions.get()
    user = make_user()
    attempts_claim(user=user, guest_token="tok")  # after the answer's view read the attempt

    attempt_answer(attempt=attempt, question=question, choice=question.correct_choice)

    assert attempt.user_id == user.pk
    assert totals(user)["all"] == (2, 1)
    assert differences() == []


def test_deleting_attempts_takes_them_off_every_board(position):
    user, rival = make_user(), make_user()
    question_set = make_question_set(position=position, handwritten=1)
    set_board = boards.of_set(question_set.pk).key
    best = finished_attempt(user=user, score=9, question_set=question_set, finished_at=NOW)
    finished_attempt(user=user, score=5, question_set=question_set, finished_at=NOW)
    finished_attempt(user=user, score=1, finished_at=NOW - dt.timedelta(days=30))
    finished_attempt(user=rival, score=7, question_set=question_set, finished_at=NOW)
    assert leaderboard(board=boards.of_set(question_set.pk), viewer=user).viewer_row.rank == 1

    assert attempts_delete(attempts=Attempt.objects.filter(pk=best.pk)) == 1

    assert totals(user)["all"] == (6, 2)
    assert totals(user)[set_board] == (5, 1)  # the next best
    assert counts(set_board) == {5: 1, 7: 1}
    assert leaderboard(board=boards.of_set(question_set.pk), viewer=user).viewer_row.rank == 2

    attempts_delete(attempts=Attempt.objects.filter(user=user))
    assert totals(user) == {}
    assert counts("all") == {7: 1}
    assert differences() == []


def test_the_admin_deletes_attempts_through_the_service(position):
    user = make_user()
    finished_attempt(user=user, score=3)
    attempts_admin = admin.site._registry[Attempt]
    attempts_admin.delete_queryset(None, Attempt.objects.filter(user=user))
    assert totals(user) == {} and differences() == []
    finished_attempt(user=user, score=4)
    attempts_admin.delete_model(None, Attempt.objects.get(user=user))
    assert totals(user) == {} and counts("all") == {}


def test_deleting_a_user_moves_everyone_below_them_up(position):
    first, second, third = make_user(), make_user(), make_user()
    for user, score in ((first, 10), (second, 8), (third, 8)):
        finished_attempt(user=user, score=score)

    first.delete()

    assert leaderboard(board=boards.all_time(), viewer=third).viewer_row.rank == 1
    assert counts("all") == {8: 2}
    assert differences() == []


def test_deleting_a_set_deletes_its_board_and_keeps_the_others(position):
    user = make_user()
    question_set = make_question_set(position=position, handwritten=1)
    finished_attempt(user=user, score=6, question_set=question_set)
    board = boards.of_set(question_set.pk).key

    question_set.delete()

    assert set(totals(user)) == {"all", boards.this_week().key}
    assert counts(board) == {}
    assert differences() == []


def test_the_rebuild_command_reports_and_repairs_differences(position, capsys):
    users = [make_user() for _ in range(3)]
    for user, score in zip(users, (5, 3, 3), strict=True):
        finished_attempt(user=user, score=score)
    call_command("rebuild_leaderboards", "--check")
    assert "match" in capsys.readouterr().out

    PlayerTotal.objects.filter(user=users[0], board="all").update(total=50)
    TotalCount.objects.filter(board="all", total=3).delete()
    with pytest.raises(CommandError, match="2 stored totals differ"):
        call_command("rebuild_leaderboards", "--check")
    out = capsys.readouterr().out
    assert (
        f"all, user {users[0].pk}: stored 50 points from 1 attempt, expected 5 points from 1 attempt"
        in out
    )
    assert "all, players at 3: stored 0, expected 2" in out

    call_command("rebuild_leaderboards")
    assert "Rebuilt: 2 stored totals differed" in capsys.readouterr().out
    assert differences() == []
    assert totals(users[0])["all"] == (5, 1)


# -- any sequence of operations ----------------------------------------------------------------

USERS, GUEST = 2, "guest"
steps = st.lists(
    st.one_of(
        st.tuples(
            st.just("start"),
            st.integers(0, USERS),  # owner: a user, or (USERS) the guest
            st.booleans(),  # at the question set
            st.integers(1, 2),  # questions
        ),
        st.tuples(st.just("answer"), st.integers(0, 5), st.booleans(), st.integers(0, 20)),
        st.tuples(st.just("finish"), st.integers(0, 5), st.integers(0, 20)),
        st.tuples(st.just("claim"), st.integers(0, USERS - 1)),
        st.tuples(st.just("delete"), st.integers(0, 5)),
        st.tuples(st.just("delete_user"), st.integers(0, USERS - 1)),
    ),
    min_size=1,
    max_size=16,
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=steps)
# A player with a total claims a guest's two attempts of different weeks; a set's best deleted.
@example(
    steps=[
        ("start", 1, False, 1),
        ("finish", 0, 0),
        ("start", USERS, False, 1),
        ("finish", 1, 0),
        ("start", USERS, False, 2),
        ("answer", 2, True, 9),
        ("answer", 2, True, 9),
        ("claim", 1),
    ]
)
@example(
    steps=[
        ("start", 0, True, 1),
        ("answer", 0, True, 0),
        ("start", 0, True, 1),
        ("answer", 1, False, 0),
        ("delete", 0),
    ]
)
def test_any_sequence_of_finishes_claims_and_deletions_matches_a_rebuild(steps, position):
    with transaction.atomic():
        users = [make_user() for _ in range(USERS)]
        question_set = make_question_set(position=position, handwritten=1)
        attempts: list[Attempt] = []
        for step in steps:
            _apply(step, users=users, attempts=attempts, question_set=question_set)
        assert differences() == []
        transaction.set_rollback(True)


def _apply(step, *, users, attempts, question_set):
    kind, *args = step
    live = [user for user in users if user.pk is not None]
    if kind == "start":
        owner, at_set, count = args
        user = users[owner] if owner < USERS else None
        if user is not None and user.pk is None:
            return
        attempts.append(
            attempt_create(
                user=user,
                guest_token="" if user else GUEST,
                position=question_set.position,
                title="Step",
                seed=owner,
                difficulty="medium",
                questions=stub_questions(count),
                question_set=question_set if at_set and user else None,
                now=NOW,
            )
        )
        return
    if kind == "claim":
        if users[args[0]] in live:
            attempts_claim(user=users[args[0]], guest_token=GUEST)
        return
    if kind == "delete_user":
        if users[args[0]] in live:
            users[args[0]].delete()
        return
    if not attempts:
        return
    attempt = Attempt.objects.filter(pk=attempts[args[0] % len(attempts)].pk).first()
    if attempt is None:
        return
    if kind == "answer":
        _, right, days = args
        question = attempt.questions.filter(answers__isnull=True).order_by("order").first()
        if question is not None and not attempt.is_finished:
            choice = question.correct_choice if right else wrong_choice(question)
            attempt_answer(
                attempt=attempt, question=question, choice=choice, now=NOW - dt.timedelta(days)
            )
    elif kind == "finish":
        attempt_finish(attempt=attempt, now=NOW - dt.timedelta(days=args[1]))
    elif kind == "delete":
        attempts_delete(attempts=Attempt.objects.filter(pk=attempt.pk))
