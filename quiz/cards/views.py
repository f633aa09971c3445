"""Studying flashcards: the day's queue one card at a time, decks, settings, and the export.

Statistics and the card browser are in stats_views.py. Every form works without JavaScript as
POST-redirect-GET; with htmx the study card flips and the next one swaps in as a fragment.
"""

from __future__ import annotations

import datetime as dt
import math

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from history.models import Position
from quiz.cards import scheduling, services
from quiz.cards.forms import StudySettingsForm
from quiz.cards.models import Card, Review, StudyDeck
from quiz.cards.queue import Queue, study_queue
from quiz.cards.services import StudyError, StudyErrorCode
from quiz.models import Attempt, QuestionSet
from quiz.reveal import reveal_decision
from quiz.views import HtmxHttpRequest

RATINGS = [
    (Review.Rating.AGAIN, "1"),
    (Review.Rating.HARD, "2"),
    (Review.Rating.GOOD, "3"),
    (Review.Rating.EASY, "4"),
]
POLL_MIN_SECONDS, POLL_MAX_SECONDS = 5, 60
NO_SUCH_SESSION = "There is no such quiz to practise from. Start from one of your quiz results."
HANDWRITTEN_LATER = (
    "Your teacher's own questions join the deck once you can see their right answers ({when}): "
    "press “Study as flashcards” on the set's page again then."
)
LEECH_NOTICE = (
    "You have forgotten that card 8 times, so it is now suspended as a leech. Find it under "
    "Cards to reword it in your head, then unsuspend it."
)


def _whole(value: str | None) -> int | None:
    """A whole number from a form field, or None for anything else."""
    try:
        return int(value or "")
    except ValueError:
        return None


def _practisable(request: HtmxHttpRequest, pk: int) -> Attempt | None:
    """The student's attempt, if its set shows them every right answer: practising its mistakes
    would otherwise tell which answers were wrong (quiz/reveal.py)."""
    attempt = (
        Attempt.objects.filter(pk=pk, user=request.user)
        .select_related("question_set")
        .prefetch_related("questions__answers")
        .first()
    )
    if attempt is None or not reveal_decision(viewer=request.user, attempt=attempt).everything:
        return None
    return attempt


def _mistakes(
    request: HtmxHttpRequest, value: str | None
) -> tuple[Attempt | None, list[str] | None]:
    """The student's attempt whose mistakes are being practised, and those facts' card keys."""
    pk = _whole(value)
    if pk is None:
        return None, None
    attempt = _practisable(request, pk)
    if attempt is None:
        return None, None
    keys = []
    for question in attempt.questions.all():
        answer = question.answer
        fact_key = (question.about or {}).get("fact_key")
        if fact_key and not (answer is not None and answer.is_correct):
            keys.append(services.card_key_for_question(question.kind, fact_key))
    return attempt, keys


def _study_context(queue: Queue, settings, *, show: bool, attempt: Attempt | None) -> dict:
    now = timezone.now()
    card = queue.card
    buttons = []
    if card is not None and show:
        memory = scheduling.Memory(
            card.state, card.step, card.stability, card.difficulty, card.due, card.last_review
        )
        shown = scheduling.intervals(memory, now, desired_retention=settings.desired_retention)
        buttons = [
            {
                "value": int(rating),
                "label": rating.label,
                "key": key,
                "interval": shown[int(rating)],
            }
            for rating, key in RATINGS
        ]
    next_due = queue.next_due
    if queue.new_waiting and (next_due is None or next_due > queue.day_end):
        next_due = queue.day_end  # tomorrow's new cards
    later, poll_seconds = "", 0
    if card is None and queue.later_due is not None:
        later = coming_back_text(queue.later, queue.later_due, settings.zone, now)
        # Polite: once a minute at most, and just after the first card is due.
        wait = math.ceil((queue.later_due - now).total_seconds()) + 1
        poll_seconds = max(POLL_MIN_SECONDS, min(POLL_MAX_SECONDS, wait))
    check_url = reverse("study") + (f"?mistakes={attempt.pk}" if attempt else "")
    return {
        "queue": queue,
        "card": card,
        "show": show,
        "buttons": buttons,
        "attempt": attempt,
        "next_due_text": next_due_text(next_due, settings.zone, now),
        "later_text": later,
        "poll_seconds": poll_seconds,
        "check_url": check_url,
        "progress": progress_text(queue),
    }


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'s' if number != 1 else ''}"


def progress_text(queue: Queue) -> str:
    """ "1 card in learning, 12 reviews and 3 new cards left today"."""
    parts = []
    if queue.missed:
        parts.append(f"{_count(queue.missed, 'card')} from your quiz mistakes")
    if queue.learning:
        parts.append(f"{_count(queue.learning, 'card')} in learning")
    if queue.reviews:
        parts.append(_count(queue.reviews, "review"))
    if queue.new:
        parts.append(_count(queue.new, "new card"))
    if not parts:
        return ""
    text = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
    return f"{text} left today"


@login_required
@require_safe
@vary_on_headers("HX-Request")
def study(request: HtmxHttpRequest) -> HttpResponse:
    """Today's queue, one card at a time: its front, then (?show=1) its back and the ratings."""
    settings = services.study_settings_for(request.user)
    attempt, only = _mistakes(request, request.GET.get("mistakes"))
    if request.GET.get("mistakes") and attempt is None:
        messages.info(request, NO_SUCH_SESSION)
    queue = study_queue(user=request.user, settings=settings, now=timezone.now(), only=only)
    show = request.GET.get("show") == str(queue.card.pk) if queue.card else False
    template_name = "cards/study.html"
    if request.htmx:
        template_name += "#study-card"
    return render(
        request, template_name, _study_context(queue, settings, show=show, attempt=attempt)
    )


@login_required
@require_POST
def study_rate(request: HtmxHttpRequest) -> HttpResponse:
    """Rate the shown card; htmx gets the next card as a fragment, a plain form a redirect."""
    settings = services.study_settings_for(request.user)
    mistakes = request.POST.get("mistakes", "")
    target = reverse("study") + (f"?mistakes={_whole(mistakes)}" if _whole(mistakes) else "")
    card = Card.objects.of(request.user).filter(pk=_whole(request.POST.get("card"))).first()
    notice = ""
    try:
        if card is None:
            raise StudyError(StudyErrorCode.UNKNOWN_FACT)
        reps, rating = _whole(request.POST.get("reps")), _whole(request.POST.get("rating"))
        if rating is None:
            raise StudyError(StudyErrorCode.UNKNOWN_RATING)
        duration = _whole(request.POST.get("duration_ms"))
        services.card_rate(
            card=card,
            rating=rating,
            reps=-1 if reps is None else reps,
            desired_retention=settings.desired_retention,
            duration_ms=duration if duration is not None and 0 <= duration < 86_400_000 else None,
        )
        if card.suspended:
            notice = LEECH_NOTICE
    except StudyError as error:
        notice = error.message
        if error.code == StudyErrorCode.UNKNOWN_RATING and card is not None:
            target += ("&" if "?" in target else "?") + f"show={card.pk}"
    if not request.htmx:
        if notice:
            messages.info(request, notice)
        return redirect(target)
    attempt, only = _mistakes(request, mistakes)
    show = False
    queue = study_queue(user=request.user, settings=settings, now=timezone.now(), only=only)
    if notice and card is not None and queue.card == card:
        show = True
    context = _study_context(queue, settings, show=show, attempt=attempt) | {"notice": notice}
    return render(request, "cards/study.html#study-card", context)


@login_required
@require_POST
def study_mistakes(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Practise my mistakes: the facts behind an attempt's wrong answers, first and only."""
    attempt = _practisable(request, pk)
    if attempt is None:
        messages.info(request, NO_SUCH_SESSION)
        return redirect("study")
    keys = services.cards_practise(user=request.user, attempt=attempt)
    if not keys:
        messages.info(request, "No mistakes in that quiz to practise: well done.")
        return redirect("attempt-result", pk=attempt.pk)
    return redirect(f"{reverse('study')}?mistakes={attempt.pk}")


@login_required
@require_safe
def decks(request: HtmxHttpRequest) -> HttpResponse:
    """Every position's deck and the teachers' sets the student added, with Add and Remove."""
    added = StudyDeck.objects.of(request.user).select_related("position", "question_set")
    positions = {deck.position_id for deck in added if deck.position_id}
    return render(
        request,
        "cards/decks.html",
        {
            "positions": [
                {"position": position, "added": position.pk in positions}
                for position in Position.objects.visible_to(request.user).order_by("name")
            ],
            "set_decks": [deck for deck in added if deck.question_set_id],
        },
    )


def _deck_source(request: HtmxHttpRequest) -> tuple[Position | None, QuestionSet | None]:
    slug, code = request.POST.get("position", ""), request.POST.get("question_set", "")
    if slug:
        position = Position.objects.visible_to(request.user).with_slug(slug).first()
        if position is None:
            raise StudyError(StudyErrorCode.UNKNOWN_DECK)
        return position, None
    if code:
        question_set = (
            QuestionSet.objects.published()
            .select_related("position", "owner__profile")
            .with_code(code)
            .first()
        )
        if question_set is None:
            raise StudyError(StudyErrorCode.UNKNOWN_DECK)
        return None, question_set
    raise StudyError(StudyErrorCode.UNKNOWN_DECK)


@login_required
@require_POST
def deck_add(request: HtmxHttpRequest) -> HttpResponse:
    """Add a position's deck or a teacher's set to the student's study."""
    try:
        position, question_set = _deck_source(request)
    except StudyError as error:
        messages.error(request, error.message)
        return redirect("study-decks")
    added = services.deck_add(user=request.user, position=position, question_set=question_set)
    name = position.name if position else f"“{question_set.title}”"
    messages.success(
        request,
        f"Added {added} new card{'s' if added != 1 else ''} from {name}."
        if added
        else f"Every card of {name} is already in your study.",
    )
    if question_set is not None and question_set.handwritten_questions.exists():
        reveal = reveal_decision(viewer=request.user, question_set=question_set)
        if not reveal.everything:
            messages.info(request, HANDWRITTEN_LATER.format(when=reveal.when or "later"))
    return redirect(
        "study" if question_set or request.POST.get("then") == "study" else "study-decks"
    )


@login_required
@require_POST
def deck_remove(request: HtmxHttpRequest) -> HttpResponse:
    """Take a deck off the student's list; their cards and memory stay."""
    try:
        position, question_set = _deck_source(request)
    except StudyError as error:
        messages.error(request, error.message)
        return redirect("study-decks")
    services.deck_remove(user=request.user, position=position, question_set=question_set)
    messages.success(
        request, "Deck removed from your list. Its cards stay in your study until you suspend them."
    )
    return redirect("study-decks")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def study_settings(request: HtmxHttpRequest) -> HttpResponse:
    """Desired retention, daily limits, time zone and the hour a study day starts."""
    instance = services.study_settings_for(request.user)
    form = StudySettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Study settings saved.")
        return redirect("study-settings")
    return render(request, "cards/settings.html", {"form": form})


def coming_back_text(count: int, moment: dt.datetime, zone, now: dt.datetime) -> str:
    """ "1 card comes back in 8 minutes." or "3 cards come back later today, the first at 15:13." """
    seconds = (moment - now).total_seconds()
    if seconds < 60:
        when = "in less than a minute"
    elif seconds < 3600:
        when = f"in {_count(math.ceil(seconds / 60), 'minute')}"
    else:
        when = f"at {moment.astimezone(zone):%H:%M}"
    if count == 1:
        return f"1 card comes back {when}."
    return f"{count} cards come back later today, the first {when}."


def next_due_text(moment: dt.datetime | None, zone, now: dt.datetime | None = None) -> str:
    """When the next card is due, as people say it: "at 14:05", "tomorrow at 04:00", "on 3 May"."""
    if moment is None:
        return ""
    now = (now or timezone.now()).astimezone(zone)
    local = moment.astimezone(zone)
    if local.date() == now.date():
        return f"today at {local:%H:%M}"
    if local.date() == now.date() + dt.timedelta(days=1):
        return f"tomorrow at {local:%H:%M}"
    return f"on {local.day} {local:%B %Y} at {local:%H:%M}"
