"""A referral between two agencies in a real browser: sent, accepted and completed."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from haven.referrals.models import Referral
from tests.browser.conftest import screenshot
from tests.browser.test_browser_flows import log_in, log_out
from tests.factories import build_world
from tests.referrals.conftest import consent

pytestmark = pytest.mark.browser


def test_a_referral_is_sent_accepted_and_completed_between_two_agencies(web: Page, settings):
    settings.HAVEN_REQUIRE_2FA = False
    world = build_world()
    consent(world)  # the person agreed to share with social work centres
    page, code = web, world.case.code

    # The border post's caseworker refers the person to the social work centre.
    log_in(page, world.owner_caseworker.username)
    page.goto(f"/cases/{code}/referrals/")
    expect(page.locator("h1.case-code")).to_have_text(code)
    page.select_option("#id_to_agency", str(world.other_agency.pk))
    preview = page.locator("#share-preview .share-preview")
    expect(preview).to_have_attribute("data-consent", "yes")  # loaded by htmx for the chosen agency
    expect(preview.locator("li")).to_have_count(6)
    page.fill("#id_purpose", "Tiếp nhận vào Trung tâm, hỗ trợ tâm lý và nhu cầu thiết yếu")
    page.check("input[name=items][value=psychological]")
    page.check("input[name=items][value=essential_needs]")
    expect(page.locator("#id_due_on")).not_to_have_value("")
    screenshot(page, "referral-send")
    page.click("#send-form button[type=submit]")
    expect(page.locator(".msg.success")).to_be_visible()
    expect(page.locator("li[data-event=sent]")).to_have_count(1)
    referral = Referral.objects.get()
    log_out(page)

    # The centre's caseworker finds it in the agency's inbox and accepts it…
    log_in(page, world.other_caseworker.username)
    page.goto("/referrals/")
    row = page.locator(f".application[data-referral='{referral.pk}']")
    expect(row).to_contain_text(code)
    row.locator("form[action$='/accept/'] button").click()
    expect(page.locator(".msg.success")).to_be_visible()
    row = page.locator(f".application[data-referral='{referral.pk}']")
    expect(row).to_have_attribute("data-status", "accepted")
    # …now opens the case…
    row.locator(f"a[href='/cases/{code}/']").click()
    expect(page.locator("h1.case-code")).to_have_text(code)
    # …and, when the work is done, records the outcome.
    page.goto("/referrals/")
    row = page.locator(f".application[data-referral='{referral.pk}']")
    row.locator("details summary").click()
    row.locator("textarea[name=outcome]").fill("Đã ở Trung tâm 30 ngày, được tư vấn tâm lý 4 buổi.")
    screenshot(page, "referral-complete")
    row.locator("form[action$='/complete/'] button[type=submit]").click()
    expect(page.locator(".msg.success")).to_be_visible()
    expect(page.locator(f".application[data-referral='{referral.pk}']")).to_have_count(0)
    # Completed, the centre's access ends with it.
    page.goto(f"/cases/{code}/")
    expect(page).to_have_url(re.compile(f"/cases/{code}/"))
    expect(page.locator("h1.case-code")).to_have_count(0)
    log_out(page)

    # The border post reads the whole story on the timeline.
    log_in(page, world.owner_caseworker.username)
    page.goto(f"/cases/{code}/referrals/")
    expect(page.locator("li[data-event]")).to_have_count(3)
    expect(page.locator("li[data-event=completed]")).to_contain_text("tư vấn tâm lý 4 buổi")
    expect(page.locator("li[data-event=accepted]")).to_contain_text(world.other_caseworker.username)
    screenshot(page, "referral-timeline")
