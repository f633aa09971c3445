"""In a headless Chromium: the admin works under the app's own Content-Security-Policy, and the
watcher that fails browser tests on a violation does see one."""

import os

import pytest
from playwright.sync_api import expect

from tests.quiz_factories import add_handwritten, make_question_set, make_teacher, make_user
from tests.test_question_sets_browser import PASSWORD

# Playwright's sync API runs an event loop in this thread; see test_question_sets_browser.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def admin_log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    expect(page.locator("#user-tools")).to_be_visible()


def test_a_teacher_uses_the_admin_under_the_apps_policy(chromium, live_server):
    teacher = make_teacher(username="teacher")
    question_set = make_question_set(owner=teacher, title="Successions", handwritten=0)
    add_handwritten(question_set, prompt="Who came first?", choices=["Lenin", "Stalin"])
    make_question_set(owner=teacher, title="Titles")
    page = chromium.new_page()
    admin_log_in(page, live_server, "teacher")

    response = page.goto(f"{live_server.url}/admin/quiz/questionset/")
    policy = response.headers["content-security-policy"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    # The admin's own scripts run: the select-all box ticks every row (actions.js).
    page.locator("#action-toggle").check()
    expect(page.locator("input.action-select:checked")).to_have_count(2)

    page.goto(f"{live_server.url}/admin/quiz/questionset/{question_set.pk}/change/")
    expect(page.locator("#id_title")).to_have_value("Successions")
    # inlines.js adds a hand-written question's form; collapsible fieldsets and the date
    # widgets come from files too.
    page.locator("#handwritten_questions-group .add-row a").click()
    expect(page.locator("#id_handwritten_questions-1-prompt")).to_be_visible()

    assert page.problems == []
    assert page.csp_violations == []


def test_a_superuser_sees_the_admins_other_pages_without_a_violation(chromium, live_server):
    admin = make_user(username="root", is_staff=True, is_superuser=True)
    page = chromium.new_page()
    admin_log_in(page, live_server, "root")
    for path in (
        "/admin/",
        "/admin/auth/user/",
        f"/admin/auth/user/{admin.pk}/change/",
        f"/admin/auth/user/{admin.pk}/password/",
        "/admin/axes/accessattempt/",
        "/admin/history/position/",
        "/admin/quiz/questionset/add/",
    ):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
    assert page.problems == []
    assert page.csp_violations == []


def test_the_watcher_reports_inline_script_and_style(chromium):
    """Without this, a broken watcher would let every browser test pass whatever the policy."""
    page = chromium.new_page()
    page.route(
        "http://csp.invalid/",
        lambda route: route.fulfill(
            content_type="text/html",
            headers={"Content-Security-Policy": "default-src 'self'"},
            body="<p style='color: red'>styled</p><script>document.title = 'ran'</script>",
        ),
    )
    page.goto("http://csp.invalid/")
    assert page.title() != "ran"
    seen = list(page.csp_violations)
    page.csp_violations.clear()  # this test's violations are on purpose
    assert any("script-src-elem" in violation for violation in seen), seen
    assert any("style-src-attr" in violation for violation in seen), seen
