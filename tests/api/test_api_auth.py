"""Authentication: bearer tokens and sessions, two-factor, lockout, CSRF, tokens shown once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from haven.accounts.models import ApiToken, User
from haven.accounts.services import token_create
from haven.audit.models import AuditEvent
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_me_says_who_is_calling_and_how(world, api) -> None:
    body = api(world.supervisor).get("/api/auth/me").json()
    assert (body["username"], body["role"], body["auth"]) == ("owner_sup", "supervisor", "token")
    assert body["agency"]["kind"] == "border_guard"
    assert api(world.supervisor, auth="session").get("/api/auth/me").json()["auth"] == "session"


def test_anonymous_requests_get_401_in_the_error_shape(api) -> None:
    response = api(None).get("/api/auth/me")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated" and response.json()["field"] is None


@pytest.mark.parametrize("persona", ["owner_caseworker", "supervisor", "auditor", "system_admin"])
def test_a_session_without_two_factor_is_refused_where_the_role_needs_it(world, settings, persona) -> None:
    settings.HAVEN_REQUIRE_2FA = True
    client = login(Client(), getattr(world, persona), two_factor_done=False)
    response = client.get("/api/auth/me")
    assert response.status_code == 401
    assert response.json()["code"] == "two_factor_required"


def test_two_factor_is_not_asked_of_statisticians_who_see_aggregates_only(world, settings) -> None:
    settings.HAVEN_REQUIRE_2FA = True
    client = login(Client(), world.statistician, two_factor_done=False)
    assert client.get("/api/auth/me").status_code == 200


def test_a_deployment_without_two_factor_accepts_plain_sessions(world, settings) -> None:
    settings.HAVEN_REQUIRE_2FA = False
    client = login(Client(), world.owner_caseworker, two_factor_done=False)
    assert client.get("/api/auth/me").status_code == 200


@pytest.mark.parametrize("auth", ["token", "session"])
def test_a_locked_user_gets_401(world, api, auth: str) -> None:
    client = api(world.owner_caseworker, auth=auth)
    User.objects.filter(pk=world.owner_caseworker.pk).update(locked_until=timezone.now() + dt.timedelta(minutes=5))
    assert client.get("/api/auth/me").status_code == 401


@pytest.mark.parametrize("auth", ["token", "session"])
def test_an_inactive_user_gets_401(world, api, auth: str) -> None:
    client = api(world.owner_caseworker, auth=auth)
    User.objects.filter(pk=world.owner_caseworker.pk).update(is_active=False)
    assert client.get("/api/auth/me").status_code == 401


@pytest.mark.parametrize("header", ["Bearer hvn_not-a-token", "Bearer ", "Basic dXNlcjpwYXNz", "hvn_x", "Bearer \x7f"])
def test_a_bad_authorization_header_gets_401(world, api, header: str) -> None:
    assert api(None).get("/api/auth/me", headers={"Authorization": header}).status_code == 401


def test_a_bad_token_does_not_fall_back_to_the_session(world, api) -> None:
    client = api(world.owner_caseworker, auth="session")
    assert client.get("/api/auth/me", headers={"Authorization": "Bearer hvn_wrong"}).status_code == 401


def test_an_expired_or_revoked_token_gets_401(world, api) -> None:
    token, plain = token_create(user=world.owner_caseworker, name="old")
    headers = {"Authorization": f"Bearer {plain}"}
    assert api(None).get("/api/auth/me", headers=headers).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert api(None).get("/api/auth/me", headers=headers).status_code == 401


def test_a_token_is_shown_once_and_works_until_revoked(world, api) -> None:
    session = api(world.owner_caseworker, auth="session")
    created = session.post("/api/auth/tokens", {"name": "laptop", "days": 7})
    assert created.status_code == 201
    plain = created.json()["token"]
    assert plain.startswith("hvn_")
    listed = session.get("/api/auth/tokens").json()
    assert plain not in str(listed) and [t["name"] for t in listed] == ["laptop"]
    assert not ApiToken.objects.filter(digest__contains=plain).exists()
    with_token = api(None)
    with_token.headers = {"Authorization": f"Bearer {plain}"}
    assert with_token.get("/api/auth/me").json()["auth"] == "token"
    assert session.delete(f"/api/auth/tokens/{created.json()['id']}").status_code == 204
    assert with_token.get("/api/auth/me").status_code == 401


def test_a_token_cannot_outlive_the_deployment_maximum(world, api, settings) -> None:
    settings.HAVEN_API_TOKEN_DAYS = 30
    before = ApiToken.objects.count()
    response = api(world.owner_caseworker, auth="session").post("/api/auth/tokens", {"name": "long", "days": 31})
    assert (response.status_code, response.json()["field"]) == (400, "days")
    assert ApiToken.objects.count() == before


def test_session_writes_need_the_csrf_token(world, api) -> None:
    client = api(world.owner_caseworker, auth="session", enforce_csrf_checks=True)
    before = AuditEvent.objects.count()
    response = client.post("/api/auth/tokens", {"name": "no csrf"})
    assert (response.status_code, response.json()["code"]) == (403, "csrf_failed")
    assert AuditEvent.objects.count() == before
    # Reads need no CSRF token; with the token from the cookie the write goes through.
    assert client.get("/api/auth/me").status_code == 200
    client.client.get("/api/docs")  # sets the csrftoken cookie
    csrf = client.client.cookies["csrftoken"].value
    assert client.post("/api/auth/tokens", {"name": "with csrf"}, headers={"X-CSRFToken": csrf}).status_code == 201


def test_token_writes_need_no_csrf_token(world, api) -> None:
    client = api(world.owner_caseworker, enforce_csrf_checks=True)
    response = client.post(f"/api/cases/{world.case.code}/transitions", {"action": "start_verification"})
    assert response.status_code == 200


def test_api_answers_are_never_cached(world, api) -> None:
    client = api(world.owner_caseworker)
    for response in (client.get(f"/api/cases/{world.case.code}/identity"), client.get("/api/cases/HV-00-NONE00"),
                     api(None).get("/api/cases")):
        assert response["Cache-Control"] == "no-store"
