"""Twenty threads rating the same card at once, on whichever database the suite runs against
(SQLite or PostgreSQL): exactly one review lands, and the card moves once."""

import pytest
from django.test import Client
from django.urls import reverse

from quiz.cards.models import Card, Review
from quiz.cards.services import StudyError, StudyErrorCode, card_rate
from tests.cards_factories import CardFactory
from tests.quiz_factories import make_user
from tests.test_quiz_races import THREADS, run_together

pytestmark = pytest.mark.django_db(transaction=True)


def test_twenty_threads_rating_one_card_apply_one_review():
    card = CardFactory(user=make_user())

    def task(rating, barrier):
        mine = Card.objects.get(pk=card.pk)  # each thread its own copy, as separate requests
        barrier.wait()
        try:
            card_rate(card=mine, rating=rating, reps=0, desired_retention=0.9)
        except StudyError as error:
            return error.code
        return rating

    results = run_together(task, [1 + n % 4 for n in range(THREADS)])

    applied = [result for result in results if result != StudyErrorCode.STALE]
    assert len(applied) == 1
    assert results.count(StudyErrorCode.STALE) == THREADS - 1
    (review,) = Review.objects.filter(card=card)
    card.refresh_from_db()
    assert card.reps == 1 and review.rating == applied[0] and review.number == 1


def test_twenty_replayed_posts_through_the_view_rate_once():
    user = make_user()
    card = CardFactory(user=user)
    clients = []
    for _ in range(THREADS):
        client = Client()
        client.force_login(user)
        clients.append(client)

    def task(client, barrier):
        barrier.wait()
        response = client.post(
            reverse("study-rate"), {"card": card.pk, "reps": 0, "rating": 3}, HTTP_HX_REQUEST="true"
        )
        return response.status_code, response.content.decode()

    results = run_together(task, clients)

    assert {status for status, _ in results} == {200}
    assert sum("already rated" in body for _, body in results) == THREADS - 1
    assert Review.objects.filter(card=card).count() == 1
    card.refresh_from_db()
    assert card.reps == 1
