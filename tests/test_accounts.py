import html

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from quiz.accounts import user_signup
from quiz.forms import (
    DISPLAY_NAME_INVISIBLE,
    DISPLAY_NAME_TAKEN,
    DISPLAY_NAME_TOO_LONG,
    USERNAME_TAKEN,
)
from quiz.models import Attempt, Profile
from quiz.views import GUEST_TOKEN_KEY
from tests.quiz_factories import make_attempt, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-42"


def signup_data(**overrides):
    return {
        "username": "anna",
        "display_name": "Anna K",
        "password1": PASSWORD,
        "password2": PASSWORD,
    } | overrides


def text(response) -> str:
    return html.unescape(response.content.decode())


def as_guest(client, token="guest-token-1"):
    session = client.session
    session[GUEST_TOKEN_KEY] = token
    session.save()
    return token


def test_signup_page_has_labelled_fields(client):
    response = client.get(reverse("signup"))
    page = response.content.decode()
    assert response.status_code == 200
    for name in ("username", "display_name", "password1", "password2"):
        assert f'for="id_{name}"' in page
    assert page.index("id_username") < page.index("id_display_name") < page.index("id_password1")


def test_signup_creates_a_user_with_a_display_name_and_logs_in(client):
    response = client.post(reverse("signup"), signup_data())
    assert response.status_code == 302
    user = get_user_model().objects.get(username="anna")
    assert user.profile.display_name == "Anna K"
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.parametrize("taken", ["anna", "ANNA", "Anna"])
def test_usernames_are_unique_regardless_of_case(client, taken):
    user_signup(username=taken, password=PASSWORD, display_name="Someone")
    response = client.post(reverse("signup"), signup_data(username="aNnA", display_name="Other"))
    assert response.status_code == 400
    assert USERNAME_TAKEN in text(response)
    assert get_user_model().objects.filter(username__iexact="anna").count() == 1


def test_display_names_are_unique_regardless_of_case(client):
    user_signup(username="first", password=PASSWORD, display_name="Anna K")
    response = client.post(reverse("signup"), signup_data(display_name="ANNA k"))
    assert response.status_code == 400
    assert DISPLAY_NAME_TAKEN in text(response)
    assert Profile.objects.count() == 1


def test_signup_rejects_mismatched_passwords(client):
    response = client.post(reverse("signup"), signup_data(password2="something-else-42"))
    assert response.status_code == 400
    assert not get_user_model().objects.filter(username="anna").exists()


def test_signup_keeps_the_guests_attempt(client):
    token = as_guest(client)
    attempt = make_attempt(guest_token=token)
    result_url = reverse("attempt-result", kwargs={"pk": attempt.pk})

    response = client.post(reverse("signup"), signup_data(next=result_url))

    assert response.status_code == 302
    assert response["Location"] == result_url
    attempt.refresh_from_db()
    assert attempt.user.username == "anna"
    assert attempt.guest_token == ""
    assert GUEST_TOKEN_KEY not in client.session


def test_signup_keeps_only_this_browsers_guest_attempts(client):
    as_guest(client, "mine")
    other = make_attempt(guest_token="someone-elses")
    client.post(reverse("signup"), signup_data())
    other.refresh_from_db()
    assert other.user is None


def test_signup_lands_on_the_home_page_the_new_users_dashboard(client):
    response = client.post(reverse("signup"), signup_data(), follow=True)
    assert response.redirect_chain == [(reverse("home"), 302)]
    assert "Welcome, Anna K!" in text(response)


def test_signup_ignores_an_offsite_next(client):
    response = client.post(reverse("signup"), signup_data(next="https://evil.example/"))
    assert response["Location"] == reverse("home")


def test_login_keeps_the_guests_attempt(client):
    user = make_user(username="bob")
    token = as_guest(client)
    attempt = make_attempt(guest_token=token)

    response = client.post(
        reverse("login"), {"username": "bob", "password": "a-long-test-password"}
    )

    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.user == user


def test_login_with_a_wrong_password_says_so(client):
    make_user(username="bob")
    response = client.post(reverse("login"), {"username": "bob", "password": "nope"})
    assert response.status_code == 200
    assert "correct username and password" in text(response)


def test_logout_is_a_post(client):
    client.force_login(make_user())
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert not client.get(reverse("signup")).wsgi_request.user.is_authenticated


def test_signup_and_login_need_the_csrf_token():
    client = Client(enforce_csrf_checks=True)
    assert client.post(reverse("signup"), signup_data()).status_code == 403
    assert client.post(reverse("login"), {"username": "x", "password": "y"}).status_code == 403
    assert not get_user_model().objects.exists()


def test_guest_result_offers_to_sign_up(client):
    token = as_guest(client)
    attempt = make_attempt(guest_token=token, count=1)
    question = attempt.questions.get()
    client.post(
        reverse("attempt-answer", kwargs={"pk": attempt.pk, "number": 1}),
        {"choice": question.correct_choice},
    )
    response = client.get(reverse("attempt-result", kwargs={"pk": attempt.pk}))
    page = text(response)
    assert response.status_code == 200
    assert "Sign up and keep this quiz" in page
    assert f"/accounts/signup/?next=/attempts/{attempt.pk}/result/" in page
    assert Attempt.objects.get(pk=attempt.pk).score == 2


def test_signed_up_users_are_sent_away_from_signup(client):
    client.force_login(make_user())
    assert client.get(reverse("signup")).status_code == 302


@pytest.mark.parametrize(
    "name",
    [
        "Tess\u200b tess1",  # zero-width space
        "\u202eevil",  # right-to-left override: shows as "live"
        "Anna\u2066 K",  # bidi isolate
        "Anna\u00ad K",  # soft hyphen
        "\ufeffAnna K",  # byte order mark
        "Anna\x07 K",  # a control character
        "Anna \u3164",  # Hangul filler, a letter that draws nothing
    ],
)
def test_display_names_with_hidden_characters_are_refused(client, name):
    response = client.post(reverse("signup"), signup_data(display_name=name))
    assert response.status_code == 400
    assert DISPLAY_NAME_INVISIBLE in text(response)
    assert not Profile.objects.exists()


@pytest.mark.parametrize(
    "typed",
    [
        "Tess  tess1",
        " Tess\ttess1 ",
        "Tess\u00a0tess1",
        "\uff34\uff45\uff53\uff53 tess1",
        "TESS\u3000TESS1",
    ],
)
def test_display_names_are_normalised_before_the_uniqueness_check(client, typed):
    user_signup(username="first", password=PASSWORD, display_name="Tess tess1")
    response = client.post(reverse("signup"), signup_data(display_name=typed))
    assert response.status_code == 400
    assert DISPLAY_NAME_TAKEN in text(response)
    assert Profile.objects.count() == 1


def test_display_names_are_stored_normalised(client):
    response = client.post(
        reverse("signup"), signup_data(display_name="  \uff2b\uff49\uff4d \t the\n  Historian ")
    )
    assert response.status_code == 302
    assert Profile.objects.get().display_name == "Kim the Historian"


def test_display_names_still_fit_once_normalised(client):
    # U+FDFA is one character that NFKC writes out as eighteen.
    response = client.post(reverse("signup"), signup_data(display_name="Anna " + "\ufdfa" * 3))
    assert response.status_code == 400
    assert DISPLAY_NAME_TOO_LONG in text(response)
    assert not Profile.objects.exists()


def test_display_names_in_other_scripts_are_welcome(client):
    response = client.post(reverse("signup"), signup_data(display_name="Анна Каренина"))
    assert response.status_code == 302
    assert Profile.objects.get().display_name == "Анна Каренина"
