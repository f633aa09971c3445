"""HEAD answers like GET without the body on every page that reads only (monitors, link checkers
and curl -I ask so), and a page that only takes posts still refuses it."""

import pytest
from django.urls import reverse

from history.models import Person
from tests.quiz_factories import make_question_set, make_teacher, make_user

pytestmark = pytest.mark.django_db


def pages(question_set, person) -> list[str]:
    code = question_set.share_code
    return [
        reverse("home"),
        reverse("quiz-start"),
        reverse("leaderboard"),
        reverse("position-detail", args=[question_set.position.slug]),
        reverse("person-detail", args=[person.slug]),
        reverse("question-set", args=[code]),
        reverse("question-set-leaderboard", args=[code]),
        reverse("progress"),
        reverse("study"),
        reverse("study-decks"),
        reverse("study-settings"),
        reverse("my-classes"),
        reverse("teaching"),
        reverse("signup"),  # signed in, it sends the reader home (302)
    ]


def test_head_on_the_main_pages_answers_as_get_with_no_body(client, seed_history):
    from history.models import Position

    teacher = make_teacher(username="ms-ada")
    position = Position.objects.get(slug="general-secretary-cpsu")
    question_set = make_question_set(owner=teacher, position=position, kinds={"successor": 2})
    client.force_login(teacher)
    for url in pages(question_set, Person.objects.order_by("pk").first()):
        got = client.get(url)
        head = client.head(url)
        assert head.status_code == got.status_code, url
        assert got.status_code in (200, 302), url
        assert head.content == b"", url
        assert got.status_code == 302 or got.content, url


def test_head_is_refused_where_only_posts_are_taken(client):
    client.force_login(make_user(username="sam"))
    response = client.head(reverse("question-set-start", args=["ABCDEF"]))
    assert response.status_code == 405 and "POST" in response["Allow"]
