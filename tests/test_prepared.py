"""Prepared reads, updates and inserts do what their QuerySet or save() would, from SQL built
once."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.transaction import TransactionManagementError

from quiz.cards.models import Card
from quiz.models import Answer, Attempt, AttemptQuestion, QuestionSet
from quiz.prepared import PreparedInsert, PreparedQuery, PreparedQueryError, PreparedUpdate
from quiz.services import attempt_answer
from tests.cards_factories import NOW, CardFactory, FactFactory
from tests.quiz_factories import make_attempt, make_user

pytestmark = pytest.mark.django_db


def questions_of(*, pk: int, order: int, user_id: int):
    return (
        AttemptQuestion.objects.for_question_page()
        .select_related("attempt__user")
        .filter(attempt_id=pk, order=order, attempt__user_id=user_id)
        .order_by()
    )


def test_it_gives_the_querysets_instances_with_related_objects_and_annotations(
    django_assert_num_queries,
):
    ada, ben = make_user(username="ada"), make_user(username="ben")
    adas, bens = make_attempt(user=ada, count=3), make_attempt(user=ben, count=2)
    answered = adas.questions.get(order=1)
    attempt_answer(attempt=adas, question=answered, choice=answered.correct_choice)
    prepared = PreparedQuery(questions_of, pk=int, order=int, user_id=int)
    cases = [(adas, 0, ada), (adas, 1, ada), (bens, 1, ben), (bens, 1, ada), (adas, 7, ada)]
    for attempt, order, user in cases:
        expected = list(questions_of(pk=attempt.pk, order=order, user_id=user.pk))
        with django_assert_num_queries(1):
            found = prepared(pk=attempt.pk, order=order, user_id=user.pk)
            # the attempt, its user and the answer came in the same query: reading them is free
            seen = [
                (q.attempt.title, q.attempt.user.username, q.answer and q.answer.choice)
                for q in found
            ]
        assert [question.pk for question in found] == [question.pk for question in expected]
        assert seen == [
            (q.attempt.title, q.attempt.user.username, q.answer and q.answer.choice)
            for q in expected
        ]
        for mine, theirs in zip(found, expected, strict=True):
            assert mine.choices == theirs.choices and isinstance(mine.choices, list)
            assert mine.attempt.started_at == theirs.attempt.started_at
    (with_answer,) = prepared(pk=adas.pk, order=1, user_id=ada.pk)
    assert with_answer.answer.is_correct and with_answer.answer.points == answered.points


def test_a_string_value_and_an_annotation():
    attempt = make_attempt(guest_token="tok-1", count=2)
    make_attempt(guest_token="tok-2", count=2)
    prepared = PreparedQuery(
        lambda *, token: (
            AttemptQuestion.objects.filter(attempt__guest_token=token)
            .annotate(position_of=F("order") + 1)
            .order_by("order")
        ),
        token=str,
    )
    found = prepared(token="tok-1")
    assert [(q.attempt_id, q.position_of) for q in found] == [(attempt.pk, 1), (attempt.pk, 2)]
    assert prepared(token="nobody's") == []


def test_a_value_that_is_not_a_parameter_is_refused():
    inlined = PreparedQuery(lambda *, count: AttemptQuestion.objects.all()[:count], count=int)
    with pytest.raises(PreparedQueryError, match="count"):
        inlined(count=3)
    with pytest.raises(TypeError):
        PreparedQuery(questions_of, pk=int, order=int, user_id=int)(pk=1, order=0)


def test_a_prepared_update_changes_what_the_querysets_update_would(django_assert_num_queries):
    ada = make_user(username="ada")
    mine, other = make_attempt(user=ada, count=3), make_attempt(user=ada, count=3)
    count = PreparedUpdate(
        lambda *, pk, seen, points: (
            Attempt.objects.filter(pk=pk, answered_count=seen),
            {"score": F("score") + points, "answered_count": F("answered_count") + 1},
        ),
        pk=int,
        seen=int,
        points=int,
    )
    with django_assert_num_queries(1):
        assert count(pk=mine.pk, seen=0, points=3) == 1
    assert count(pk=mine.pk, seen=0, points=3) == 0  # the count it names has moved on
    assert count(pk=mine.pk, seen=1, points=0) == 1
    mine.refresh_from_db()
    other.refresh_from_db()
    assert (mine.score, mine.answered_count) == (3, 2)
    assert (other.score, other.answered_count) == (0, 0)


def test_an_update_across_tables_is_refused():
    across = PreparedUpdate(
        lambda *, name: (Attempt.objects.filter(user__username=name), {"score": 0}), name=str
    )
    with pytest.raises(PreparedQueryError, match="one table"):
        across(name="ada")


def _row(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.fields}


def test_a_prepared_insert_saves_what_create_would_and_returns_it(django_assert_num_queries):
    questions = list(make_attempt(guest_token="tok", count=2).questions.order_by("order"))
    at = dt.datetime(2026, 3, 2, 12, 0, 30, 125_000, tzinfo=dt.UTC)
    insert = PreparedInsert(Answer)
    values = {"choice": "c1", "typed": "Lenin", "is_correct": True, "points": 3, "answered_at": at}
    with django_assert_num_queries(1):
        saved = insert(question=questions[0], **values)
    expected = Answer.objects.create(question=questions[1], **values)
    assert saved.pk is not None and not saved._state.adding and saved.question is questions[0]
    mine, theirs = _row(Answer.objects.get(pk=saved.pk)), _row(expected)
    assert mine.pop("id") != theirs.pop("id") and mine.pop("question_id") == questions[0].pk
    theirs.pop("question_id")
    assert mine == theirs and mine["in_time"] is True  # the default, as create() gives
    assert _row(saved) == _row(Answer.objects.get(pk=saved.pk))
    with pytest.raises(TypeError):
        insert(question=questions[0], colour="red")


def test_a_prepared_insert_that_breaks_a_constraint_rolls_its_block_back():
    (question,) = make_attempt(guest_token="tok", count=1).questions.all()
    insert = PreparedInsert(Answer)
    at = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)
    insert(question=question, choice="c1", is_correct=False, answered_at=at)
    with transaction.atomic():
        Answer.objects.filter(question=question).update(points=2)
        with pytest.raises(IntegrityError):
            insert(question=question, choice="c2", is_correct=True, answered_at=at)
        # as after Model.save(): the block is broken, and rolled back when it ends
        with pytest.raises(TransactionManagementError):
            Answer.objects.count()
    assert list(Answer.objects.values_list("choice", "points")) == [("c1", 0)]


def test_a_prepared_upsert_adds_or_updates_as_bulk_create_would():
    ada = make_user(username="ada")
    new_fact, studied_fact = FactFactory(), FactFactory()
    studied = CardFactory(user=ada, fact=studied_fact, reps=4, stability=12.5, lapses=1)
    later = NOW + dt.timedelta(days=3)
    upsert = PreparedInsert(
        Card, unique_fields=("user", "fact"), update_fields=("missed_at", "due")
    )
    for fact in (new_fact, studied_fact):
        assert upsert(user=ada, fact=fact, due=later, added_at=later, missed_at=later) is None
    added = Card.objects.get(user=ada, fact=new_fact)
    assert (added.due, added.added_at, added.missed_at) == (later, later, later)
    assert (added.reps, added.state, added.suspended, added.stability) == (0, 0, False, None)
    studied_after = Card.objects.get(pk=studied.pk)
    assert (studied_after.due, studied_after.missed_at, studied_after.added_at) == (
        later,
        later,
        NOW,
    )
    assert (studied_after.reps, studied_after.stability, studied_after.lapses) == (4, 12.5, 1)
    assert Card.objects.count() == 2


def test_an_insert_whose_fields_set_their_own_values_is_refused():
    with pytest.raises(PreparedQueryError, match="QuestionSet"):
        PreparedInsert(QuestionSet)(title="A set")
    with pytest.raises(PreparedQueryError, match="both"):
        PreparedInsert(QuestionSet, update_fields=("title",))
