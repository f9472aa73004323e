"""What a caseworker and an auditor do in a real browser, end to end, in Vietnamese and English."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from playwright.sync_api import Page, expect

from haven.accounts.models import User
from tests.browser.conftest import screenshot
from tests.factories import PASSWORD, build_world, commune, province

pytestmark = pytest.mark.browser


def log_in(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit].btn")


def log_out(page: Page) -> None:
    page.click(".btn-logout")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def register_person(page: Page, full_name: str) -> str:
    page.click("nav.mainnav >> text=Đăng ký người trở về")
    expect(page.locator("h1")).to_have_text("Đăng ký người bị mua bán trở về")
    page.fill("#id_received_on", "2026-03-02")
    page.fill("#id_reception_place", "Cửa khẩu quốc tế Lào Cai")
    page.select_option("#id_return_mode", "border_handover")
    page.select_option("#id_category", "under_identification")
    page.fill("#id_full_name", full_name)
    page.fill("#id_date_of_birth", "2005-02-14")
    page.fill("#id_id_number", "001305001234")
    page.fill("#id_phone", "0912 888 777")
    page.select_option("#id_sex", "female")
    page.select_option("#id_ethnicity", "hmong")
    # Choosing the province reloads the commune list (htmx) with that province's communes only.
    page.select_option("#id_home_province", "lao-cai")
    expect(page.locator("#id_home_commune option[value='lao-cai/y-ty']")).to_have_text("Y Tý")
    page.select_option("#id_home_commune", "lao-cai/y-ty")
    page.check("input[name=languages][value=hmn]")
    page.check("input[name=exploitation_types][value=forced_marriage]")
    page.select_option("#id_destination_country", "CN")
    screenshot(page, "register-filled")
    page.click("form button[type=submit]:has-text('Đăng ký')")
    expect(page.locator(".msg.success")).to_contain_text("Đã đăng ký. Mã hồ sơ là")
    return page.locator("h1.case-code").inner_text().strip()


def test_a_caseworker_registers_finds_and_records_then_withdraws_consent(web: Page, settings):
    settings.HAVEN_REQUIRE_2FA = False
    world = build_world()
    commune(province())
    page = web

    log_in(page, world.owner_caseworker.username)
    expect(page.locator("h1")).to_have_text("Tổng quan")
    expect(page.locator(".env-banner")).to_contain_text("Xác thực hai lớp đang tắt trong bản trình diễn này")
    screenshot(page, "dashboard")

    code = register_person(page, "Sùng Thị Mỷ")
    assert re.fullmatch(r"HV-26-[A-Z2-9]{6}", code)
    expect(page.locator("main")).to_contain_text("Y Tý")
    screenshot(page, "case-overview")

    # Find her again without typing any accent.
    page.click("nav.mainnav >> text=Hồ sơ")
    page.fill("#id_q", "sung thi my")
    page.click("form[role=search] button[type=submit]")
    row = page.locator("table.data tbody tr", has_text=code)
    expect(row).to_have_count(1)
    expect(row.locator(".sealed-name")).to_have_text("Sùng Thị Mỷ")
    screenshot(page, "case-list")
    row.locator("a.code").click()
    expect(page.locator("h1.case-code")).to_have_text(code)

    # Record consent to receive services…
    page.click("nav.tabs >> text=Sự đồng ý")
    page.select_option("#id_purpose", "services")
    page.select_option("#id_decision", "given")
    page.select_option("#id_given_by", "person")
    page.select_option("#id_method", "signed_form")
    page.click("button:has-text('Ghi nhận sự đồng ý')")
    expect(page.locator(".msg.success")).to_have_text("Đã ghi nhận quyết định về sự đồng ý.")
    services = page.locator(".consent-tile[data-purpose=services]")
    expect(services.locator(".state .badge")).to_have_text("Đồng ý")
    screenshot(page, "consent-given")

    # …and withdraw it: it takes effect at once and the history keeps both decisions.
    services.locator("summary").click()
    services.locator("select[name=given_by]").select_option("person")
    services.locator("select[name=method]").select_option("signed_form")
    services.locator("button:has-text('Rút lại sự đồng ý')").click()
    expect(page.locator(".msg.success")).to_contain_text("Đã rút lại sự đồng ý")
    expect(page.locator(".consent-tile[data-purpose=services] .state .badge")).to_have_text("Đã rút lại")
    expect(page.locator("section[aria-labelledby=history] tbody tr")).to_have_count(2)
    screenshot(page, "consent-withdrawn")

    # Her identity page is a logged read.
    page.click("nav.tabs >> text=Nhân thân")
    expect(page.locator("dd[data-field=full_name]")).to_have_text("Sùng Thị Mỷ")
    log_out(page)

    # The auditor sees who read what, never the values, and the chain verifies.
    log_in(page, world.auditor.username)
    page.click("nav.mainnav >> text=Nhật ký kiểm tra")
    page.fill("#id_case", code)
    page.click("button:has-text('Lọc')")
    reads = page.locator("table.data tbody tr", has_text="Xem thông tin nhân thân")
    expect(reads.first).to_contain_text(world.owner_caseworker.username)
    expect(reads.first).to_contain_text("Họ và tên")
    expect(page.locator("table.data tbody tr", has_text="Ghi nhận sự đồng ý")).to_have_count(2)
    expect(page.locator("main")).not_to_contain_text("Sùng Thị Mỷ")
    page.click("button:has-text('Kiểm tra chuỗi')")
    expect(page.locator("#verify-result [data-verify=ok]")).to_contain_text("chuỗi toàn vẹn")
    screenshot(page, "audit")

    # Switch to English: the same page, translated.
    page.click(".lang-switch button[value=en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Audit trail")
    expect(page.locator("label[for=id_action]")).to_have_text("Action")
    expect(page.locator("button:has-text('Verify the chain')")).to_be_visible()
    page.click(".lang-switch button[value=vi]")
    expect(page.locator("h1")).to_have_text("Nhật ký kiểm tra")


def test_a_supervisor_sees_who_has_seen_the_record(web: Page, settings):
    settings.HAVEN_REQUIRE_2FA = False
    world = build_world()
    page = web
    log_in(page, world.owner_caseworker.username)
    page.goto(f"/cases/{world.case.code}/identity/")
    expect(page.locator("dd[data-field=full_name]")).to_have_text("Đặng Thị Ngọc")
    log_out(page)
    log_in(page, world.supervisor.username)
    page.goto(f"/cases/{world.case.code}/")
    page.click("nav.tabs >> text=Ai đã xem hồ sơ này")
    row = page.locator("table.data tbody tr", has_text=world.owner_caseworker.username)
    expect(row.first).to_contain_text("Họ và tên")
    expect(page.locator("main")).not_to_contain_text("Đặng Thị Ngọc")
    screenshot(page, "seen-by")


def test_two_factor_enrolment_then_verification_at_the_next_login(web: Page, settings):
    settings.HAVEN_REQUIRE_2FA = True
    world = build_world()
    page = web

    log_in(page, world.owner_caseworker.username)
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/$"))
    expect(page.locator(".qr svg")).to_be_visible()
    screenshot(page, "two-factor-setup")
    secret = page.locator("#totp-secret").get_attribute("data-secret")
    totp = pyotp.TOTP(secret)
    page.fill("#id_code", totp.now())
    page.click("button:has-text('Bật xác thực hai lớp')")
    expect(page.locator("h1")).to_have_text("Tổng quan")
    assert User.objects.get(pk=world.owner_caseworker.pk).has_2fa
    log_out(page)

    log_in(page, world.owner_caseworker.username)
    expect(page.locator("h1")).to_have_text("Xác thực hai lớp")
    # A code is accepted once; the next one comes from the following 30-second step.
    page.fill("#id_code", totp.at(time.time() + 30))
    page.click("button:has-text('Xác thực')")
    expect(page.locator("h1")).to_have_text("Tổng quan")
    page.goto(f"/cases/{world.case.code}/")
    expect(page.locator("h1.case-code")).to_have_text(world.case.code)


def test_a_wrong_password_is_refused_in_the_page_language(web: Page):
    build_world()
    page = web
    page.goto("/accounts/login/")
    page.click(".lang-switch button[value=en]")
    expect(page.locator("h1")).to_have_text("Log in to Haven")
    page.fill("#id_username", "owner_cw")
    page.fill("#id_password", "not-the-password")
    page.click("form button[type=submit].btn")
    expect(page.locator(".form-errors")).to_have_text("The username or password is not correct.")
