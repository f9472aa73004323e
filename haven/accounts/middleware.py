"""Keeps a logged-in user who has not passed two-factor authentication on the two-factor pages."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from haven.accounts.services import two_factor_required

SESSION_KEY = "haven_2fa_ok"
# Only what a user needs to finish logging in. The API checks two-factor itself (401, not a redirect).
_OPEN_PREFIXES = ("/accounts/login/", "/accounts/logout/", "/accounts/two-factor/", "/static/", "/i18n/", "/api/")


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and two_factor_required(user)
            and not request.session.get(SESSION_KEY)
            and not request.path.startswith(_OPEN_PREFIXES)
        ):
            return redirect("accounts:two_factor")
        return self.get_response(request)
