"""The Shelter & payments tab and the support page, in the browser's terms."""

from __future__ import annotations

import datetime as dt

import pytest

from haven.entitlements.labels import item_label
from haven.support.ledger import ledger_decide, ledger_record
from haven.support.models import FundingSource, LedgerApproval, LedgerEntry, ShelterStay
from tests.factories import access
from tests.support.conftest import own_access, share
from tests.web.conftest import text

pytestmark = pytest.mark.django_db


@pytest.fixture
def stayed(world, old_case, owner):
    response = owner.post(f"/cases/{old_case.code}/support/stays/",
                          {"facility": world.other_agency.pk, "admitted_on": "2023-03-05"})
    assert response.status_code == 302
    stay = ShelterStay.objects.get(case=old_case)
    assert owner.post(f"/cases/{old_case.code}/support/stays/{stay.pk}/discharge/",
                      {"discharged_on": "2023-04-13", "note": ""}).status_code == 302
    return old_case


def _entry(world, case, fund, user=None, **extra):
    data = {"item": "food", "kind": "payment", "provided_on": "2023-04-13", "amount": 1_200_000,
            "funding_source_id": fund.pk, "evidence_kind": "invoice", "evidence_ref": "HĐ 0000123", **extra}
    return ledger_record(access=access(user or world.owner_caseworker, case), **data)


def test_the_tab_shows_the_stay_with_its_paid_limit(world, stayed, owner):
    owner.cookies["django_language"] = "en"
    page = text(owner.get(f"/cases/{stayed.code}/support/"))
    assert 'data-limit-state="ok"' in page
    assert "40 of 92 paid days" in page  # 3 months from 5 March 2023 (Circular 84/2019)
    assert '<meter min="0" max="92" value="40"' in page


def test_a_stay_past_its_limit_is_warned_on_the_tab(world, old_case, owner):
    owner.post(f"/cases/{old_case.code}/support/stays/", {"facility": world.other_agency.pk, "admitted_on": "2023-03-05"})
    owner.cookies["django_language"] = "en"
    page = text(owner.get(f"/cases/{old_case.code}/support/"))
    assert 'data-limit-state="passed"' in page
    assert "Past the state-paid limit" in page


def test_recording_a_payment_in_the_browser(world, stayed, owner, owner_fund):
    response = owner.post(f"/cases/{stayed.code}/support/ledger/", {
        "item": "food", "kind": "payment", "provided_on": "2023-04-13", "amount": "1.200.000",
        "funding_source": owner_fund.pk, "evidence_kind": "signature_list", "evidence_ref": "DS-04/2023",
        "amount_reason": "", "note": ""})
    assert response.status_code == 302
    entry = LedgerEntry.objects.get()
    assert (entry.amount, entry.proposed_amount) == (1_200_000, 1_200_000)
    owner.cookies["django_language"] = "en"
    page = text(owner.get(f"/cases/{stayed.code}/support/"))
    assert "DS-04/2023" in page and "Awaiting approval" in page


def test_a_different_amount_without_a_reason_is_refused_with_a_clear_message(world, stayed, owner, owner_fund):
    owner.cookies["django_language"] = "en"
    response = owner.post(f"/cases/{stayed.code}/support/ledger/", {
        "item": "food", "kind": "payment", "provided_on": "2023-04-13", "amount": "900000",
        "funding_source": owner_fund.pk, "evidence_kind": "invoice", "evidence_ref": "HĐ 1", "amount_reason": ""})
    assert response.status_code == 200
    assert "The amount differs from the proposed 1,200,000 VND: say why." in text(response)
    assert not LedgerEntry.objects.exists()


def test_the_proposal_fragment_shows_the_engines_amount(world, stayed, owner):
    response = owner.get(f"/cases/{stayed.code}/support/proposal/", {"item": "food", "provided_on": "2023-04-13"})
    assert 'data-proposed="1200000"' in text(response)


def test_the_receiving_agency_records_a_stay_and_a_payment(world, old_case, outsider, facility_fund):
    share(world, old_case)
    assert outsider.post(f"/cases/{old_case.code}/support/stays/",
                         {"facility": world.other_agency.pk, "admitted_on": "2023-03-05"}).status_code == 302
    response = outsider.post(f"/cases/{old_case.code}/support/ledger/", {
        "item": "clothing_personal_items", "kind": "service", "provided_on": "2023-03-06", "amount": "400000",
        "funding_source": facility_fund.pk, "evidence_kind": "invoice", "evidence_ref": "HĐ 778"})
    assert response.status_code == 302
    assert LedgerEntry.objects.get().agency == world.other_agency


def test_a_supervisor_approves_from_the_support_page(world, stayed, supervisor, owner_fund):
    entry = _entry(world, stayed, owner_fund)
    page = text(supervisor.get("/support/"))
    assert stayed.code in page and f'data-entry="{entry.pk}"' in page
    assert item_label("food", "vi") in page and ">food<" not in page  # the item's name, not its code
    assert supervisor.post(f"/support/entries/{entry.pk}/decide/", {"decision": "approve"}).status_code == 302
    assert LedgerApproval.objects.get(entry=entry).approved


def test_a_rejection_without_a_note_comes_back_with_the_error(world, stayed, supervisor, owner_fund):
    entry = _entry(world, stayed, owner_fund)
    supervisor.cookies["django_language"] = "en"
    response = supervisor.post(f"/support/entries/{entry.pk}/decide/", {"decision": "reject", "note": ""})
    assert response.status_code == 200 and "Explain in at least 10 characters." in text(response)
    assert not LedgerApproval.objects.exists()


def test_reversing_in_the_browser(world, stayed, owner, owner_fund):
    entry = _entry(world, stayed, owner_fund)
    ledger_decide(acting_user=world.supervisor, entry_id=entry.pk, approved=True)
    assert owner.post(f"/cases/{stayed.code}/support/ledger/{entry.pk}/reverse/",
                      {"reason": "Trùng với phiếu chi số 12"}).status_code == 302
    assert LedgerEntry.objects.get(reverses=entry).amount == -entry.amount


def test_funding_sources_are_added_and_deactivated_by_a_supervisor(world, supervisor):
    assert supervisor.post("/support/funding/", {"kind": "state_budget", "name": "Ngân sách tỉnh 2026",
                                                 "code": "NS-26"}).status_code == 302
    source = FundingSource.objects.get()
    assert source.agency == world.owner_agency
    assert supervisor.post(f"/support/funding/{source.pk}/deactivate/").status_code == 302
    source.refresh_from_db()
    assert not source.is_active


def test_a_bad_funding_source_is_refused_and_nothing_saved(world, supervisor):
    response = supervisor.post("/support/funding/", {"kind": "lottery", "name": ""})
    assert response.status_code == 200
    assert "Hãy chọn một trong các lựa chọn có trong danh sách." in text(response)
    assert not FundingSource.objects.exists()


def test_stays_near_their_limit_are_listed_with_codes_not_names(world, owner, as_user):
    from tests.support.conftest import identified_case
    today = dt.date.today()
    case = identified_case(world, received_on=today - dt.timedelta(days=120), full_name="Sùng Thị Chơ")
    owner.post(f"/cases/{case.code}/support/stays/", {"facility": world.other_agency.pk,
                                                      "admitted_on": (today - dt.timedelta(days=115)).isoformat()})
    page = text(owner.get("/support/"))
    assert case.code in page and "Sùng Thị Chơ" not in page
    assert case.code in text(owner.get("/"))


def test_the_page_in_english(world, stayed, owner):
    owner.cookies["django_language"] = "en"
    page = text(owner.get(f"/cases/{stayed.code}/support/"))
    assert "Shelter stays" in page and "Services and payments" in page


def test_reasons_are_shown_only_to_the_recording_agency(world, stayed, owner_fund, outsider):
    share(world, stayed)
    _entry(world, stayed, owner_fund, amount=1_000_000, amount_reason="Bí mật: người thân đã trả một phần")
    assert "Bí mật" not in text(outsider.get(f"/cases/{stayed.code}/support/"))
    assert own_access(world, stayed).can_edit
