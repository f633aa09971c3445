"""The Anki export (opened with zipfile and sqlite3) and the study statistics."""

from __future__ import annotations

import datetime as dt
import io
import sqlite3
import zipfile

import genanki
import pytest
from django.urls import reverse
from django.utils import timezone

from quiz.cards import anki, stats
from quiz.cards.models import Card, Fact, Review
from quiz.cards.services import card_rate, deck_facts, facts_sync
from tests.cards_factories import CardFactory, StudySettingsFactory
from tests.quiz_factories import add_handwritten, make_question_set, make_user

pytestmark = pytest.mark.django_db
SLUG = "general-secretary-cpsu"


def notes_of(data: bytes, tmp_path) -> list[tuple[str, str, int]]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert "collection.anki2" in package.namelist()
        path = tmp_path / "collection.anki2"
        path.write_bytes(package.read("collection.anki2"))
    with sqlite3.connect(path) as db:
        (models,) = db.execute("select models from col").fetchone()
        assert str(anki.NOTE_TYPE_ID) in models
        return db.execute("select guid, flds, mid from notes order by id").fetchall()


def test_a_position_deck_exports_as_an_anki_collection_with_stable_guids(
    client, seed_history, tmp_path
):
    response = client.get(reverse("study-deck-export", args=[SLUG]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{SLUG}.apkg"'
    notes = notes_of(response.content, tmp_path)
    facts = {fact.key: fact for fact in Fact.objects.filter(position__slug=SLUG)}
    assert len(notes) == len(facts) == 70
    for guid, fields, model in notes:
        key = fields.split("\x1f")[-1]
        assert guid == genanki.guid_for(key) and model == anki.NOTE_TYPE_ID
        assert key in facts
    # Exported again (say after the data changed), every note keeps its GUID: Anki updates them.
    again = notes_of(client.get(reverse("study-deck-export", args=[SLUG])).content, tmp_path)
    assert [guid for guid, _, _ in again] == [guid for guid, _, _ in notes]
    assert anki.deck_id(f"position:{SLUG}") == anki.deck_id(f"position:{SLUG}")


def collection_of(data: bytes, tmp_path) -> sqlite3.Connection:
    path = tmp_path / "collection.anki2"
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        path.write_bytes(package.read("collection.anki2"))
    return sqlite3.connect(path)


def test_a_changed_fact_exports_as_a_newer_note_so_anki_updates_it(seed_history, tmp_path):
    """Anki's importer updates a note (matched by GUID) only if the incoming one is newer."""
    from history.models import Position, Term

    position = Position.objects.get(slug=SLUG)
    first_day = dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC)
    facts_sync(position=position, now=first_day)

    def export() -> tuple[dict[str, tuple[int, int, int]], set[int], set[int]]:
        facts = deck_facts(position=position).order_by("pk")
        data = anki.package(name="Deck", identity=f"position:{SLUG}", facts=facts)
        with collection_of(data, tmp_path) as db:
            notes = {
                guid: (note_id, mod, model)
                for guid, note_id, mod, model in db.execute("select guid, id, mod, mid from notes")
            }
            decks = {deck for (deck,) in db.execute("select did from cards")}
            card_mods = {mod for (mod,) in db.execute("select mod from cards")}
        return notes, decks, card_mods

    before, decks, card_mods = export()
    assert {mod for _, mod, _ in before.values()} == {int(first_day.timestamp())} == card_mods
    assert all(note_id > 0 for note_id, _, _ in before.values())
    assert len({note_id for note_id, _, _ in before.values()}) == len(before) == 70

    Term.objects.filter(person__slug="yuri-andropov").update(end_date=dt.date(1984, 2, 10))
    next_day = first_day + dt.timedelta(days=1)
    changed = facts_sync(position=position, now=next_day)
    after, decks_after, _ = export()
    newer = {
        anki.note_guid(key)
        for key in Fact.objects.filter(changed_at=next_day).values_list("key", flat=True)
    }
    assert changed == len(newer) >= 2  # the term, the length, the handover to Chernenko
    assert set(after) == set(before) and decks_after == decks == {anki.deck_id(f"position:{SLUG}")}
    for guid, (_, mod, model) in after.items():
        assert model == anki.NOTE_TYPE_ID
        assert mod == (int(next_day.timestamp()) if guid in newer else before[guid][1])
    # Two changes in the same second still give a newer note.
    Term.objects.filter(person__slug="yuri-andropov").update(end_date=dt.date(1984, 2, 9))
    facts_sync(position=position, now=next_day)
    again, _, _ = export()
    assert all(again[guid][1] == int(next_day.timestamp()) + 1 for guid in newer)


def test_a_set_deck_exports_its_handwritten_questions_and_unknown_decks_are_404(
    client, seed_history, tmp_path
):
    from history.models import Position

    question_set = make_question_set(position=Position.objects.get(slug=SLUG), kinds={"acting": 1})
    add_handwritten(
        question_set, prompt="Which city was the capital?", choices=["Moscow", "Kyiv", "Minsk"]
    )
    notes = notes_of(
        client.get(reverse("study-set-export", args=[question_set.share_code])).content, tmp_path
    )
    assert any(fields.startswith("Which city was the capital?\x1fMoscow") for _, fields, _ in notes)
    assert len(notes) == 2
    assert client.get(reverse("study-deck-export", args=["no-such-office"])).status_code == 404
    assert client.get(reverse("study-set-export", args=["NOSUCH"])).status_code == 404


def test_streak_counts_days_in_a_row_up_to_today_or_yesterday():
    today = dt.date(2026, 3, 10)
    days = {today - dt.timedelta(days=n): 3 for n in (1, 2, 3, 5)}
    assert stats.streak(days, today) == 3  # today still open
    assert stats.streak({**days, today: 1}, today) == 4
    assert stats.streak({today - dt.timedelta(days=2): 1}, today) == 0


def test_the_heatmap_covers_53_weeks_from_a_monday():
    today = dt.date(2026, 3, 10)
    heat = stats.heatmap({today: 8, today - dt.timedelta(days=1): 1}, today)
    assert heat.cells[0].day.weekday() == 0 and heat.cells[-1].day == today
    assert heat.total == 9 and heat.active_days == 2
    assert heat.cells[-1].level == 4 and heat.cells[-2].level == 1


def test_the_statistics_page_shows_heatmap_forecast_retention_and_states(client):
    user = make_user()
    client.force_login(user)
    StudySettingsFactory(user=user, time_zone="America/New_York")
    now = timezone.now()
    mature = CardFactory(
        user=user,
        state=Card.State.REVIEW,
        stability=40,
        difficulty=5,
        last_review=now - dt.timedelta(days=30),
        due=now - dt.timedelta(hours=1),
    )
    card_rate(card=mature, rating=3, reps=0, desired_retention=0.9, now=now)
    young = CardFactory(
        user=user,
        state=Card.State.REVIEW,
        stability=2,
        difficulty=5,
        last_review=now - dt.timedelta(days=2),
        due=now,
    )
    card_rate(card=young, rating=1, reps=0, desired_retention=0.9, now=now)
    CardFactory(user=user, suspended=True)
    body = client.get(reverse("study-stats")).content.decode()
    assert 'class="heatmap"' in body and "2 reviews on 1 day." in body
    assert 'class="forecast"' in body and "1 card due in the next 30 days" in body
    assert (
        "<dd>100%</dd>" in body
    )  # the one mature review was not Again; the young one does not count
    assert "<dd>1 day</dd>" in body  # the streak
    assert stats.cards_by_state(user=user) == {
        "new": 0,
        "learning": 0,
        "review": 1,
        "relearning": 1,
        "suspended": 1,
    }
    assert Review.objects.filter(user=user).count() == 2
