"""Log-in with lockout, two-factor enrolment and verification, log-out, API tokens."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from haven.accounts.forms import CodeForm, LoginForm, TokenForm
from haven.accounts.middleware import SESSION_KEY
from haven.accounts.models import ApiToken, User
from haven.accounts.services import (
    login_check,
    token_create,
    token_revoke,
    totp_begin,
    totp_confirm,
    totp_uri,
    totp_verify,
    two_factor_required,
)
from haven.core.errors import HavenError
from haven.core.forms import apply_haven_error, message_haven_error

NEXT_KEY = "haven_next"


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _after_login(request: HttpRequest) -> HttpResponse:
    response = redirect(request.session.pop(NEXT_KEY, "") or settings.LOGIN_REDIRECT_URL)
    # Pages follow the user's preferred language from the first page after login; the switcher
    # still changes it for the session.
    language = getattr(request.user, "preferred_language", "")
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH, samesite="Lax", secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        )
    return response


def _two_factor_done(request: HttpRequest) -> bool:
    return not two_factor_required(request.user) or bool(request.session.get(SESSION_KEY))


def two_factor_complete(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For account pages the middleware leaves open: a password alone must not reach them."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _two_factor_done(request):
            return redirect("accounts:two_factor")
        return view(request, *args, **kwargs)

    return login_required(wrapper)


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.user.is_authenticated and _two_factor_done(request):
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = login_check(
                username=form.cleaned_data["username"], password=form.cleaned_data["password"], request=request
            )
        except HavenError as error:
            apply_haven_error(form, error)
        else:
            auth_login(request, user)
            # A new session id at every step up in privilege: a planted id is worth nothing.
            request.session.cycle_key()
            request.session[NEXT_KEY] = next_url
            if two_factor_required(user):
                return redirect("accounts:two_factor")
            return _after_login(request)
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    auth_logout(request)
    messages.info(request, _("You have logged out."))
    return redirect("accounts:login")


def _qr_svg(uri: str) -> str:
    code = qrcode.QRCode(border=2, image_factory=qrcode.image.svg.SvgPathImage)
    code.add_data(uri)
    code.make(fit=True)
    svg = code.make_image().to_string(encoding="unicode")
    return svg[svg.index("<svg"):]


def _grouped(secret: str) -> str:
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def _passed_two_factor(request: HttpRequest) -> HttpResponse:
    request.session[SESSION_KEY] = True
    request.session.cycle_key()
    return _after_login(request)


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Verification for an enrolled user; otherwise enrolment (secret, QR code, first code)."""
    if request.session.get(SESSION_KEY):
        return redirect(settings.LOGIN_REDIRECT_URL)
    user = cast(User, request.user)
    form = CodeForm(request.POST or None)
    if user.has_2fa:
        if request.method == "POST" and form.is_valid():
            try:
                totp_verify(user=user, code=form.cleaned_data["code"])
            except HavenError as error:
                user.refresh_from_db(fields=["locked_until", "failed_logins"])
                if user.is_locked():
                    auth_logout(request)
                    messages.error(request, _("Too many failed attempts. Try again later or ask your administrator."))
                    return redirect("accounts:login")
                apply_haven_error(form, error)
            else:
                return _passed_two_factor(request)
        return render(request, "accounts/two_factor_verify.html", {"form": form})
    if request.method == "POST" and request.POST.get("action") == "restart":
        totp_begin(user=user)
        return redirect("accounts:two_factor")
    if not user.totp_secret:
        totp_begin(user=user)
    if request.method == "POST" and form.is_valid():
        try:
            totp_confirm(user=user, code=form.cleaned_data["code"])
        except HavenError as error:
            apply_haven_error(form, error)
        else:
            messages.success(request, _("Two-factor authentication is set up."))
            return _passed_two_factor(request)
    context = {
        "form": form,
        "secret": _grouped(user.totp_secret or ""),
        # Generated here from our own data by the qrcode package: no external service sees the secret.
        "qr_svg": mark_safe(_qr_svg(totp_uri(user))),  # noqa: S308
    }
    return render(request, "accounts/two_factor_setup.html", context)


@two_factor_complete
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    plain = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, plain = token_create(user=cast(User, request.user), name=form.cleaned_data["name"])
        except HavenError as error:
            apply_haven_error(form, error)
        else:
            form = TokenForm()
    context = {
        "form": form,
        "plain": plain,
        "tokens": ApiToken.objects.filter(user=cast(User, request.user)).order_by("-created_at"),
        "two_factor_required": two_factor_required(request.user),
    }
    return render(request, "accounts/tokens.html", context)


@two_factor_complete
@require_POST
def token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        token_revoke(user=cast(User, request.user), token_id=token_id)
    except HavenError as error:
        message_haven_error(request, error)
    else:
        messages.success(request, _("The token is revoked. Programs using it can no longer sign in."))
    return redirect("accounts:tokens")
