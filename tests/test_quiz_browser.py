"""End to end in a real headless Chromium: sign up, a quick quiz by keyboard, the leaderboard."""

import os

import pytest
from playwright.sync_api import expect

from quiz.models import Attempt

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test
# would otherwise be refused as "async unsafe".
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def page(chromium):
    return chromium.new_page(width=390, height=844)  # a phone


def test_sign_up_take_a_quick_quiz_by_keyboard_and_find_the_score(page, live_server, seed_history):
    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("Username").fill("kim")
    page.get_by_label("Display name").fill("Kim the Historian")
    page.locator("#id_password1").fill("a-long-test-password-42")
    page.get_by_label("Password confirmation").fill("a-long-test-password-42")
    page.get_by_role("button", name="Sign up").click()

    # A new account lands on the home page, its dashboard; the quick quiz is one click away.
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator(".messages")).to_contain_text("Welcome, Kim the Historian!")
    page.get_by_role("link", name="Quick quiz").first.click()
    expect(page.get_by_role("heading", name="Quick quiz")).to_be_visible()
    page.get_by_label("Easy").check()
    page.get_by_role("button", name="Start the quiz").click()
    expect(page.get_by_text("Question 1 of 10")).to_be_visible()
    attempt = Attempt.objects.get(user__username="kim")
    questions = list(attempt.questions.order_by("order"))

    # Marks this document: a full page load would lose it.
    page.evaluate("document.documentElement.dataset.loadedOnce = 'yes'")
    right = 0
    for question in questions:
        expect(page.get_by_text(f"Question {question.number} of 10")).to_be_visible()
        expect(page).to_have_title(f"Question {question.number} of 10 — History Quiz")
        expect(page.locator("#question-heading")).to_have_text(question.prompt)
        # Right on even questions, wrong on odd ones: both feedbacks get exercised.
        is_right = question.order % 2 == 0
        if question.is_typed:
            # Focus goes to the box, so the student can type at once; Enter answers.
            expect(page.locator("[data-typed-answer]")).to_be_focused()
            surname = question.correct_text.split()[-1]
            page.keyboard.type(surname.lower() if is_right else "Trotsky")
            page.keyboard.press("Enter")
        else:
            # Focus moves to the new question once htmx has settled it (and a screen reader
            # reads it).
            expect(page.locator("#question-heading")).to_be_focused()
            ids = [choice["id"] for choice in question.choices]
            wanted = (
                question.correct_choice
                if is_right
                else ids[(ids.index(question.correct_choice) + 1) % len(ids)]
            )
            key = page.locator(f'#choices button[value="{wanted}"]').get_attribute(
                "data-choice-key"
            )
            # The first question is a full page: its deferred scripts (the keys) must have run.
            page.wait_for_load_state()
            page.keyboard.press(key)

        verdict = page.locator("#feedback .verdict")
        expect(verdict).to_be_visible()
        expect(verdict).to_contain_text("Right!" if is_right else "Not quite.")
        expect(verdict).to_contain_text(question.correct_text)
        right += question.points if is_right else 0
        expect(page.locator("[data-next]")).to_be_focused()
        assert page.evaluate("document.documentElement.dataset.loadedOnce") == "yes"
        page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Your result")).to_be_visible()
    # Easy questions score 1 each; a typed one scores 2 at every level.
    most = sum(question.points for question in questions)
    expect(page.locator(".result-summary")).to_contain_text(f"{right} of {most} points")
    expect(page.locator(".result-summary")).to_contain_text(f"{round(100 * right / most)}%")

    page.get_by_role("link", name="See the leaderboard").click()
    row = page.locator("tr.is-viewer")
    expect(row).to_contain_text("Kim the Historian")
    expect(row.locator("td").nth(0)).to_have_text("1")
    expect(row.locator("td").nth(1)).to_have_text(str(right))

    assert page.csp_violations == []
    assert page.problems == []
