"""Study statistics and the card browser (search, filter, suspend, unsuspend, forget)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from config.guards import local_url
from quiz.cards import services, stats
from quiz.cards.models import Card, StudyDeck
from quiz.views import HtmxHttpRequest

CARDS_PER_PAGE = 50
STATE_FILTERS = {
    "new": Q(state=Card.State.NEW, suspended=False),
    "learning": Q(state=Card.State.LEARNING, suspended=False),
    "review": Q(state=Card.State.REVIEW, suspended=False),
    "relearning": Q(state=Card.State.RELEARNING, suspended=False),
    "suspended": Q(suspended=True),
}
UNKNOWN_ACTION = "Please choose suspend, unsuspend or forget."


@login_required
@require_safe
def study_stats(request: HtmxHttpRequest) -> HttpResponse:
    """Heatmap of the last year, 30-day forecast, true retention, cards by state, streak."""
    settings = services.study_settings_for(request.user)
    now = timezone.now()
    today = stats.study_today(settings, now)
    days = stats.reviews_by_day(
        user=request.user, settings=settings, since=now - dt.timedelta(days=stats.HEATMAP_DAYS + 7)
    )
    bars, peak = stats.forecast(user=request.user, settings=settings, now=now)
    passed, mature = stats.true_retention(user=request.user, now=now)
    return render(
        request,
        "cards/stats.html",
        {
            "heatmap": stats.heatmap(days, today),
            "streak": stats.streak(days, today),
            "today_reviews": days.get(today, 0),
            "bars": bars,
            "peak": peak,
            "due_month": sum(bar.count for bar in bars),
            "retention": round(100 * passed / mature) if mature else None,
            "mature_reviews": mature,
            "states": stats.cards_by_state(user=request.user),
        },
    )


def _deck_filter(value: str, decks: list[StudyDeck]) -> Q | None:
    for deck in decks:
        if value == f"position-{deck.position_id}" and deck.position_id:
            return Q(fact__position_id=deck.position_id, fact__question_set__isnull=True)
        if value == f"set-{deck.question_set_id}" and deck.question_set_id:
            return Q(pk__in=services.deck_facts(question_set=deck.question_set).values("cards"))
    return None


@login_required
@require_safe
def card_browser(request: HtmxHttpRequest) -> HttpResponse:
    """The student's cards: search the text, filter by deck and state, act on one card."""
    decks = list(StudyDeck.objects.of(request.user).select_related("position", "question_set"))
    cards = Card.objects.of(request.user).select_related("fact").order_by("fact_id")
    query = request.GET.get("q", "").strip()[:200]
    if query:
        cards = cards.filter(
            Q(fact__front__icontains=query)
            | Q(fact__back__icontains=query)
            | Q(fact__detail__icontains=query)
        )
    state = request.GET.get("state", "")
    if state in STATE_FILTERS:
        cards = cards.filter(STATE_FILTERS[state])
    deck = request.GET.get("deck", "")
    deck_q = _deck_filter(deck, decks)
    if deck_q is not None:
        cards = cards.filter(deck_q)
    page = Paginator(cards, CARDS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "cards/cards.html",
        {
            "page": page,
            "deck_options": [
                (f"position-{d.position_id}", d.position.name)
                if d.position_id
                else (f"set-{d.question_set_id}", d.question_set.title)
                for d in decks
            ],
            "query": query,
            "state": state if state in STATE_FILTERS else "",
            "deck": deck if deck_q is not None else "",
            "states": list(STATE_FILTERS),
        },
    )


@login_required
@require_POST
def card_action(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Suspend, unsuspend or forget one of the student's cards; another's is a 404."""
    card = Card.objects.of(request.user).filter(pk=pk).select_related("fact").first()
    if card is None:
        return render(
            request,
            "cards/not_found.html",
            {"message": "There is no such card among yours."},
            status=404,
        )
    action = request.POST.get("action", "")
    if action == "suspend":
        services.card_suspend(card=card, suspended=True)
        messages.success(request, "Card suspended: it will not come up until you unsuspend it.")
    elif action == "unsuspend":
        services.card_suspend(card=card, suspended=False)
        messages.success(request, "Card unsuspended.")
    elif action == "forget":
        services.card_forget(card=card)
        messages.success(request, "Card reset to new.")
    else:
        messages.error(request, UNKNOWN_ACTION)
    back = local_url(request, request.POST.get("next", ""))
    if back:
        return redirect(back)
    return redirect("study-cards")
