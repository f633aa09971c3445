"""A teacher's unpublished topic stays theirs on every flashcard path: the deck list, adding,
exporting, studying, the card browser, statistics, quiz misses and practising mistakes. Two
teachers and a student; a published set about the topic shares just what the set asks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils.html import escape

from quiz.cards import stats
from quiz.cards.models import Card, Fact, StudyDeck
from quiz.cards.services import card_missed, deck_add, facts_sync
from quiz.engine import keys
from quiz.models import AttemptQuestion
from quiz.services import attempt_answer
from tests.factories import PersonFactory, PositionFactory, TermFactory, TitleFactory
from tests.quiz_factories import (
    add_handwritten,
    make_attempt,
    make_question_set,
    make_teacher,
    make_user,
    wrong_choice,
)

pytestmark = pytest.mark.django_db
SLUG = "warden-of-example-island"


@pytest.fixture
def people():
    """Ms Ada owns the private topic; Mr Bo is another teacher; Sam is a student."""
    return (
        make_teacher(username="ms-ada"),
        make_teacher(username="mr-bo"),
        make_user(username="sam"),
    )


@pytest.fixture
def topic(people):
    """Ms Ada's imported topic, not published: three wardens, one after the other."""
    position = PositionFactory(
        name="Warden of Example Island",
        short_name="Warden",
        slug=SLUG,
        owner=people[0],
        is_published=False,
    )
    title = TitleFactory(position=position, name="Warden of Example Island", short_name="Warden")
    for n in range(3):
        TermFactory(
            title=title,
            person=PersonFactory(full_name=f"Holder Number{n}", slug=f"holder-number{n}"),
            start_date=dt.date(1900 + 5 * n, 1, 1),
            end_date=dt.date(1905 + 5 * n, 1, 1),
        )
    facts_sync(position=position)
    return position


def first_succession():
    return keys.succession_key(SLUG, "holder-number0", "holder-number1")


def test_the_deck_list_shows_a_private_topic_to_its_owner_and_superusers_only(
    client, people, topic, seed_history
):
    ada, bo, sam = people
    for user, sees in (
        (ada, True),
        (bo, False),
        (sam, False),
        (make_user(is_superuser=True), True),
    ):
        client.force_login(user)
        body = client.get(reverse("study-decks")).content.decode()
        assert "General Secretary" in body  # the published seed
        assert (topic.name in body) is sees, user
        assert (reverse("study-deck-export", args=[SLUG]) in body) is sees


def test_only_its_owner_may_add_or_export_a_private_topic(client, people, topic):
    ada, bo, sam = people
    export = reverse("study-deck-export", args=[SLUG])
    assert client.get(export).status_code == 404  # a guest
    for user in (bo, sam):
        client.force_login(user)
        refused = client.post(reverse("study-deck-add"), {"position": SLUG}, follow=True)
        assert "There is no such deck" in refused.content.decode()
        assert client.get(export).status_code == 404
        assert not Card.objects.filter(user=user).exists()
        assert not StudyDeck.objects.filter(user=user).exists()
    client.force_login(ada)
    client.post(reverse("study-deck-add"), {"position": SLUG})
    assert Card.objects.filter(user=ada).count() == Fact.objects.filter(position=topic).count() > 0
    assert client.get(export).status_code == 200


def test_cards_of_a_topic_that_is_not_theirs_leave_every_list_until_it_is_published(
    client, people, topic
):
    sam = people[2]
    # Sam's cards from before the fix (or from while the topic was published): kept, not shown.
    deck_add(user=sam, position=topic)
    card = Card.objects.filter(user=sam).order_by("new_order", "fact_id").first()
    assert card is not None
    client.force_login(sam)
    study = client.get(reverse("study")).content.decode()
    assert "You have no flashcards yet" in study and escape(card.fact.front) not in study
    browser = client.get(reverse("study-cards")).content.decode()
    assert "0 cards." in browser and topic.name not in browser
    filtered = client.get(reverse("study-cards"), {"deck": f"position-{topic.pk}"})
    assert "0 cards." in filtered.content.decode()
    assert stats.cards_by_state(user=sam)["new"] == 0
    assert topic.name not in client.get(reverse("study-decks")).content.decode()
    assert "Choose a deck" in client.get(reverse("home")).content.decode()
    rated = client.post(
        reverse("study-rate"), {"card": card.pk, "reps": 0, "rating": 3}, follow=True
    )
    assert "There is no such card" in rated.content.decode()
    action = client.post(reverse("study-card-action", args=[card.pk]), {"action": "suspend"})
    assert action.status_code == 404
    card.refresh_from_db()
    assert card.reps == 0 and not card.suspended
    # Published by an administrator, the topic and Sam's cards come back as they were.
    type(topic).objects.filter(pk=topic.pk).update(is_published=True)
    assert escape(card.fact.front) in client.get(reverse("study")).content.decode()
    assert stats.cards_by_state(user=sam)["new"] == Card.objects.filter(user=sam).count()


def test_a_quiz_miss_about_a_private_topic_feeds_only_its_owners_study(client, people, topic):
    ada, bo, sam = people
    assert card_missed(user=sam, question_kind="successor", fact_key=first_succession()) is None
    assert card_missed(user=bo, question_kind="successor", fact_key=first_succession()) is None
    assert card_missed(user=ada, question_kind="successor", fact_key=first_succession())
    # Through a quiz answered wrongly, and "Practise my mistakes" afterwards.
    attempt = make_attempt(user=sam, count=1, position=topic)
    question = attempt.questions.get()
    AttemptQuestion.objects.filter(pk=question.pk).update(about={"fact_key": first_succession()})
    question.refresh_from_db()
    attempt_answer(attempt=attempt, question=question, choice=wrong_choice(question))
    assert not Card.objects.filter(user=sam).exists()
    client.force_login(sam)
    response = client.post(reverse("study-mistakes", args=[attempt.pk]), follow=True)
    assert not Card.objects.filter(user=sam).exists()
    session = client.get(reverse("study"), {"mistakes": attempt.pk}).content.decode()
    assert "Holder Number" not in response.content.decode() + session


def test_a_published_set_about_a_private_topic_shares_its_cards_while_published(
    client, people, topic
):
    ada, _, sam = people
    question_set = make_question_set(owner=ada, position=topic, kinds={"successor": 2})
    add_handwritten(question_set, prompt="Where did the warden live?", choices=["Fort", "Hut"])
    client.force_login(sam)
    client.post(reverse("study-deck-add"), {"question_set": question_set.share_code})
    kinds = sorted(Card.objects.filter(user=sam).values_list("fact__kind", flat=True))
    assert kinds == ["handwritten", "succession", "succession"]
    assert "3 new cards left today" in client.get(reverse("study")).content.decode()
    assert (
        client.get(reverse("study-set-export", args=[question_set.share_code])).status_code == 200
    )
    assert client.get(reverse("study-deck-export", args=[SLUG])).status_code == 404
    # A miss in the set's quiz reaches Sam's study too: the set showed that fact.
    missed = card_missed(
        user=sam,
        question_kind="predecessor",
        fact_key=keys.succession_key(SLUG, "holder-number1", "holder-number2"),
    )
    assert missed is not None and missed.kind == "predecessor"
    # Withdrawn, the set takes its cards out of Sam's lists.
    type(question_set).objects.filter(pk=question_set.pk).update(is_published=False)
    assert "You have no flashcards yet" in client.get(reverse("study")).content.decode()
    assert question_set.title not in client.get(reverse("study-decks")).content.decode()
