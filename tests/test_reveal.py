"""When students see a set's right answers: each setting against the feedback after a question,
the result page and an early finish; the default rule and the migration's backfill; teachers;
flashcards and practising mistakes; and no right answer or explanation in the HTML before then."""

from __future__ import annotations

import datetime as dt
from html import escape

import pytest
from django.urls import reverse
from django.utils import timezone

from quiz.cards.models import Card
from quiz.models import Attempt, HandwrittenQuestion, QuestionSet
from quiz.reveal import NO_DUE_DATE_YET, RevealReason, due_text, reveal_decision
from tests.classroom_factories import make_assignment, make_classroom, make_student
from tests.quiz_factories import add_handwritten, make_attempt, make_question_set, make_teacher
from tests.test_cards_export_stats import collection_of

pytestmark = pytest.mark.django_db

Reveal = QuestionSet.Reveal
HTMX = {"HTTP_HX_REQUEST": "true"}
# Prompt, choices (the first is right) and explanation: texts found nowhere else on the pages.
QUESTIONS = [
    (
        "Who read out the Secret Speech in 1956?",
        ["Nikita Sergeyevich Khrushchev", "Georgy Maximilianovich Malenkov", "Vyacheslav Molotov"],
        "He read it to a closed session of the Twentieth Party Congress.",
    ),
    (
        "Which body elected the General Secretary?",
        ["The plenum of the Central Committee", "The Supreme Soviet", "The Council of Ministers"],
        "The Central Committee met in plenum to elect him.",
    ),
    (
        "Where did the Politburo usually meet?",
        ["In the Kremlin Senate building", "At the Smolny Institute", "In the Lubyanka"],
        "Its meetings were held on the third floor of the Senate.",
    ),
]
LEFT_FOR_LAST = "You will see the right answers after your last attempt."
UNANSWERED_FOR_LAST = (
    "You will see the right answers to the questions you left unanswered after your last attempt."
)
AT_THE_END = "You will see the right answers when you finish this attempt."


@pytest.fixture
def teacher():
    return make_teacher(username="ms-ada")


@pytest.fixture
def student(client):
    student = make_student("sam")
    client.force_login(student)
    return student


def a_set(teacher, *, reveal: str, attempts: int | None = 2) -> QuestionSet:
    """A published set of QUESTIONS, in that order."""
    question_set = make_question_set(
        owner=teacher, reveal=reveal, attempts_allowed=attempts, order="fixed"
    )
    for order, (prompt, choices, explanation) in enumerate(QUESTIONS):
        question = add_handwritten(question_set, prompt=prompt, choices=choices, order=order)
        HandwrittenQuestion.objects.filter(pk=question.pk).update(explanation=explanation)
    return question_set


def start(client, question_set) -> Attempt:
    response = client.post(reverse("question-set-start", args=[question_set.share_code]))
    assert response.status_code == 302, response
    return Attempt.objects.filter(question_set=question_set).order_by("-pk").first()


def answer(client, attempt: Attempt, number: int, *, right: bool = False) -> str:
    """Answer question `number` as htmx does, and return the feedback fragment."""
    question = attempt.questions.get(order=number - 1)
    choice = question.correct_choice
    if not right:
        choice = next(c["id"] for c in question.choices if c["id"] != question.correct_choice)
    url = reverse("attempt-answer", kwargs={"pk": attempt.pk, "number": number})
    response = client.post(url, {"choice": choice}, **HTMX)
    assert response.status_code == 200
    return response.content.decode()


def finish(client, attempt: Attempt) -> str:
    """End the attempt now ("End the quiz now") and return the result page it leads to."""
    response = client.post(reverse("attempt-finish", args=[attempt.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("attempt-result", args=[attempt.pk])
    return response.content.decode()


def result(client, attempt: Attempt) -> str:
    response = client.get(reverse("attempt-result", args=[attempt.pk]))
    assert response.status_code == 200
    return response.content.decode()


def shows(body: str, number: int) -> bool:
    """Whether the page gives question `number`'s explanation (shown with its right answer)."""
    return escape(QUESTIONS[number - 1][2]) in body


def assert_nothing_given_away(
    body: str, *, choices_listed: bool = False, chosen_right: tuple[int, ...] = ()
) -> None:
    """No right answer (but one the student gave themselves, or the choices a question page
    lists), no explanation, no right-or-wrong mark anywhere in the HTML."""
    for number, (_, choices, explanation) in enumerate(QUESTIONS, start=1):
        assert escape(explanation) not in body
        if not choices_listed and number not in chosen_right:
            assert escape(choices[0]) not in body
    for tell in ("is-correct", "is-chosen-wrong", "Right answer", "The answer is", "✓", "✗"):
        assert tell not in body
    assert "Not quite" not in body and "Right!" not in body and "Score so far" not in body


# -- the default rule and the migration ------------------------------------------------------


@pytest.mark.parametrize(
    ("attempts", "expected"),
    [
        (None, Reveal.AFTER_EACH_QUESTION),
        (1, Reveal.AFTER_EACH_QUESTION),
        (2, Reveal.AFTER_LAST_ATTEMPT),
        (100, Reveal.AFTER_LAST_ATTEMPT),
    ],
)
def test_the_default_waits_for_the_last_attempt_when_there_are_two_or_more(attempts, expected):
    assert Reveal.default_for(attempts) == expected


# -- after each question -----------------------------------------------------------------------


def test_after_each_question_the_feedback_gives_the_right_answer_and_explanation(
    client, teacher, student
):
    attempt = start(client, a_set(teacher, reveal=Reveal.AFTER_EACH_QUESTION, attempts=3))
    feedback = answer(client, attempt, 1)
    assert "Not quite." in feedback and "is-correct" in feedback
    assert f"The answer is <strong>{escape(QUESTIONS[0][1][0])}</strong>" in feedback
    assert shows(feedback, 1)


def test_after_each_question_an_early_finish_keeps_the_unanswered_ones_while_attempts_are_left(
    client, teacher, student
):
    attempt = start(client, a_set(teacher, reveal=Reveal.AFTER_EACH_QUESTION, attempts=3))
    answer(client, attempt, 1)
    page = finish(client, attempt)
    assert shows(page, 1) and escape(QUESTIONS[0][1][0]) in page
    assert not shows(page, 2) and not shows(page, 3)
    for _, choices, _ in QUESTIONS[1:]:
        assert escape(choices[0]) not in page
    assert UNANSWERED_FOR_LAST in page


def test_after_each_question_with_one_attempt_an_early_finish_ends_the_set_and_shows_all(
    client, teacher, student
):
    attempt = start(client, a_set(teacher, reveal=Reveal.AFTER_EACH_QUESTION, attempts=1))
    answer(client, attempt, 1)
    page = finish(client, attempt)
    assert all(shows(page, number) for number in (1, 2, 3))
    assert "You will see" not in page


def test_after_each_question_with_no_limit_shows_all_at_the_end_since_another_go_would(
    client, teacher, student
):
    attempt = start(client, a_set(teacher, reveal=Reveal.AFTER_EACH_QUESTION, attempts=None))
    page = finish(client, attempt)
    assert all(shows(page, number) for number in (1, 2, 3))


# -- at the end of each attempt ----------------------------------------------------------------


def test_at_the_end_of_the_attempt_the_feedback_only_saves_until_the_last_answer(
    client, teacher, student
):
    attempt = start(client, a_set(teacher, reveal=Reveal.END_OF_ATTEMPT, attempts=3))
    for number in (1, 2):
        feedback = answer(client, attempt, number)
        assert "Answer saved." in feedback and AT_THE_END in feedback
        assert_nothing_given_away(feedback, choices_listed=True)
        # The question's own page, reloaded, gives nothing away either.
        url = reverse("attempt-question", kwargs={"pk": attempt.pk, "number": number})
        assert_nothing_given_away(client.get(url).content.decode(), choices_listed=True)
    # The last answer ends the attempt, so its feedback shows its answer, and the result all.
    last = answer(client, attempt, 3, right=True)
    assert "Right!" in last and shows(last, 3)
    page = result(client, attempt)
    assert all(shows(page, number) for number in (1, 2, 3)) and "You will see" not in page


def test_at_the_end_of_the_attempt_an_early_finish_shows_only_what_was_answered(
    client, teacher, student
):
    attempt = start(client, a_set(teacher, reveal=Reveal.END_OF_ATTEMPT, attempts=3))
    answer(client, attempt, 1)
    page = finish(client, attempt)
    assert shows(page, 1) and not shows(page, 2) and not shows(page, 3)
    assert UNANSWERED_FOR_LAST in page


# -- after the last attempt or the due date ----------------------------------------------------


def test_after_the_last_attempt_nothing_shows_until_the_attempts_are_used_up(
    client, teacher, student
):
    question_set = a_set(teacher, reveal=Reveal.AFTER_LAST_ATTEMPT, attempts=2)
    first = start(client, question_set)
    for number in (1, 2, 3):
        feedback = answer(client, first, number)
        assert "Answer saved." in feedback and LEFT_FOR_LAST in feedback
        assert_nothing_given_away(feedback, choices_listed=True)
    page = result(client, first)
    assert_nothing_given_away(page)
    assert LEFT_FOR_LAST in page and "Practise my mistakes" not in page
    assert "0 of 6 points" in page  # the score itself is the student's to see

    second = start(client, question_set)
    page = finish(client, second)
    assert all(shows(page, number) for number in (1, 2, 3)) and "You will see" not in page
    # ... and the first attempt's result now gives its answers too.
    assert all(shows(result(client, first), number) for number in (1, 2, 3))


def test_after_the_last_attempt_an_early_finish_reveals_nothing(client, teacher, student):
    attempt = start(client, a_set(teacher, reveal=Reveal.AFTER_LAST_ATTEMPT, attempts=2))
    answer(client, attempt, 1, right=True)
    page = finish(client, attempt)
    assert_nothing_given_away(page, chosen_right=(1,))
    assert LEFT_FOR_LAST in page


def test_the_due_date_is_named_and_shows_the_answers_once_it_has_passed(client, teacher, student):
    question_set = a_set(teacher, reveal=Reveal.AFTER_LAST_ATTEMPT, attempts=3)
    classroom = make_classroom(teacher=teacher)
    classroom.memberships.create(student=student, joined_at=timezone.now())
    due = timezone.now() + dt.timedelta(days=3)
    assignment = make_assignment(classroom, question_set, due=due)
    attempt = start(client, question_set)
    page = finish(client, attempt)
    assert_nothing_given_away(page)
    assert (
        f"You will see the right answers after your last attempt or after the due date, "
        f"{due_text(due)}, whichever comes first." in page
    )
    assignment.due_at = timezone.now() - dt.timedelta(minutes=1)
    assignment.save()
    assert all(shows(result(client, attempt), number) for number in (1, 2, 3))


def test_a_class_with_no_due_date_keeps_the_set_open_past_another_classs(teacher, student):
    question_set = a_set(teacher, reveal=Reveal.AFTER_LAST_ATTEMPT, attempts=None)
    for name, due in (("10A", timezone.now() - dt.timedelta(days=1)), ("10B", None)):
        classroom = make_classroom(teacher=teacher, name=name)
        classroom.memberships.create(student=student, joined_at=timezone.now())
        make_assignment(classroom, question_set, due=due)
    decision = reveal_decision(viewer=student, question_set=question_set)
    assert not decision.everything and decision.message == NO_DUE_DATE_YET


def test_with_no_limit_and_no_due_date_the_student_is_told_so(client, teacher, student):
    attempt = start(client, a_set(teacher, reveal=Reveal.AFTER_LAST_ATTEMPT, attempts=None))
    page = finish(client, attempt)
    assert_nothing_given_away(page)
    assert escape(NO_DUE_DATE_YET) in page


def test_the_set_page_says_when_the_answers_come(client, teacher, student):
    question_set = a_set(teacher, reveal=Reveal.AFTER_LAST_ATTEMPT, attempts=2)
    page = client.get(question_set.get_absolute_url()).content.decode()
    assert "<dt>Right answers</dt><dd>After your last attempt or the due date</dd>" in page


# -- teachers and quick quizzes ----------------------------------------------------------------


def test_the_sets_owner_taking_it_sees_every_answer(client, teacher):
    client.force_login(teacher)
    attempt = start(client, a_set(teacher, reveal=Reveal.AFTER_LAST_ATTEMPT, attempts=2))
    assert shows(answer(client, attempt, 1), 1)


def test_the_class_teacher_sees_the_answers_the_student_does_not_yet(client, teacher, student):
    question_set = a_set(teacher, reveal=Reveal.AFTER_LAST_ATTEMPT, attempts=2)
    other_teacher = make_teacher(username="mr-bo")
    classroom = make_classroom(teacher=other_teacher)
    classroom.memberships.create(student=student, joined_at=timezone.now())
    assignment = make_assignment(classroom, question_set)
    attempt = start(client, question_set)
    answer(client, attempt, 1)
    finish(client, attempt)
    client.force_login(other_teacher)
    url = reverse("assignment-attempt", args=[assignment.pk, attempt.pk])
    page = client.get(url).content.decode()
    assert all(shows(page, number) for number in (1, 2, 3))
    assert reveal_decision(viewer=other_teacher, attempt=attempt).reason == RevealReason.TEACHER
    # A teacher of neither the set nor the student sees nothing of it.
    stranger = make_teacher(username="mx-cy")
    assert reveal_decision(viewer=stranger, attempt=attempt).reason == RevealReason.NOT_THEIRS
    assert not reveal_decision(viewer=stranger, attempt=attempt).answered


def test_a_quick_quiz_shows_every_answer_and_asks_the_database_nothing(
    student, django_assert_num_queries
):
    attempt = make_attempt(user=student, count=2)
    with django_assert_num_queries(0):
        decision = reveal_decision(viewer=student, attempt=attempt)
    assert decision.everything and decision.reason == RevealReason.QUICK_QUIZ


# -- query counts --------------------------------------------------------------------------------


def test_a_set_question_page_is_one_query_and_its_withheld_feedback_one_more(
    client, teacher, student, django_assert_num_queries
):
    attempt = start(client, a_set(teacher, reveal=Reveal.AFTER_LAST_ATTEMPT, attempts=2))
    url = reverse("attempt-question", kwargs={"pk": attempt.pk, "number": 1})
    with django_assert_num_queries(1):  # the viewer, the question, its attempt, set and answer
        client.get(url)
    answer(client, attempt, 1)
    with django_assert_num_queries(2):  # ... and the due dates of the student's classes
        client.get(url)
    each = start(client, a_set(teacher, reveal=Reveal.AFTER_EACH_QUESTION, attempts=2))
    answer(client, each, 1)
    with django_assert_num_queries(1):
        client.get(reverse("attempt-question", kwargs={"pk": each.pk, "number": 1}))


# -- flashcards and mistakes -------------------------------------------------------------------


def test_a_sets_handwritten_cards_wait_for_the_answers(client, teacher, student):
    question_set = a_set(teacher, reveal=Reveal.AFTER_LAST_ATTEMPT, attempts=1)
    add = {"question_set": question_set.share_code}
    response = client.post(reverse("study-deck-add"), add, follow=True)
    assert "join the deck once you can see their right answers" in response.content.decode()
    assert not Card.objects.filter(user=student).exists()
    finish(client, start(client, question_set))
    client.post(reverse("study-deck-add"), add)
    assert Card.objects.filter(user=student, fact__question_set=question_set).count() == 3


@pytest.mark.parametrize(
    ("reveal", "attempts", "notes"),
    [
        (Reveal.AFTER_LAST_ATTEMPT, 2, 0),
        (Reveal.AFTER_EACH_QUESTION, 1, 0),
        ("each_question", None, 3),
    ],
)
def test_the_anki_export_of_a_set_gives_handwritten_answers_only_where_the_set_does(
    client, teacher, tmp_path, reveal, attempts, notes
):
    question_set = a_set(teacher, reveal=reveal, attempts=attempts)
    response = client.get(reverse("study-set-export", args=[question_set.share_code]))
    with collection_of(response.content, tmp_path) as collection:
        assert collection.execute("select count(*) from notes").fetchone() == (notes,)


def test_mistakes_are_not_practised_before_the_answers_show(client, teacher, student):
    attempt = start(client, a_set(teacher, reveal=Reveal.AFTER_LAST_ATTEMPT, attempts=2))
    answer(client, attempt, 1)
    finish(client, attempt)
    response = client.post(reverse("study-mistakes", args=[attempt.pk]))
    assert response["Location"] == reverse("study")
    page = client.get(reverse("study"), {"mistakes": attempt.pk}).content.decode()
    assert "Practising your mistakes" not in page


@pytest.mark.parametrize(("reveal", "cards"), [("each_question", 1), ("after_last_attempt", 0)])
def test_a_wrong_answer_queues_its_flashcard_only_where_the_answer_shows(
    client, seed_history, teacher, student, reveal, cards
):
    from history.models import Position

    position = Position.objects.get(slug="general-secretary-cpsu")
    question_set = make_question_set(
        owner=teacher, position=position, kinds={"successor": 2}, reveal=reveal, attempts_allowed=2
    )
    attempt = start(client, question_set)
    answer(client, attempt, 1)
    assert Card.objects.filter(user=student).count() == cards


# -- the admin -----------------------------------------------------------------------------------


def admin_set_form(position, **fields) -> dict:
    from tests.test_teacher_admin import handwritten, set_form

    return set_form(position, kinds=[], questions=[handwritten()], **fields)


@pytest.mark.parametrize(
    ("attempts", "chosen", "expected"),
    [
        ("3", "", Reveal.AFTER_LAST_ATTEMPT),
        ("1", "", Reveal.AFTER_EACH_QUESTION),
        ("", "", Reveal.AFTER_EACH_QUESTION),
        ("3", Reveal.END_OF_ATTEMPT, Reveal.END_OF_ATTEMPT),
        ("1", Reveal.AFTER_LAST_ATTEMPT, Reveal.AFTER_LAST_ATTEMPT),
    ],
)
def test_the_admin_picks_the_default_from_the_attempts_unless_the_teacher_chose(
    client, teacher, attempts, chosen, expected
):
    from tests.factories import PositionFactory
    from tests.test_teacher_admin import ADD

    client.force_login(teacher)
    data = admin_set_form(PositionFactory(), attempts_allowed=attempts, reveal=chosen)
    response = client.post(ADD, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert QuestionSet.objects.get().reveal == expected


def test_the_admin_offers_the_rule_on_a_new_set_and_keeps_an_edited_sets_choice(client, teacher):
    client.force_login(teacher)
    page = client.get(reverse("admin:quiz_questionset_add")).content.decode()
    assert '<option value="" selected>Set by the attempts allowed</option>' in page
    question_set = a_set(teacher, reveal=Reveal.END_OF_ATTEMPT, attempts=3)
    url = reverse("admin:quiz_questionset_change", args=[question_set.pk])
    page = client.get(url).content.decode()
    assert '<option value="end_of_attempt" selected>' in page


@pytest.mark.django_db(transaction=True)
def test_the_migration_waits_for_the_last_attempt_where_sets_allowed_two_or_more():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from tests.factories import PositionFactory, UserFactory

    before, after = (
        [("quiz", "0009_unique_display_name_key")],
        [("quiz", "0010_question_set_reveal")],
    )
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("quiz", "QuestionSet")
    owner, position = UserFactory(), PositionFactory()
    for number, attempts in enumerate((None, 1, 2, 5)):
        old.objects.create(
            title=f"Set {attempts}",
            owner_id=owner.pk,
            position_id=position.pk,
            attempts_allowed=attempts,
            share_code=f"CODE{number}",
        )
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert dict(QuestionSet.objects.values_list("attempts_allowed", "reveal")) == {
        None: Reveal.AFTER_EACH_QUESTION,
        1: Reveal.AFTER_EACH_QUESTION,
        2: Reveal.AFTER_LAST_ATTEMPT,
        5: Reveal.AFTER_LAST_ATTEMPT,
    }
