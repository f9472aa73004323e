from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY as AUTH_SESSION_KEY
from django.http import HttpRequest, HttpResponse


class DefaultLanguageMiddleware:
    """Pages are Vietnamese unless the user chose otherwise (a cookie), whatever the browser says.

    API clients choose with the Accept-Language header (or ?lang=), so their header is left alone.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES and not request.path.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
            request.META["HTTP_ACCEPT_LANGUAGE"] = settings.HAVEN_DEFAULT_LANGUAGE
        return self.get_response(request)


SESSION_ACTIVITY_KEY = "haven_active_at"


class SessionActivityMiddleware:
    """The idle timeout without a session write on every request: a signed-in user's session is saved (and
    its expiry pushed back by SESSION_COOKIE_AGE) when the last save is HAVEN_SESSION_REFRESH_SECONDS old.

    Writing it on every request (SESSION_SAVE_EVERY_REQUEST) cost each page an UPDATE and a commit."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # A signed-in session only: never one created for a request without it (an API call with a bearer
        # token has an authenticated user but no session, and must not be given one).
        if session is not None and session.session_key and session.get(AUTH_SESSION_KEY):
            now = int(time.time())
            if now - int(session.get(SESSION_ACTIVITY_KEY, 0)) >= settings.HAVEN_SESSION_REFRESH_SECONDS:
                session[SESSION_ACTIVITY_KEY] = now  # marks the session modified: SessionMiddleware saves it
        return response


class SecurityHeadersMiddleware:
    """No third-party content, no caching of pages that may hold personal data."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            "script-src 'self' 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'",
        )
        if request.user.is_authenticated and not request.path.startswith("/static/"):
            response["Cache-Control"] = "no-store"
        return response
