"""The Entitlements tab in a real browser: answer a question, see the refusal explained, open a dossier."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from haven.cases.services import case_identify, case_start_verification
from tests.browser.conftest import screenshot
from tests.browser.test_browser_flows import log_in
from tests.factories import access, build_world, register

pytestmark = pytest.mark.browser


def test_a_caseworker_sees_a_refusal_explained_and_opens_a_dossier(web: Page, settings):
    settings.HAVEN_REQUIRE_2FA = False
    world = build_world()
    case = register(world.owner_caseworker, received_on="2024-03-01", full_name="Lý Thị Mai")
    got = access(world.owner_caseworker, case, "edit")
    case_start_verification(access=got)
    case_identify(access=got, identified_on="2024-03-05", authority="Công an tỉnh Lào Cai", document="12/QĐ")

    log_in(web, "owner_cw")
    web.goto(f"/cases/{case.code}/")
    web.click("nav.tabs >> text=Chế độ hỗ trợ")
    expect(web.locator("nav.tabs a[aria-current=page]")).to_have_text("Chế độ hỗ trợ")

    # Identified in 2024: the Law 66/2011 regime, looked at on a date within the 12 months.
    web.fill("#id_on", "2024-06-01")
    web.click("button:has-text('Xác định')")
    hardship = web.locator("tr[data-item=hardship_allowance]")
    expect(hardship).to_have_attribute("data-status", "needs_information")

    web.check("fieldset[data-question=poor_household] input[value=no]")
    web.click("button:has-text('Lưu thông tin')")
    expect(web.locator(".msg.success")).to_contain_text("Đã lưu thông tin")
    expect(web.locator("#id_on")).to_have_value("2024-06-01")  # the page keeps the date looked at
    expect(hardship).to_have_attribute("data-status", "not_entitled")
    expect(hardship).to_contain_text("Không được hưởng")
    expect(hardship).to_contain_text("không thuộc danh sách hộ nghèo của xã")
    screenshot(web, "entitlements-tab")

    web.select_option("#id_item", "vocational_training")
    web.fill("#id_received_on", "2024-06-03")
    web.click("button:has-text('Ghi nhận hồ sơ')")
    expect(web.locator(".msg.success")).to_contain_text("Đã ghi nhận hồ sơ")
    dossier = web.locator(".application").first
    expect(dossier).to_contain_text("Hỗ trợ học nghề")
    expect(dossier.locator("tbody tr")).to_have_count(3)

    dossier.locator("summary:has-text('Hoàn thành bước tiếp theo')").click()
    dossier.locator("input[name=completed_on]").fill("2024-06-05")
    dossier.locator("button:has-text('Đánh dấu bước đã hoàn thành')").click()
    expect(web.locator(".msg.success")).to_contain_text("Đã đánh dấu bước này là hoàn thành")
    first_step = web.locator(".application").first.locator("tbody tr").first
    expect(first_step).to_contain_text("05/06/2024")
    expect(first_step).not_to_have_class(re.compile("overdue-row"))
    screenshot(web, "entitlements-application")
