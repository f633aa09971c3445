"""Scheduling through fsrs with a fixed clock, study days in a non-UTC zone, the daily queue's
limits and order, siblings, leeches, suspending and forgetting."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import fsrs
import pytest

from quiz.cards import scheduling
from quiz.cards.models import Card, Review
from quiz.cards.queue import study_queue
from quiz.cards.services import (
    StudyError,
    StudyErrorCode,
    card_forget,
    card_rate,
    card_suspend,
)
from tests.cards_factories import NOW, CardFactory, FactFactory, StudySettingsFactory
from tests.factories import UserFactory

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4


@pytest.fixture
def no_fuzz_draw(monkeypatch):
    """fsrs draws its fuzz from the random module: pin the draw to the middle of the range."""
    monkeypatch.setattr(fsrs.scheduler, "random", lambda: 0.5)


def rate(card: Card, rating: int, at: dt.datetime, retention: float = 0.9) -> Card:
    return card_rate(card=card, rating=rating, reps=card.reps, desired_retention=retention, now=at)


# -- pure scheduling -------------------------------------------------------------------------


def test_intervals_are_formatted_as_buttons_show_them():
    assert scheduling.format_interval(dt.timedelta(seconds=20)) == "1 min"
    assert scheduling.format_interval(dt.timedelta(minutes=10)) == "10 min"
    assert scheduling.format_interval(dt.timedelta(hours=5)) == "5 h"
    assert scheduling.format_interval(dt.timedelta(days=3)) == "3 d"
    assert scheduling.format_interval(dt.timedelta(days=61)) == "2 mo"
    assert scheduling.format_interval(dt.timedelta(days=548)) == "1.5 y"


def test_a_new_cards_buttons_show_the_learning_steps_and_a_first_interval():
    memory = scheduling.Memory(scheduling.NEW, None, None, None, NOW, None)
    shown = scheduling.intervals(memory, NOW, desired_retention=0.9)
    assert shown[AGAIN] == "1 min" and shown[HARD] == "6 min" and shown[GOOD] == "10 min"
    assert shown[EASY].endswith(" d")


def test_study_days_start_at_the_local_hour_across_a_daylight_saving_change():
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    # 02:30 UTC on 29 March 2026 is 04:30 in Berlin (summer time began at 02:00 local).
    start, end = scheduling.study_day(dt.datetime(2026, 3, 29, 2, 30, tzinfo=dt.UTC), berlin, 4)
    assert start == dt.datetime(2026, 3, 29, 4, tzinfo=berlin)
    assert (end - start) == dt.timedelta(hours=24)
    # 01:30 UTC is 03:30 local: still the study day that began on the 28th (a 23-hour day).
    start, end = scheduling.study_day(dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC), berlin, 4)
    assert start.date() == dt.date(2026, 3, 28)
    assert end.astimezone(dt.UTC) - start.astimezone(dt.UTC) == dt.timedelta(hours=23)


# -- ratings in the database -----------------------------------------------------------------

pytestmark_db = pytest.mark.django_db


@pytestmark_db
def test_a_sequence_of_ratings_moves_the_card_through_learning_to_review(no_fuzz_draw):
    card = CardFactory()
    rate(card, GOOD, NOW)
    card.refresh_from_db()
    assert (card.state, card.step, card.due) == (
        Card.State.LEARNING,
        1,
        NOW + dt.timedelta(minutes=10),
    )
    later = NOW + dt.timedelta(minutes=10)
    rate(card, GOOD, later)
    card.refresh_from_db()
    assert card.state == Card.State.REVIEW and card.step is None
    first_interval = card.due - later
    assert dt.timedelta(days=1) <= first_interval <= dt.timedelta(days=4)
    review_day = card.due
    rate(card, AGAIN, review_day)
    card.refresh_from_db()
    assert card.state == Card.State.RELEARNING and card.lapses == 1
    assert card.due == review_day + dt.timedelta(minutes=10)
    assert card.reps == 3
    assert list(card.reviews.values_list("number", "rating", "state_before")) == [
        (1, GOOD, Card.State.NEW),
        (2, GOOD, Card.State.LEARNING),
        (3, AGAIN, Card.State.REVIEW),
    ]


@pytestmark_db
def test_the_schedule_is_exactly_fsrs_with_default_parameters(no_fuzz_draw):
    card = CardFactory()
    reference = fsrs.Scheduler(desired_retention=0.85)
    theirs = fsrs.Card(card_id=1, due=NOW)
    at = NOW
    for rating in (GOOD, GOOD, GOOD, HARD, EASY):
        rate(card, rating, at, retention=0.85)
        theirs, _ = reference.review_card(theirs, fsrs.Rating(rating), review_datetime=at)
        card.refresh_from_db()
        assert card.due == theirs.due and card.stability == pytest.approx(theirs.stability)
        at = card.due


@pytestmark_db
def test_fuzzing_is_on_for_long_intervals(monkeypatch):
    dues = set()
    for draw in (0.0, 0.99):
        monkeypatch.setattr(fsrs.scheduler, "random", lambda draw=draw: draw)
        card = CardFactory(state=Card.State.REVIEW, stability=40.0, difficulty=5.0, last_review=NOW)
        rate(card, GOOD, NOW + dt.timedelta(days=40))
        card.refresh_from_db()
        dues.add(card.due)
    assert len(dues) == 2


@pytestmark_db
def test_a_stale_or_unknown_rating_is_refused_and_changes_nothing():
    card = CardFactory()
    rate(card, GOOD, NOW)
    copy = Card.objects.get(pk=card.pk)
    with pytest.raises(StudyError) as stale:
        card_rate(card=copy, rating=GOOD, reps=0, desired_retention=0.9, now=NOW)
    assert stale.value.code == StudyErrorCode.STALE
    with pytest.raises(StudyError) as unknown:
        card_rate(card=copy, rating=7, reps=1, desired_retention=0.9, now=NOW)
    assert unknown.value.code == StudyErrorCode.UNKNOWN_RATING
    assert Review.objects.filter(card=card).count() == 1


@pytestmark_db
def test_a_card_that_lapses_eight_times_is_suspended_as_a_leech(no_fuzz_draw):
    card = CardFactory(state=Card.State.REVIEW, stability=3.0, difficulty=5.0, last_review=NOW)
    at = NOW + dt.timedelta(days=3)
    for lapse in range(1, 9):
        rate(card, AGAIN, at)  # a lapse: review -> relearning
        card.refresh_from_db()
        assert card.suspended == (lapse == 8)
        if lapse < 8:
            rate(card, GOOD, at + dt.timedelta(minutes=10))  # relearned: back to review
            at = card.due
    assert card.lapses == 8 and card.suspended and card.is_leech
    with pytest.raises(StudyError) as refused:
        rate(card, GOOD, at)
    assert refused.value.code == StudyErrorCode.SUSPENDED


@pytestmark_db
def test_forget_resets_to_new_and_keeps_the_log(no_fuzz_draw):
    card = CardFactory()
    rate(card, EASY, NOW)
    card_forget(card=card, now=NOW)
    card.refresh_from_db()
    assert card.state == Card.State.NEW and card.stability is None and card.reps == 1
    rate(card, GOOD, NOW + dt.timedelta(minutes=1))  # review number 2, no clash with the log
    assert card.reviews.count() == 2


# -- the queue -------------------------------------------------------------------------------


def queue(user, at=NOW, **settings):
    return study_queue(
        user=user, settings=StudySettingsFactory.build(user=user, **settings), now=at
    )


@pytestmark_db
def test_the_queue_serves_learning_then_reviews_then_new_within_the_daily_limits():
    user = UserFactory()
    new = [CardFactory(user=user) for _ in range(4)]
    review = CardFactory(
        user=user,
        state=Card.State.REVIEW,
        stability=5,
        difficulty=5,
        due=NOW - dt.timedelta(days=1),
    )
    learning = CardFactory(
        user=user, state=Card.State.LEARNING, step=1, stability=1, difficulty=5, due=NOW
    )
    today = queue(user, new_per_day=2, max_reviews_per_day=5)
    assert today.card == learning
    assert (today.learning, today.reviews, today.new) == (1, 1, 2)
    rate(learning, EASY, NOW)
    assert queue(user, new_per_day=2).card == review
    rate(review, GOOD, NOW)
    after = queue(user, new_per_day=2)
    assert after.card == new[0] and after.new == 2
    rate(new[0], EASY, NOW)
    rate(new[1], EASY, NOW)
    done = queue(user, new_per_day=2)
    assert done.card is None and done.left == 0  # two new cards a day, however many wait
    assert queue(user, at=NOW + dt.timedelta(days=1), new_per_day=2).new == 2  # a new day


@pytestmark_db
def test_the_review_limit_counts_reviews_done_today():
    user = UserFactory()
    cards = [
        CardFactory(
            user=user,
            state=Card.State.REVIEW,
            stability=5,
            difficulty=5,
            due=NOW - dt.timedelta(days=1),
        )
        for _ in range(3)
    ]
    rate(cards[0], GOOD, NOW)
    today = queue(user, max_reviews_per_day=2)
    assert today.reviews == 1


@pytestmark_db
def test_the_day_rolls_over_at_the_students_hour_in_their_time_zone():
    user = UserFactory()
    cards = [CardFactory(user=user) for _ in range(2)]
    tokyo = {"time_zone": "Asia/Tokyo", "day_start_hour": 4, "new_per_day": 1}
    # 18:30 UTC is 03:30 in Tokyo: still yesterday's study day there.
    evening = dt.datetime(2026, 3, 2, 18, 30, tzinfo=dt.UTC)
    rate(cards[0], EASY, evening)
    # 03:50 in Tokyo: the same study day, whose one new card is used up.
    assert queue(user, at=evening + dt.timedelta(minutes=20), **tokyo).new == 0
    # 04:10 in Tokyo: a new study day (in UTC, still the same date).
    next_day = queue(user, at=evening + dt.timedelta(minutes=40), **tokyo)
    assert next_day.new == 1 and next_day.card == cards[1]
    # In UTC with the same hour, 18:30 and 19:10 are one study day.
    assert (
        queue(user, at=evening + dt.timedelta(minutes=40), day_start_hour=4, new_per_day=1).new == 0
    )


@pytestmark_db
def test_siblings_never_come_on_the_same_day():
    user = UserFactory()
    forward = CardFactory(user=user, fact=FactFactory(key="succession:p:a:b", sibling_group="s"))
    reverse = CardFactory(user=user, fact=FactFactory(key="predecessor:p:a:b", sibling_group="s"))
    assert queue(user).new == 2
    rate(forward, GOOD, NOW)
    today = queue(user, at=NOW + dt.timedelta(minutes=10))
    assert today.card == forward  # its own learning step, but not its sibling
    assert Card.objects.get(pk=reverse.pk).state == Card.State.NEW
    assert today.new == 0
    assert queue(user, at=NOW + dt.timedelta(days=1)).new == 1


@pytestmark_db
def test_suspended_cards_and_other_students_cards_are_not_in_the_queue():
    user = UserFactory()
    card_suspend(card=CardFactory(user=user), suspended=True)
    CardFactory()
    assert queue(user).card is None and queue(user).left == 0
