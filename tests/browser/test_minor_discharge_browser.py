"""Decree 09/2013 Art. 21 in a real browser: a minor's discharge is refused without an approved safety
assessment of the home (the message shows, the stay stays open); the caseworker records and submits the
assessment, a supervisor approves it, and the discharge then goes through."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from haven.followup.models import HomeSafetyAssessment
from haven.support.models import ShelterStay
from tests.browser.conftest import screenshot
from tests.browser.test_browser_flows import log_in, log_out
from tests.factories import build_world
from tests.followup.conftest import admit, minor_case

pytestmark = pytest.mark.browser


def _discharge(page: Page, code: str, stay: ShelterStay, day: dt.date) -> None:
    page.goto(f"/cases/{code}/support/")
    row = page.locator(f"form[action$='/stays/{stay.pk}/discharge/']")
    if not row.is_visible():
        page.locator(f"details:has(form[action$='/stays/{stay.pk}/discharge/']) summary").click()
    row.locator("input[name=discharged_on]").fill(day.isoformat())
    row.locator("button[type=submit]").click()


def test_a_minors_discharge_is_refused_until_the_home_assessment_is_approved(web: Page, settings):
    settings.HAVEN_REQUIRE_2FA = False
    world = build_world()
    case = minor_case(world)
    stay = admit(world, case)
    today = dt.date.today()
    page, code = web, case.code

    # The caseworker tries to discharge the 15-year-old: refused, with the reason, and the stay stays open.
    log_in(page, world.owner_caseworker.username)
    page.goto(f"/cases/{code}/support/")
    expect(page.locator("[data-safety-assessment-link]")).to_have_count(1)
    _discharge(page, code, stay, today)
    error = page.locator(f"form[action$='/stays/{stay.pk}/discharge/'] .errorlist")
    expect(error).to_contain_text("09/2013")
    screenshot(page, "minor-discharge-refused")
    stay.refresh_from_db()
    assert stay.discharged_on is None

    # She follows the link to the Follow-up tab, records the home visit and submits it.
    page.locator(f"form[action$='/stays/{stay.pk}/discharge/'] [data-safety-assessment-link]").click()
    expect(page.locator("#assessment-form")).to_be_visible()
    page.select_option("#id_stay", str(stay.pk))
    page.fill("#id_visited_on", today.isoformat())
    page.fill("#id_findings", "Bà nội và chú ruột chăm sóc; không còn liên lạc với đối tượng (dữ liệu thử nghiệm).")
    page.select_option("#id_outcome", "safe")
    page.click("#assessment-form button[type=submit]")
    expect(page.locator(".msg.success")).to_be_visible()
    made = HomeSafetyAssessment.objects.get(case=case)
    row = page.locator(f"tr[data-assessment='{made.pk}']")
    expect(row).to_have_attribute("data-status", "draft")
    page.click("button[data-action=submit]")
    expect(page.locator(f"tr[data-assessment='{made.pk}']")).to_have_attribute("data-status", "submitted")
    # Still refused while it waits for approval.
    _discharge(page, code, stay, today)
    expect(page.locator(f"form[action$='/stays/{stay.pk}/discharge/'] .errorlist")).to_be_visible()
    log_out(page)

    # The supervisor (not the author) approves it.
    log_in(page, world.supervisor.username)
    page.goto(f"/cases/{code}/follow-up/")
    decide = page.locator(f"form[action$='/assessments/{made.pk}/decide/']")
    decide.locator("select[name=decision]").select_option("approve")
    decide.locator("button[type=submit]").click()
    expect(page.locator(f"tr[data-assessment='{made.pk}']")).to_have_attribute("data-status", "approved")
    made.refresh_from_db()
    assert made.status == "approved" and made.decided_by_id == world.supervisor.pk
    log_out(page)

    # Now the caseworker's discharge goes through.
    log_in(page, world.owner_caseworker.username)
    _discharge(page, code, stay, today)
    expect(page.locator(".msg.success")).to_be_visible()
    screenshot(page, "minor-discharge-allowed")
    stay.refresh_from_db()
    assert stay.discharged_on == today and stay.discharged_by_id == world.owner_caseworker.pk
