"""Real app servers: gunicorn's sync workers against the test database, over HTTP on loopback.

- Persistent connections are safe with sync workers (SQLite as well as PostgreSQL): students
  answering at once through two workers get every answer stored and the totals in step, and
  each worker keeps one connection open between requests.
- Several app servers share one PostgreSQL with nothing local (sessions are signed cookies): a
  player who finishes a quiz on one server sees their rank on another.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.db import connection

from quiz.leaderboard.rebuild import differences
from quiz.models import Answer
from tests.quiz_factories import finished_attempt, make_attempt, make_user

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parent.parent
CSRF = "TestCsrfSecretTestCsrfSecret1234"  # 32 characters, as Django's secrets are


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{name}"
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


@contextlib.contextmanager
def gunicorn(workers: int = 2):
    """A gunicorn of sync workers on a free port, serving this test's committed data."""
    port = _free_port()
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi",
            f"--workers={workers}",
            "--worker-class=sync",
            f"--bind=127.0.0.1:{port}",
        ],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": _database_url(), "DJANGO_DEBUG": "1"},
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"{base}/leaderboard/", timeout=10).close()
                break
            except OSError:
                if process.poll() is not None:
                    pytest.fail(f"gunicorn stopped: {process.stderr.read()}")
                time.sleep(0.1)
        yield base, process
    finally:
        process.terminate()
        process.wait(timeout=30)


def signed_in(user) -> str:
    """The Cookie header of a browser signed in as the user (a signed-cookie session)."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}; csrftoken={CSRF}"


def fetch(url: str, cookie: str, data: dict | None = None) -> tuple[int, str]:
    request = urllib.request.Request(
        url,
        data=urllib.parse.urlencode(data).encode() if data is not None else None,
        headers={"Cookie": cookie, "X-CSRFToken": CSRF, "HX-Request": "true"},
    )
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def answer_all(base: str, cookie: str, attempt) -> list[int]:
    statuses = []
    for question in attempt.questions.order_by("order"):
        status, _ = fetch(
            f"{base}/attempts/{attempt.pk}/questions/{question.number}/answer/",
            cookie,
            {"choice": question.correct_choice},
        )
        statuses.append(status)
    return statuses


def test_students_answering_at_once_through_two_sync_workers_lose_nothing():
    students = [make_user() for _ in range(4)]
    attempts = [make_attempt(user=student, count=5) for student in students]
    results: dict[int, list[int]] = {}

    with gunicorn(workers=2) as (base, process):

        def student(n: int) -> None:
            results[n] = answer_all(base, signed_in(students[n]), attempts[n])

        threads = [threading.Thread(target=student, args=(n,)) for n in range(len(students))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        workers = _children(process.pid)
        if connection.vendor == "sqlite":
            # A worker that served keeps its one connection to the database file (not one per
            # request, nor closed); the kernel may hand every request to the same worker.
            database = os.path.realpath(connection.settings_dict["NAME"])
            held = [_open_files(pid).count(database) for pid in workers]
            assert max(held) == 1 and set(held) <= {0, 1}, held

    assert all(status == 200 for statuses in results.values() for status in statuses), results
    assert Answer.objects.filter(question__attempt__in=attempts).count() == 20
    for attempt in attempts:
        attempt.refresh_from_db()
        assert attempt.is_finished and attempt.score == 10
    assert differences() == []


def _children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _open_files(pid: int) -> list[str]:
    files = []
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            files.append(os.path.realpath(fd))
    return files


def test_a_rank_earned_on_one_app_server_shows_on_another():
    if connection.vendor != "postgresql":
        pytest.skip("Several app servers share PostgreSQL: this runs in the PostgreSQL pass.")
    for score in (30, 10, 1):
        finished_attempt(user=make_user(), score=score)
    player = make_user(username="traveller")
    attempt = make_attempt(user=player, count=10)  # all right: 20 points, between 30 and 10
    cookie = signed_in(player)

    with gunicorn(workers=1) as (one, _), gunicorn(workers=1) as (other, _):
        assert answer_all(one, cookie, attempt) == [200] * 10
        status, page = fetch(f"{other}/leaderboard/", cookie)

    assert status == 200
    assert 'class="is-viewer"' in page
    row = page.split('class="is-viewer"', 1)[1]
    assert '<td class="number">2</td>' in row.split("</tr>")[0]
    assert "traveller" in row.split("</tr>")[0]
