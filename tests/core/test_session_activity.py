"""The idle timeout: activity pushes the session's expiry back at most once a minute, not on every request."""

from __future__ import annotations

import datetime as dt

from django.contrib.sessions.models import Session
from django.utils import timezone

from haven.core.middleware import SESSION_ACTIVITY_KEY
from tests.conftest import login


def _expiry(client) -> dt.datetime:  # noqa: ANN001
    return Session.objects.get(session_key=client.session.session_key).expire_date


def _set_stored(client, **changes) -> None:  # noqa: ANN001, ANN003
    """Change the stored session as time passing would have left it."""
    session = client.session
    for key, value in changes.items():
        session[key] = value
    session.save()


def test_a_page_pushes_the_expiry_back_when_the_last_save_is_a_minute_old(world, client, settings) -> None:
    login(client, world.owner_caseworker)
    _set_stored(client, **{SESSION_ACTIVITY_KEY: int(timezone.now().timestamp()) - 61})
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() + dt.timedelta(minutes=5))
    assert client.get("/cases/").status_code == 200
    expiry = _expiry(client)
    assert expiry > timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - 10)


def test_pages_within_the_minute_write_nothing(world, client) -> None:
    login(client, world.owner_caseworker)
    client.get("/cases/")  # the first page records the activity
    pinned = timezone.now() + dt.timedelta(minutes=5)
    Session.objects.filter(session_key=client.session.session_key).update(expire_date=pinned)
    for _ in range(3):
        assert client.get("/cases/").status_code == 200
    assert _expiry(client) == pinned


def test_an_idle_session_past_its_expiry_is_signed_out(world, client) -> None:
    login(client, world.owner_caseworker)
    client.get("/cases/")
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get("/cases/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_anonymous_pages_create_no_session(db, client) -> None:
    before = Session.objects.count()
    assert client.get("/accounts/login/").status_code == 200
    assert Session.objects.count() == before


def test_an_api_call_with_a_token_gets_no_session(world, client) -> None:
    from haven.accounts.services import token_create

    _token, plain = token_create(user=world.owner_caseworker, name="test")
    before = Session.objects.count()
    response = client.get("/api/cases", HTTP_AUTHORIZATION=f"Bearer {plain}")
    assert response.status_code == 200
    assert Session.objects.count() == before and "sessionid" not in response.cookies
