"""Question sets as students meet them: the home page, share codes, attempts and their rules."""

import datetime as dt
import html
import io
import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from history.models import Position
from quiz import services
from quiz.models import (
    HANDWRITTEN_KIND,
    SHARE_CODE_ALPHABET,
    SHARE_CODE_LENGTH,
    Attempt,
    QuestionSet,
    new_share_code,
)
from quiz.services import (
    SET_LOGIN_REQUIRED,
    SET_NO_ATTEMPTS_LEFT,
    SET_NOT_PUBLISHED,
    TEACHER_PERMISSIONS,
    QuizError,
    attempt_answer,
    attempt_start_from_set,
)
from quiz.views import SET_NOT_FOUND
from tests.quiz_factories import make_question_set, make_teacher, make_user, wrong_choice

pytestmark = pytest.mark.django_db


@pytest.fixture
def position(seed_history):
    return Position.objects.get(slug="general-secretary-cpsu")


@pytest.fixture
def teacher():
    return make_teacher(username="ms-ada")


@pytest.fixture
def student():
    return make_user(username="sam")


@pytest.fixture
def question_set(position, teacher):
    return make_question_set(
        owner=teacher,
        position=position,
        kinds={"successor": 3, "start_year": 2},
        handwritten=2,
        title="Who came next",
        order=QuestionSet.Order.FIXED,
    )


def taking(question_set):
    return QuestionSet.objects.for_taking().get(pk=question_set.pk)


def page_text(response) -> str:
    return html.unescape(response.content.decode())


# -- the model -------------------------------------------------------------------------------


def test_share_codes_are_short_and_unambiguous():
    codes = {new_share_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert len(code) == SHARE_CODE_LENGTH
        assert set(code) <= set(SHARE_CODE_ALPHABET)
    assert not set("01ILO") & set(SHARE_CODE_ALPHABET)


def test_the_teachers_group_from_the_migration_has_exactly_the_teacher_permissions():
    group = Group.objects.get(name=services.TEACHERS_GROUP)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert codenames == set(TEACHER_PERMISSIONS)
    assert set(group.permissions.values_list("content_type__app_label", flat=True)) == {"quiz"}
    services.teachers_group_ensure()
    assert set(group.permissions.values_list("codename", flat=True)) == codenames


# -- starting an attempt ---------------------------------------------------------------------


def test_an_attempt_at_a_set_freezes_its_generated_and_handwritten_questions(question_set, student):
    attempt = attempt_start_from_set(user=student, question_set=taking(question_set), seed=42)
    questions = list(attempt.questions.order_by("order"))
    assert attempt.question_set == question_set and attempt.set_attempt_number == 1
    assert attempt.title == "Who came next" and attempt.question_count == 7
    assert attempt.difficulty == "medium" and attempt.points_per_correct == 2
    # Fixed order: the hand-written questions first, in their order, then kind by kind.
    assert [q.kind for q in questions] == [HANDWRITTEN_KIND] * 2 + ["successor"] * 3 + [
        "start_year"
    ] * 2
    first = questions[0]
    assert first.prompt == "Hand-written question 1?"
    assert first.correct_text == "Right 1"
    assert sorted(c["text"] for c in first.choices) == ["Right 1", "Wrong 1a", "Wrong 1b"]


def test_shuffled_sets_mix_the_questions_differently_per_attempt(question_set, student):
    question_set.order = QuestionSet.Order.SHUFFLED
    question_set.save()
    orders = {
        tuple(
            q.kind
            for q in attempt_start_from_set(
                user=student, question_set=taking(question_set), seed=seed
            ).questions.order_by("order")
        )
        for seed in range(6)
    }
    assert len(orders) > 1


def test_a_scope_keeps_generated_questions_inside_it(question_set, student):
    question_set.scope_start, question_set.scope_end = dt.date(1964, 1, 1), dt.date(1991, 12, 31)
    question_set.save()
    attempt = attempt_start_from_set(user=student, question_set=taking(question_set), seed=3)
    for question in attempt.questions.exclude(kind=HANDWRITTEN_KIND):
        day = question.about.get("took_office") or question.about["date"]
        assert "1964-01-01" <= day <= "1991-12-31", question.prompt


def test_the_time_limit_and_difficulty_come_from_the_set(question_set, student):
    question_set.time_limit_minutes = 2
    question_set.difficulty = "hard"
    question_set.save()
    start = timezone.now()
    attempt = attempt_start_from_set(user=student, question_set=taking(question_set), now=start)
    assert attempt.time_limit_seconds == 120 and attempt.points_per_correct == 3
    first, second = attempt.questions.order_by("order")[:2]
    on_time = attempt_answer(
        attempt=attempt,
        question=first,
        choice=first.correct_choice,
        now=start + dt.timedelta(seconds=60),
    )
    late = attempt_answer(
        attempt=attempt,
        question=second,
        choice=second.correct_choice,
        now=start + dt.timedelta(minutes=5),
    )
    assert (on_time.points, late.points, late.in_time) == (3, 0, False)
    attempt.refresh_from_db()
    assert attempt.score == 3


def test_attempts_allowed_are_counted_per_student(question_set, student):
    question_set.attempts_allowed = 2
    question_set.save()
    first = attempt_start_from_set(user=student, question_set=taking(question_set))
    second = attempt_start_from_set(user=student, question_set=taking(question_set))
    assert (first.set_attempt_number, second.set_attempt_number) == (1, 2)
    with pytest.raises(QuizError) as refused:
        attempt_start_from_set(user=student, question_set=taking(question_set))
    assert refused.value.message == SET_NO_ATTEMPTS_LEFT
    # Another student has their own attempts.
    other = attempt_start_from_set(user=make_user(), question_set=taking(question_set))
    assert other.set_attempt_number == 1
    # A teacher deleting an attempt gives one back, under the free number.
    first.delete()
    again = attempt_start_from_set(user=student, question_set=taking(question_set))
    assert again.set_attempt_number == 1
    assert Attempt.objects.filter(question_set=question_set, user=student).count() == 2


def test_guests_and_unpublished_sets_are_refused(question_set, student):
    with pytest.raises(QuizError, match=re.escape(SET_LOGIN_REQUIRED)):
        attempt_start_from_set(user=None, question_set=taking(question_set))
    question_set.is_published = False
    question_set.save()
    with pytest.raises(QuizError, match=re.escape(SET_NOT_PUBLISHED)):
        attempt_start_from_set(user=student, question_set=taking(question_set))
    assert not Attempt.objects.exists()


def test_a_set_without_questions_starts_nothing(position, student):
    empty = make_question_set(position=position)
    with pytest.raises(QuizError, match=re.escape(services.NO_QUESTIONS)):
        attempt_start_from_set(user=student, question_set=taking(empty))
    assert not Attempt.objects.exists()


# -- the pages -------------------------------------------------------------------------------


def test_the_home_page_lists_published_sets_in_a_fixed_number_of_queries(
    client, position, teacher, django_assert_num_queries
):
    make_question_set(owner=teacher, position=position, title="Visible set", kinds={"acting": 1})
    make_question_set(owner=teacher, position=position, title="Draft set", is_published=False)
    with django_assert_num_queries(2):  # positions, sets with their counts
        response = client.get(reverse("home"))
    text = page_text(response)
    assert "Visible set" in text and "Draft set" not in text
    assert "1 question ·" in text
    for number in range(5):
        make_question_set(owner=make_teacher(), position=position, handwritten=number)
    with django_assert_num_queries(2):
        client.get(reverse("home"))


def test_the_code_form_and_the_share_link_find_the_set(client, question_set):
    code = question_set.share_code
    response = client.get(
        reverse("question-set-find"), {"code": f" {code.lower()[:3]}-{code[3:]} "}
    )
    assert response.status_code == 302 and response["Location"] == f"/s/{code}/"
    response = client.get(f"/s/{code.lower()}/")
    assert response.status_code == 200
    assert "Who came next" in page_text(response)
    assert "Log in to take this set" in page_text(response)


@pytest.mark.parametrize(
    "path",
    [
        "/s/ZZZZZZ/",
        "/s/%F0%9F%98%80/",
        "/s/" + "A" * 300 + "/",
        "/s/?code=%01%02",
        "/s/?code=" + "é" * 40,
        "/s/ZZZZZZ/leaderboard/",
    ],
)
def test_unknown_or_malformed_codes_are_a_friendly_404(client, question_set, path):
    response = client.get(path)
    assert response.status_code == 404
    assert SET_NOT_FOUND in page_text(response)


def test_a_nul_byte_in_a_code_is_a_400_that_says_so(client):
    from config.guards import NUL_IN_ADDRESS

    for path in ("/s/?code=%00%01", "/s/AB%00CD/"):
        response = client.get(path)
        assert response.status_code == 400
        assert NUL_IN_ADDRESS in page_text(response)


def test_an_empty_code_goes_home(client):
    assert client.get(reverse("question-set-find"))["Location"] == reverse("home")


def test_unpublished_sets_are_404_for_students_but_their_owner_and_superusers_see_them(
    client, question_set, teacher, student, admin_user
):
    question_set.is_published = False
    question_set.save()
    url = question_set.get_absolute_url()
    for user in (None, student, make_teacher()):
        if user:
            client.force_login(user)
        assert client.get(url).status_code == 404
        assert (
            client.post(reverse("question-set-start", args=[question_set.share_code])).status_code
            == 404
        )
        assert (
            client.get(
                reverse("question-set-leaderboard", args=[question_set.share_code])
            ).status_code
            == 404
        )
    for user in (teacher, admin_user):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert "Not published" in page_text(response)
    assert not Attempt.objects.exists()


def test_a_guest_pressing_start_is_sent_to_log_in_and_back(client, question_set):
    response = client.post(reverse("question-set-start", args=[question_set.share_code]))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/s/{question_set.share_code}/"
    assert not Attempt.objects.exists()


def test_start_opens_the_first_question_and_the_page_lists_the_attempts(
    client, question_set, student
):
    client.force_login(student)
    response = client.post(reverse("question-set-start", args=[question_set.share_code]))
    attempt = Attempt.objects.get()
    assert response["Location"] == reverse(
        "attempt-question", kwargs={"pk": attempt.pk, "number": 1}
    )
    text = page_text(client.get(question_set.get_absolute_url()))
    assert "Your attempts" in text and "Continue (0 of 7)" in text
    assert "Take it again" in text


def test_start_refused_says_why_on_the_set_page(client, question_set, student):
    question_set.attempts_allowed = 1
    question_set.save()
    client.force_login(student)
    client.post(reverse("question-set-start", args=[question_set.share_code]))
    response = client.post(
        reverse("question-set-start", args=[question_set.share_code]), follow=True
    )
    assert SET_NO_ATTEMPTS_LEFT in page_text(response)
    assert "You have used all your attempts" in page_text(response)
    assert Attempt.objects.count() == 1


def test_start_only_takes_posts(client, question_set, student):
    client.force_login(student)
    assert (
        client.get(reverse("question-set-start", args=[question_set.share_code])).status_code == 405
    )


def test_the_set_page_is_a_fixed_number_of_queries(
    client, question_set, student, django_assert_num_queries
):
    client.force_login(student)
    for _ in range(3):
        attempt_start_from_set(user=student, question_set=taking(question_set))
    # user (the session is a cookie), the set with its counts, the student's attempts
    with django_assert_num_queries(3):
        response = client.get(question_set.get_absolute_url())
    assert page_text(response).count("Continue (0 of 7)") == 3


def test_the_sets_leaderboard_counts_only_attempts_at_the_set(client, question_set, student):
    attempt = attempt_start_from_set(user=student, question_set=taking(question_set))
    for question in attempt.questions.all():
        attempt_answer(attempt=attempt, question=question, choice=question.correct_choice)
    rival = make_user(username="rival")
    other_set = make_question_set(position=question_set.position, handwritten=1)
    other = attempt_start_from_set(user=rival, question_set=taking(other_set))
    question = other.questions.get()
    attempt_answer(attempt=other, question=question, choice=question.correct_choice)

    client.force_login(student)
    response = client.get(reverse("question-set-leaderboard", args=[question_set.share_code]))
    text = page_text(response)
    assert response.status_code == 200
    assert "sam" in text and "rival" not in text
    assert re.search(r'class="is-viewer".*?<td class="number">14</td>', text, flags=re.S)


def test_answers_to_wrong_choices_are_recorded_as_usual(question_set, student):
    attempt = attempt_start_from_set(user=student, question_set=taking(question_set))
    question = attempt.questions.get(order=0)
    answer = attempt_answer(attempt=attempt, question=question, choice=wrong_choice(question))
    assert not answer.is_correct and answer.points == 0


# -- demo data -------------------------------------------------------------------------------


def test_demo_accounts_come_with_a_teacher_and_a_published_set(seed_history, settings, client):
    from quiz.management.commands.create_demo_accounts import DEMO_SET_CODE

    settings.DEBUG = True
    call_command("create_demo_accounts", stdout=io.StringIO())
    call_command("create_demo_accounts", stdout=io.StringIO())
    question_set = QuestionSet.objects.for_taking().get()
    assert question_set.share_code == DEMO_SET_CODE and question_set.is_published
    assert question_set.owner.username == "teacher"
    assert question_set.owner.groups.filter(name=services.TEACHERS_GROUP).exists()
    assert question_set.question_count == 8
    assert question_set.owner_name == "Demo Teacher"
    assert DEMO_SET_CODE in page_text(client.get(reverse("home")))
    student = question_set.owner.__class__.objects.get(username="student")
    attempt = attempt_start_from_set(user=student, question_set=question_set)
    assert attempt.question_count == 8


def test_no_demo_set_when_debug_is_off(seed_history, settings):
    settings.DEBUG = False
    call_command("create_demo_accounts", stdout=io.StringIO())
    assert not QuestionSet.objects.exists()


def test_the_result_of_a_set_attempt_leads_back_to_the_set(client, question_set, student):
    attempt = attempt_start_from_set(user=student, question_set=taking(question_set))
    services.attempt_finish(attempt=attempt)
    client.force_login(student)
    page = page_text(client.get(reverse("attempt-result", args=[attempt.pk])))
    assert f'href="/s/{question_set.share_code}/">Back to the set</a>' in page
