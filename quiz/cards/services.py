"""Writes on flashcards: facts synced from the history data, decks added, ratings, quiz misses,
suspending and forgetting. Each is a keyword-only function inside `transaction.atomic`."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from history.models import Position
from quiz.cards import scheduling
from quiz.cards.builder import CardKind, build_cards
from quiz.cards.models import LEECH_LAPSES, Card, Fact, Review, StudyDeck, StudySettings
from quiz.cards.order import new_card_order
from quiz.engine import keys
from quiz.models import QuestionSet
from quiz.prepared import PreparedInsert, PreparedQuery
from quiz.reveal import reveal_decision

HANDWRITTEN = "handwritten"
CARD_KINDS = frozenset(CardKind)

# The fact cards a teacher's generated kinds of question stand for in the set's deck.
QUESTION_KIND_CARDS: dict[str, tuple[str, ...]] = {
    "successor": (CardKind.SUCCESSION,),
    "predecessor": (CardKind.PREDECESSOR,),
    "holder_in_year": (CardKind.TERM,),
    "title_in_year": (CardKind.TERM, CardKind.TITLE_SPAN),
    "title_of_person": (CardKind.TERM,),
    "start_year": (CardKind.START,),
    "died_in_office": (CardKind.DIED,),
    "first_holder": (CardKind.FIRST,),
    "acting": (CardKind.ACTING,),
    "longest_tenure": (),  # a comparison across holders, not one fact a card can ask
}


class StudyErrorCode(enum.StrEnum):
    """Why a study action was refused."""

    STALE = "stale"
    UNKNOWN_RATING = "unknown-rating"
    SUSPENDED = "suspended"
    UNKNOWN_DECK = "unknown-deck"
    UNKNOWN_FACT = "unknown-fact"


STUDY_MESSAGES = {
    StudyErrorCode.STALE: "That card was already rated (in another tab, or by a second click), "
    "so the second rating was not applied. Here is your next card.",
    StudyErrorCode.UNKNOWN_RATING: "Please rate the card with Again, Hard, Good or Easy.",
    StudyErrorCode.SUSPENDED: "That card is suspended, so it takes no rating. Unsuspend it in "
    "the card browser to study it again.",
    StudyErrorCode.UNKNOWN_DECK: "There is no such deck. Pick one from the list.",
    StudyErrorCode.UNKNOWN_FACT: "There is no such card. It may have been removed from the data.",
}


class StudyError(Exception):
    """A refused study action: a code for views to branch on and a message for people."""

    def __init__(self, code: StudyErrorCode) -> None:
        super().__init__(STUDY_MESSAGES[code])
        self.code = code
        self.message = STUDY_MESSAGES[code]


def handwritten_key(question_id: int) -> str:
    """The fact key of a teacher's hand-written question (not a history fact)."""
    return f"{HANDWRITTEN}:{question_id}"


def card_key_for_question(kind: str, fact_key: str) -> str:
    """The card a quiz question is about: a predecessor question asks the reverse card."""
    if kind == "predecessor" and keys.kind_of(fact_key) == CardKind.SUCCESSION:
        _, position, earlier, later = fact_key.split(keys.SEPARATOR)
        return keys.predecessor_key(position, earlier, later)
    return fact_key


# -- facts -----------------------------------------------------------------------------------

FACT_FIELDS = ("kind", "front", "back", "detail", "source", "sibling_group", "is_current")


def _facts_store(*, rows: Iterable[Fact], existing: dict[str, Fact], now: dt.datetime) -> int:
    """Insert new facts, update changed ones, retire the rest of `existing`; count changes. A
    changed fact's time moves on by a second at least, so Anki sees every change as newer."""
    new, changed, seen = [], [], set()
    for row in rows:
        seen.add(row.key)
        old = existing.get(row.key)
        if old is None:
            row.changed_at = now
            new.append(row)
        elif any(getattr(old, name) != getattr(row, name) for name in FACT_FIELDS):
            for name in FACT_FIELDS:
                setattr(old, name, getattr(row, name))
            changed.append(old)
    for key, old in existing.items():
        if key not in seen and old.is_current:
            old.is_current = False
            changed.append(old)
    for old in changed:
        old.changed_at = max(now, old.changed_at + dt.timedelta(seconds=1))
    Fact.objects.bulk_create(new, ignore_conflicts=True)
    Fact.objects.bulk_update(changed, [*FACT_FIELDS, "changed_at"])
    return len(new) + len(changed)


def facts_sync(*, position: Position, now: dt.datetime | None = None) -> int:
    """Bring the position's fact cards in line with its history data; memories are kept (a
    fact that disappears is retired, not deleted, and comes back if the data gives it again)."""
    cards = build_cards(Position.objects.facts_for(position.slug))
    rows = [
        Fact(
            key=card.fact_key,
            kind=card.kind,
            position=position,
            front=card.front,
            back=card.back,
            detail=card.detail,
            source=card.source,
            sibling_group=card.sibling_group,
        )
        for card in cards
    ]
    with transaction.atomic():
        existing = {
            fact.key: fact
            for fact in Fact.objects.filter(position=position, question_set__isnull=True)
        }
        return _facts_store(rows=rows, existing=existing, now=now or timezone.now())


def handwritten_facts_sync(*, question_set: QuestionSet, now: dt.datetime | None = None) -> int:
    """Cards for a set's hand-written questions: prompt front; right choice and explanation back."""
    rows = []
    for question in question_set.handwritten_questions.prefetch_related("choices"):
        right = next((c.text for c in question.choices.all() if c.is_correct), "")
        if not right:
            continue
        key = handwritten_key(question.pk)
        rows.append(
            Fact(
                key=key,
                kind=HANDWRITTEN,
                position=question_set.position,
                question_set=question_set,
                front=question.prompt,
                back=right,
                detail=question.explanation,
                source=f"A question by {question_set.owner_name} in “{question_set.title}”.",
                sibling_group=key,
            )
        )
    with transaction.atomic():
        existing = {fact.key: fact for fact in Fact.objects.filter(question_set=question_set)}
        return _facts_store(rows=rows, existing=existing, now=now or timezone.now())


def deck_facts(
    *,
    position: Position | None = None,
    question_set: QuestionSet | None = None,
    handwritten: bool = True,
):
    """The current facts of a position's deck, or of a teacher's set as a deck (with its
    hand-written questions, unless `handwritten` is False)."""
    if question_set is not None:
        kinds = [
            card_kind
            for kind in question_set.kinds.values_list("kind", flat=True)
            for card_kind in QUESTION_KIND_CARDS.get(kind, ())
        ]
        condition = Q(position=question_set.position_id, question_set__isnull=True, kind__in=kinds)
        if handwritten:
            condition |= Q(question_set=question_set)
        return Fact.objects.filter(condition, is_current=True)
    return Fact.objects.filter(position=position, question_set__isnull=True, is_current=True)


def deck_add(
    *,
    user: AbstractBaseUser,
    position: Position | None = None,
    question_set: QuestionSet | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Add a deck to the student's study: a new card for each of its facts not yet studied.
    A set's hand-written questions come only once the set shows the student its right answers.
    Adding it again picks up facts added (or shown) since; returns how many cards were added."""
    if (position is None) == (question_set is None):
        raise StudyError(StudyErrorCode.UNKNOWN_DECK)
    now = now or timezone.now()
    handwritten = (
        question_set is not None
        and reveal_decision(viewer=user, question_set=question_set, now=now).everything
    )
    facts_sync(position=position or question_set.position)
    if question_set is not None:
        handwritten_facts_sync(question_set=question_set)
    with transaction.atomic():
        StudyDeck.objects.get_or_create(
            user=user, position=position, question_set=question_set, defaults={"added_at": now}
        )
        facts = deck_facts(position=position, question_set=question_set, handwritten=handwritten)
        have = set(Card.objects.filter(user=user, fact__in=facts).values_list("fact_id", flat=True))
        adding = [row for row in facts.values_list("pk", "key", "kind") if row[0] not in have]
        order = new_card_order(user.pk, [(key, kind) for _, key, kind in adding])
        new = [
            Card(user=user, fact_id=pk, due=now, added_at=now, new_order=order[key])
            for pk, key, _ in adding
        ]
        Card.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def deck_remove(
    *,
    user: AbstractBaseUser,
    position: Position | None = None,
    question_set: QuestionSet | None = None,
) -> None:
    """Take a deck off the list; its cards (and their memory) stay in the student's study."""
    StudyDeck.objects.filter(user=user, position=position, question_set=question_set).delete()


# -- ratings ---------------------------------------------------------------------------------


def study_settings_for(user: AbstractBaseUser) -> StudySettings:
    """The student's settings, or the defaults (unsaved) when they have none."""
    found = StudySettings.objects.filter(user=user).first()
    return found or StudySettings(user=user)


def card_rate(
    *,
    card: Card,
    rating: int,
    reps: int,
    desired_retention: float,
    now: dt.datetime | None = None,
    duration_ms: int | None = None,
) -> Card:
    """Apply one rating: the review log insert and the card update land together or not at
    all, and only if the card still has `reps` reviews (a second tab or a replay is refused)."""
    if rating not in Review.Rating.values:
        raise StudyError(StudyErrorCode.UNKNOWN_RATING)
    if card.suspended:
        raise StudyError(StudyErrorCode.SUSPENDED)
    if reps != card.reps:
        raise StudyError(StudyErrorCode.STALE)
    now = now or timezone.now()
    before = scheduling.Memory(
        card.state, card.step, card.stability, card.difficulty, card.due, card.last_review
    )
    after = scheduling.review(before, rating, now, desired_retention=desired_retention)
    lapse = card.state == Card.State.REVIEW and rating == Review.Rating.AGAIN
    lapses = card.lapses + int(lapse)
    scheduled = (card.due - card.last_review).days if card.last_review else 0
    changes = {
        "state": after.state,
        "step": after.step,
        "stability": after.stability,
        "difficulty": after.difficulty,
        "due": after.due,
        "last_review": now,
        "reps": reps + 1,
        "lapses": lapses,
        "suspended": lapses >= LEECH_LAPSES,
        "missed_at": None,
    }
    try:
        with transaction.atomic():
            # The insert goes first: a concurrent duplicate waits on the unique index, then fails.
            Review.objects.create(
                card=card,
                user_id=card.user_id,
                number=reps + 1,
                rating=rating,
                reviewed_at=now,
                duration_ms=duration_ms,
                state_before=card.state,
                scheduled_days=max(0, scheduled),
            )
            updated = Card.objects.filter(pk=card.pk, reps=reps, state=card.state).update(**changes)
            if not updated:
                raise StudyError(StudyErrorCode.STALE)
    except IntegrityError:
        raise StudyError(StudyErrorCode.STALE) from None
    for name, value in changes.items():
        setattr(card, name, value)
    return card


def card_missed(
    *,
    user: AbstractBaseUser,
    question_kind: str,
    fact_key: str,
    now: dt.datetime | None = None,
) -> Fact | None:
    """A quiz question about this fact was answered wrongly: put its card first in the next
    study session, adding it to the student's study if needed; the fact, or None if no card has
    the key or the student may not see its fact (a teacher's unpublished topic)."""
    key = card_key_for_question(question_kind, fact_key)
    kind = keys.kind_of(key)
    if kind not in CARD_KINDS and kind != HANDWRITTEN:
        return None  # a comparison across holders ("tenure"): no card asks it
    now = now or timezone.now()
    fact = _fact_visible_to(user, key)
    if fact is None:
        facts = Fact.objects.filter(key=key, is_current=True)
        if kind == HANDWRITTEN or facts.exists():
            return None
        # The position's cards were never made, or its history changed since: make them now.
        parts = key.split(keys.SEPARATOR)
        position = Position.objects.filter(slug=parts[1]).first() if len(parts) > 1 else None
        if position is None:
            return None
        facts_sync(position=position)
        fact = facts.visible_to(user).first()
        if fact is None:
            return None
    # One statement whether the card is new or studied: a wrong answer is the busiest write.
    _ADD_MISSED_CARD(user=user, fact=fact, due=now, added_at=now, missed_at=now)
    return fact


# A card added, or an existing one brought forward, in one statement (bulk_create's upsert,
# its SQL built once).
_ADD_MISSED_CARD = PreparedInsert(
    Card, unique_fields=("user", "fact"), update_fields=("missed_at", "due")
)


def _fact_visible_to(user: AbstractBaseUser, key: str) -> Fact | None:
    """The current fact under `key` if the user may study it (key is unique: one at most)."""
    if user.is_superuser:
        return Fact.objects.filter(key=key, is_current=True).first()
    found = _FACT_VISIBLE_TO_STUDENT(key=key, user_id=user.pk)
    return found[0] if found else None


# A wrong answer's busiest read, its SQL built once (quiz/prepared.py); for any signed-in user
# but a superuser, visibility depends on the user's id only.
_FACT_VISIBLE_TO_STUDENT = PreparedQuery(
    lambda *, key, user_id: (
        Fact.objects.filter(key=key, is_current=True)
        .visible_to(get_user_model()(pk=user_id))
        .order_by()[:1]
    ),
    key=str,
    user_id=int,
)


def cards_practise(*, user: AbstractBaseUser, attempt) -> list[str]:
    """The card keys of the facts behind an attempt's wrong answers, each put first for study."""
    found = []
    for question in attempt.questions.all():
        answer = question.answer
        fact_key = (question.about or {}).get("fact_key")
        if not fact_key or (answer is not None and answer.is_correct):
            continue
        fact = card_missed(user=user, question_kind=question.kind, fact_key=fact_key)
        if fact is not None:
            found.append(fact.key)
    return found


def card_suspend(*, card: Card, suspended: bool) -> Card:
    """Suspend a card (never studied) or bring it back."""
    Card.objects.filter(pk=card.pk).update(suspended=suspended)
    card.suspended = suspended
    return card


def card_forget(*, card: Card, now: dt.datetime | None = None) -> Card:
    """Reset a card to new; its review log stays (reviews keep counting, so old numbers stay)."""
    now = now or timezone.now()
    changes = {
        "state": Card.State.NEW,
        "step": None,
        "stability": None,
        "difficulty": None,
        "due": now,
        "last_review": None,
        "lapses": 0,
        "suspended": False,
        "missed_at": None,
    }
    Card.objects.filter(pk=card.pk).update(**changes)
    for name, value in changes.items():
        setattr(card, name, value)
    return card
