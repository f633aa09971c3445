import os
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.management import call_command
from django.db import connections
from hypothesis import settings as hypothesis_settings

# The same examples on every run, and none saved between runs: a clean clone's `make test` is
# never turned red by chance, nor by a failure an earlier run stored in .hypothesis/. A found
# counterexample becomes an explicit @example and a fix. `HYPOTHESIS_PROFILE=explore` searches
# afresh (random, more examples) for a developer hunting bugs; CI never uses it.
hypothesis_settings.register_profile("ci", database=None, derandomize=True, print_blob=True)
hypothesis_settings.register_profile("explore", database=None, max_examples=1000, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty local cache (signup counts live there)."""
    if isinstance(caches["default"], LocMemCache):
        caches["default"].clear()


@pytest.fixture
def seed_history(db):
    """The seed position, loaded from fixtures/ through the load_history command."""
    call_command("load_history", verbosity=0)


CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# What production should send: no inline script or style, no eval, nothing from elsewhere.
STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def chromium():
    """A headless Chromium through Playwright, for tests that open several browser contexts."""
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}.")
    from playwright.sync_api import expect, sync_playwright

    # CI shares two cores with the server and the browser: wait as long as pages may.
    expect.set_options(timeout=15_000)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
        # While Playwright's event loop runs in this thread, Django keeps database connections
        # per async context, so the test and its teardown opened one of their own. Close it, or
        # PostgreSQL refuses to drop the test database ("being accessed by other users").
        connections.close_all()
