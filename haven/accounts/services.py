"""Log-in with lockout, two-factor enrolment and verification, API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

import pyotp
from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import TWO_FACTOR_ROLES, ApiToken, User
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases import validation as v
from haven.core.errors import HavenError, NotFound

TOKEN_PREFIX = "hvn_"


def two_factor_required(user: Any) -> bool:
    """Two-factor is enforced for every role that can see identity fields or administer accounts or the audit
    trail, unless the deployment turns it off."""
    return bool(settings.HAVEN_REQUIRE_2FA and user.is_authenticated and user.role in TWO_FACTOR_ROLES)


def login_check(*, username: str, password: str, request: Any = None, channel: str = "web") -> User:
    """Check a password; count failures and lock the account for a while after too many.

    Never call this inside a transaction that the caller rolls back on error: the failure count must stay.
    """
    username = v.text(username, "username", required=True, max_length=150)
    candidate = User.objects.filter(username=username).first()
    if candidate is not None and candidate.is_locked():
        audit_record(actor=candidate, action=AuditAction.LOGIN_FAILED, object_type="user", object_id=candidate.pk,
                     reason="locked", channel=channel)
        raise HavenError(_("Too many failed attempts. Try again later or ask your administrator."), code="locked")
    user = authenticate(request, username=username, password=password or "")
    if user is None:
        if candidate is not None:
            _record_failure(candidate, channel)
        raise HavenError(_("The username or password is not correct."), code="bad_credentials")
    User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
    audit_record(actor=user, action=AuditAction.LOGIN, object_type="user", object_id=user.pk, channel=channel)
    return user  # type: ignore[return-value]


@transaction.atomic
def _record_failure(user: User, channel: str) -> None:
    User.objects.filter(pk=user.pk).update(failed_logins=F("failed_logins") + 1)
    user.refresh_from_db(fields=["failed_logins"])
    action = AuditAction.LOGIN_FAILED
    if user.failed_logins >= settings.HAVEN_LOCKOUT_THRESHOLD:
        until = timezone.now() + dt.timedelta(minutes=settings.HAVEN_LOCKOUT_MINUTES)
        User.objects.filter(pk=user.pk).update(locked_until=until, failed_logins=0)
        action = AuditAction.LOCKED_OUT
    audit_record(actor=user, action=action, object_type="user", object_id=user.pk, channel=channel)


@transaction.atomic
def totp_begin(*, user: User) -> str:
    """Start (or restart) enrolment: a fresh secret, not active until a code from it is confirmed."""
    if user.has_2fa:
        raise HavenError(_("Two-factor authentication is already set up."))
    user.totp_secret = pyotp.random_base32()
    user.save(update_fields=["totp_secret"])
    return user.totp_secret


def totp_uri(user: User) -> str:
    return pyotp.TOTP(user.totp_secret or "").provisioning_uri(name=user.username, issuer_name="Haven")


def _verify_code(user: User, code: str) -> int | None:
    code = (code or "").strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6 and user.totp_secret):
        return None
    totp = pyotp.TOTP(user.totp_secret)
    now = timezone.now()
    for drift in (-1, 0, 1):
        moment = now + dt.timedelta(seconds=30 * drift)
        if totp.verify(code, for_time=moment):
            step = int(moment.timestamp()) // 30
            # A code is accepted once: replaying a code seen over someone's shoulder fails.
            if user.totp_last_step is not None and step <= user.totp_last_step:
                return None
            return step
    return None


@transaction.atomic
def totp_confirm(*, user: User, code: str, channel: str = "web") -> None:
    step = _verify_code(user, code)
    if step is None:
        raise HavenError(_("The code is not correct. Enter the 6 digits your app shows now."), field="code")
    user.totp_confirmed_at, user.totp_last_step = timezone.now(), step
    user.save(update_fields=["totp_confirmed_at", "totp_last_step"])
    audit_record(actor=user, action=AuditAction.TWO_FACTOR, object_type="user", object_id=user.pk,
                 reason="enrolled", channel=channel)


def totp_verify(*, user: User, code: str, channel: str = "web") -> None:
    """Check a login code. Not atomic on purpose: a wrong code must be counted even though we then raise,
    so that codes cannot be guessed without limit (the lockout covers codes as well as passwords)."""
    if user.is_locked():
        raise HavenError(_("Too many failed attempts. Try again later or ask your administrator."), code="locked")
    step = _verify_code(user, code)
    if step is None:
        _record_failure(user, channel)
        raise HavenError(_("The code is not correct. Enter the 6 digits your app shows now."), field="code")
    User.objects.filter(pk=user.pk).update(totp_last_step=step, failed_logins=0)
    user.totp_last_step = step


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def token_create(*, user: User, name: str, days: int | None = None, channel: str = "web") -> tuple[ApiToken, str]:
    """Make an API token; the plain token is returned once and only its hash is kept."""
    name = v.text(name, "name", required=True, max_length=100)
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=plain[:10], digest=_digest(plain),
        expires_at=timezone.now() + dt.timedelta(days=days or settings.HAVEN_API_TOKEN_DAYS),
    )
    audit_record(actor=user, action=AuditAction.ADMIN, object_type="api_token", object_id=token.pk,
                 reason="created", channel=channel)
    return token, plain


def token_user(plain: str) -> User | None:
    """The active user behind a bearer token, or None."""
    if not plain or not plain.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.select_related("user", "user__agency").filter(digest=_digest(plain)).first()
    if token is None or not token.is_usable() or not token.user.is_active or token.user.is_locked():
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


@transaction.atomic
def token_revoke(*, user: User, token_id: Any) -> None:
    updated = ApiToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if not updated:
        raise NotFound()
    audit_record(actor=user, action=AuditAction.ADMIN, object_type="api_token", object_id=token_id, reason="revoked")
