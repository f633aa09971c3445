"""Page titles, the favicon, the timer's text, and layout measured in a real Chromium at 390px."""

import datetime as dt
import os
import re
import xml.etree.ElementTree as ET

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone

from history.models import Person
from quiz.accounts import profile_create
from quiz.services import attempt_answer, attempt_create
from quiz.templatetags.quiz_timer import minutes_left, seconds_left
from tests.factories import PositionFactory
from tests.quiz_factories import StubQuestion, finished_attempt, make_attempt, make_user

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test
# would otherwise be refused as "async unsafe".
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

PASSWORD = "a-long-test-password"  # tests.factories.UserFactory's
SUFFIX = " — History Quiz"
NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


def title_of(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


# -- Titles -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_position_page_title_names_the_office_once(client, seed_history):
    response = client.get(reverse("position-detail", args=["general-secretary-cpsu"]))
    assert title_of(response) == (
        "General Secretary of the Communist Party of the Soviet Union — History Quiz"
    )


@pytest.mark.django_db
def test_every_page_title_is_the_page_then_the_site(client, seed_history):
    user = make_user()
    profile_create(user=user, display_name="Kim")
    attempt = make_attempt(user=user, count=1)
    question = attempt.questions.get()
    attempt_answer(attempt=attempt, question=question, choice=question.correct_choice)
    person = Person.objects.first()
    expected = {
        reverse("quiz-start"): "Quick quiz",
        reverse("leaderboard"): "Leaderboard",
        reverse("login"): "Log in",
        reverse("signup"): "Sign up",
        reverse("person-detail", args=[person.slug]): person.full_name,
    }
    assert title_of(client.get(reverse("home"))) == "History Quiz"
    for url, page in expected.items():
        assert title_of(client.get(url)) == page + SUFFIX, url
    client.force_login(user)
    signed_in = {
        reverse("progress"): "My progress",
        reverse("attempt-question", args=[attempt.pk, 1]): "Question 1 of 1",
        reverse("attempt-result", args=[attempt.pk]): "Your result",
        reverse("attempt-result", args=[attempt.pk + 1000]): "Quiz not found",
    }
    for url, page in signed_in.items():
        assert title_of(client.get(url)) == page + SUFFIX, url


# -- Favicon ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_pages_link_our_own_svg_favicon(client):
    page = client.get(reverse("home")).content.decode()
    assert f'<link rel="icon" href="{static("favicon.svg")}" type="image/svg+xml">' in page
    svg = ET.parse(finders.find("favicon.svg")).getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    assert svg.get("viewBox") == "0 0 32 32"


# -- Timer ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (300, "5 minutes"),
        (299.5, "5 minutes"),
        (61, "2 minutes"),
        (60, "1 minute"),
        (1, "1 minute"),
        (-5, "0 minutes"),
    ],
)
def test_minutes_left_rounds_up(seconds, text):
    assert minutes_left(NOW + dt.timedelta(seconds=seconds), NOW) == text


def test_seconds_left_rounds_up_and_stops_at_zero():
    assert seconds_left(NOW + dt.timedelta(seconds=89.2), NOW) == 90
    assert seconds_left(NOW - dt.timedelta(seconds=3), NOW) == 0
    assert seconds_left(None, NOW) == 0


@pytest.mark.django_db
def test_the_timer_shows_minutes_left_not_a_clock_time(client):
    user = make_user()
    attempt = make_attempt(user=user, time_limit_seconds=300)
    client.force_login(user)
    page = client.get(reverse("attempt-question", args=[attempt.pk, 1])).content.decode()
    timer = re.search(r'<p class="timer"(.*?)</p>', page, re.S).group(0)
    assert "UTC" not in page
    assert re.search(r'data-seconds-left="(29\d|300)"', timer)
    assert re.search(r"<span[^>]*data-timer-left>5 minutes</span> left\.", timer)


@pytest.mark.django_db
def test_the_timer_says_when_time_is_up(client):
    user = make_user()
    attempt = make_attempt(
        user=user, time_limit_seconds=120, now=timezone.now() - dt.timedelta(minutes=5)
    )
    client.force_login(user)
    page = client.get(reverse("attempt-question", args=[attempt.pk, 1])).content.decode()
    assert 'class="timer is-up"' in page
    assert 'data-seconds-left="0"' in page
    assert "Time is up: answers still get feedback but score nothing." in page


# -- In a browser -----------------------------------------------------------------------------


def in_chromium(test):
    """Mark a test that measures pages in a headless Chromium against the live server."""
    test = pytest.mark.django_db(transaction=True)(test)
    return pytest.mark.browser(test)


@pytest.fixture
def open_page(chromium, live_server):
    """open_page(width, user=None): a page in a fresh context, logged in as user if given."""

    def open_(width: int, user=None):
        page = chromium.new_page(width=width)
        if user is not None:
            page.goto(f"{live_server.url}{reverse('login')}")
            page.get_by_label("Username").fill(user.username)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Log in").click()
            page.wait_for_url(re.compile(r"^(?!.*/accounts/login/)"))
        return page

    return open_


def box(locator) -> dict:
    """The element's box in page coordinates, read in one step: focus after a swap may scroll."""
    return locator.evaluate(
        "el => { const r = el.getBoundingClientRect();"
        " return {x: r.x + scrollX, y: r.y + scrollY, width: r.width, height: r.height}; }"
    )


def style(locator, prop: str) -> str:
    return locator.evaluate("(el, prop) => getComputedStyle(el)[prop]", prop)


def sans(page) -> str:
    return style(page.locator(".site-header"), "fontFamily")


LONG_TITLES = (
    "General Secretary of the Central Committee of the Communist Party of the Soviet Union",
    "First Secretary of the Central Committee of the Communist Party of the Soviet Union",
    "Responsible Secretary of the Central Committee of the Russian Communist Party (Bolsheviks)",
    "General Secretary of the Central Committee of the All-Union Communist Party (Bolsheviks)",
)


def long_choice_attempt(user):
    question = StubQuestion(
        kind="title_on_date",
        prompt="Under which title was the office held on 25 July 1971?",
        choices=LONG_TITLES,
        answer=LONG_TITLES[0],
        explanation="Brezhnev held it under that title.",
    )
    return attempt_create(
        user=user,
        position=PositionFactory(),
        title="Test quiz",
        seed=7,
        difficulty="medium",
        questions=[question],
    )


@pytest.mark.parametrize("width", [390, 1280])
@in_chromium
def test_answer_buttons_are_rows_with_text_beside_the_number(open_page, live_server, width):
    user = make_user()
    attempt = long_choice_attempt(user)
    page = open_page(width, user)
    page.goto(f"{live_server.url}{reverse('attempt-question', args=[attempt.pk, 1])}")

    buttons = page.locator("#choices button.choice")
    assert buttons.count() == 4
    for index in range(4):
        button = buttons.nth(index)
        assert style(button, "display") == "flex"
        assert style(button, "fontFamily") == sans(page)
        key, text = box(button.locator(".choice-key")), box(button.locator(".choice-text"))
        # The whole text sits right of the badge, a real gap away, even where it wraps.
        assert text["x"] - (key["x"] + key["width"]) >= 10
    assert style(page.get_by_role("button", name="End the quiz now"), "fontFamily") != sans(page)

    answer = buttons.filter(has_text=LONG_TITLES[0])
    answer.click()
    mark = page.locator(".choice.is-correct .choice-mark")
    assert "Right answer (yours)" in mark.inner_text()
    text = box(page.locator(".choice.is-correct .choice-text"))
    mark_box = box(mark)
    if width == 390:
        # Under the answer, lined up with it, and the answer keeps most of the row.
        assert mark_box["y"] >= text["y"] + text["height"] - 1
        mark_text_x = mark_box["x"] + float(style(mark, "paddingLeft").removesuffix("px"))
        assert abs(mark_text_x - text["x"]) <= 1
        assert text["width"] >= 0.6 * box(page.locator(".choice.is-correct"))["width"]
    else:
        assert mark_box["x"] >= text["x"] + text["width"]
        assert mark_box["y"] < text["y"] + text["height"]
    assert style(page.locator("[data-next]"), "fontFamily") == sans(page)


@in_chromium
def test_a_long_name_wraps_and_every_leaderboard_column_stays_on_a_phone(open_page, live_server):
    long_name = make_user()
    profile_create(user=long_name, display_name="W" * 40)
    finished_attempt(user=long_name, score=12345)
    page = open_page(390)
    page.goto(f"{live_server.url}{reverse('leaderboard')}")

    viewport = page.evaluate("document.documentElement.clientWidth")
    wrap = page.locator(".table-wrap").first
    assert wrap.evaluate("el => el.scrollWidth <= el.clientWidth")
    for header in ("Rank", "Player", "Points", "Quizzes"):
        cell = box(page.get_by_role("columnheader", name=header))
        assert cell["x"] + cell["width"] <= viewport, header
    name = box(page.get_by_role("rowheader", name="W" * 40))
    assert name["height"] > 40  # wrapped over several lines
    points = box(page.get_by_role("cell", name="12345"))
    assert points["x"] + points["width"] <= viewport


@pytest.mark.parametrize("width", [390, 1280])
@in_chromium
def test_the_progress_chart_labels_are_readable(open_page, live_server, width):
    user = make_user()
    for day, score in enumerate([4, 10, 16, 20, 8]):
        finished_attempt(
            user=user, score=score, finished_at=timezone.now() - dt.timedelta(days=day)
        )
    page = open_page(width, user)
    page.goto(f"{live_server.url}{reverse('progress')}")

    chart = page.locator("svg.score-chart")
    sizes = chart.evaluate(
        """svg => {
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            const outer = svg.getBoundingClientRect();
            return [...svg.querySelectorAll("text")].map(text => {
                const r = text.getBoundingClientRect();
                return {
                    px: parseFloat(getComputedStyle(text).fontSize) * scale,
                    inside: r.left >= outer.left - 0.5 && r.right <= outer.right + 0.5
                        && r.top >= outer.top - 0.5 && r.bottom <= outer.bottom + 0.5,
                };
            });
        }"""
    )
    assert len(sizes) == 5 + 2  # y ticks, first and last date
    for size in sizes:
        assert 10.5 <= size["px"] <= 16, size
        assert size["inside"], size


@pytest.mark.parametrize("width", [390, 1280])
@in_chromium
def test_keep_this_score_heading_sits_at_the_top_of_its_box(
    open_page, live_server, seed_history, width
):
    page = open_page(width)
    page.goto(f"{live_server.url}{reverse('quiz-start')}")
    page.get_by_role("button", name="Start the quiz").click()
    page.get_by_role("button", name="End the quiz now").click()

    offer = page.locator(".signup-offer")
    heading = offer.get_by_role("heading", name="Keep this score")
    assert style(heading, "borderTopWidth") == "0px"
    assert style(heading, "paddingTop") == "0px"
    # The box's 2px border and 1rem padding, then the heading: no gap, no rule.
    assert box(heading)["y"] - box(offer)["y"] <= 2 + 16 + 1
    for link in ("Sign up and keep this quiz", "I have an account: log in"):
        assert style(page.get_by_role("link", name=link), "fontFamily") == sans(page)


@pytest.mark.parametrize("width", [390, 1280])
@in_chromium
def test_the_share_code_form_is_a_labelled_field_and_button_with_room_below(
    open_page, live_server, width
):
    page = open_page(width)
    page.goto(f"{live_server.url}{reverse('home')}")

    form = page.locator(".code-form")
    field = form.get_by_label("Have a code from your teacher?")
    button = form.get_by_role("button", name="Open", exact=True)
    field_box, button_box = box(field), box(button)
    assert field_box["height"] >= 40 and button_box["height"] >= 40
    assert field_box["width"] >= 100
    assert float(style(field, "fontSize").removesuffix("px")) >= 16  # no zoom on focus in iOS
    assert abs(field_box["y"] - button_box["y"]) <= 2  # side by side, even on a phone
    assert style(button, "fontFamily") == style(field, "fontFamily") == sans(page)
    below = form.locator("xpath=following-sibling::*[1]")
    assert box(below)["y"] - (box(form)["y"] + box(form)["height"]) >= 16
