"""Settings for the history quiz, read from environment variables with safe development defaults."""

import datetime as dt
import os
import tempfile
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no environment variable."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    """Read a comma-separated environment variable."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

# How many reverse proxies of ours stand in front of the app (0: clients connect directly). Only
# then are X-Forwarded-For (for the client's address) and X-Forwarded-Proto (for HTTPS) read:
# without a proxy that sets them, any client could.
try:
    TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_BEHIND_PROXY") or "0")
except ValueError:
    raise ImproperlyConfigured(
        "DJANGO_BEHIND_PROXY must be the number of trusted proxies in front of the app (0, 1, ...)."
    ) from None

INSTALLED_APPS = [
    "config.apps.AdminConfig",
    "config.apps.ProjectConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "csp",
    "django_htmx",
    "template_partials",
    "js_lib_htmx",
    "history",
    "quiz",
    "quiz.cards",
    "quiz.classroom",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions: a NUL byte in a cookie or the address must not reach the database.
    "config.guards.RequestGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so that it turns a login axes refused into the page saying when to try again.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            # Templates are parsed once per process (the cached loader; with debug on, edits still
            # reload them), inside the partials loader that serves "template.html#fragment".
            "loaders": [
                (
                    "template_partials.loader.Loader",
                    [
                        (
                            "django.template.loaders.cached.Loader",
                            [
                                "django.template.loaders.filesystem.Loader",
                                "django.template.loaders.app_directories.Loader",
                            ],
                        )
                    ],
                )
            ],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at BEGIN,
    # so concurrent writers wait (busy timeout) instead of failing with "database is locked".
    # Connections persist (CONN_MAX_AGE above) as on PostgreSQL: a new one costs its PRAGMAs and
    # a schema read per request. That is safe with gunicorn's sync workers, whose one thread
    # opens its own connection after the fork and keeps it between requests.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA busy_timeout=20000;"
            "PRAGMA foreign_keys=ON;"
            # Reads of a large database through a memory map and a bigger page cache, not a
            # read() call per page: at 1,000,000 answers an answer's insert cost 50% more CPU.
            "PRAGMA mmap_size=268435456;"
            "PRAGMA cache_size=-32000;"
        ),
    }
    # A file, not Django's default in-memory test database, so that tests see WAL and real
    # locking between threads, as production does; one per process so parallel runs don't collide.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"histquiz-test-{os.getpid()}.sqlite3")
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Request limits, so that no single request holds a worker for long. The largest body a page
# takes is an import (a file of up to 1 MB); the most fields, the question-set admin with its
# hand-written questions (quiz.models.MAX_HANDWRITTEN_QUESTIONS, 12 fields each).
REQUEST_MAX_BYTES = 2_000_000  # refused by config.guards before the body is read
DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000_000  # form fields, files apart
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2_000
DATA_UPLOAD_MAX_NUMBER_FILES = 1
FILE_UPLOAD_MAX_MEMORY_SIZE = REQUEST_MAX_BYTES  # an accepted upload is never spooled to disk

AUTHENTICATION_BACKENDS = [
    # First: refuses a paused login before any password is hashed.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Login throttling (quiz/throttle.py; the README's Security section has the reasoning).
AXES_HANDLER = "quiz.throttle.LoginThrottle"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_FAILURE_LIMIT = 5  # for one username from one address
LOGIN_ADDRESS_FAILURE_LIMIT = 30  # from one address over any usernames
AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
AXES_RESET_ON_SUCCESS = True
# A paused login's further tries are not counted, so the pause ends when the page says it does.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_CALLABLE = "quiz.throttle.login_username"
AXES_CLIENT_IP_CALLABLE = "quiz.throttle.client_address"
AXES_LOCKOUT_CALLABLE = "quiz.throttle.lockout_response"
AXES_DISABLE_ACCESS_LOG = True  # no log of every successful login: less personal data kept
# Accounts created from one address per period (counted in the cache: set REDIS_URL so that
# every worker shares the count).
SIGNUP_THROTTLE_LIMIT = int(os.environ.get("DJANGO_SIGNUPS_PER_ADDRESS_PER_HOUR", "40"))
SIGNUP_THROTTLE_PERIOD = dt.timedelta(hours=1)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Sessions live in a signed cookie: loading one costs no query and no shared state, so any app
# server can serve any request. What that means for security is in the README ("Sessions").
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
SESSION_COOKIE_HTTPONLY = True

# A bare page for `make bench-web` to measure the others against (never on in production).
BENCH_BASELINE = env_bool("HISTQUIZ_BENCH_BASELINE", False)

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if os.environ.get("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    if TRUSTED_PROXY_COUNT:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy, in development too, so that a page that breaks it breaks at once.
# No inline script or style anywhere (htmx runs without eval; its indicator styles are in our
# CSS), Django's admin included: its pages since Django 4.2 load every script and style from
# files and pass data in data- attributes or <script type="application/json">, which CSP does
# not block, so the admin needs nothing beyond 'self'. data: images are the admin's and our
# CSS's inline SVG icons. Django's own debug pages (development only) use inline styles and
# lose them under this policy; the traceback is in the terminal.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
    }
}

# Browser features the app never uses, refused for it and for anything it might embed.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# Demo accounts are created by `make run` only when debug is on.
DEMO_ACCOUNTS = DEBUG
