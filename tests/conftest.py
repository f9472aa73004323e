"""Test set-up: a fresh keyring per run, the shared personas, and logged-in clients."""

from __future__ import annotations

import json
import os

os.environ.setdefault("HAVEN_VAR_DIR", "/tmp/haven-test-var")
if "HAVEN_KEYS" not in os.environ:
    from haven.core.crypto import new_keyring_document

    os.environ["HAVEN_KEYS"] = json.dumps(new_keyring_document())

import pytest  # noqa: E402
from django.test import Client  # noqa: E402

from tests.factories import World, build_world  # noqa: E402


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:  # noqa: ANN001
    """Argon2 is deliberately slow; the personas' passwords need no protection in a test database.
    Argon2 stays second so that hashes made with it still verify (tests/core/test_accounts.py checks it)."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    ]


@pytest.fixture
def world(db) -> World:  # noqa: ANN001
    return build_world()


def login(client: Client, user, *, two_factor_done: bool = True) -> Client:  # noqa: ANN001
    """Log a persona in as if they had passed two-factor authentication."""
    from haven.accounts.middleware import SESSION_KEY

    if user is None:
        return client
    client.force_login(user)
    if two_factor_done:
        session = client.session
        session[SESSION_KEY] = True
        session.save()
    return client


@pytest.fixture
def as_user(client: Client):  # noqa: ANN001, ANN201
    def _as(user) -> Client:  # noqa: ANN001
        return login(Client(), user)

    return _as
