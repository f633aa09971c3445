"""End to end in a real headless Chromium: a student adds the position's deck, studies five cards
by keyboard alone, and sees the heatmap and when the next card is due; a card coming back later
today swaps in by itself."""

import datetime as dt
import os

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from quiz.cards import views
from quiz.cards.models import Card, Review
from tests.cards_factories import CardFactory, FactFactory
from tests.quiz_factories import make_user

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(chromium):
    return chromium.new_page(width=390, height=844)  # a phone


def log_in(page, live_server, user) -> None:
    """Share a signed-in test client's session with the browser."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])


def test_add_the_deck_study_five_cards_by_keyboard_and_see_the_statistics(
    page, live_server, seed_history
):
    make_user(username="sam")
    page.goto(f"{live_server.url}/accounts/login/?next=/study/decks/")
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("button", name="Add to my study").click()
    expect(page.get_by_text("Added 70 new cards")).to_be_visible()
    page.get_by_role("link", name="Study now").click()
    expect(page.locator("#study-progress")).to_have_text("10 new cards left today")

    page.evaluate("document.documentElement.dataset.loadedOnce = 'yes'")
    for number in range(5):
        # Focus is on the card once htmx has settled it: only then do the keys act on it.
        expect(page.locator("#card-front")).to_be_focused()
        front = page.locator("#card-front").inner_text()
        page.keyboard.press("Space" if number % 2 else "Enter")
        expect(page.locator("#card-back")).to_be_visible()
        expect(page.locator("[data-rating-key='3']")).to_be_focused()
        expect(page.locator("#card-front")).to_have_text(front)
        expect(page.locator("[data-rating-key='4'] .rating-interval")).to_contain_text(" d")
        page.keyboard.press("4")  # Easy: out of today's queue
        expect(page.locator("#study-progress")).to_have_text(f"{9 - number} new cards left today")
        assert page.locator("#card-front").inner_text() != front
    assert page.evaluate("document.documentElement.dataset.loadedOnce") == "yes"  # no reload
    reviews = list(Review.objects.filter(user__username="sam"))
    assert len(reviews) == 5 and all(r.rating == 4 and r.duration_ms is not None for r in reviews)

    page.get_by_role("link", name="Statistics").click()
    expect(page.locator("#heatmap-summary")).to_have_text("5 reviews on 1 day.")
    expect(page.locator("svg.heatmap rect.level-4")).to_have_count(1)
    expect(page.locator(".study-summary")).to_contain_text("1 day")
    page.goto(f"{live_server.url}/study/settings/")
    page.get_by_label("New cards per day").fill("5")
    page.get_by_role("button", name="Save settings").click()
    page.goto(f"{live_server.url}/study/")
    expect(page.get_by_text("All done for today.")).to_be_visible()
    expect(page.locator("#all-done")).to_contain_text("The next card is due")
    assert page.csp_violations == []
    assert page.problems == []


def test_a_card_coming_back_later_today_swaps_in_by_itself(page, live_server, monkeypatch):
    # The page polls once a minute at most; here once a second, so the test need not wait.
    monkeypatch.setattr(views, "POLL_MIN_SECONDS", 1)
    monkeypatch.setattr(views, "POLL_MAX_SECONDS", 1)
    user = make_user(username="lee")
    card = CardFactory(
        user=user,
        fact=FactFactory(front="Who came back?"),
        state=Card.State.LEARNING,
        step=1,
        stability=1,
        difficulty=5,
        due=timezone.now() + dt.timedelta(hours=1),
    )
    log_in(page, live_server, user)
    page.goto(f"{live_server.url}/study/")
    expect(page.locator("#all-done")).to_contain_text("1 card comes back in 60 minutes.")
    page.evaluate("document.documentElement.dataset.loadedOnce = 'yes'")
    Card.objects.filter(pk=card.pk).update(due=timezone.now())
    expect(page.locator("#card-front")).to_have_text("Who came back?")
    expect(page.locator("#card-front")).to_be_focused()
    assert page.evaluate("document.documentElement.dataset.loadedOnce") == "yes"  # no reload
    assert page.problems == []
