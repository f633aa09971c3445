"""No input gives a 500: every URL pattern and every form, as a guest, a student, a teacher and
a superuser, with NUL bytes, huge numbers, bad codes, wrong types, oversized bodies, garbage
session cookies and admin action payloads. `make test` runs it on SQLite, `.ci/run` again on
PostgreSQL.

The routes come from the URL resolver and the forms from the pages themselves, so a new URL or
form is fuzzed without touching this file. The test client re-raises any exception a view lets
escape (what would be a 500), so a failure shows its traceback; `check` catches the rest.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from history.models import Person, Position
from quiz.cards.services import deck_add
from quiz.models import Attempt, QuestionSet
from quiz.services import attempt_start_from_set
from tests.classroom_factories import make_assignment, make_classroom, make_student
from tests.fuzz import HOSTILE, HUGE, Form, Route, forms_of, routes
from tests.quiz_factories import make_question_set, make_teacher

pytestmark = pytest.mark.django_db

ROLES = ("guest", "student", "teacher", "superuser")
ALL_ROUTES = routes()
# Guests and students get the admin's login redirect on every admin URL: once is enough.
APP_ROUTES = [r for r in ALL_ROUTES if not r.template.startswith("admin/")]
ADMIN_SAMPLE = [r for r in ALL_ROUTES if r.name in ("index", "login", "quiz_questionset_change")]
SWEEP_VALUES = (HUGE, "abc", "a" * 300)
FORM_SWEEP_VALUES = (HUGE, "\x00", "abc", "-1")
hostile_text = st.one_of(
    st.sampled_from(HOSTILE),
    st.integers(min_value=2**63).map(str),
    st.integers(max_value=-(2**63)).map(str),
    st.text(max_size=20),
)


class World:
    """One of everything a URL can name, and a logged-in client per role."""

    def __init__(self) -> None:
        self.position = Position.objects.get(slug="general-secretary-cpsu")
        teacher = make_teacher(username="fuzz-teacher")
        superuser = get_user_model().objects.create_superuser("fuzz-admin", password="x")
        self.question_set = make_question_set(
            owner=teacher, position=self.position, kinds={"successor": 2}, handwritten=2
        )
        classroom = make_classroom(teacher=teacher)
        student = make_student("fuzz-student", "Fuzz Student", classroom=classroom)
        make_assignment(classroom, self.question_set)
        attempt = attempt_start_from_set(
            user=student, question_set=QuestionSet.objects.for_taking().get()
        )
        deck_add(user=student, position=self.position)
        self.users = {"student": student, "teacher": teacher, "superuser": superuser}
        self.clients = {role: Client() for role in ROLES}
        for role, user in self.users.items():
            self.clients[role].force_login(user)
        self.clients["guest"].post(reverse("quiz-start"), {"length": 5, "difficulty": "easy"})
        guest_attempt = Attempt.objects.get(user=None)
        card = student.flashcards.first()
        self.valid = {
            "pk": [attempt.pk, self.question_set.pk, classroom.pk, card.pk, guest_attempt.pk],
            "number": [1, 2],
            "code": [self.question_set.share_code, classroom.join_code],
            "slug": [self.position.slug, Person.objects.first().slug],
            "student_id": [student.pk],
            "attempt_pk": [attempt.pk],
            "table": ["students", "questions"],
            "object_id": [self.question_set.pk, attempt.pk, 1],
            "app_label": ["quiz", "history", "auth"],
            "content_type_id": [1],
            "url": ["nowhere/"],
        }

    def valid_values(self, route: Route, pick: int = 0) -> dict[str, str]:
        return {
            name: str(self.valid.get(name, [1])[pick % len(self.valid.get(name, [1]))])
            for name in route.parameters
        }

    def routes_for(self, role: str) -> list[Route]:
        return ALL_ROUTES if role in ("teacher", "superuser") else APP_ROUTES + ADMIN_SAMPLE

    def send(self, role: str, method: str, url: str, data) -> None:
        """One request as the role, which stays logged in whatever it posted."""
        client = self.clients[role]
        response = client.post(url, data) if method == "post" else client.get(url, data)
        check(response, f"{method.upper()} {url!r} {data!r} as {role}")
        if role in self.users and "_auth_user_id" not in client.session:
            client.force_login(self.users[role])


@pytest.fixture
def world(seed_history) -> World:
    return World()


def check(response, what: str) -> None:
    assert response.status_code < 500, f"{what} gave {response.status_code}"


@pytest.mark.parametrize("role", ROLES)
def test_every_route_with_valid_and_hostile_values(world, role):
    """Every pattern with valid values, then each of its parameters hostile in turn."""
    for route in world.routes_for(role):
        url = route.fill(world.valid_values(route))
        world.send(role, "get", url, {"page": HUGE, "sample": "abc", "o": "abc", "p": HUGE})
        world.send(role, "post", url, {"x": "\x00", "pk": HUGE, "choice": "abc"})
        for name in route.parameters:
            for value in SWEEP_VALUES:
                world.send(role, "get", route.fill({**world.valid_values(route), name: value}), {})
            world.send(role, "post", route.fill({**world.valid_values(route), name: "\x00"}), {})


def collect_forms(world: World, role: str) -> list[Form]:
    """The forms of every page the role can open, each (action, fields) once."""
    found: dict[tuple, Form] = {}
    client = world.clients[role]
    for route in world.routes_for(role):
        url = route.fill(world.valid_values(route))
        response = client.get(url)
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            for form in forms_of(response.content.decode(), url):
                found.setdefault((form.action, tuple(sorted(form.fields))), form)
    return list(found.values())


@pytest.mark.parametrize("role", ROLES)
def test_every_form_posted_back_with_hostile_fields(world, role):
    """Every form with all its fields set to each of a few hostile values; then Hypothesis picks
    forms and fills their fields, some as shown, some hostile (now and then repeated, or with a
    field the form does not have)."""
    forms = collect_forms(world, role)
    assert len(forms) >= {"guest": 4, "student": 8, "teacher": 15, "superuser": 40}[role]
    for form in forms:
        for value in FORM_SWEEP_VALUES:
            world.send(role, form.method, form.action, dict.fromkeys(form.fields, value))

    @hypothesis_settings(
        max_examples=40 if role in ("teacher", "superuser") else 25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(st.data())
    def post_a_form(data):
        form = data.draw(st.sampled_from(forms), label="form")
        fields: dict[str, list[str]] = {}
        for name, shown in form.fields.items():
            # Never "post=yes": a confirmed delete would take the world away from later examples.
            kept = name != "post" and data.draw(st.booleans(), label=f"keep {name}")
            if kept and shown:
                fields[name] = shown
            else:
                fields[name] = data.draw(st.lists(hostile_text, min_size=1, max_size=2), label=name)
        if data.draw(st.booleans(), label="extra field"):
            fields[data.draw(st.sampled_from(["pk", "id", "_selected_action", "index"]))] = [HUGE]
        world.send(role, form.method, form.action, fields)

    post_a_form()


# Session keys shorter than 8 characters are dropped unread: these are long enough to be looked up.
GARBAGE_COOKIES = ["\x00" * 32, "abcdefgh\x00ijklmnop", "x" * 4000, "../../etc/passwd", "ÿ" * 9, ""]


def test_garbage_cookies_on_any_page(world):
    pages = [reverse("home"), reverse("quiz-start"), reverse("study"), "/admin/", "/attempts/1/"]
    for cookie in ("sessionid", "csrftoken", "messages"):
        for value in GARBAGE_COOKIES:
            client = Client()
            client.cookies[cookie] = value
            for url in pages:
                check(client.get(url), f"GET {url} with {cookie}={value[:20]!r}")
            check(client.post(pages[1], {"x": "1"}), f"POST with {cookie}={value[:20]!r}")


def test_oversized_and_overfull_bodies(world):
    urls = [
        reverse("signup"),
        reverse("quiz-start"),
        reverse("topic-import"),
        reverse("admin:quiz_questionset_change", args=[world.question_set.pk]),
    ]
    too_many = {f"f{n}": "1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    bodies = [
        ("application/x-www-form-urlencoded", b"a=" + b"x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE),
        ("application/x-www-form-urlencoded", b"a=" + b"x" * settings.REQUEST_MAX_BYTES),
        ("application/json", b'{"a": ' * 10_000 + b"1" + b"}" * 10_000),
        ("text/plain", b"\x00\xff" * 1000),
        ("multipart/form-data; boundary=nope", b"--nope\r\n\r\n--"),
    ]
    for role in ("guest", "teacher"):
        client = world.clients[role]
        for url in urls:
            check(client.post(url, too_many), f"{len(too_many)} fields to {url}")
            for content_type, body in bodies:
                check(
                    client.post(url, body, content_type=content_type),
                    f"{len(body)} bytes of {content_type} to {url}",
                )


BAD_SELECTIONS = [["abc"], [HUGE], ["\x00"], ["1", "1.5"], [""], ["-1"]]


def test_admin_actions_with_unreadable_selections(world):
    """Every change list's every action, with a selection that holds no ids; and a real id
    with a garbage action index."""
    from django.contrib import admin

    client = world.clients["superuser"]
    for model, model_admin in admin.site._registry.items():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        actions = [a if isinstance(a, str) else a.__name__ for a in model_admin.actions or []]
        for action in ["delete_selected", *actions]:
            for selection in BAD_SELECTIONS:
                data = {"action": action, "index": "0", "_selected_action": selection}
                check(client.post(url, data), f"{action} on {selection!r} at {url}")
            for index in ("7", "abc", HUGE):
                data = {"action": action, "index": index, "_selected_action": [HUGE, "1"]}
                check(client.post(url, data), f"{action} at index {index!r} at {url}")
    url = reverse("admin:quiz_questionset_changelist")
    for selection in BAD_SELECTIONS:
        data = {"action": "export_csv", "index": "0", "_selected_action": selection}
        check(world.clients["teacher"].post(url, data), f"a teacher's export of {selection!r}")
