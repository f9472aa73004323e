"""Log-in with lockout, two-factor enrolment and verification, API tokens, language switch."""

from __future__ import annotations

import datetime as dt

import pyotp
import pytest
from django.test import Client
from django.utils import timezone

from haven.accounts.middleware import SESSION_KEY
from haven.accounts.models import ApiToken, User
from tests.factories import PASSWORD
from tests.web.conftest import text


def _log_in(client: Client, username: str, password: str = PASSWORD, **extra: str):  # noqa: ANN202
    return client.post("/accounts/login/", {"username": username, "password": password, **extra})


@pytest.fixture
def no_2fa(settings) -> None:  # noqa: ANN001
    settings.HAVEN_REQUIRE_2FA = False


def test_the_login_page_is_in_vietnamese_by_default(db):
    body = text(Client().get("/accounts/login/"))
    assert '<html lang="vi">' in body and "Đăng nhập Haven" in body


def test_logging_in_with_2fa_off_reaches_the_dashboard_and_shows_the_banner(world, no_2fa):
    client = Client()
    response = _log_in(client, "owner_cw")
    assert response["Location"] == "/"
    body = text(client.get("/"))
    assert "Xác thực hai lớp đang tắt trong bản trình diễn này" in body
    assert "owner_cw" in body and "Cán bộ phụ trách hồ sơ" in body and world.owner_agency.name in body


def test_the_session_id_changes_at_login(world, no_2fa):
    client = Client()
    client.get("/accounts/login/")
    client.session.save()
    before = client.session.session_key
    _log_in(client, "owner_cw")
    assert client.session.session_key != before


def test_pages_follow_the_users_preferred_language_after_login(world, no_2fa):
    User.objects.filter(username="owner_cw").update(preferred_language="en")
    client = Client()
    _log_in(client, "owner_cw")
    body = text(client.get("/"))
    assert '<html lang="en">' in body and "Dashboard" in body


def test_a_user_who_prefers_vietnamese_gets_vietnamese_after_login(world, no_2fa):
    client = Client()
    client.cookies["django_language"] = "en"
    _log_in(client, "owner_cw")
    assert '<html lang="vi">' in text(client.get("/"))


def test_a_wrong_password_says_so_without_saying_which_part_was_wrong(world):
    body = text(_log_in(Client(), "owner_cw", "wrong-password"))
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in body
    assert text(_log_in(Client(), "nobody-at-all", "x")) .count("Tên đăng nhập hoặc mật khẩu không đúng.") == 1


def test_repeated_failures_lock_the_account_with_a_clear_message(world, settings):
    settings.HAVEN_LOCKOUT_THRESHOLD = 3
    for _ in range(3):
        _log_in(Client(), "owner_cw", "wrong-password")
    body = text(_log_in(Client(), "owner_cw"))  # even the right password is refused while locked
    assert "Đăng nhập sai quá nhiều lần. Hãy thử lại sau hoặc liên hệ quản trị viên." in body
    assert User.objects.get(username="owner_cw").is_locked()


def test_an_outside_next_address_is_ignored(world, no_2fa):
    response = _log_in(Client(), "owner_cw", next="https://evil.example/")
    assert response["Location"] == "/"


def test_a_local_next_address_is_followed(world, no_2fa):
    response = _log_in(Client(), "owner_cw", next=f"/cases/{world.case.code}/")
    assert response["Location"] == f"/cases/{world.case.code}/"


def test_enrolling_in_two_factor_at_first_login(world):
    client = Client()
    assert _log_in(client, "owner_cw")["Location"] == "/accounts/two-factor/"
    assert client.get("/")["Location"] == "/accounts/two-factor/"  # the middleware holds the user there
    page = text(client.get("/accounts/two-factor/"))
    assert "<svg" in page and "Thiết lập xác thực hai lớp" in page
    secret = User.objects.get(username="owner_cw").totp_secret
    assert " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)) in page
    assert text(client.get("/accounts/two-factor/")).count(secret[:4]) >= 1  # a reload keeps the same key
    assert User.objects.get(username="owner_cw").totp_secret == secret
    response = client.post("/accounts/two-factor/", {"code": pyotp.TOTP(secret).now()})
    assert response["Location"] == "/"
    assert client.session[SESSION_KEY] is True
    assert client.get("/").status_code == 200
    assert User.objects.get(username="owner_cw").has_2fa


def test_a_wrong_enrolment_code_is_refused(world):
    client = Client()
    _log_in(client, "owner_cw")
    client.get("/accounts/two-factor/")
    body = text(client.post("/accounts/two-factor/", {"code": "000000"}))
    assert "Mã không đúng. Hãy nhập 6 chữ số ứng dụng đang hiển thị." in body
    assert not User.objects.get(username="owner_cw").has_2fa


def _enrolled(user: User) -> pyotp.TOTP:
    user.totp_secret = pyotp.random_base32()
    user.totp_confirmed_at = timezone.now()
    user.save()
    return pyotp.TOTP(user.totp_secret)


def test_verifying_the_code_at_login(world):
    totp = _enrolled(world.owner_caseworker)
    client = Client()
    assert _log_in(client, "owner_cw")["Location"] == "/accounts/two-factor/"
    before = client.session.session_key
    assert "Xác thực" in text(client.get("/accounts/two-factor/"))
    assert client.post("/accounts/two-factor/", {"code": totp.now()})["Location"] == "/"
    assert client.session.session_key != before
    assert client.get(f"/cases/{world.case.code}/").status_code == 200


def test_tokens_are_out_of_reach_before_two_factor(world):
    client = Client()
    _log_in(client, "owner_cw")
    assert client.get("/accounts/tokens/")["Location"] == "/accounts/two-factor/"
    assert client.post("/accounts/tokens/", {"name": "script"})["Location"] == "/accounts/two-factor/"
    assert not ApiToken.objects.exists()


def test_a_new_token_is_shown_once(world, owner):
    body = text(owner.post("/accounts/tokens/", {"name": "Báo cáo tỉnh"}))
    token = ApiToken.objects.get()
    assert 'id="new-token"' in body and token.prefix in body
    again = text(owner.get("/accounts/tokens/"))
    assert 'id="new-token"' not in again and "Báo cáo tỉnh" in again


def test_revoking_a_token(world, owner, as_user):
    owner.post("/accounts/tokens/", {"name": "script"})
    token = ApiToken.objects.get()
    assert as_user(world.second_caseworker).post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    assert ApiToken.objects.get().revoked_at is None  # someone else's token is not theirs to revoke
    owner.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert ApiToken.objects.get().revoked_at is not None


def test_a_token_name_that_is_too_long_is_refused(world, owner):
    body = text(owner.post("/accounts/tokens/", {"name": "x" * 101}))
    assert "Quá dài: tối đa 100 ký tự." in body
    assert not ApiToken.objects.exists()


def test_switching_to_english_and_back(world, owner):
    response = owner.post("/i18n/setlang/", {"language": "en", "next": "/cases/"}, follow=True)
    body = text(response)
    assert '<html lang="en">' in body and "Register a person" in body and "Cases" in body
    body = text(owner.post("/i18n/setlang/", {"language": "vi", "next": "/"}, follow=True))
    assert "Đăng ký người trở về" in body


def test_session_expiry_is_short(settings):
    assert settings.SESSION_COOKIE_AGE <= dt.timedelta(hours=1).total_seconds()
