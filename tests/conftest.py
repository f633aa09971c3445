import asyncio
import os
from pathlib import Path

import pytest
from django.apps import apps
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.management import call_command
from django.db import connections, transaction
from django.db.models import Model
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


@pytest.fixture(scope="session")
def _seed_rows(django_db_setup, django_db_blocker) -> list[tuple[type[Model], list[dict]]]:
    """Every row the load_history command writes for fixtures/, loaded (and so validated) once
    per session in a transaction that is then rolled back."""
    models = apps.get_models(include_auto_created=True)
    with django_db_blocker.unblock(), transaction.atomic():
        before = {model: model._base_manager.count() for model in models}
        call_command("load_history", verbosity=0)
        written = [model for model in models if model._base_manager.count() != before[model]]
        assert not [model for model in written if before[model]], "load_history changed old rows"
        rows = [
            (model, list(model._base_manager.values(*concrete_attnames(model))))
            for model in written
        ]
        transaction.set_rollback(True)
    return rows


def concrete_attnames(model: type[Model]) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


@pytest.fixture
def seed_history(db, _seed_rows):
    """The seed position from fixtures/, as the load_history command writes it: its rows, loaded
    once per session, inserted again in a few statements (the command takes ~0.3 s a test)."""
    if any(model._base_manager.exists() for model, _ in _seed_rows):
        # The test made history rows of its own: the command matches them by natural key.
        call_command("load_history", verbosity=0)
        return
    with transaction.atomic():
        for model, rows in _seed_rows:
            model._base_manager.bulk_create(model(**row) for row in rows)


# Debian's chromium-headless-shell (what Playwright itself runs headless) takes about a third of
# the CPU of the full browser, which serves where it is the only one installed.
HEADLESS_SHELL = Path("/usr/bin/chromium-headless-shell")
CHROMIUM = Path(
    os.environ.get("CHROMIUM")
    or (HEADLESS_SHELL if HEADLESS_SHELL.exists() else "/usr/bin/chromium")
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Runs in every document before its own scripts (Playwright injects it past the page's CSP) and
# reports each violation of the app's Content-Security-Policy, whatever the console says.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(
    `${document.location.pathname}: ${event.effectiveDirective} refused `
    + `${event.blockedURI || "inline"} (${event.sourceFile}:${event.lineNumber})`
  );
});
"""


class WatchedChromium:
    """Chromium pages that record script errors and Content-Security-Policy violations."""

    def __init__(self, browser) -> None:
        self.browser = browser
        self.pages = []

    def new_page(self, *, width: int = 1280, height: int = 900, **options):
        """A page in a fresh context (`options` go to new_context: is_mobile, has_touch,
        java_script_enabled...); page.problems collects console errors and script errors,
        page.csp_violations each violation of the policy the app sent."""
        context = self.browser.new_context(viewport={"width": width, "height": height}, **options)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.problems = []
        page.csp_violations = []

        def on_console(message) -> None:
            if message.type != "error":
                return
            page.problems.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text:
                page.csp_violations.append(f"{page.url}: {message.text}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: page.problems.append(f"{page.url}: {error}"))
        page.expose_function("reportCspViolation", lambda text: page.csp_violations.append(text))
        page.add_init_script(CSP_LISTENER)
        self.pages.append(page)
        return page

    def csp_violations(self) -> list[str]:
        return [violation for page in self.pages for violation in page.csp_violations]


@pytest.fixture(scope="session")
def _chromium_session():
    """One headless Chromium through Playwright for the whole session, and Playwright's loop."""
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}.")
    from playwright.sync_api import expect, sync_playwright

    # CI shares two cores with the server and the browser: wait as long as pages may.
    expect.set_options(timeout=15_000)
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    loop = asyncio.get_running_loop()
    # Between its calls Playwright leaves its loop marked as running in this thread, and Django
    # then keeps database connections per async context. Mark it only while a browser test
    # runs, so that the tests between see this thread as they would without a browser.
    asyncio._set_running_loop(None)
    yield browser, loop
    asyncio._set_running_loop(loop)
    browser.close()
    playwright.stop()


@pytest.fixture
def chromium(_chromium_session):
    """The session's headless Chromium. Pages come from chromium.new_page(), each in a context
    of its own (closed after the test) and served with the app's own Content-Security-Policy;
    the test fails on any violation of it on any page it visited."""
    browser, loop = _chromium_session
    asyncio._set_running_loop(loop)
    watched = WatchedChromium(browser)
    try:
        yield watched
        violations = watched.csp_violations()
        for page in watched.pages:
            page.context.close()
    finally:
        # While Playwright's loop is marked as running, Django keeps database connections per
        # async context, so the test and its teardown opened one of their own. Close it, or
        # PostgreSQL refuses to drop the test database ("being accessed by other users").
        connections.close_all()
        asyncio._set_running_loop(None)
    assert violations == [], violations


def set_session(client, **values) -> None:
    """Put values into the test client's session. Sessions are signed cookies, so the client's
    cookie must carry the saved session, which Django's `client.session` does not do."""
    from django.conf import settings

    session = client.session
    session.update(values)
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
