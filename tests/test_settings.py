"""Settings come from the environment, with safe development defaults and a clean deploy check."""

import secrets
import subprocess
import sys

import pytest
from django.db import connection


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        capture_output=True,
        text=True,
        env={"PATH": "", **env},
        check=False,
    )


PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "quiz.example.org,www.quiz.example.org",
}


def test_deploy_check_passes_with_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_fails_with_development_defaults():
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0


def test_secret_key_is_required_when_debug_is_off():
    env = {key: value for key, value in PRODUCTION.items() if key != "DJANGO_SECRET_KEY"}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_a_busy_timeout():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite-only setting; this run uses PostgreSQL (CI also runs on SQLite).")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 20000
        cursor.execute("PRAGMA mmap_size")
        assert cursor.fetchone()[0] == 256 * 2**20
        cursor.execute("PRAGMA cache_size")
        assert cursor.fetchone()[0] == -32000
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def proxy_ssl_header(**env: str) -> str:
    code = "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)"
    result = manage("shell", "-c", code, **PRODUCTION, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_x_forwarded_proto_is_trusted_only_behind_a_proxy():
    assert proxy_ssl_header() == "None"
    assert proxy_ssl_header(DJANGO_BEHIND_PROXY="1") == "('HTTP_X_FORWARDED_PROTO', 'https')"


def test_a_proxy_count_that_is_not_a_number_is_refused():
    result = manage("check", **PRODUCTION, DJANGO_BEHIND_PROXY="yes")
    assert result.returncode != 0
    assert "DJANGO_BEHIND_PROXY must be the number" in result.stderr


def test_sessions_are_signed_cookies_and_templates_are_cached():
    from django.conf import settings
    from django.template import engines
    from django.template.loaders.cached import Loader as CachedLoader

    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.signed_cookies"
    loaders = engines["django"].engine.template_loaders
    chain = [loaders[0], *getattr(loaders[0], "loaders", [])]
    assert any(isinstance(loader, CachedLoader) for loader in chain)


def test_database_connections_persist_on_sqlite_too():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['default']['CONN_MAX_AGE'])",
        DATABASE_URL="sqlite:////tmp/histquiz-settings-check.sqlite3",
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.split()[-1]) >= 60


def test_the_benchmark_baseline_page_is_off_unless_asked_for(client):
    assert client.get("/bench/baseline/").status_code == 404
    result = manage(
        "shell",
        "-c",
        "from django.urls import resolve; print(resolve('/bench/baseline/').func.__name__)",
        HISTQUIZ_BENCH_BASELINE="1",
    )
    assert result.stdout.split()[-1] == "baseline", result.stderr
