"""The admin's "view on site" redirect reveals nothing the viewer may not see in the admin."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from quiz.models import QuestionSet
from tests.quiz_factories import make_question_set, make_teacher, make_user

pytestmark = pytest.mark.django_db


def view_on_site(question_set, object_id=None) -> str:
    content_type = ContentType.objects.get_for_model(QuestionSet)
    return reverse("admin:view_on_site", args=[content_type.pk, object_id or question_set.pk])


@pytest.fixture
def others_draft():
    return make_question_set(owner=make_teacher(username="other"), is_published=False)


def test_a_teacher_is_not_sent_to_another_teachers_unpublished_set(client, others_draft):
    client.force_login(make_teacher(username="me"))
    response = client.get(view_on_site(others_draft))
    assert response.status_code == 404
    assert others_draft.share_code not in response.content.decode()
    assert "Location" not in response


def test_a_teacher_is_sent_to_their_own_set(client):
    me = make_teacher(username="me")
    mine = make_question_set(owner=me, is_published=False)
    client.force_login(me)
    response = client.get(view_on_site(mine))
    assert response.status_code == 302
    assert response["Location"].endswith(mine.get_absolute_url())


def test_a_superuser_may_view_any_set_on_site(client, others_draft):
    client.force_login(make_user(username="root", is_staff=True, is_superuser=True))
    response = client.get(view_on_site(others_draft))
    assert response.status_code == 302
    assert response["Location"].endswith(others_draft.get_absolute_url())


@pytest.mark.parametrize("object_id", ["not-a-number", "99999999999999999999999"])
def test_a_bad_object_id_is_a_404(client, others_draft, object_id):
    client.force_login(make_user(username="root", is_staff=True, is_superuser=True))
    assert client.get(view_on_site(others_draft, object_id)).status_code == 404


def test_an_unknown_type_or_a_model_outside_the_admin_is_a_404(client):
    client.force_login(make_user(username="root", is_staff=True, is_superuser=True))
    assert client.get(reverse("admin:view_on_site", args=[999_999, 1])).status_code == 404
    session_type = ContentType.objects.get(app_label="sessions", model="session")
    assert client.get(reverse("admin:view_on_site", args=[session_type.pk, 1])).status_code == 404


def test_guests_are_sent_to_the_admin_login(client, others_draft):
    response = client.get(view_on_site(others_draft))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
