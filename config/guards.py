"""Guards on what a request may hold, so that no input reaches a view or the database in a form
that would give a 500, and pages that say plainly what was wrong.

- A NUL byte in the address, the query string or a cookie is refused with a 400 (PostgreSQL
  refuses NUL in text, so it must never reach a query); a damaged cookie is cleared as well, so
  the next page works. Form fields are the forms' business (Django's refuse NUL).
- A body longer than REQUEST_MAX_BYTES is refused with a 413 before it is read.
- Ids in URLs (the `id` converter) are whole numbers the database can store (up to 2**63 - 1):
  a longer one matches no page (SQLite raises OverflowError on it).
- The 400, 404 and 413 pages say what happened in words.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

LARGEST_ID = 2**63 - 1

NUL_IN_ADDRESS = (
    "This address holds a NUL character, which no page here has. Check the link you followed, "
    "or start again from the home page."
)
NUL_IN_COOKIE = (
    "Your browser sent a damaged cookie (it held a NUL character), so we have cleared it. "
    "Reload the page to carry on; you may need to log in again."
)
BODY_TOO_BIG = (
    "That was more than {limit} to send at once, more than any page here takes, so nothing was "
    "read or saved. Imported files can be up to 1 MB; split a bigger one."
)
TOO_MANY_FIELDS = (
    "That form sent more than {limit:,} fields, more than any form here has, so nothing was "
    "saved. A question set holds at most {handwritten} hand-written questions."
)
TOO_MANY_FILES = "That form sent more than one file; send one file at a time. Nothing was saved."
BAD_REQUEST = "The request could not be read, so nothing was done. Go back and try again."
NOT_FOUND = (
    "There is no page at this address. The link may be wrong or out of date, or the page "
    "belongs to someone else."
)


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:g} MB"


def error_page(request: HttpRequest, *, title: str, message: str, status: int) -> HttpResponse:
    """A page of the site that says what went wrong, in the site's layout."""
    return render(request, "error.html", {"title": title, "message": message}, status=status)


class RequestGuardMiddleware:
    """Refuse NUL bytes in the address, the query string and cookies, and oversized bodies."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or _has_nul(request.GET.lists()):
            return error_page(request, title="Bad address", message=NUL_IN_ADDRESS, status=400)
        damaged = [name for name, value in request.COOKIES.items() if "\x00" in name + value]
        if damaged:
            response = error_page(
                request, title="Damaged cookie", message=NUL_IN_COOKIE, status=400
            )
            for name in damaged:
                response.delete_cookie(name)
            return response
        if _declared_length(request) > settings.REQUEST_MAX_BYTES:
            return _too_big(request)
        return self.get_response(request)


def _has_nul(items) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in items)


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _too_big(request: HttpRequest) -> HttpResponse:
    limit = _megabytes(settings.REQUEST_MAX_BYTES)
    response = error_page(
        request, title="Too much at once", message=BODY_TOO_BIG.format(limit=limit), status=413
    )
    # The body was not read; the connection must not be reused for what follows it.
    response["Connection"] = "close"
    return response


class IdConverter:
    """A database id in a URL: digits, at most LARGEST_ID; anything else matches no page."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > LARGEST_ID:
            raise ValueError("Larger than any id.")
        return number

    def to_url(self, value: int) -> str:
        return str(value)


def local_url(request: HttpRequest, candidate: str) -> str:
    """The candidate if it is a path on this site ("/study/cards/?q=x"), else ""."""
    if not candidate.startswith("/") or candidate.startswith("//"):
        return ""
    allowed = url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return candidate if allowed else ""


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 400 page (and the 413 page, for a body over Django's upload limits)."""
    from quiz.models import MAX_HANDWRITTEN_QUESTIONS

    if isinstance(exception, RequestDataTooBig):
        return _too_big(request)
    if isinstance(exception, TooManyFieldsSent):
        message = TOO_MANY_FIELDS.format(
            limit=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS, handwritten=MAX_HANDWRITTEN_QUESTIONS
        )
    elif isinstance(exception, TooManyFilesSent):
        message = TOO_MANY_FILES
    else:
        message = BAD_REQUEST
    return error_page(request, title="Bad request", message=message, status=400)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 404 page for addresses that match nothing."""
    return error_page(request, title="Page not found", message=NOT_FOUND, status=404)
