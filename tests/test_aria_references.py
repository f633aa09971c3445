"""Every id a page's aria-describedby, aria-labelledby or label points to exists on that page, on
the class, assignment and import pages and the pages around them, with and without errors."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.classroom_factories import make_assignment, make_classroom, make_student
from tests.quiz_factories import make_question_set, make_teacher

pytestmark = pytest.mark.django_db

REFERENCES = ("aria-describedby", "aria-labelledby", "aria-controls")


class References(HTMLParser):
    """The ids a page defines, and every id its attributes point to."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.pointers: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        for name in REFERENCES:
            for target in (attributes.get(name) or "").split():
                self.pointers.append((tag, name, target))
        if tag == "label" and attributes.get("for"):
            self.pointers.append((tag, "for", attributes["for"]))


def dangling(response) -> list[tuple[str, str, str]]:
    parser = References()
    parser.feed(response.content.decode())
    return [pointer for pointer in parser.pointers if pointer[2] not in parser.ids]


@pytest.fixture
def teacher(client):
    teacher = make_teacher(username="ms-ada")
    client.force_login(teacher)
    return teacher


@pytest.fixture
def classroom(teacher):
    classroom = make_classroom(teacher=teacher)
    make_student("kim", classroom=classroom)
    question_set = make_question_set(owner=teacher, handwritten=2, title="Who came next?")
    make_assignment(classroom, question_set)
    return classroom


def test_the_teachers_pages_point_only_at_ids_they_have(client, classroom):
    question_set = classroom.assignments.get().question_set
    assignment = classroom.assignments.get()
    pages = {
        "teaching": client.get(reverse("teaching")),
        "class without a name": client.post(reverse("classroom-create"), {"name": ""}),
        "class": client.get(classroom.get_absolute_url()),
        "assignment refused": client.post(
            reverse("assignment-create", args=[classroom.pk]),
            {"question_set": "", "due_on": "1999-01-01", "due_time": "nonsense"},
        ),
        "assignment dates": client.get(reverse("assignment-edit", args=[assignment.pk])),
        "assignment dates refused": client.post(
            reverse("assignment-edit", args=[assignment.pk]), {"due_on": "1999-01-01"}
        ),
        "question import": client.get(reverse("question-import", args=[question_set.pk])),
        "question import refused": client.post(
            reverse("question-import", args=[question_set.pk]), {"file_format": "gift"}
        ),
        "topic import": client.get(reverse("topic-import")),
        "topic import refused": client.post(reverse("topic-import"), {"name": ""}),
    }
    assert {name: dangling(response) for name, response in pages.items()} == {
        name: [] for name in pages
    }
    assert pages["class without a name"].status_code == 400
    assert pages["assignment refused"].status_code == 400
    # The hints and errors are tied to their fields, not merely absent.
    page = pages["class without a name"].content.decode()
    assert 'aria-describedby="id_name_helptext id_name_error"' in page


def test_the_students_pages_point_only_at_ids_they_have(client, classroom):
    kim = classroom.memberships.get().student
    client.force_login(kim)
    pages = {
        "home": client.get(reverse("home")),
        "classes": client.get(reverse("my-classes")),
        "wrong code": client.post(reverse("classroom-join"), {"code": "NOPE99"}),
        "join link": client.get(classroom.get_join_url()),
        "quick quiz": client.get(reverse("quiz-start")),
        "study settings": client.get(reverse("study-settings")),
        "study settings refused": client.post(
            reverse("study-settings"), {"desired_retention": "2"}
        ),
    }
    assert {name: dangling(response) for name, response in pages.items()} == {
        name: [] for name in pages
    }
    assert pages["wrong code"].status_code == 400
