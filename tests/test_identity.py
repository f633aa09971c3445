"""Names unique in any case on SQLite and PostgreSQL alike, and look-alike display names refused."""

import html
import importlib

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse
from django.utils.html import strip_tags

from quiz.accounts import profile_create, user_signup
from quiz.forms import DISPLAY_NAME_MIXED_SCRIPTS, DISPLAY_NAME_TAKEN, USERNAME_TAKEN
from quiz.identity import display_name_mixes_scripts, name_key
from quiz.models import Profile, UsernameKey
from quiz.views import SIGNUP_TAKEN
from tests.quiz_factories import make_user
from tests.test_quiz_races import THREADS, run_together

PASSWORD = "correct-horse-battery-42"


def text(response) -> str:
    return " ".join(html.unescape(strip_tags(response.content.decode())).split())


def signup_data(**overrides):
    return {
        "username": "anna",
        "display_name": "Anna K",
        "password1": PASSWORD,
        "password2": PASSWORD,
    } | overrides


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("ÄRGER", "ärger"),
        ("STRASSE", "straße"),
        ("ﬁx", "FIX"),
        ("\uff2b\uff49\uff4d", "kim"),  # full-width
        ("ΣΊΣΥΦΟΣ", "σίσυφος"),
    ],
)
def test_names_that_read_the_same_share_a_key(first, second):
    assert name_key(first) == name_key(second)


def test_different_names_keep_different_keys():
    assert name_key("Anna") != name_key("Anne")
    assert name_key("Ärger") != name_key("Arger")


@pytest.mark.parametrize(
    "name",
    [
        "D\u0435mo Teacher",  # a Cyrillic ie among Latin letters
        "\u0410nna",  # a Cyrillic A
        "\u0391nna",  # a Greek Alpha
        "Anna \u0531",  # an Armenian letter
    ],
)
def test_look_alikes_that_mix_alphabets_are_refused(name):
    assert display_name_mixes_scripts(name)


@pytest.mark.parametrize(
    "name",
    [
        "Demo Teacher",
        "Zoë O'Brien-Smith 2",
        "Анна Каренина",
        "Ελένη",
        "山田はなこ",  # Han and Hiragana, as Japanese is written
        "Ma Tianyu 马天宇",  # Latin and Han
        "김민준 Kim",  # Hangul and Latin
        "José",
    ],
)
def test_names_in_one_alphabet_or_a_usual_mix_are_welcome(name):
    assert not display_name_mixes_scripts(name)


@pytest.mark.django_db
def test_a_mixed_script_display_name_gets_a_clear_message(client):
    response = client.post(reverse("signup"), signup_data(display_name="D\u0435mo Teacher"))
    assert response.status_code == 400
    assert DISPLAY_NAME_MIXED_SCRIPTS in text(response)
    assert not get_user_model().objects.exists()


@pytest.mark.django_db
def test_display_names_clash_beyond_ascii_on_every_database(client):
    user_signup(username="first", password=PASSWORD, display_name="ÄRGER")
    response = client.post(reverse("signup"), signup_data(display_name="ärger"))
    assert response.status_code == 400
    assert DISPLAY_NAME_TAKEN in text(response)
    with pytest.raises(IntegrityError):
        profile_create(user=make_user(), display_name="Ärger")


@pytest.mark.django_db
def test_usernames_clash_beyond_ascii_on_every_database(client):
    user_signup(username="ÄRGER", password=PASSWORD, display_name="First")
    response = client.post(reverse("signup"), signup_data(username="ärger"))
    assert response.status_code == 400
    assert USERNAME_TAKEN in text(response)
    with pytest.raises(IntegrityError):
        user_signup(username="Ärger", password=PASSWORD, display_name="Second")
    # The failed signup left nothing behind: no user without a key, no profile.
    assert get_user_model().objects.count() == 1
    assert Profile.objects.count() == UsernameKey.objects.count() == 1


@pytest.mark.django_db
def test_an_account_made_in_the_admin_still_blocks_its_name_in_any_case(client):
    make_user(username="Teacher")  # no key row, as createsuperuser or the admin makes them
    response = client.post(reverse("signup"), signup_data(username="teacher"))
    assert response.status_code == 400
    assert USERNAME_TAKEN in text(response)


def post_signups(variants, field):
    """Sign up from THREADS threads at once, each with its own variant in the given field."""

    def task(indexed, barrier):
        index, variant = indexed
        data = signup_data(username=f"racer{index}", display_name=f"Racer {index}")
        data[field] = variant
        client = Client()
        barrier.wait()
        response = client.post(reverse("signup"), data)
        return response.status_code, text(response)

    return run_together(task, list(enumerate(variants)))


def twenty_variants(word: str) -> list[str]:
    """Twenty spellings of one word that differ only in case."""
    variants = set()
    for mask in range(2 ** len(word)):
        variants.add("".join(c.upper() if mask >> i & 1 else c for i, c in enumerate(word)))
        if len(variants) == THREADS:
            break
    return sorted(variants)


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_case_variant_signups_leave_one_account():
    results = post_signups(twenty_variants("racers"), "username")

    statuses = sorted(status for status, _ in results)
    assert statuses == [302] + [400] * (THREADS - 1)
    for status, page in results:
        if status == 400:
            assert USERNAME_TAKEN in page or SIGNUP_TAKEN in page, page
    assert get_user_model().objects.filter(username__iexact="racers").count() == 1
    assert UsernameKey.objects.filter(key="racers").count() == 1
    assert Profile.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_case_variant_display_names_leave_one_profile():
    results = post_signups(twenty_variants("ärger"), "display_name")

    statuses = sorted(status for status, _ in results)
    assert statuses == [302] + [400] * (THREADS - 1)
    for status, page in results:
        if status == 400:
            assert DISPLAY_NAME_TAKEN in page or SIGNUP_TAKEN in page, page
    assert Profile.objects.filter(display_name_key="ärger").count() == 1
    assert get_user_model().objects.count() == 1


@pytest.mark.django_db
def test_the_admin_checks_a_renamed_profile_as_signup_does(client):
    client.force_login(make_user(username="root", is_staff=True, is_superuser=True))
    user_signup(username="other", password=PASSWORD, display_name="Ärger")
    kim = user_signup(username="kim", password=PASSWORD, display_name="Kim")
    url = reverse("admin:quiz_profile_change", args=[kim.profile.pk])

    for name, message in (("ÄRGER", DISPLAY_NAME_TAKEN), ("K\u0456m", DISPLAY_NAME_MIXED_SCRIPTS)):
        response = client.post(url, {"user": kim.pk, "display_name": name})
        assert response.status_code == 400  # an admin form with errors, as the site's forms
        assert message in text(response)

    response = client.post(url, {"user": kim.pk, "display_name": "KIM the Historian"})
    assert response.status_code == 302
    kim.profile.refresh_from_db()
    assert kim.profile.display_name_key == "kim the historian"
    # Its own name in another case is no clash.
    response = client.post(url, {"user": kim.pk, "display_name": "Kim The Historian"})
    assert response.status_code == 302


@pytest.mark.django_db
def test_the_migration_gives_existing_rows_their_keys():
    migration = importlib.import_module("quiz.migrations.0008_identity_keys")
    first, second, third = (make_user(username=name) for name in ("Anna", "anna", "Bob"))
    Profile.objects.create(user=first, display_name="ÄRGER", display_name_key="placeholder-1")
    Profile.objects.create(user=second, display_name="ärger", display_name_key="placeholder-2")

    migration.fill_keys(apps, None)

    assert list(Profile.objects.order_by("pk").values_list("display_name", "display_name_key")) == [
        ("ÄRGER", "ärger"),
        ("ärger 2", "ärger 2"),
    ]
    assert dict(UsernameKey.objects.values_list("key", "user")) == {
        "anna": first.pk,
        "bob": third.pk,
    }
