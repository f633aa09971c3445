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

    def new_page(self, *, width: int = 1280, height: int = 900):
        """A page in a fresh context; page.problems collects console errors and script errors,
        page.csp_violations each violation of the policy the app sent."""
        context = self.browser.new_context(viewport={"width": width, "height": height})
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


@pytest.fixture
def chromium():
    """A headless Chromium through Playwright. Pages come from chromium.new_page(), each
    served with the app's own Content-Security-Policy, and the test fails on any violation of
    it on any page it visited."""
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}.")
    from playwright.sync_api import expect, sync_playwright

    # CI shares two cores with the server and the browser: wait as long as pages may.
    expect.set_options(timeout=15_000)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        watched = WatchedChromium(browser)
        yield watched
        violations = watched.csp_violations()
        browser.close()
        # While Playwright's event loop runs in this thread, Django keeps database connections
        # per async context, so the test and its teardown opened one of their own. Close it, or
        # PostgreSQL refuses to drop the test database ("being accessed by other users").
        connections.close_all()
        assert violations == [], violations
