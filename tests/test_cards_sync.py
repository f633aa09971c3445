"""Reloading or correcting the history data keeps every student's memory of the facts that
still exist; a fact that disappears is retired (never studied), and returns with its memory."""

import datetime as dt

import pytest

from history.models import Position, Term
from quiz.cards.models import Card, Fact
from quiz.cards.queue import study_queue
from quiz.cards.services import card_missed, card_rate, deck_add, facts_sync, study_settings_for
from quiz.engine import keys
from tests.quiz_factories import make_user

pytestmark = pytest.mark.django_db
SLUG = "general-secretary-cpsu"
ANDROPOV = keys.term_key(
    SLUG,
    "yuri-andropov",
    "General Secretary of the Central Committee of the Communist Party of the Soviet Union",
)


def test_a_corrected_date_updates_the_card_and_keeps_the_memory(seed_history):
    student = make_user()
    position = Position.objects.get(slug=SLUG)
    deck_add(user=student, position=position)
    card = Card.objects.get(user=student, fact__key=ANDROPOV)
    card_rate(card=card, rating=4, reps=0, desired_retention=0.9)
    Term.objects.filter(person__slug="yuri-andropov").update(end_date=dt.date(1984, 2, 10))

    assert facts_sync(position=position) > 0
    card.refresh_from_db()
    assert card.reps == 1 and card.state == Card.State.REVIEW  # the memory stays
    assert "10 February 1984" in card.fact.back
    assert facts_sync(position=position) == 0  # nothing changed: nothing written


def test_a_fact_that_disappears_is_retired_and_comes_back_with_its_memory(seed_history):
    student = make_user()
    position = Position.objects.get(slug=SLUG)
    deck_add(user=student, position=position)
    acting = keys.acting_key(SLUG, "vladimir-ivashko")
    card = Card.objects.get(user=student, fact__key=acting)
    Card.objects.filter(pk=card.pk).update(
        reps=3, state=Card.State.REVIEW, stability=9, difficulty=5
    )
    Term.objects.filter(person__slug="vladimir-ivashko").update(acting=False)

    facts_sync(position=position)
    assert not Fact.objects.get(key=acting).is_current
    settings = study_settings_for(student)
    queue = study_queue(user=student, settings=settings, now=dt.datetime.now(dt.UTC), only=[acting])
    assert queue.card is None and queue.total == 0  # never studied while retired

    Term.objects.filter(person__slug="vladimir-ivashko").update(acting=True)
    facts_sync(position=position)
    card.refresh_from_db()
    assert card.fact.is_current and card.reps == 3 and card.stability == 9


def test_a_miss_with_an_unknown_fact_key_feeds_nothing(seed_history):
    student = make_user()
    assert (
        card_missed(user=student, question_kind="successor", fact_key="succession:nowhere:a:b")
        is None
    )
    assert (
        card_missed(user=student, question_kind="acting", fact_key=f"acting:{SLUG}:nobody") is None
    )
    assert card_missed(user=student, question_kind="x", fact_key="") is None
    assert not Card.objects.exists()
