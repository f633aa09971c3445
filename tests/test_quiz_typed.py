"""Typed questions in a quiz: a box instead of buttons, forgiving matching, fixed points."""

import html as html_lib

import pytest
from django.urls import reverse

from history.models import Position
from quiz import engine
from quiz.engine.answers import accepted_forms
from quiz.models import Answer, Attempt
from quiz.services import (
    ALREADY_ANSWERED,
    POINTS_PER_CORRECT,
    SAME_AT_EVERY_LEVEL,
    TYPED_MAX_LENGTH,
    TYPED_MISSING,
    TYPED_TOO_LONG,
    QuizError,
    attempt_answer,
    attempt_create,
)
from tests.factories import PositionFactory
from tests.quiz_factories import StubQuestion, make_user, stub_questions

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}

TYPED = StubQuestion(
    kind="typed_successor",
    prompt="Who succeeded Georgy Malenkov as First Secretary? Type the name.",
    choices=(),
    answer="Nikita Khrushchev",
    explanation="Nikita Khrushchev became First Secretary on 7 September 1953.",
    about={"fact_key": "succession:p:malenkov:khrushchev"},
    accepted=accepted_forms("Nikita Khrushchev", "Khrushchev"),
)


def typed_attempt(*, user, difficulty="hard"):
    """A typed question first, then two multiple-choice ones."""
    return attempt_create(
        user=user,
        position=PositionFactory(),
        title="Typed quiz",
        seed=5,
        difficulty=difficulty,
        questions=[TYPED, *stub_questions(2)],
    )


def test_a_typed_question_is_frozen_without_choices_to_show_and_worth_the_same_at_any_level():
    for difficulty, points in POINTS_PER_CORRECT.items():
        attempt = typed_attempt(user=make_user(), difficulty=difficulty)
        typed, *chosen = attempt.questions.order_by("order")
        assert typed.is_typed and typed.correct_text == "Nikita Khrushchev"
        assert list(typed.accepted) == list(TYPED.accepted)
        assert typed.points == SAME_AT_EVERY_LEVEL
        assert [q.points for q in chosen] == [points, points]
        assert not any(q.is_typed for q in chosen)
        assert attempt.max_score == SAME_AT_EVERY_LEVEL + 2 * points


@pytest.mark.parametrize("typed", ["Khrushchev", "khrushchov", " Nikita  KHRUSHCHËV ", "Hrushchev"])
def test_any_accepted_spelling_scores_the_questions_points(typed):
    attempt = typed_attempt(user=make_user())
    question = attempt.questions.get(order=0)
    answer = attempt_answer(attempt=attempt, question=question, typed=typed)
    assert answer.is_correct and answer.points == SAME_AT_EVERY_LEVEL
    assert answer.choice == question.correct_choice
    assert answer.typed == " ".join(typed.split())
    assert Attempt.objects.get(pk=attempt.pk).score == SAME_AT_EVERY_LEVEL


@pytest.mark.parametrize("typed", ["Malenkov", "Khrush", "Nikita"])
def test_another_name_or_a_fragment_is_wrong_and_kept_as_typed(typed):
    attempt = typed_attempt(user=make_user())
    question = attempt.questions.get(order=0)
    answer = attempt_answer(attempt=attempt, question=question, typed=typed)
    assert not answer.is_correct and answer.points == 0 and answer.choice == ""
    assert question.answer_text(answer) == typed
    assert Attempt.objects.get(pk=attempt.pk).score == 0


@pytest.mark.parametrize(
    ("typed", "message"),
    [("", TYPED_MISSING), ("   ", TYPED_MISSING), ("x" * (TYPED_MAX_LENGTH + 1), TYPED_TOO_LONG)],
)
def test_an_empty_or_overlong_answer_is_refused_and_writes_nothing(typed, message):
    attempt = typed_attempt(user=make_user())
    question = attempt.questions.get(order=0)
    with pytest.raises(QuizError) as refused:
        attempt_answer(attempt=attempt, question=question, typed=typed)
    assert refused.value.message == message
    assert not Answer.objects.exists()


def test_a_typed_question_takes_one_answer():
    attempt = typed_attempt(user=make_user())
    question = attempt.questions.get(order=0)
    attempt_answer(attempt=attempt, question=question, typed="Beria")
    with pytest.raises(QuizError) as refused:
        attempt_answer(attempt=attempt, question=question, typed="Khrushchev")
    assert refused.value.message == ALREADY_ANSWERED
    assert Answer.objects.get().typed == "Beria"


# -- pages --


@pytest.fixture
def player(client):
    user = make_user()
    client.force_login(user)
    client.attempt = typed_attempt(user=user)
    return client


def url(name, attempt, number=1):
    return reverse(name, kwargs={"pk": attempt.pk, "number": number})


def test_the_question_page_offers_a_box_and_keeps_the_answer_out_of_the_page(player):
    question = player.attempt.questions.get(order=0)
    page = player.get(url("attempt-question", player.attempt)).content.decode()
    assert 'name="typed"' in page and "Type the name (the surname is enough)" in page
    assert "data-choice-key" not in page
    assert "Khrushchev" not in page and question.choices[0]["id"] not in page


def test_without_javascript_a_typed_answer_posts_redirects_and_shows_the_verdict(player):
    answered = player.post(url("attempt-answer", player.attempt), {"typed": "khrushchov"})
    assert answered.status_code == 302
    page = html_lib.unescape(player.get(answered["Location"]).content.decode())
    assert "Right!" in page and "+2 points." in page
    assert "The answer is Nikita Khrushchev." in page.replace("<strong>", "").replace(
        "</strong>", ""
    )


def test_with_htmx_a_wrong_typed_answer_gets_the_feedback_fragment(player):
    response = player.post(url("attempt-answer", player.attempt), {"typed": "Beria"}, **HTMX)
    page = html_lib.unescape(response.content.decode())
    assert response.status_code == 200 and "<html" not in page
    assert "Not quite." in page and "You wrote Beria." in page
    assert "Nikita Khrushchev" in page and 'name="typed"' not in page


def test_an_empty_typed_answer_is_a_polite_notice_not_an_error(player):
    response = player.post(url("attempt-answer", player.attempt), {"typed": " "}, **HTMX)
    assert response.status_code == 200 and TYPED_MISSING in response.content.decode()
    assert not Answer.objects.exists()


def test_the_result_page_shows_what_was_typed(player):
    attempt = player.attempt
    player.post(url("attempt-answer", attempt), {"typed": "Beria"})
    player.post(reverse("attempt-finish", kwargs={"pk": attempt.pk}))
    page = html_lib.unescape(
        player.get(reverse("attempt-result", kwargs={"pk": attempt.pk})).content.decode()
    )
    assert "Beria" in page and "Right answer:</span> Nikita Khrushchev" in page


def test_a_real_quick_quiz_of_typed_questions_plays_to_the_end(client, seed_history):
    """The engine's own typed questions, from the start form to the result, without JavaScript."""
    client.force_login(make_user())
    position = Position.objects.get(slug="general-secretary-cpsu")
    facts = Position.objects.facts_for(position.slug)
    assert engine.distinct_question_count(facts, ["typed_successor"]) >= 5
    start = client.post(
        reverse("quiz-start"), {"difficulty": "easy", "kinds": ["typed_successor"], "length": 5}
    )
    attempt = Attempt.objects.get()
    assert start["Location"] == url("attempt-question", attempt)
    for question in attempt.questions.order_by("order"):
        surname = question.correct_text.split()[-1].upper()
        client.post(url("attempt-answer", attempt, question.number), {"typed": surname})
    attempt.refresh_from_db()
    assert attempt.is_finished and attempt.score == attempt.max_score == 5 * SAME_AT_EVERY_LEVEL
