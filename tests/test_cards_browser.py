"""End to end in a real headless Chromium: a student adds the position's deck, studies five cards
by keyboard alone, and sees the heatmap and when the next card is due."""

import os

import pytest
from playwright.sync_api import expect

from quiz.cards.models import Review
from tests.quiz_factories import make_user

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(chromium):
    return chromium.new_page(width=390, height=844)  # a phone


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
