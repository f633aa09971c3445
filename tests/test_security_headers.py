"""Every response carries the app's Content-Security-Policy and Permissions-Policy."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

EXPECTED_DIRECTIVES = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
}


@pytest.mark.parametrize(
    "path", [reverse("home"), reverse("login"), "/admin/login/", "/no-such-page/"]
)
def test_every_page_sends_the_strict_policy(client, path):
    response = client.get(path)
    directives = {part.strip() for part in response["Content-Security-Policy"].split(";")}
    assert directives >= EXPECTED_DIRECTIVES
    assert not any("unsafe" in directive for directive in directives)
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
