"""Decks as Anki packages: a position's deck, or a teacher's published set."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from history.models import Position
from quiz.cards import anki, services
from quiz.models import QuestionSet
from quiz.reveal import reveal_decision
from quiz.views import HtmxHttpRequest

NO_SUCH_DECK = "There is no such deck. Pick one from the list of decks."


def _apkg(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _not_found(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "cards/not_found.html", {"message": NO_SUCH_DECK}, status=404)


@require_safe
def position_deck_export(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Every fact card of a position, as an .apkg for Anki."""
    position = Position.objects.visible_to(request.user).with_slug(slug).first()
    if position is None:
        return _not_found(request)
    services.facts_sync(position=position)
    facts = services.deck_facts(position=position).order_by("pk")
    data = anki.package(
        name=f"History Quiz: {position.name}", identity=f"position:{slug}", facts=facts
    )
    return _apkg(data, f"{slug}.apkg")


@require_safe
def set_deck_export(request: HtmxHttpRequest, code: str) -> HttpResponse:
    """A published question set as a deck: its fact cards, and its hand-written questions where
    the set shows the viewer their answers."""
    question_set = (
        QuestionSet.objects.published()
        .select_related("position", "owner__profile")
        .with_code(code)
        .first()
    )
    if question_set is None:
        return _not_found(request)
    services.facts_sync(position=question_set.position)
    services.handwritten_facts_sync(question_set=question_set)
    # The hand-written questions' answers only for those the set shows them to (quiz/reveal.py).
    handwritten = reveal_decision(viewer=request.user, question_set=question_set).everything
    facts = services.deck_facts(question_set=question_set, handwritten=handwritten).order_by("pk")
    data = anki.package(
        name=f"History Quiz: {question_set.title}",
        identity=f"set:{question_set.share_code}",
        facts=facts,
    )
    return _apkg(data, f"set-{question_set.share_code}.apkg")
