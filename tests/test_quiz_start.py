"""Starting quick quizzes from the seed position, with the real question engine."""

import html
import re

import pytest
from django.urls import reverse

from history.models import Person, Position
from quiz import engine
from quiz.models import Attempt
from quiz.services import (
    NO_QUESTIONS,
    QUICK_QUIZ_LENGTH,
    QuizError,
    attempt_start,
)
from quiz.views import GUEST_TOKEN_KEY
from tests.quiz_factories import answer_form, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def position(seed_history):
    return Position.objects.get(slug="general-secretary-cpsu")


def test_start_page_offers_difficulty_and_the_askable_kinds(client, position):
    response = client.get(reverse("quiz-start"))
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    for value in ("easy", "medium", "hard"):
        assert f'value="{value}"' in page
    available = engine.available_kinds(Position.objects.facts_for(position.slug))
    for kind, reason in available.items():
        assert (f'value="{kind}"' in page) is (reason is None)
    assert "You are playing as a guest" in page


def test_starting_a_quiz_stores_ten_questions_and_opens_the_first(client, position):
    user = make_user()
    client.force_login(user)
    response = client.post(reverse("quiz-start"), {"difficulty": "hard"})
    attempt = Attempt.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "attempt-question", kwargs={"pk": attempt.pk, "number": 1}
    )
    assert attempt.user == user and attempt.guest_token == ""
    assert attempt.difficulty == "hard" and attempt.points_per_correct == 3
    assert attempt.question_count == QUICK_QUIZ_LENGTH == attempt.questions.count()
    assert attempt.time_limit_seconds is None


def test_guests_start_quizzes_tied_to_their_session(client, position):
    client.post(reverse("quiz-start"), {"difficulty": "easy", "time_limit": "120"})
    attempt = Attempt.objects.get()
    assert attempt.user is None
    assert attempt.guest_token == client.session[GUEST_TOKEN_KEY]
    assert attempt.time_limit_seconds == 120


def test_kinds_limit_the_questions(client, position):
    client.force_login(make_user())
    client.post(
        reverse("quiz-start"),
        {"difficulty": "medium", "kinds": ["successor", "start_year"]},
    )
    attempt = Attempt.objects.get()
    assert attempt.kinds == ["successor", "start_year"]
    assert set(attempt.questions.values_list("kind", flat=True)) <= {"successor", "start_year"}


def smallest_kind(facts) -> str:
    return min(
        (kind for kind, reason in engine.available_kinds(facts).items() if reason is None),
        key=lambda kind: engine.distinct_question_count(facts, [kind]),
    )


def test_kinds_too_few_for_a_full_quiz_are_refused(position):
    facts = Position.objects.facts_for(position.slug)
    small = smallest_kind(facts)
    size = engine.distinct_question_count(facts, [small])
    assert size == 1  # acting: Ivashko alone
    with pytest.raises(QuizError) as refused:
        attempt_start(user=make_user(), position=position, difficulty="easy", kinds=[small])
    assert refused.value.message == (
        "The kinds of question you picked make only 1 different question, and this quiz has 10. "
        "Choose a shorter quiz, tick more kinds, or none to use them all."
    )
    assert not Attempt.objects.exists()


def test_the_form_explains_why_a_short_quiz_is_refused(client, position):
    facts = Position.objects.facts_for(position.slug)
    response = client.post(
        reverse("quiz-start"), {"difficulty": "hard", "kinds": [smallest_kind(facts)]}
    )
    assert response.status_code == 400
    assert "make only 1 different question, and this quiz has 10" in response.content.decode()
    assert not Attempt.objects.exists()


@pytest.mark.parametrize("length", [5, 10, 20])
def test_a_quick_quiz_of_five_ten_or_twenty(client, position, length):
    client.force_login(make_user())
    response = client.post(reverse("quiz-start"), {"difficulty": "easy", "length": length})
    attempt = Attempt.objects.get()
    assert response.status_code == 302 and attempt.question_count == length
    facts = {q.about["fact_key"] for q in attempt.questions.all()}
    assert len(facts) == length


def test_one_small_kind_makes_a_short_quiz(client, position):
    client.force_login(make_user())
    client.post(
        reverse("quiz-start"), {"difficulty": "easy", "length": 5, "kinds": ["first_holder"]}
    )
    assert Attempt.objects.get().question_count == 5
    refused = client.post(
        reverse("quiz-start"), {"difficulty": "easy", "length": 10, "kinds": ["first_holder"]}
    )
    assert "make only 5 different questions, and this quiz has 10" in refused.content.decode()


def test_a_length_the_form_does_not_offer_is_refused(client, position):
    response = client.post(reverse("quiz-start"), {"difficulty": "easy", "length": 7})
    assert response.status_code == 400 and not Attempt.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"difficulty": "impossible"},
        {},
        {"difficulty": "easy", "kinds": ["no-such-kind"]},
        {"difficulty": "easy", "time_limit": "7"},
    ],
)
def test_bad_settings_are_refused_with_the_form(client, position, data):
    response = client.post(reverse("quiz-start"), data)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not Attempt.objects.exists()


def test_the_seed_decides_the_questions_but_not_the_choice_ids(position):
    first = attempt_start(user=make_user(), position=position, difficulty="medium", seed=42)
    second = attempt_start(user=make_user(), position=position, difficulty="medium", seed=42)
    first_questions = list(first.questions.order_by("order"))
    second_questions = list(second.questions.order_by("order"))
    assert [q.prompt for q in first_questions] == [q.prompt for q in second_questions]
    assert [[c["text"] for c in q.choices] for q in first_questions] == [
        [c["text"] for c in q.choices] for q in second_questions
    ]
    assert not {c["id"] for q in first_questions for c in q.choices} & {
        c["id"] for q in second_questions for c in q.choices
    }


def test_the_next_quick_quiz_asks_about_other_facts(position):
    user = make_user()
    seen: set[str] = set()
    for seed in range(3):
        attempt = attempt_start(user=user, position=position, difficulty="easy", seed=seed)
        facts = {question.about["fact_key"] for question in attempt.questions.all()}
        assert len(facts) == 10 and not facts & seen
        seen |= facts
    # A guest's quizzes are remembered by their token, and another player's are not theirs.
    guest = attempt_start(
        user=None, guest_token="t" * 20, position=position, difficulty="easy", seed=0
    )
    assert {q.about["fact_key"] for q in guest.questions.all()} & seen


def test_data_edits_do_not_change_a_running_attempt(position):
    attempt = attempt_start(user=make_user(), position=position, difficulty="medium", seed=7)
    before = list(attempt.questions.order_by("order").values("prompt", "choices", "explanation"))
    for person in Person.objects.all():
        person.full_name += " (renamed)"
        person.short_name += " (renamed)"
        person.save()
    after = list(attempt.questions.order_by("order").values("prompt", "choices", "explanation"))
    assert after == before


def test_no_askable_questions_is_a_clear_error(position):
    with pytest.raises(QuizError) as error:
        attempt_start(user=make_user(), position=position, difficulty="easy", kinds=["nope"])
    assert error.value.message == NO_QUESTIONS


def test_no_history_data_is_a_clear_page(client, db):
    response = client.get(reverse("quiz-start"))
    assert response.status_code == 503
    assert "no history data" in response.content.decode()


def test_real_question_pages_do_not_reveal_the_answer(client, position):
    client.force_login(make_user())
    client.post(reverse("quiz-start"), {"difficulty": "medium"})
    attempt = Attempt.objects.get()
    for question in attempt.questions.order_by("order"):
        url = reverse("attempt-question", kwargs={"pk": attempt.pk, "number": question.number})
        page = client.get(url).content.decode()
        assert question.explanation not in html.unescape(page)
        items = re.findall(r"<li>\s*<button.*?</button>\s*</li>", page, flags=re.S)
        if question.is_typed:
            # The one right answer is stored as the only choice: neither its id nor its text shows.
            assert not items and 'name="typed"' in page
            (choice,) = question.choices
            assert choice["id"] not in page and question.correct_text not in html.unescape(page)
            continue
        assert len(items) == len(question.choices)
        shapes = set()
        for number, (item, choice) in enumerate(zip(items, question.choices, strict=True), 1):
            shape = item.replace(choice["id"], "ID").replace(html.escape(choice["text"]), "T")
            shapes.add(re.sub(rf'"{number}"|>{number}<', "N", shape))
        assert len(shapes) == 1, question.prompt
        assert {page.count(choice["id"]) for choice in question.choices} == {1}


def test_a_whole_quiz_without_javascript_ends_on_the_leaderboard(client, position):
    user = make_user(username="kim")
    client.force_login(user)
    url = client.post(reverse("quiz-start"), {"difficulty": "easy"})["Location"]
    attempt = Attempt.objects.get()
    for question in attempt.questions.order_by("order"):
        page = client.get(url).content.decode()
        assert question.prompt in html.unescape(page)
        answered = client.post(
            reverse("attempt-answer", kwargs={"pk": attempt.pk, "number": question.number}),
            answer_form(question, right=question.order % 2 == 0),
        )
        page = client.get(answered["Location"]).content.decode()
        url = re.search(r'<a class="button primary next" href="([^"]+)"', page).group(1)
    result = client.get(url).content.decode()
    # A typed question is worth the same at every level, so count each question's own points.
    questions = list(attempt.questions.all())
    scored = sum(question.points for question in questions if question.order % 2 == 0)
    most = sum(question.points for question in questions)
    assert f"{scored} of {most} points" in result and f"{round(100 * scored / most)}%" in result
    board = client.get(reverse("leaderboard")).content.decode()
    assert re.search(r"<td class=\"number\">1</td>\s*<th scope=\"row\">kim", board)


def test_a_guest_finishes_signs_up_from_the_result_and_keeps_the_score(client, position):
    client.post(reverse("quiz-start"), {"difficulty": "medium"})
    attempt = Attempt.objects.get()
    for question in attempt.questions.order_by("order"):
        client.post(
            reverse("attempt-answer", kwargs={"pk": attempt.pk, "number": question.number}),
            answer_form(question),
        )
    result_url = reverse("attempt-result", kwargs={"pk": attempt.pk})
    result = client.get(result_url).content.decode()
    assert "20 of 20 points" in result and "Sign up and keep this quiz" in result
    assert "Guest" not in client.get(reverse("leaderboard")).content.decode()
    assert "No scores yet" in client.get(reverse("leaderboard")).content.decode()

    response = client.post(
        reverse("signup"),
        {
            "username": "lee",
            "display_name": "Lee",
            "password1": "a-long-test-password-42",
            "password2": "a-long-test-password-42",
            "next": result_url,
        },
    )

    assert response["Location"] == result_url
    assert "Sign up and keep this quiz" not in client.get(result_url).content.decode()
    board = client.get(reverse("leaderboard")).content.decode()
    assert re.search(r'<tr class="is-viewer".*?Lee.*?<td class="number">20</td>', board, re.S)
