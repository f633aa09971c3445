"""Login and signup throttling: who is asking, how often they failed, and the page that says when
they may try again.

Logins are counted by django-axes in the database (so every worker sees the same counts) under
two rules: LOGIN_FAILURE_LIMIT failures for one username from one address pause that username
there, and LOGIN_ADDRESS_FAILURE_LIMIT failures from one address, whatever the usernames, pause
the address. Neither pauses a username everywhere, so an attacker elsewhere can't lock anyone
out; a pause ends LOGIN_COOL_OFF after the last failure that counted.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import ipaddress
import math

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.core.cache import cache
from django.db.models import Max, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from quiz.identity import name_key

USERNAME_KEY_MAX_LENGTH = 255  # axes' AccessAttempt.username
UNKNOWN_ADDRESS = "0.0.0.0"


def client_address(request: HttpRequest) -> str:
    """The client's IP address as far as it can be trusted; IPv6 clients by their /64 network.

    REMOTE_ADDR, unless settings.TRUSTED_PROXY_COUNT says that many proxies of ours stand in
    front: each appends the address it saw to X-Forwarded-For, so the entry that many places
    from the right is what the outermost trusted proxy saw. Entries further left came from the
    client and may be forged, so they are never read.
    """
    candidates = []
    if settings.TRUSTED_PROXY_COUNT:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        hops = [hop.strip() for hop in forwarded if hop.strip()]
        if len(hops) >= settings.TRUSTED_PROXY_COUNT:
            candidates.append(hops[-settings.TRUSTED_PROXY_COUNT])
    candidates.append(request.META.get("REMOTE_ADDR", ""))
    for candidate in candidates:
        try:
            address = ipaddress.ip_address(candidate)
        except ValueError:
            continue
        if isinstance(address, ipaddress.IPv6Address):
            if address.ipv4_mapped:
                return str(address.ipv4_mapped)
            # One subscriber usually holds a whole /64: counting single addresses would let
            # them try 2**64 times.
            return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
        return str(address)
    return UNKNOWN_ADDRESS


def login_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """The username axes counts failures under: its name key, so "Anna" and "ANNA" count as one."""
    source = credentials if credentials else getattr(request, "POST", {})
    username = source.get("username")
    if not username:
        return None
    return name_key(username.replace("\x00", ""))[:USERNAME_KEY_MAX_LENGTH]


class LockoutReason(enum.StrEnum):
    """Which rule paused the login."""

    USERNAME = "username"  # too many failures for this username from this address
    ADDRESS = "address"  # too many failures from this address, over any usernames


@dataclasses.dataclass(frozen=True)
class Lockout:
    """A paused login: why, and the first whole minute at which the right password works again."""

    reason: LockoutReason
    until: dt.datetime


def _next_whole_minute(moment: dt.datetime) -> dt.datetime:
    # Strictly after the moment: axes still counts a failure exactly one cool-off old.
    return moment.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)


def _failures(attempts: QuerySet) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class LoginThrottle(AxesDatabaseHandler):
    """Axes' database handler with its own limit for each lockout parameter.

    Axes compares the largest count of any parameter with one limit; an address's count is at
    least any username's there, so one limit would make the per-address rule pause a whole
    school's network after a single pupil's few typos. settings.AXES_LOCKOUT_PARAMETERS is
    [[username, ip_address], ip_address]: the first queryset is the pair's, the second the
    address's.
    """

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        pair, address = (
            _failures(attempts) for attempts in self.get_user_attempts(request, credentials)
        )
        address_over = address >= settings.LOGIN_ADDRESS_FAILURE_LIMIT
        return max(pair, settings.AXES_FAILURE_LIMIT if address_over else 0)

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """A successful login clears its username's failures here, never its address's."""
        pair = self.filter_user_attempts(request, credentials)[0]
        count, _ = pair.delete()
        return count

    def lockout(self, request: HttpRequest, credentials: dict | None) -> Lockout | None:
        """Whether this login is paused, why, and until when."""
        pair, address = self.get_user_attempts(request, credentials)
        for reason, attempts, limit in (
            (LockoutReason.USERNAME, pair, settings.AXES_FAILURE_LIMIT),
            (LockoutReason.ADDRESS, address, settings.LOGIN_ADDRESS_FAILURE_LIMIT),
        ):
            if _failures(attempts) >= limit:
                last = attempts.aggregate(last=Max("attempt_time"))["last"]
                until = _next_whole_minute(last + settings.AXES_COOLOFF_TIME)
                return Lockout(reason=reason, until=until)
        return None


def minutes_until(moment: dt.datetime) -> int:
    """Whole minutes from now until the moment, rounded up, at least 1."""
    return max(1, math.ceil((moment - timezone.now()).total_seconds() / 60))


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """The page axes shows instead of the login form while a login is paused (429)."""
    lockout = LoginThrottle().lockout(request, credentials)
    until = (
        lockout.until
        if lockout
        else _next_whole_minute(timezone.now() + settings.AXES_COOLOFF_TIME)
    )
    response = render(
        request,
        "registration/locked_out.html",
        {
            "by_address": lockout is not None and lockout.reason == LockoutReason.ADDRESS,
            "until": until,
            "minutes": minutes_until(until),
        },
        status=429,
    )
    response["Retry-After"] = str(max(1, math.ceil((until - timezone.now()).total_seconds())))
    return response


def _signup_window(now: dt.datetime) -> tuple[int, dt.datetime]:
    period = settings.SIGNUP_THROTTLE_PERIOD
    window = int(now.timestamp()) // int(period.total_seconds())
    return window, dt.datetime.fromtimestamp(0, dt.UTC) + period * (window + 1)


def signup_paused_until(request: HttpRequest) -> dt.datetime | None:
    """When this address may sign up again, or None while it is under its limit."""
    window, window_end = _signup_window(timezone.now())
    count = cache.get(f"signups:{client_address(request)}:{window}", 0)
    return window_end if count >= settings.SIGNUP_THROTTLE_LIMIT else None


def signup_count(request: HttpRequest) -> None:
    """Count one account created from this address in the current window."""
    window, window_end = _signup_window(timezone.now())
    key = f"signups:{client_address(request)}:{window}"
    timeout = math.ceil((window_end - timezone.now()).total_seconds()) + 60
    cache.add(key, 0, timeout)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr: this is the window's first signup
        cache.set(key, 1, timeout)
