"""API: who am I, and API tokens."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema

from haven.accounts.models import AgencyKind, ApiToken, Role
from haven.accounts.services import token_create, token_revoke
from haven.core.api_auth import ANY_AUTH, auth_method, session_auth
from haven.core.api_types import ERRORS, ErrorOut, IdPath, reply, text
from haven.core.errors import HavenError, NotFound

router = Router(auth=ANY_AUTH)


class AgencyOut(Schema):
    id: int
    name: str
    kind: AgencyKind


class MeOut(Schema):
    username: str
    role: Role
    agency: AgencyOut | None
    sees_identity: bool
    two_factor_enrolled: bool
    auth: str = Field(..., description="session or token")
    language: str


class TokenIn(Schema):
    name: text(100, min_length=1)  # type: ignore[valid-type]
    days: int | None = Field(None, ge=1, le=3650, description="Lifetime in days; at most the deployment's maximum")


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    expires_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class NewTokenOut(TokenOut):
    token: str = Field(..., description="The token itself. Shown once: only its hash is kept.")


def agency_out(agency: Any) -> dict[str, Any] | None:
    if agency is None:
        return None
    return {"id": agency.pk, "name": agency.display_name(translation.get_language() or ""), "kind": agency.kind}


@router.get("/me", response={200: MeOut, frozenset({401}): ErrorOut}, summary="The authenticated user")
def me(request: HttpRequest) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    return {
        "username": user.username, "role": user.role, "agency": agency_out(user.agency),
        "sees_identity": user.sees_identity, "two_factor_enrolled": user.has_2fa,
        "auth": auth_method(request), "language": translation.get_language() or settings.LANGUAGE_CODE,
    }


@router.post(
    "/tokens", auth=[session_auth], response={201: NewTokenOut, ERRORS: ErrorOut},
    summary="Create an API token for the logged-in user (browser session only)",
)
def token_new(request: HttpRequest, payload: TokenIn) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    if payload.days is not None and payload.days > settings.HAVEN_API_TOKEN_DAYS:
        raise HavenError(
            _("A token lives at most %(n)d days.") % {"n": settings.HAVEN_API_TOKEN_DAYS}, field="days"
        )
    token, plain = token_create(user=user, name=payload.name, days=payload.days, channel="api")
    return reply(201, {**_token_dict(token), "token": plain})


@router.get("/tokens", response={200: list[TokenOut], ERRORS: ErrorOut}, summary="My API tokens (never the token)")
def token_list(request: HttpRequest) -> list[dict[str, Any]]:
    user = request.auth  # type: ignore[attr-defined]
    return [_token_dict(t) for t in ApiToken.objects.filter(user=user).order_by("-created_at", "-id")]


@router.delete("/tokens/{token_id}", response={204: None, ERRORS: ErrorOut}, summary="Revoke one of my tokens")
def token_delete(request: HttpRequest, token_id: IdPath) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    try:
        token_revoke(user=user, token_id=token_id)
    except HavenError as exc:
        if exc.code == "not_found":
            raise NotFound() from None
        raise
    return reply(204, None)


def _token_dict(token: ApiToken) -> dict[str, Any]:
    return {
        "id": token.pk, "name": token.name, "prefix": token.prefix, "created_at": token.created_at,
        "expires_at": token.expires_at, "last_used_at": token.last_used_at, "revoked_at": token.revoked_at,
    }
