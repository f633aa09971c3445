import datetime as dt
import html as html_lib
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quiz.models import Answer, Attempt
from quiz.services import ALREADY_ANSWERED, ATTEMPT_FINISHED, INVALID_CHOICE, attempt_finish
from quiz.views import CHOICE_MISSING, GUEST_TOKEN_KEY, NOT_FOUND
from tests.conftest import set_session
from tests.quiz_factories import make_attempt, make_user, wrong_choice

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def user():
    return make_user()


@pytest.fixture
def player(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def attempt(user):
    return make_attempt(user=user, count=3)


def text(response) -> str:
    return html_lib.unescape(response.content.decode())


def question_url(attempt, number=1):
    return reverse("attempt-question", kwargs={"pk": attempt.pk, "number": number})


def answer_url(attempt, number=1):
    return reverse("attempt-answer", kwargs={"pk": attempt.pk, "number": number})


def first_question(attempt):
    return attempt.questions.get(order=0)


def test_question_page_shows_one_question_with_progress(player, attempt):
    question = first_question(attempt)
    response = player.get(question_url(attempt))
    html = response.content.decode()
    assert response.status_code == 200
    assert question.prompt in html
    assert "Question 1 of 3" in html
    assert '<progress max="3" value="1"' in html
    assert 'aria-live="polite"' in html
    for number, choice in enumerate(question.choices, start=1):
        assert f'value="{choice["id"]}"' in html
        assert f'data-choice-key="{number}"' in html


def test_question_page_does_not_reveal_the_answer(player, attempt):
    question = first_question(attempt)
    html = player.get(question_url(attempt)).content.decode()

    assert question.explanation not in html
    assert "is-correct" not in html
    assert "Right answer" not in html
    # Each choice's markup is the same once its id, text and key number are blanked out.
    items = re.findall(r"<li>\s*<button.*?</button>\s*</li>", html, flags=re.S)
    assert len(items) == 4
    blanked = set()
    for number, (item, choice) in enumerate(zip(items, question.choices, strict=True), start=1):
        item = item.replace(choice["id"], "ID").replace(choice["text"], "TEXT")
        blanked.add(re.sub(rf'"{number}"|>{number}<', "N", item))
    assert len(blanked) == 1
    # The correct id appears exactly as often as any other choice's id.
    counts = {html.count(choice["id"]) for choice in question.choices}
    assert counts == {1}


def test_htmx_answer_swaps_in_feedback(player, attempt):
    question = first_question(attempt)
    response = player.post(answer_url(attempt), {"choice": question.correct_choice}, **HTMX)
    html = response.content.decode()

    assert response.status_code == 200
    assert "<html" not in html
    assert "Right!" in html
    assert question.explanation in html
    assert question.correct_text in html
    assert 'hx-swap-oob="true"' in html  # the choices, now marked and inert
    assert "autofocus" in html and "Next question" in html
    assert f'hx-get="{question_url(attempt, 2)}"' in html
    attempt.refresh_from_db()
    assert attempt.score == 2


def test_htmx_wrong_answer_shows_the_right_one(player, attempt):
    question = first_question(attempt)
    wrong = wrong_choice(question)
    html = player.post(answer_url(attempt), {"choice": wrong}, **HTMX).content.decode()
    assert "Not quite." in html
    assert f"You chose {question.choice_text(wrong)}." in html
    assert f"The answer is <strong>{question.correct_text}</strong>" in html


def test_plain_answer_is_post_redirect_get(player, attempt):
    question = first_question(attempt)
    response = player.post(answer_url(attempt), {"choice": question.correct_choice})
    assert response.status_code == 302
    assert response["Location"] == question_url(attempt)

    html = player.get(response["Location"]).content.decode()
    assert "Right!" in html
    assert question.explanation in html
    assert f'href="{question_url(attempt, 2)}"' in html
    assert 'name="choice"' not in html  # no live choices left


def test_htmx_next_returns_only_the_question_panel(player, attempt):
    response = player.get(question_url(attempt, 2), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    # The panel, led by a <title> that htmx moves into the tab's title.
    title = "<title>Question 2 of 3 — History Quiz</title>"
    assert html.lstrip().startswith(title)
    assert html.lstrip().removeprefix(title).lstrip().startswith('<section id="question-panel"')
    assert "<html" not in html
    assert response["Vary"] and "HX-Request" in response["Vary"]


@pytest.mark.parametrize("headers", [HTMX, {}])
def test_second_answer_changes_nothing_and_says_so(player, attempt, headers):
    question = first_question(attempt)
    player.post(answer_url(attempt), {"choice": wrong_choice(question)}, **headers)

    response = player.post(
        answer_url(attempt), {"choice": question.correct_choice}, follow=True, **headers
    )

    assert response.status_code == 200
    assert ALREADY_ANSWERED in text(response)
    attempt.refresh_from_db()
    assert attempt.score == 0
    assert Answer.objects.filter(question=question).count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"choice": "made-up"}, INVALID_CHOICE),
        ({}, CHOICE_MISSING),
        ({"choice": ""}, CHOICE_MISSING),
    ],
)
@pytest.mark.parametrize("headers", [HTMX, {}])
def test_bad_choice_gets_a_clear_message(player, attempt, data, message, headers):
    response = player.post(answer_url(attempt), data, follow=True, **headers)
    assert response.status_code == 200
    assert message in text(response)
    assert not Answer.objects.exists()


def test_finished_attempt_takes_no_answers(player, attempt):
    attempt_finish(attempt=attempt)
    question = first_question(attempt)
    html = text(player.post(answer_url(attempt), {"choice": question.correct_choice}, **HTMX))
    assert ATTEMPT_FINISHED in html
    assert "See your result" in html
    assert not Answer.objects.exists()


def test_question_of_a_finished_attempt_leads_to_the_result(player, attempt):
    attempt_finish(attempt=attempt)
    response = player.get(question_url(attempt))
    assert response.status_code == 302
    assert response["Location"] == reverse("attempt-result", kwargs={"pk": attempt.pk})


def test_last_answer_leads_to_the_result(player, user):
    attempt = make_attempt(user=user, count=1)
    question = first_question(attempt)
    html = player.post(
        answer_url(attempt), {"choice": question.correct_choice}, **HTMX
    ).content.decode()
    result_url = reverse("attempt-result", kwargs={"pk": attempt.pk})
    assert f'href="{result_url}"' in html and "See your result" in html
    attempt.refresh_from_db()
    assert attempt.is_finished


def test_result_reviews_every_question(player, attempt):
    questions = list(attempt.questions.order_by("order"))
    player.post(answer_url(attempt, 1), {"choice": questions[0].correct_choice})
    player.post(answer_url(attempt, 2), {"choice": wrong_choice(questions[1])})
    player.post(answer_url(attempt, 3), {"choice": questions[2].correct_choice})

    response = player.get(reverse("attempt-result", kwargs={"pk": attempt.pk}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "4 of 6 points" in html
    assert "67%" in html
    assert "2 of 3" in html
    assert "Time taken" in html
    for question in questions:
        assert question.prompt in html
        assert question.correct_text in html
    assert questions[1].choice_text(wrong_choice(questions[1])) in html
    assert "Sign up and keep this quiz" not in html


def test_result_before_finishing_goes_back_to_the_quiz(player, attempt):
    response = player.get(reverse("attempt-result", kwargs={"pk": attempt.pk}))
    assert response.status_code == 302
    assert response["Location"] == reverse("attempt-detail", kwargs={"pk": attempt.pk})


def test_attempt_continues_at_the_first_unanswered_question(player, attempt):
    question = first_question(attempt)
    player.post(answer_url(attempt), {"choice": question.correct_choice})
    response = player.get(reverse("attempt-detail", kwargs={"pk": attempt.pk}))
    assert response["Location"] == question_url(attempt, 2)


def test_finish_early_scores_the_rest_as_unanswered(player, attempt):
    response = player.post(reverse("attempt-finish", kwargs={"pk": attempt.pk}), follow=True)
    assert response.status_code == 200
    assert "not answered" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.is_finished and attempt.score == 0


def test_time_is_up_shows_and_late_answers_score_nothing(player, user):
    start = timezone.now() - dt.timedelta(minutes=5)
    attempt = make_attempt(user=user, time_limit_seconds=60, now=start)
    html = player.get(question_url(attempt)).content.decode()
    assert "Time is up" in html
    question = first_question(attempt)
    html = player.post(
        answer_url(attempt), {"choice": question.correct_choice}, **HTMX
    ).content.decode()
    assert "scores nothing" in html
    attempt.refresh_from_db()
    assert attempt.score == 0


@pytest.mark.parametrize(
    ("method", "name", "extra"),
    [
        ("get", "attempt-detail", {}),
        ("get", "attempt-question", {"number": 1}),
        ("post", "attempt-answer", {"number": 1}),
        ("post", "attempt-finish", {}),
        ("get", "attempt-result", {}),
    ],
)
def test_another_users_attempt_is_not_found(client, attempt, method, name, extra):
    client.force_login(make_user())
    question = first_question(attempt)
    url = reverse(name, kwargs={"pk": attempt.pk, **extra})
    response = getattr(client, method)(url, {"choice": question.correct_choice})
    assert response.status_code == 404
    assert NOT_FOUND in text(response)
    attempt.refresh_from_db()
    assert attempt.score == 0 and not attempt.is_finished


@pytest.mark.parametrize("viewer", ["anonymous", "other-guest"])
def test_a_users_attempt_is_not_found_for_guests(client, attempt, viewer):
    if viewer == "other-guest":
        set_session(client, quiz_guest_token="someone-else")
    assert client.get(question_url(attempt)).status_code == 404


def test_guest_attempt_is_private_to_its_session(client):
    attempt = make_attempt(guest_token="token-a")
    assert client.get(question_url(attempt)).status_code == 404
    set_session(client, quiz_guest_token="token-a")
    assert client.get(question_url(attempt)).status_code == 200


@pytest.mark.parametrize(
    "url",
    ["/attempts/999999/", "/attempts/999999/questions/1/", "/attempts/999999/result/"],
)
def test_unknown_attempt_is_a_clear_404(player, url):
    response = player.get(url)
    assert response.status_code == 404
    assert NOT_FOUND in text(response)


@pytest.mark.parametrize("number", [0, 4, 100])
def test_question_number_out_of_range_is_a_404(player, attempt, number):
    assert player.get(question_url(attempt, number)).status_code == 404
    assert player.post(answer_url(attempt, number), {"choice": "x"}).status_code == 404


def test_answer_needs_the_csrf_token(user, attempt):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    question = first_question(attempt)

    refused = client.post(answer_url(attempt), {"choice": question.correct_choice}, **HTMX)
    assert refused.status_code == 403
    assert not Answer.objects.exists()

    client.get(question_url(attempt))  # sets the CSRF cookie, as the page does
    token = client.cookies["csrftoken"].value
    accepted = client.post(
        answer_url(attempt),
        {"choice": question.correct_choice},
        HTTP_X_CSRFTOKEN=token,  # what htmx sends from the body's hx-headers
        **HTMX,
    )
    assert accepted.status_code == 200
    assert Answer.objects.count() == 1


def test_finish_needs_the_csrf_token(user, attempt):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(reverse("attempt-finish", kwargs={"pk": attempt.pk})).status_code == 403
    assert not Attempt.objects.get(pk=attempt.pk).is_finished


def test_get_cannot_answer(player, attempt):
    assert player.get(answer_url(attempt), {"choice": "x"}).status_code == 405


# Statement counts. The session is a signed cookie (no query); a signed-in viewer is loaded in
# the page's own query (quiz/viewer.py); in tests a transaction's BEGIN and COMMIT show as a
# SAVEPOINT and its RELEASE, so every statement the database sees is counted.


def test_question_page_query_count(player, client, user, django_assert_num_queries):
    small, big = make_attempt(user=user, count=2), make_attempt(user=user, count=10)
    for attempt in (small, big):
        # the viewer with the question, its attempt and its answer, in one
        with django_assert_num_queries(1):
            assert player.get(question_url(attempt)).status_code == 200
    guest = Client()
    set_session(guest, **{GUEST_TOKEN_KEY: "tok"})
    attempt = make_attempt(guest_token="tok", count=3)
    with django_assert_num_queries(1):
        assert guest.get(question_url(attempt)).status_code == 200


def test_answered_question_page_query_count(player, attempt, django_assert_num_queries):
    question = first_question(attempt)
    player.post(answer_url(attempt), {"choice": question.correct_choice})
    with django_assert_num_queries(1):
        response = player.get(question_url(attempt))
    assert "Right!" in response.content.decode()


def test_answer_submit_statement_count(player, user, django_assert_num_queries):
    for count in (2, 10):
        attempt = make_attempt(user=user, count=count)
        question = first_question(attempt)
        # the viewer with the question and its attempt, BEGIN, insert the answer, update the
        # attempt, COMMIT
        with django_assert_num_queries(5):
            response = player.post(answer_url(attempt), {"choice": question.correct_choice}, **HTMX)
        assert response.status_code == 200
    second = attempt.questions.get(order=1)
    with django_assert_num_queries(5):  # a wrong answer about no fact of the flashcards
        player.post(answer_url(attempt, 2), {"choice": wrong_choice(second)}, **HTMX)


def test_the_last_answer_adds_the_two_leaderboard_upserts(player, user, django_assert_num_queries):
    attempt = make_attempt(user=user, count=1)
    question = first_question(attempt)
    # as above, plus the player's totals on every board and the counts per total
    with django_assert_num_queries(7):
        player.post(answer_url(attempt), {"choice": question.correct_choice}, **HTMX)


def test_a_wrong_answer_about_a_fact_also_queues_its_flashcard(
    seed_history, player, user, django_assert_num_queries
):
    from quiz.cards.models import Card
    from quiz.cards.services import facts_sync
    from quiz.services import attempt_start, quick_quiz_position

    position = quick_quiz_position()
    facts_sync(position=position)  # as after the first study session or missed question
    # Successor questions have flashcards; a fixed seed makes the same quiz every run.
    attempt = attempt_start(
        user=user, position=position, difficulty="medium", kinds=["successor"], count=5, seed=1
    )
    first, second = attempt.questions.order_by("order")[:2]
    with django_assert_num_queries(5):  # a right answer is as above
        player.post(answer_url(attempt), {"choice": first.correct_choice}, **HTMX)
    # ... and a wrong one adds card_missed's own: the fact, and one upsert of the card
    with django_assert_num_queries(7):
        player.post(answer_url(attempt, 2), {"choice": wrong_choice(second)}, **HTMX)
    assert Card.objects.filter(user=user).count() == 1
