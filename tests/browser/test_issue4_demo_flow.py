"""Issue 4's "done means", on the demo data and in a real browser.

A caseworker refers a demo person, the receiving agency accepts, records a shelter stay and a payment
with evidence, and the supervisor sees the budget against the estimate and next year's forecast.

The demo is loaded with the real loader (haven.core.demo.build.demo_load). Pages are read in English
(the Vietnamese catalogue is being merged), with one Vietnamese heading checked at the end.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db.models import Sum
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from haven.accounts.models import User
from haven.budgets.models import BudgetEstimate
from haven.cases.models import Case
from haven.core.demo import referrals as demo_referrals
from haven.core.demo.build import demo_load
from haven.core.demo.org import DEMO_PASSWORD
from haven.referrals.models import Referral, ReferralStatus
from haven.support.models import FundingKind, FundingSource, LedgerApproval, LedgerEntry, ShelterStay
from haven.support.stays import stay_limit
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

SHELTER = "Nhà an toàn Sương Sớm"
SHELTER_EN = "Morning Dew Safe House (fictional NGO)"
ACTUAL_COST = 1_350_000  # what the shelter paid, where the rules fix no amount for the item
OUTCOME = "Ở nhà an toàn 30 ngày; đã hỗ trợ nhu cầu thiết yếu, chuyển học nghề tại địa phương."


@pytest.fixture
def demo_case(transactional_db, monkeypatch) -> Case:  # noqa: ANN001
    """Load the demo and return the case of story b07 (sharing consent with NGO shelters), taken from
    the loader's own cases: the referrals demo is given the loader, and this spy keeps its cases."""
    seen: dict[str, Any] = {}
    load = demo_referrals.load

    def spy(loader: Any) -> None:
        seen["cases"] = dict(loader.cases)
        load(loader)

    monkeypatch.setattr(demo_referrals, "load", spy)
    demo_load()
    return Case.objects.get(pk=seen["cases"][demo_referrals.SHELTER_CONSENT].pk)


@pytest.fixture
def browse(chromium: Browser, live_server) -> Iterator[Callable[[str], Page]]:  # noqa: ANN001
    """`browse(username)`: a new browser context (own cookies) logged in as a demo user, in English."""
    contexts = []

    def open_as(username: str) -> Page:
        context = chromium.new_context(base_url=live_server.url, locale="en-GB", viewport={"width": 1366, "height": 768})
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("form button[type=submit].btn")
        expect(page.locator(".btn-logout")).to_be_visible()
        # Logging in sets the language cookie to the user's preferred language (Vietnamese for the demo
        # users): English is chosen after it, as the language switcher would.
        set_language(page, live_server.url, "en")
        return page

    yield open_as
    for context in contexts:
        context.close()


def set_language(page: Page, url: str, language: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": language, "url": url}])


def approved_spent(source: FundingSource) -> int:
    """What the budget page calls spent for a funding source: approved entries of this year until today."""
    today = timezone.localdate()
    entries = LedgerEntry.objects.filter(funding_source=source, provided_on__year=today.year,
                                         provided_on__lte=today, approval__approved=True)
    return int(entries.aggregate(total=Sum("amount"))["total"] or 0)


def test_issue4_a_demo_person_is_referred_sheltered_paid_for_and_budgeted(demo_case, browse, live_server, settings):
    settings.HAVEN_REQUIRE_2FA = False
    case, code, today = demo_case, demo_case.code, timezone.localdate()
    border_worker = User.objects.get(username="border.worker")
    shelter_worker = User.objects.get(username="shelter.worker")
    shelter_supervisor = User.objects.get(username="shelter.supervisor")
    shelter = shelter_worker.agency
    assert shelter.name == SHELTER and case.owner_agency_id == border_worker.agency_id
    assert not case.referrals.filter(to_agency=shelter).exists()
    assert not ShelterStay.objects.filter(case=case).exists()
    grant = FundingSource.objects.get(agency=shelter, kind=FundingKind.NGO_DONOR, is_active=True)
    estimate = BudgetEstimate.objects.filter(agency=shelter, funding_source=grant, year=today.year).latest("pk")

    # 1. The border post's caseworker refers the person to the NGO shelter.
    border = browse("border.worker")
    border.goto(f"/cases/{code}/referrals/")
    expect(border.locator("html")).to_have_attribute("lang", "en")
    expect(border.locator("h1.case-code")).to_have_text(code)
    expect(border.locator("#send-h")).to_have_text("Refer to another agency")
    expect(border.locator(f"#id_to_agency option[value='{shelter.pk}']")).to_contain_text(SHELTER_EN)
    border.select_option("#id_to_agency", str(shelter.pk))
    preview = border.locator("#share-preview .share-preview")
    expect(preview).to_have_attribute("data-consent", "yes")  # the demo recorded her consent for NGO shelters
    expect(preview.locator(".badge.ok")).to_have_text("Consent to share in force")
    border.fill("#id_purpose", "Nơi ở tạm thời an toàn, hỗ trợ nhu cầu thiết yếu trong thời gian xác minh.")
    border.check("input[name=items][value=essential_needs]")
    expect(border.locator("#id_due_on")).not_to_have_value("")
    border.click("#send-form button[type=submit]")
    expect(border.locator(".msg.success")).to_be_visible()
    referral = Referral.objects.get(case=case, to_agency=shelter)
    assert referral.status == ReferralStatus.SENT and referral.sent_by_id == border_worker.pk
    assert referral.items == ["essential_needs"]
    sent = border.locator(f"li[data-event=sent][data-referral='{referral.pk}']")
    expect(sent).to_contain_text(SHELTER_EN)
    expect(sent.locator(".item-tag[data-item=essential_needs]")).to_be_visible()
    expect(sent.locator(".badge").first).to_have_text("Sent")
    screenshot(border, "issue4-referral-sent")

    # 2. The shelter's caseworker accepts it from the agency's inbox…
    worker = browse("shelter.worker")
    worker.goto("/referrals/")
    row = worker.locator(f".application[data-referral='{referral.pk}']")
    expect(row).to_contain_text(code)
    expect(row).to_contain_text("Nơi ở tạm thời an toàn")
    row.locator("form[action$='/accept/'] button").click()
    expect(worker.locator(".msg.success")).to_be_visible()
    expect(worker.locator(f".application[data-referral='{referral.pk}']")).to_have_attribute("data-status", "accepted")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED

    # …opens the case, then its Shelter & payments tab, and admits her today.
    worker.locator(f".application[data-referral='{referral.pk}'] a[href='/cases/{code}/']").click()
    expect(worker.locator("h1.case-code")).to_have_text(code)
    worker.click("nav.tabs >> text=Shelter & payments")
    expect(worker).to_have_url(re.compile(f"/cases/{code}/support/$"))
    expect(worker.locator("#admit-h")).to_have_text("Admit to a facility")
    worker.select_option("#id_facility", str(shelter.pk))
    worker.fill("#id_admitted_on", today.isoformat())
    worker.click("button:has-text('Record the admission')")
    expect(worker.locator(".msg.success")).to_have_text("The admission is recorded.")
    stay = ShelterStay.objects.get(case=case)
    assert (stay.facility_id, stay.admitted_on, stay.discharged_on, stay.admitted_by_id) == (
        shelter.pk, today, None, shelter_worker.pk)
    limit = stay_limit(stay, today)
    assert limit.limit_days and limit.paid_until
    stay_row = worker.locator(f"tr[data-stay='{stay.pk}']")
    expect(stay_row).to_have_attribute("data-limit-state", "ok")
    expect(stay_row).to_contain_text(SHELTER_EN)
    expect(stay_row).to_contain_text(f"{limit.days_so_far} of {limit.limit_days} paid days")
    expect(stay_row.locator("meter")).to_have_attribute("max", str(limit.limit_days))
    expect(worker.locator("#admit-h")).to_have_count(0)  # one open stay at a time

    # 3. She records a payment for essential needs, from the shelter's grant, with an invoice.
    worker.select_option("#id_item", "essential_needs")
    proposal = worker.locator("#proposal [data-proposed]")  # the engine's proposal, loaded by htmx
    expect(proposal).to_have_count(1)
    proposed = proposal.get_attribute("data-proposed")
    amount = int(proposed) if proposed else ACTUAL_COST
    if not proposed:
        expect(proposal).to_contain_text("enter the actual cost")
    worker.select_option("#id_kind", "payment")
    expect(worker.locator("#id_provided_on")).to_have_value(today.isoformat())
    worker.fill("#id_amount", str(amount))
    worker.select_option("#id_funding_source", str(grant.pk))
    worker.select_option("#id_evidence_kind", "invoice")
    worker.fill("#id_evidence_ref", "HĐ 0004571")
    worker.click("button:has-text('Record the entry')")
    expect(worker.locator(".msg.success")).to_contain_text("The entry is recorded.")
    entry = LedgerEntry.objects.get(case=case)
    assert (entry.item, entry.kind, entry.amount, entry.funding_source_id, entry.evidence_kind, entry.evidence_ref,
            entry.agency_id, entry.recorded_by_id) == (
        "essential_needs", "payment", amount, grant.pk, "invoice", "HĐ 0004571", shelter.pk, shelter_worker.pk)
    assert not LedgerApproval.objects.filter(entry=entry).exists()
    ledger_row = worker.locator(f"tr[data-entry='{entry.pk}']")
    expect(ledger_row).to_contain_text("Essential needs")
    expect(ledger_row).to_contain_text(f"{amount:,} VND")
    expect(ledger_row).to_contain_text("Invoice: HĐ 0004571")
    expect(ledger_row).to_contain_text(grant.name)
    expect(ledger_row.locator(".badge.warn")).to_have_text("Awaiting approval")
    screenshot(worker, "issue4-support-tab")
    spent_before = approved_spent(grant)

    # 4. The shelter's supervisor approves it (four eyes: not the person who recorded it).
    supervisor = browse("shelter.supervisor")
    supervisor.goto("/support/")
    waiting = supervisor.locator(f"tr[data-entry='{entry.pk}']")
    expect(waiting).to_contain_text(code)
    expect(waiting).to_contain_text(f"{amount:,} VND")
    expect(waiting).to_contain_text("HĐ 0004571")
    waiting.locator("select[name=decision]").select_option("approve")
    waiting.locator("button:has-text('Record the decision')").click()
    expect(supervisor.locator(".msg.success")).to_be_visible()
    expect(supervisor.locator(f"tr[data-entry='{entry.pk}']")).to_have_count(0)
    approval = LedgerApproval.objects.get(entry=entry)
    assert approval.approved and approval.decided_by_id == shelter_supervisor.pk != entry.recorded_by_id
    spent = approved_spent(grant)
    assert spent == spent_before + amount

    # The worker sees it approved in the case's ledger.
    worker.reload()
    expect(worker.locator(f"tr[data-entry='{entry.pk}'] .badge")).to_have_text("Approved")

    # 5. The supervisor sees the budget against the estimate…
    supervisor.goto("/budgets/")
    expect(supervisor).to_have_url(re.compile(f"/budgets/agency/{shelter.pk}/$"))
    expect(supervisor.locator("h1")).to_have_text(f"Budget of {SHELTER_EN}, {today.year}")
    source_row = supervisor.locator("section[aria-labelledby=estimates] tbody tr", has_text=grant.name)
    expect(source_row).to_have_count(1)
    cells = source_row.locator("td")
    expect(cells.nth(1)).to_have_text(f"{estimate.amount:,}")
    expect(cells.nth(2)).to_have_text(f"{spent:,}")
    expect(cells.nth(4)).to_have_text(f"{estimate.amount - spent:,}")
    expect(supervisor.locator("section[aria-labelledby=spending] figure.chart svg")).to_be_visible()
    screenshot(supervisor, "issue4-budget")

    # …and next year's forecast: the fan chart and the 80% and 95% intervals.
    supervisor.click("a:has-text(\"Next year's forecast\")")
    expect(supervisor).to_have_url(re.compile(f"/budgets/agency/{shelter.pk}/forecast/$"))
    expect(supervisor.locator("h1")).to_have_text(f"Forecast for {today.year + 1}: {SHELTER_EN}")
    expect(supervisor.locator("section[aria-labelledby=intake-forecast] figure.chart svg")).to_be_visible()
    people = supervisor.locator(".stat", has_text="People expected")
    expect(people).to_contain_text(re.compile(r"80%: \d+–\d+ · 95%: \d+–\d+"))
    budget = supervisor.locator(".stat", has_text="Budget (đồng)")
    expect(budget).to_contain_text(re.compile(r"80%: [\d,]+–[\d,]+ · 95%: [\d,]+–[\d,]+"))
    # The year's row of the table gives the same intervals as the summary.
    year_row = supervisor.locator("section[aria-labelledby=intake-forecast] tfoot tr")
    lo80_hi80 = year_row.locator("td, th").nth(2).inner_text().strip()
    lo95_hi95 = year_row.locator("td, th").nth(3).inner_text().strip()
    expect(people).to_contain_text(f"80%: {lo80_hi80} · 95%: {lo95_hi95}")
    screenshot(supervisor, "issue4-forecast")

    # 6. The shelter's caseworker records the referral's outcome from the inbox.
    worker.goto("/referrals/")
    row = worker.locator(f".application[data-referral='{referral.pk}']")
    row.locator("details summary:has-text('Complete')").click()
    row.locator("textarea[name=outcome]").fill(OUTCOME)
    row.locator("button:has-text('Record the outcome')").click()
    expect(worker.locator(".msg.success")).to_be_visible()
    expect(worker.locator(f".application[data-referral='{referral.pk}']")).to_have_count(0)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COMPLETED

    # The border post reads the whole story on the case's timeline.
    border.reload()
    expect(border.locator(f"li[data-referral='{referral.pk}']")).to_have_count(3)
    expect(border.locator(f"li[data-event=completed][data-referral='{referral.pk}']")).to_contain_text(OUTCOME)

    # One heading in Vietnamese, the default language: the referral inbox.
    set_language(worker, live_server.url, "vi")
    worker.reload()
    expect(worker.locator("html")).to_have_attribute("lang", "vi")
    expect(worker.locator("h1")).to_have_text("Chuyển gửi")
