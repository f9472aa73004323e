import datetime as dt

import pyotp
import pytest
from django.utils import timezone

from haven.accounts.models import ApiToken
from haven.accounts.services import (
    login_check,
    token_create,
    token_revoke,
    token_user,
    totp_begin,
    totp_confirm,
    totp_verify,
    two_factor_required,
)
from haven.audit.models import AuditAction, AuditEvent
from haven.core.errors import HavenError
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_correct_password_logs_in_and_is_audited(world):
    assert login_check(username="owner_cw", password=PASSWORD) == world.owner_caseworker
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor=world.owner_caseworker).exists()


def test_passwords_are_hashed_with_argon2(world, settings):
    from haven import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    world.owner_caseworker.set_password("a-new-long-passphrase")
    assert world.owner_caseworker.password.startswith("argon2")


def test_repeated_failures_lock_the_account_even_for_the_right_password(world, settings):
    for _ in range(settings.HAVEN_LOCKOUT_THRESHOLD):
        with pytest.raises(HavenError):
            login_check(username="owner_cw", password="wrong")
    with pytest.raises(HavenError) as error:
        login_check(username="owner_cw", password=PASSWORD)
    assert error.value.code == "locked"
    assert AuditEvent.objects.filter(action=AuditAction.LOCKED_OUT).count() == 1
    world.owner_caseworker.refresh_from_db()
    world.owner_caseworker.locked_until = timezone.now() - dt.timedelta(seconds=1)
    world.owner_caseworker.save()
    assert login_check(username="owner_cw", password=PASSWORD)


def test_an_unknown_user_gets_the_same_message_as_a_wrong_password(world):
    with pytest.raises(HavenError) as unknown:
        login_check(username="nobody", password="x")
    with pytest.raises(HavenError) as wrong:
        login_check(username="owner_cw", password="x")
    assert str(unknown.value) == str(wrong.value)


def test_two_factor_is_required_for_identity_roles_unless_turned_off(world, settings):
    assert two_factor_required(world.owner_caseworker) and two_factor_required(world.supervisor)
    assert two_factor_required(world.auditor) and two_factor_required(world.system_admin)
    assert not two_factor_required(world.statistician)
    settings.HAVEN_REQUIRE_2FA = False
    assert not two_factor_required(world.owner_caseworker)


def test_totp_enrolment_needs_a_valid_code_and_codes_are_not_replayable(world):
    user = world.owner_caseworker
    secret = totp_begin(user=user)
    with pytest.raises(HavenError):
        totp_confirm(user=user, code="000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    code = pyotp.TOTP(secret).now()
    totp_confirm(user=user, code=code)
    assert user.has_2fa
    with pytest.raises(HavenError):
        totp_verify(user=user, code=code)


def test_the_totp_secret_is_sealed(world):
    from django.db import connection

    secret = totp_begin(user=world.owner_caseworker)
    with connection.cursor() as cursor:
        cursor.execute("SELECT totp_secret FROM accounts_user WHERE id = %s", [world.owner_caseworker.pk])
        (raw,) = cursor.fetchone()
    assert raw.startswith("hv1:") and secret not in raw


def test_tokens_are_stored_hashed_and_can_be_revoked(world):
    token, plain = token_create(user=world.supervisor, name="laptop")
    assert plain not in str(ApiToken.objects.values_list("digest", flat=True)[0])
    assert token_user(plain) == world.supervisor
    token_revoke(user=world.supervisor, token_id=token.pk)
    assert token_user(plain) is None


def test_expired_tokens_and_locked_users_are_refused(world):
    token, plain = token_create(user=world.supervisor, name="x")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert token_user(plain) is None
    _, plain2 = token_create(user=world.supervisor, name="y")
    world.supervisor.locked_until = timezone.now() + dt.timedelta(minutes=5)
    world.supervisor.save()
    assert token_user(plain2) is None
    assert token_user("hvn_guess") is None and token_user("") is None


def test_wrong_login_codes_are_counted_and_lock_the_account(world, settings):
    user = world.owner_caseworker
    secret = totp_begin(user=user)
    totp_confirm(user=user, code=pyotp.TOTP(secret).now())
    wrong = "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"
    for _ in range(settings.HAVEN_LOCKOUT_THRESHOLD):
        with pytest.raises(HavenError):
            totp_verify(user=user, code=wrong)
    user.refresh_from_db()
    assert user.is_locked()
    assert AuditEvent.objects.filter(action=AuditAction.LOCKED_OUT, actor=user).exists()
    with pytest.raises(HavenError) as error:
        totp_verify(user=user, code=pyotp.TOTP(secret).now())
    assert error.value.code == "locked"


def test_pages_beyond_login_need_two_factor_first(world):
    from django.test import Client

    from tests.conftest import login

    client = login(Client(), world.owner_caseworker, two_factor_done=False)
    for path in ("/", "/cases/", "/accounts/tokens/", "/audit/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].endswith("/accounts/two-factor/"), path
    assert client.get("/accounts/two-factor/").status_code == 200
