"""API authentication: a bearer token, or the browser session (with CSRF on unsafe methods).

Either way the user must be active and not locked out; a session of a role that needs two-factor
authentication must have passed it. Endpoints read the user from `request.auth`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from haven.accounts.middleware import SESSION_KEY
from haven.accounts.services import token_user, two_factor_required
from haven.core.errors import HavenError


class NotAuthenticated(HavenError):
    status_code = 401

    def __init__(self, message: Any, code: str) -> None:
        super().__init__(message, code=code)


class CsrfFailed(HavenError):
    status_code = 403

    def __init__(self) -> None:
        super().__init__(
            _("The CSRF check failed: send the X-CSRFToken header with the csrftoken cookie's value."),
            code="csrf_failed",
        )


def _usable(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and not user.is_locked())


class TokenAuth(HttpBearer):
    """`Authorization: Bearer hvn_…`; tokens are made with POST /api/auth/tokens or `haven` commands."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_user(token.strip())
        if user is None or not _usable(user):
            return None
        # The security headers middleware and anything else reading request.user see the token's user.
        request.user = user
        request.haven_auth = "token"  # type: ignore[attr-defined]
        return user


class SessionAuth(APIKeyCookie):
    """The logged-in browser session. Unsafe methods need the CSRF token."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        if "HTTP_AUTHORIZATION" in request.META:
            # A client that sent a (bad) token gets 401, not the session's identity by accident.
            return None
        if not getattr(request, "user", None) or not request.user.is_authenticated:
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise CsrfFailed()
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if key is None:
            return None
        user = request.user
        if not _usable(user):
            return None
        if two_factor_required(user) and not request.session.get(SESSION_KEY):
            raise NotAuthenticated(
                _("Finish two-factor authentication before using the API."), code="two_factor_required"
            )
        request.haven_auth = "session"  # type: ignore[attr-defined]
        return user


token_auth = TokenAuth()
session_auth = SessionAuth()
# Token first: a request that carries a token never falls back to a session.
ANY_AUTH = [token_auth, session_auth]


def auth_method(request: HttpRequest) -> str:
    return getattr(request, "haven_auth", "")


def api_user(request: HttpRequest) -> Any:
    """The user an API request authenticated as (the session's user or the bearer token's)."""
    return request.auth  # type: ignore[attr-defined]
