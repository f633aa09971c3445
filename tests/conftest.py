import pytest
from django.core.management import call_command


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def seed_history(db):
    """The seed position, loaded from fixtures/ through the load_history command."""
    call_command("load_history", verbosity=0)
