"""Login and signup throttling: per username and address, per address, behind a proxy or not."""

import datetime as dt
import html

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import reverse
from django.utils.html import strip_tags

from quiz.throttle import client_address
from tests.quiz_factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"  # tests.factories.UserFactory's
HOME = "203.0.113.10"
ELSEWHERE = "198.51.100.20"
START = dt.datetime(2026, 3, 2, 9, 0, 30, tzinfo=dt.UTC)


@pytest.fixture
def clock():
    """A clock that moves only when the test moves it."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def log_in(client, username, password, address=HOME, url=None, **headers):
    return client.post(
        url or reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )


def text(response) -> str:
    """The page's words, without markup."""
    return " ".join(html.unescape(strip_tags(response.content.decode())).split())


def test_fifty_wrong_passwords_are_throttled_and_the_right_one_works_from_elsewhere(client, clock):
    make_user(username="anna")

    statuses = [log_in(client, "anna", f"guess-{n}").status_code for n in range(50)]

    assert statuses == [200] * 4 + [429] * 46
    paused = log_in(client, "anna", PASSWORD)
    assert paused.status_code == 429
    assert "_auth_user_id" not in client.session
    page = text(paused)
    # The 5th failure at 09:00:30 starts 15 minutes; the first whole minute after is 09:16.
    assert "You can try again at 09:16 UTC (in 16 minutes)" in page
    assert paused["Retry-After"] == str(15 * 60 + 30)

    assert log_in(client, "anna", PASSWORD, address=ELSEWHERE).status_code == 302


def test_the_pause_ends_when_the_page_says(client, clock):
    make_user(username="anna")
    for n in range(5):
        log_in(client, "anna", f"guess-{n}")

    clock.move_to(dt.datetime(2026, 3, 2, 9, 15, 30, tzinfo=dt.UTC))  # 15 min after
    assert log_in(client, "anna", PASSWORD).status_code == 429
    clock.move_to(dt.datetime(2026, 3, 2, 9, 16, tzinfo=dt.UTC))
    assert log_in(client, "anna", PASSWORD).status_code == 302


def test_tries_during_a_pause_do_not_lengthen_it(client, clock):
    make_user(username="anna")
    for n in range(5):
        log_in(client, "anna", f"guess-{n}")
    clock.shift(dt.timedelta(minutes=10))
    for n in range(20):
        assert log_in(client, "anna", f"again-{n}").status_code == 429

    clock.move_to(dt.datetime(2026, 3, 2, 9, 16, tzinfo=dt.UTC))
    assert log_in(client, "anna", PASSWORD).status_code == 302


def test_case_variants_of_a_username_count_together(client, clock):
    make_user(username="anna")
    for username in ("anna", "ANNA", "Anna", "aNNa"):
        assert log_in(client, username, "wrong").status_code == 200
    assert log_in(client, "ANNA", "wrong").status_code == 429


def test_a_right_password_clears_its_own_failures(client, clock):
    make_user(username="anna")
    for n in range(4):
        log_in(client, "anna", f"guess-{n}")
    assert log_in(client, "anna", PASSWORD).status_code == 302
    client.post(reverse("logout"))

    statuses = [log_in(client, "anna", f"typo-{n}").status_code for n in range(4)]
    assert statuses == [200] * 4


def test_many_usernames_from_one_address_pause_the_address_only(client, clock):
    make_user(username="kim")
    statuses = [log_in(client, f"pupil{n}", "wrong").status_code for n in range(30)]

    assert statuses == [200] * 29 + [429]
    paused = log_in(client, "kim", PASSWORD)
    assert paused.status_code == 429
    assert "too many failed logins from your network" in text(paused)
    assert log_in(client, "kim", PASSWORD, address=ELSEWHERE).status_code == 302


def test_logging_in_to_ones_own_account_does_not_clear_the_address_count(client, clock):
    make_user(username="mallory")
    for n in range(29):
        log_in(client, f"victim{n}", "wrong")
    assert log_in(client, "mallory", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    assert log_in(client, "victim29", "wrong").status_code == 429


def test_a_classroom_of_typos_does_not_pause_the_network(client, clock):
    """A few mistakes by each of several pupils behind one address stay under both limits."""
    for n in range(7):
        make_user(username=f"pupil{n}")
    for n in range(7):
        for typo in range(4):
            assert log_in(client, f"pupil{n}", f"typo-{typo}").status_code == 200
    assert log_in(client, "pupil0", PASSWORD).status_code == 302


def test_the_admin_login_is_throttled_too(client, clock):
    make_user(username="teach", is_staff=True)
    admin_login = reverse("admin:login")
    statuses = [
        log_in(client, "teach", f"guess-{n}", url=admin_login).status_code for n in range(6)
    ]
    assert statuses == [200] * 4 + [429] * 2
    assert log_in(client, "teach", PASSWORD, url=admin_login).status_code == 429
    assert log_in(client, "teach", PASSWORD, address=ELSEWHERE, url=admin_login).status_code == 302


def test_without_a_trusted_proxy_a_forged_forwarded_for_changes_nothing(client, clock):
    make_user(username="anna")
    statuses = [
        log_in(client, "anna", "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code
        for n in range(6)
    ]
    assert statuses == [200] * 4 + [429] * 2


def test_behind_a_proxy_the_address_it_saw_counts(client, clock, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    make_user(username="anna")
    # The client forges the left part; the proxy appends the address it really saw.
    statuses = [
        log_in(
            client,
            "anna",
            "wrong",
            address="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, {HOME}",
        ).status_code
        for n in range(6)
    ]
    assert statuses == [200] * 4 + [429] * 2
    response = log_in(client, "anna", PASSWORD, address="10.0.0.2", HTTP_X_FORWARDED_FOR=ELSEWHERE)
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "203.0.113.5", "192.0.2.1", "203.0.113.5"),
        (1, "10.0.0.2", "192.0.2.1, 203.0.113.5", "203.0.113.5"),
        (2, "10.0.0.2", "192.0.2.1, 203.0.113.5, 10.0.0.9", "203.0.113.5"),
        (2, "10.0.0.2", "203.0.113.5", "10.0.0.2"),  # fewer hops than proxies: the proxy's own
        (1, "10.0.0.2", "not-an-address", "10.0.0.2"),
        (0, "2001:db8:1:2:aaaa::1", "", "2001:db8:1:2::"),
        (0, "::ffff:203.0.113.5", "", "203.0.113.5"),
        (0, "", "", "0.0.0.0"),
    ],
)
def test_client_address(settings, proxies, remote, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def signup(client, n, address=HOME):
    password = "correct-horse-battery-42"
    return client.post(
        reverse("signup"),
        {
            "username": f"new{n}",
            "display_name": f"New {n}",
            "password1": password,
            "password2": password,
        },
        REMOTE_ADDR=address,
    )


def test_signups_are_throttled_per_address(client, clock, settings):
    settings.SIGNUP_THROTTLE_LIMIT = 3
    for n in range(3):
        assert signup(client, n).status_code == 302
        client.post(reverse("logout"))

    refused = signup(client, 3)
    assert refused.status_code == 429
    assert "You can sign up again at 10:00 UTC (in 60 minutes)" in text(refused)
    assert not get_user_model().objects.filter(username="new3").exists()

    assert signup(client, 4, address=ELSEWHERE).status_code == 302
    client.post(reverse("logout"))
    clock.move_to(dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC))
    assert signup(client, 5).status_code == 302


def test_refused_signups_do_not_count(client, clock, settings):
    settings.SIGNUP_THROTTLE_LIMIT = 2
    for _ in range(5):
        response = client.post(reverse("signup"), {"username": "x"}, REMOTE_ADDR=HOME)
        assert response.status_code == 400
    assert signup(client, 1).status_code == 302
