"""The study queue with a fixed clock: quiz misses and practising mistakes are never held back by
siblings studied today, "All your mistakes are practised" is true when it shows, cards coming
back later today are told and picked up, and new cards come in a mixed order of each student's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from history.models import Position
from quiz.cards.models import Card
from quiz.cards.order import new_card_order
from quiz.cards.queue import study_queue
from quiz.cards.services import card_missed, card_rate, card_suspend, deck_add
from tests.cards_factories import NOW, CardFactory, FactFactory, StudySettingsFactory
from tests.quiz_factories import add_handwritten, make_attempt, make_question_set, make_user

pytestmark = pytest.mark.django_db
SLUG = "general-secretary-cpsu"
GOOD = 3
MINUTE = dt.timedelta(minutes=1)


def queue(user, at, only=None):
    settings = StudySettingsFactory.build(user=user)
    return study_queue(user=user, settings=settings, now=at, only=only)


def rate(card, at):
    return card_rate(card=card, rating=GOOD, reps=card.reps, desired_retention=0.9, now=at)


def test_quiz_misses_on_siblings_of_todays_cards_all_reach_the_queue_and_the_practice(
    seed_history,
):
    student = make_user()
    deck_add(user=student, position=Position.objects.get(slug=SLUG), now=NOW)
    at = NOW
    for _ in range(10):  # a day's new cards
        rate(queue(student, at).card, at)
        at += MINUTE
    studied = Card.objects.filter(user=student, reps__gt=0).select_related("fact")
    assert studied.count() == 10
    # A quick quiz: seven wrong answers, each about a sibling of a card studied today.
    siblings = []
    for card in studied:
        sibling = (
            Card.objects.filter(user=student, fact__sibling_group=card.fact.sibling_group)
            .exclude(pk=card.pk)
            .select_related("fact")
            .first()
        )
        if sibling is not None:
            siblings.append(sibling.fact.key)
    assert len(siblings) >= 3
    others = Card.objects.filter(user=student, reps=0).exclude(fact__key__in=siblings)
    missed = [*siblings, *others.values_list("fact__key", flat=True)][:7]
    for key in missed:
        card_missed(user=student, question_kind="holder_in_year", fact_key=key, now=at)
    today = queue(student, at + MINUTE)
    assert today.missed == 7 and today.card.fact.key in missed
    # Practising those mistakes serves every one of them, then says so truly.
    served = []
    at += 2 * MINUTE
    while (session := queue(student, at, only=missed)).card is not None:
        assert session.card.missed_at is not None
        served.append(session.card.fact.key)
        rate(session.card, at)
        at += 20 * dt.timedelta(seconds=1)
    assert sorted(served) == sorted(missed)
    assert session.missed == 0 and session.missed_suspended == 0


def test_a_missed_card_whose_sibling_was_studied_today_comes_first():
    student = make_user()
    forward = CardFactory(user=student, fact=FactFactory(key="succession:p:a:b", sibling_group="g"))
    reverse = CardFactory(
        user=student, fact=FactFactory(key="predecessor:p:a:b", sibling_group="g")
    )
    rate(forward, NOW)
    assert queue(student, NOW + MINUTE).new == 0  # the new sibling waits for another day
    Card.objects.filter(pk=reverse.pk).update(missed_at=NOW + MINUTE, due=NOW + MINUTE)
    after = queue(student, NOW + 2 * MINUTE)
    assert after.card == reverse and after.missed == 1


def test_all_practised_is_not_claimed_while_a_missed_card_is_suspended(client):
    student = make_user()
    client.force_login(student)
    attempt = make_attempt(user=student, count=1)
    card = CardFactory(user=student, fact=FactFactory(key="died:p:a"))
    card_suspend(card=card, suspended=True)
    Card.objects.filter(pk=card.pk).update(missed_at=NOW)
    session = queue(student, NOW, only=["died:p:a"])
    assert session.card is None and session.missed_suspended == 1
    question = attempt.questions.get()
    question.about = {"fact_key": "died:p:a"}
    question.save(update_fields=["about"])
    body = client.get(reverse("study"), {"mistakes": attempt.pk}).content.decode()
    assert "All your mistakes are practised" not in body
    assert "1 of your mistakes is on a suspended card" in body


def test_cards_coming_back_later_today_are_told_plainly_and_picked_up_by_the_page(client):
    from django.utils import timezone
    from django.utils.html import escape

    student = make_user()
    client.force_login(student)
    now = timezone.now()
    learning = {"state": Card.State.LEARNING, "step": 1, "stability": 1, "difficulty": 5}
    card = CardFactory(user=student, due=now + dt.timedelta(minutes=7, seconds=30), **learning)
    body = client.get(reverse("study")).content.decode()
    assert "All done for today" not in body and "Done for now." in body
    assert "1 card comes back in 8 minutes." in body
    # Polled once a minute (htmx, no inline script), and a plain link without JavaScript.
    assert 'hx-trigger="load delay:60s"' in body and 'hx-get="/study/"' in body
    assert '<a class="button primary" href="/study/">Check again</a>' in body
    CardFactory(user=student, due=now + dt.timedelta(hours=3), **learning)
    two = client.get(reverse("study")).content.decode()
    assert "2 cards come back later today, the first in 8 minutes." in two
    home = client.get(reverse("home")).content.decode()
    assert "Done for now: 2 cards come back later today" in home
    # Once due, the page's own request brings the card in.
    Card.objects.filter(pk=card.pk).update(due=now - dt.timedelta(seconds=1))
    fragment = client.get(reverse("study"), HTTP_HX_REQUEST="true").content.decode()
    assert fragment.strip().startswith('<section id="study-card"')
    assert escape(card.fact.front) in fragment and "data-poll" not in fragment


def test_tomorrows_cards_are_no_reason_to_poll(client):
    student = make_user()
    client.force_login(student)
    CardFactory(
        user=student,
        state=Card.State.REVIEW,
        stability=5,
        difficulty=5,
        due=NOW + dt.timedelta(days=3650),
    )
    body = client.get(reverse("study")).content.decode()
    assert "All done for today." in body and "The next card is due" in body
    assert "data-poll" not in body and "Check again" not in body


def test_new_cards_come_in_a_stable_shuffle_of_each_student_that_deals_the_kinds():
    kinds = ("term", "start", "succession", "died")
    facts = [(f"{kind}:p:person-{n}", kind) for kind in kinds for n in range(6)]
    facts.append(("handwritten:1", "handwritten"))
    order = new_card_order(7, facts)
    assert sorted(order.values()) == list(range(len(facts)))
    assert order == new_card_order(7, list(reversed(facts)))  # the same every time
    assert order != new_card_order(8, facts)  # each student their own
    dealt = sorted(order, key=order.get)
    kind_of = dict(facts)
    # Every kind in the first five; then the kinds take turns.
    assert {kind_of[key] for key in dealt[:5]} == {*kinds, "handwritten"}
    for start in range(5, len(dealt) - 4, 4):
        assert len({kind_of[key] for key in dealt[start : start + 4]}) == 4
    terms = [key for key in dealt if kind_of[key] == "term"]
    assert terms != sorted(terms)  # shuffled within a kind too


def test_a_days_new_cards_mix_kinds_and_a_sets_own_questions_come_on_day_one(seed_history):
    position = Position.objects.get(slug=SLUG)

    def first_new_kinds(student, count):
        kinds, at = [], NOW
        for _ in range(count):
            card = queue(student, at).card
            assert card.state == Card.State.NEW
            kinds.append(card.fact.kind)
            rate(card, at)
            at += MINUTE
        return kinds

    student = make_user()
    deck_add(user=student, position=position, now=NOW)
    assert len(set(first_new_kinds(student, 10))) >= 6  # was ten "When was X ...?" cards
    question_set = make_question_set(position=position, kinds={"successor": 3, "acting": 1})
    add_handwritten(
        question_set, prompt="Which congress abolished the office?", choices=["19th", "20th"]
    )
    newcomer = make_user()
    deck_add(user=newcomer, question_set=question_set, now=NOW)
    # Three kinds (succession, acting, hand-written) dealt in turn: each within the first three.
    assert set(first_new_kinds(newcomer, 3)) == {"succession", "acting", "handwritten"}
