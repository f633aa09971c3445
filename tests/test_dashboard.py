"""The home page's dashboard: each registered panel for a signed-in user, none for guests."""

import pytest
from django.urls import reverse

from quiz import dashboard
from tests.quiz_factories import make_user

pytestmark = pytest.mark.django_db


def greeting(request):
    return dashboard.Panel("quiz/_dashboard_test_panel.html", {"name": request.user.username})


def nothing(request):
    return None


@pytest.fixture
def panels(monkeypatch, settings, tmp_path):
    (tmp_path / "quiz").mkdir()
    (tmp_path / "quiz" / "_dashboard_test_panel.html").write_text(
        '<section class="panel">Hello {{ name }}</section>'
    )
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [tmp_path, *engine["DIRS"]]}]
    monkeypatch.setattr(dashboard, "PANELS", (greeting, nothing))


def test_a_signed_in_user_sees_each_panel_with_something_to_show(client, panels):
    client.force_login(make_user(username="kim"))
    page = client.get(reverse("home")).content.decode()
    assert page.count('<section class="panel">') == 1
    assert '<div class="dashboard"><section class="panel">Hello kim</section></div>' in page


def test_guests_get_no_dashboard(client, panels):
    page = client.get(reverse("home")).content.decode()
    assert 'class="dashboard"' not in page and "Hello" not in page
