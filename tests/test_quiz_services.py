import contextlib
import datetime as dt
import random

import pytest
from django.db import IntegrityError
from django.utils import timezone

from quiz.accounts import user_signup
from quiz.models import Answer, Attempt, Profile
from quiz.services import (
    ALREADY_ANSWERED,
    ATTEMPT_FINISHED,
    INVALID_CHOICE,
    NO_POSITION,
    POINTS_PER_CORRECT,
    QUICK_QUIZ_POSITION_SLUG,
    TIME_LIMIT_GRACE,
    QuizError,
    attempt_answer,
    attempt_finish,
    attempts_claim,
    quick_quiz_position,
)
from tests.factories import PositionFactory
from tests.quiz_factories import make_attempt, make_user, wrong_choice

pytestmark = pytest.mark.django_db


def questions_of(attempt):
    return list(attempt.questions.order_by("order"))


def test_create_freezes_questions_with_opaque_shuffled_choices():
    attempt = make_attempt(user=make_user(), count=5)
    questions = questions_of(attempt)
    assert [q.order for q in questions] == [0, 1, 2, 3, 4]
    assert attempt.question_count == 5
    assert attempt.points_per_correct == POINTS_PER_CORRECT["medium"]
    for n, question in enumerate(questions):
        ids = [c["id"] for c in question.choices]
        assert len(set(ids)) == 4
        assert question.correct_text == f"Right {n}"
        assert question.explanation == f"Right {n} followed Holder {n}."
        # Ids carry no text, order or number that hints at the answer.
        for choice in question.choices:
            assert choice["text"].split()[0].lower() not in choice["id"].lower()
            assert not choice["id"].isdigit()
    # Shuffled: the right answer is not always in the same slot.
    slots = {[c["id"] for c in q.choices].index(q.correct_choice) for q in questions}
    assert len(slots) > 1


def test_choice_ids_differ_between_attempts_of_the_same_seed():
    user = make_user()
    first, second = make_attempt(user=user), make_attempt(user=user)
    first_ids = {c["id"] for q in questions_of(first) for c in q.choices}
    second_ids = {c["id"] for q in questions_of(second) for c in q.choices}
    assert not first_ids & second_ids


def test_correct_answer_scores_the_difficulty_points():
    attempt = make_attempt(user=make_user(), difficulty="hard")
    question = questions_of(attempt)[0]

    answer = attempt_answer(attempt=attempt, question=question, choice=question.correct_choice)

    assert answer.is_correct and answer.in_time and answer.points == 3
    attempt.refresh_from_db()
    assert attempt.score == 3
    assert attempt.answered_count == 1
    assert attempt.finished_at is None


def test_wrong_answer_scores_nothing():
    attempt = make_attempt(user=make_user())
    question = questions_of(attempt)[0]

    answer = attempt_answer(attempt=attempt, question=question, choice=wrong_choice(question))

    assert not answer.is_correct and answer.points == 0
    attempt.refresh_from_db()
    assert attempt.score == 0
    assert attempt.answered_count == 1


def test_second_answer_changes_nothing():
    attempt = make_attempt(user=make_user())
    question = questions_of(attempt)[0]
    attempt_answer(attempt=attempt, question=question, choice=wrong_choice(question))

    stale = Attempt.objects.get(pk=attempt.pk)
    with pytest.raises(QuizError) as error:
        attempt_answer(attempt=stale, question=question, choice=question.correct_choice)

    assert error.value.message == ALREADY_ANSWERED
    attempt.refresh_from_db()
    assert attempt.score == 0
    assert attempt.answered_count == 1
    assert Answer.objects.filter(question=question).count() == 1


@pytest.mark.parametrize("choice", ["", "not-an-id", "0", "1"])
def test_tampered_choice_is_refused(choice):
    attempt = make_attempt(user=make_user())
    question = questions_of(attempt)[0]

    with pytest.raises(QuizError) as error:
        attempt_answer(attempt=attempt, question=question, choice=choice)

    assert error.value.message == INVALID_CHOICE
    assert not Answer.objects.exists()


def test_question_of_another_attempt_is_refused():
    user = make_user()
    attempt, other = make_attempt(user=user), make_attempt(user=user)
    question = questions_of(other)[0]

    with pytest.raises(QuizError) as error:
        attempt_answer(attempt=attempt, question=question, choice=question.correct_choice)

    assert error.value.message == INVALID_CHOICE


def test_last_answer_finishes_the_attempt():
    attempt = make_attempt(user=make_user(), count=2)
    first, last = questions_of(attempt)
    attempt_answer(attempt=attempt, question=first, choice=first.correct_choice)
    attempt_answer(attempt=attempt, question=last, choice=wrong_choice(last))

    attempt.refresh_from_db()
    assert attempt.finished_at is not None
    assert attempt.score == 2
    assert attempt.answered_count == 2


def test_finished_attempt_takes_no_answers():
    attempt = make_attempt(user=make_user())
    attempt_finish(attempt=attempt)
    question = questions_of(attempt)[0]

    with pytest.raises(QuizError) as error:
        attempt_answer(attempt=attempt, question=question, choice=question.correct_choice)

    assert error.value.message == ATTEMPT_FINISHED
    assert not Answer.objects.exists()
    attempt.refresh_from_db()
    assert attempt.score == 0


def test_finishing_twice_keeps_the_first_time():
    attempt = make_attempt(user=make_user())
    first = timezone.now()
    attempt_finish(attempt=attempt, now=first)
    attempt_finish(attempt=attempt, now=first + dt.timedelta(hours=1))
    attempt.refresh_from_db()
    assert attempt.finished_at == first


def test_answers_within_the_grace_period_score():
    start = timezone.now() - dt.timedelta(minutes=10)
    attempt = make_attempt(user=make_user(), time_limit_seconds=60, now=start)
    question = questions_of(attempt)[0]
    just_in_time = start + dt.timedelta(seconds=60) + TIME_LIMIT_GRACE

    answer = attempt_answer(
        attempt=attempt, question=question, choice=question.correct_choice, now=just_in_time
    )

    assert answer.in_time and answer.points == 2


def test_answers_after_the_time_limit_are_recorded_but_score_nothing():
    start = timezone.now() - dt.timedelta(minutes=10)
    attempt = make_attempt(user=make_user(), time_limit_seconds=60, now=start)
    question = questions_of(attempt)[0]
    too_late = start + dt.timedelta(seconds=61) + TIME_LIMIT_GRACE

    answer = attempt_answer(
        attempt=attempt, question=question, choice=question.correct_choice, now=too_late
    )

    assert answer.is_correct and not answer.in_time and answer.points == 0
    attempt.refresh_from_db()
    assert attempt.score == 0
    assert attempt.answered_count == 1


def test_score_always_equals_the_sum_of_answer_points():
    rng = random.Random(7)
    user = make_user()
    for _ in range(5):
        attempt = make_attempt(user=user, count=6, difficulty=rng.choice(["easy", "hard"]))
        questions = questions_of(attempt)
        for _ in range(12):  # more submits than questions: replays and random picks
            question = rng.choice(questions)
            choice = rng.choice([c["id"] for c in question.choices] + ["bogus"])
            if rng.random() < 0.1:
                attempt_finish(attempt=attempt)
            with contextlib.suppress(QuizError):
                attempt_answer(attempt=attempt, question=question, choice=choice)
        attempt.refresh_from_db()
        points = sum(
            Answer.objects.filter(question__attempt=attempt).values_list("points", flat=True)
        )
        assert attempt.score == points
        assert attempt.answered_count == Answer.objects.filter(question__attempt=attempt).count()


def test_one_answer_per_question_is_a_database_constraint():
    attempt = make_attempt(user=make_user())
    question = questions_of(attempt)[0]
    now = timezone.now()
    Answer.objects.create(
        question=question, choice="x", is_correct=False, points=0, answered_at=now
    )
    with pytest.raises(IntegrityError):
        Answer.objects.create(
            question=question, choice="y", is_correct=False, points=0, answered_at=now
        )


def test_attempt_needs_an_owner():
    with pytest.raises(IntegrityError):
        make_attempt(user=None, guest_token="")


def test_claim_gives_a_guests_attempts_to_the_user():
    guest = make_attempt(guest_token="browser-1")
    other_guest = make_attempt(guest_token="browser-2")
    user = make_user()

    assert attempts_claim(user=user, guest_token="browser-1") == 1
    assert attempts_claim(user=user, guest_token="") == 0

    guest.refresh_from_db()
    other_guest.refresh_from_db()
    assert guest.user == user and guest.guest_token == ""
    assert other_guest.user is None


def test_signup_creates_the_profile():
    user = user_signup(username="anna", password="a-long-test-password", display_name="Anna K")
    assert Profile.objects.get(user=user).display_name == "Anna K"
    assert user.check_password("a-long-test-password")


def test_display_names_are_unique_regardless_of_case():
    user_signup(username="anna", password="a-long-test-password", display_name="Anna K")
    with pytest.raises(IntegrityError):
        user_signup(username="anna2", password="a-long-test-password", display_name="anna k")


def test_quick_quiz_uses_the_seed_position_or_the_first():
    with pytest.raises(QuizError) as error:
        quick_quiz_position()
    assert error.value.message == NO_POSITION
    first = PositionFactory()
    assert quick_quiz_position() == first
    seed = PositionFactory(slug=QUICK_QUIZ_POSITION_SLUG)
    assert quick_quiz_position() == seed
