"""End to end in a headless Chromium at phone and desktop widths: a set that keeps its answers
until the last attempt saves each answer without marking it (the htmx swap included), ends early
without giving anything away, and the page fits the screen."""

import os

import pytest
from playwright.sync_api import expect

from quiz.models import QuestionSet
from tests.quiz_factories import make_teacher, make_user
from tests.test_cards_browser import log_in
from tests.test_reveal import QUESTIONS, a_set

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test
# would otherwise be refused as "async unsafe".
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1280])
def test_a_set_kept_for_the_last_attempt_gives_nothing_away(chromium, live_server, width):
    question_set = a_set(
        make_teacher(username="ms-ada"), reveal=QuestionSet.Reveal.AFTER_LAST_ATTEMPT, attempts=2
    )
    page = chromium.new_page(width=width, height=844)
    log_in(page, live_server, make_user(username="sam"))
    page.goto(f"{live_server.url}{question_set.get_absolute_url()}")
    expect(page.locator(".result-summary")).to_contain_text(
        "After your last attempt or the due date"
    )
    page.get_by_role("button", name="Start the set").click()
    page.get_by_role("button", name=QUESTIONS[0][1][1]).click()
    feedback = page.locator("#feedback")
    expect(feedback).to_contain_text("Answer saved.")
    expect(feedback).to_contain_text("You will see the right answers after your last attempt.")
    expect(page.locator(".choice.is-chosen")).to_contain_text("Your answer")
    assert page.locator(".is-correct, .is-chosen-wrong").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("button", name="End the quiz now").click()
    expect(page.get_by_role("heading", name="Your result")).to_be_visible()
    expect(page.locator(".reveal-note")).to_have_text(
        "You will see the right answers after your last attempt."
    )
    body = page.content()
    assert QUESTIONS[0][2] not in body and QUESTIONS[0][1][0] not in body
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.problems == []
