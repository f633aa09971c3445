"""The signed-in viewer, loaded inside a page's own query instead of a query of its own.

The question page and the answer submit are the pages a class hits most. They load the
question with its attempt, and the attempt's user is the viewer: joining the user into that
query and accepting it as ``request.user`` saves the user query Django's middleware would make.
It is accepted only when it is exactly what ``django.contrib.auth.get_user`` would return: the
session's user, through a ModelBackend, active, and with the session's password hash. In every
other case (another user's attempt, a changed password, a fallback secret) nothing is accepted
and Django's own lazy ``request.user`` decides, as on any page.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
    load_backend,
)
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare


def session_user_id(request: HttpRequest) -> int | None:
    """The user id the session names, not yet checked; None for a guest or before the user is
    loaded some other way."""
    if hasattr(request, "_cached_user"):
        return None
    try:
        return get_user_model()._meta.pk.to_python(request.session[SESSION_KEY])
    except (KeyError, ValidationError):
        return None


def adopt_user(request: HttpRequest, user) -> bool:
    """Make `user` (joined into the page's query) request.user if Django would load the same."""
    session = request.session
    backend_path = session.get(BACKEND_SESSION_KEY)
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return False
    backend = load_backend(backend_path)
    # Only a backend that loads users as ModelBackend does: by primary key, if active.
    if type(backend).get_user is not ModelBackend.get_user:
        return False
    if not backend.user_can_authenticate(user):
        return False
    if session_user_id(request) != user.pk:
        return False
    session_hash = session.get(HASH_SESSION_KEY)
    if not session_hash or not constant_time_compare(session_hash, user.get_session_auth_hash()):
        return False
    request._cached_user = user  # what AuthenticationMiddleware's lazy request.user returns
    return True
