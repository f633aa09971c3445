"""Today's study queue: quiz misses first, then due learning cards, then due reviews (up to the
daily maximum), then new cards (up to the daily limit). Three queries, however many cards."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Case, Count, F, IntegerField, Min, Q, Value, When

from quiz.cards import scheduling
from quiz.cards.models import Card, Review, StudySettings

LEARNING_STATES = (Card.State.LEARNING, Card.State.RELEARNING)


@dataclass(frozen=True)
class Queue:
    """What is left to study today, and the card to study now (None when done for now)."""

    card: Card | None
    missed: int  # facts behind wrong quiz answers, studied first
    learning: int
    reviews: int
    new: int
    next_due: dt.datetime | None
    day_end: dt.datetime
    total: int  # the student's cards that can be studied at all
    new_waiting: int  # new cards beyond today's limit
    later: int  # learning cards coming back later today
    later_due: dt.datetime | None  # when the first of them is due
    missed_suspended: int  # quiz misses on suspended cards, never served until unsuspended

    @property
    def left(self) -> int:
        return self.missed + self.learning + self.reviews + self.new


def study_queue(
    *,
    user: AbstractBaseUser,
    settings: StudySettings,
    now: dt.datetime,
    only: Sequence[str] | None = None,
) -> Queue:
    """Today's queue for the student; `only` limits it to those fact keys (practising mistakes),
    without daily limits."""
    day_start, day_end = scheduling.study_day(now, settings.zone, settings.day_start_hour)
    today = list(
        Review.objects.of(user)
        .between(day_start, day_end)
        .values_list("card_id", "card__fact__sibling_group", "state_before")
    )
    new_done = sum(1 for _, _, state in today if state == Card.State.NEW)
    reviews_done = sum(1 for _, _, state in today if state == Card.State.REVIEW)
    cards = Card.objects.of(user)
    if only is not None:
        # Practising mistakes: exactly those facts, siblings or not.
        cards = cards.filter(fact__key__in=list(only))
    studyable = Q(suspended=False, fact__is_current=True)
    if only is None:
        # A card's siblings (its reverse, or the same fact asked another way) wait for another
        # day once one of them was studied today; never a quiz miss, which is due now.
        studied = {card_id for card_id, _, _ in today}
        groups = {group for _, group, _ in today}
        studyable &= ~(
            Q(fact__sibling_group__in=groups) & ~Q(pk__in=studied) & Q(missed_at__isnull=True)
        )
    learning_due = Q(state__in=LEARNING_STATES, due__lte=now)
    learning_later = Q(state__in=LEARNING_STATES, due__gt=now, due__lt=day_end)
    review_due = Q(state=Card.State.REVIEW, due__lt=day_end if only is None else now)
    missed = Q(missed_at__isnull=False)
    counts = cards.aggregate(
        missed=Count("pk", filter=studyable & missed),
        learning=Count("pk", filter=studyable & learning_due & ~missed),
        reviews=Count("pk", filter=studyable & review_due & ~missed),
        new=Count("pk", filter=studyable & Q(state=Card.State.NEW) & ~missed),
        later=Count("pk", filter=studyable & learning_later & ~missed),
        later_due=Min("due", filter=studyable & learning_later & ~missed),
        next_due=Min("due", filter=studyable & ~Q(state=Card.State.NEW) & Q(due__gt=now)),
        total=Count("pk", filter=studyable),
        missed_suspended=Count("pk", filter=missed & Q(suspended=True)),
    )
    if only is None:
        reviews_left = max(0, min(counts["reviews"], settings.max_reviews_per_day - reviews_done))
        new_left = max(0, min(counts["new"], settings.new_per_day - new_done))
    else:
        reviews_left, new_left = counts["reviews"], counts["new"]
    ready = missed | learning_due
    if reviews_left:
        ready |= review_due
    if new_left:
        ready |= Q(state=Card.State.NEW)
    card = (
        cards.filter(studyable & ready)
        .annotate(
            rank=Case(
                When(missed, then=Value(0)),
                When(learning_due, then=Value(1)),
                When(review_due, then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            ),
            # New cards come in the student's own mixed order (quiz/cards/order.py).
            place=Case(
                When(Q(state=Card.State.NEW) & ~missed, then=F("new_order")),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .select_related("fact")
        .order_by("rank", "place", "due", "fact_id")
        .first()
    )
    return Queue(
        card=card,
        missed=counts["missed"],
        learning=counts["learning"],
        reviews=reviews_left,
        new=new_left,
        next_due=counts["next_due"],
        day_end=day_end,
        total=counts["total"],
        new_waiting=counts["new"] - new_left,
        later=counts["later"],
        later_due=counts["later_due"],
        missed_suspended=counts["missed_suspended"],
    )
