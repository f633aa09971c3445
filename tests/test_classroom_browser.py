"""End to end in a headless Chromium: a teacher makes a class and assigns a set due tomorrow, a
student joins by code and takes it, and the teacher opens the student's answers."""

import datetime as dt
import os

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from quiz.accounts import profile_create
from quiz.classroom.models import Assignment, Classroom
from quiz.models import Attempt
from tests.quiz_factories import add_handwritten, make_question_set, make_teacher, make_user
from tests.test_question_sets_browser import PASSWORD, open_page

# Playwright's sync API runs an event loop in this thread; see test_question_sets_browser.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SET_TITLE = "Who made the office?"


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_class_from_creation_to_one_students_answers(chromium, live_server):
    teacher_user = make_teacher(username="teacher")
    question_set = make_question_set(owner=teacher_user, title=SET_TITLE, attempts_allowed=2)
    add_handwritten(
        question_set,
        prompt="Who created the Office of General Secretary in 1922?",
        choices=["Vladimir Lenin", "Joseph Stalin", "Leon Trotsky"],
    )
    add_handwritten(
        question_set,
        prompt="Where did the General Secretary live?",
        choices=["Kremlin Senate", "Winter Palace"],
        order=1,
    )
    kim_user = make_user(username="kim")
    profile_create(user=kim_user, display_name="Kim the Historian")

    # -- the teacher: Teaching, a new class, an assignment due tomorrow
    teacher = open_page(chromium)
    log_in(teacher, live_server, "teacher")
    teacher.get_by_role("link", name="Teaching").click()
    teacher.get_by_label("Class name").fill("10B History")
    teacher.get_by_role("button", name="Create the class").click()
    expect(teacher.get_by_role("heading", name="10B History")).to_be_visible()
    code = Classroom.objects.get().join_code
    expect(teacher.locator(".join-code")).to_have_text(code)
    teacher.get_by_label("Question set").select_option(label=SET_TITLE)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    teacher.get_by_label("Due on").fill(tomorrow.isoformat())
    teacher.get_by_role("button", name="Assign").click()
    expect(teacher.locator(".messages")).to_contain_text(f"Assigned “{SET_TITLE}” to 10B History")
    assert timezone.localtime(Assignment.objects.get().due_at).date() == tomorrow

    # -- the student, on a phone and under the strict CSP: join by code, see it, take it
    kim = open_page(chromium, width=390)
    log_in(kim, live_server, "kim")
    kim.get_by_label("Have a code from your teacher?").fill(code.lower())
    kim.get_by_role("button", name="Open", exact=True).click()
    kim.get_by_role("button", name="Join 10B History").click()
    panel = kim.locator(".assignments-panel")
    expect(panel).to_contain_text("To do")
    expect(panel).to_contain_text(SET_TITLE)
    assert no_sideways_scroll(kim)
    panel.get_by_role("link", name=SET_TITLE).click()
    kim.get_by_role("button", name="Start the set").click()
    attempt = Attempt.objects.get(user=kim_user)
    for question in attempt.questions.order_by("order"):
        expect(kim.locator("#question-heading")).to_have_text(question.prompt)
        pick = question.correct_choice
        if question.prompt.startswith("Where"):
            pick = next(c["id"] for c in question.choices if c["text"] == "Winter Palace")
        kim.locator(f'#choices button[value="{pick}"]').click()
        kim.locator("[data-next]").click()
    expect(kim.get_by_role("heading", name="Your result")).to_be_visible()
    kim.goto(f"{live_server.url}/")
    expect(kim.locator(".assignments-panel")).to_contain_text("Done on time")
    assert kim.problems == []

    # -- the teacher: who has done it, and Kim's answers one click away
    teacher.reload()
    row = teacher.locator("table.progress-table tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Kim the Historian")
    expect(row).to_contain_text("Done on time")
    expect(teacher.locator(".assignment .meta")).to_contain_text("done by 1 of 1")
    row.get_by_role("link", name="Kim the Historian's best attempt").click()
    expect(
        teacher.get_by_role(
            "heading", name="Kim the Historian\N{RIGHT SINGLE QUOTATION MARK}s answers"
        )
    ).to_be_visible()
    wrong = teacher.locator(".review-item.is-wrong")
    expect(wrong).to_have_count(1)
    expect(wrong).to_contain_text("Their answer: Winter Palace")
    expect(wrong).to_contain_text("Right answer: Kremlin Senate")
    assert teacher.problems == []


def test_the_question_set_list_fits_1280_pixels_without_scrolling_sideways(chromium, live_server):
    teacher_user = make_teacher(username="teacher")
    make_question_set(
        owner=teacher_user,
        title="The General Secretaries from Sverdlov to Ivashko: successions and dates",
        handwritten=1,
    )
    page = open_page(chromium)
    page.goto(f"{live_server.url}/admin/login/")
    page.locator("#id_username").fill("teacher")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.goto(f"{live_server.url}/admin/quiz/questionset/")
    for heading in ("Title", "Published", "Share code", "Class results", "Updated"):
        cell = page.locator("#result_list thead th", has_text=heading)
        box = cell.bounding_box()
        assert box is not None and box["x"] + box["width"] <= 1280, heading
    fits = page.evaluate(
        "(() => { const wrap = document.querySelector('#result_list').parentElement;"
        " return wrap.scrollWidth <= wrap.clientWidth; })()"
    )
    assert fits and no_sideways_scroll(page)


def lines_of(locator) -> int:
    """How many lines an inline element's text runs over."""
    return locator.evaluate("element => element.getClientRects().length")


@pytest.mark.parametrize(("width", "title_lines"), [(390, 2), (1280, 1)])
def test_the_teaching_pages_sets_read_on_a_phone_and_a_desktop(
    chromium, live_server, width, title_lines
):
    teacher_user = make_teacher(username="teacher")
    make_question_set(
        owner=teacher_user, title="The General Secretaries: who came next?", handwritten=8
    )
    page = open_page(chromium, width=width)
    log_in(page, live_server, "teacher")
    page.goto(f"{live_server.url}/teaching/")
    row = page.locator(".sets-table tbody tr")
    title = row.get_by_role("link", name="The General Secretaries: who came next?", exact=True)
    assert lines_of(title) <= title_lines
    import_link = row.get_by_role("link", name="Import questions", exact=False)
    box = import_link.bounding_box()
    assert box is not None and 0 <= box["x"] <= width - box["width"]
    assert lines_of(import_link) == 1
    assert no_sideways_scroll(page)
    assert page.problems == []
