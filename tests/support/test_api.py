"""The support API: every response checked against the OpenAPI schema; errors in the one shape."""

from __future__ import annotations

import pytest

from haven.support.ledger import ledger_decide
from haven.support.models import LedgerEntry, ShelterStay
from tests.support.conftest import share

pytestmark = pytest.mark.django_db


@pytest.fixture
def stayed(world, old_case, api):
    client = api(world.owner_caseworker)
    response = client.post(f"/api/cases/{old_case.code}/stays",
                           {"facility_id": world.other_agency.pk, "admitted_on": "2023-03-05"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["paid_item"], body["paid_until"], body["limit_days"]) == ("food", "2023-06-04", 92)
    response = client.post(f"/api/cases/{old_case.code}/stays/{body['id']}/discharge", {"discharged_on": "2023-04-13"})
    assert response.status_code == 200 and response.json()["limit_state"] == "ok"
    return old_case


PAYMENT = {"item": "food", "kind": "payment", "provided_on": "2023-04-13", "amount": 1_200_000,
           "evidence_kind": "signature_list", "evidence_ref": "DS-04/2023"}


def test_record_approve_reverse_and_balances(world, stayed, api, owner_fund):
    owner, boss = api(world.owner_caseworker), api(world.supervisor)
    proposal = owner.get(f"/api/cases/{stayed.code}/ledger/proposal", item="food", provided_on="2023-04-13").json()
    assert proposal["proposed"] == 1_200_000
    entry = owner.post(f"/api/cases/{stayed.code}/ledger", {**PAYMENT, "funding_source_id": owner_fund.pk})
    assert entry.status_code == 201 and entry.json()["status"] == "pending"
    assert [e["id"] for e in boss.get("/api/ledger/pending").json()] == [entry.json()["id"]]
    decided = boss.post(f"/api/ledger/{entry.json()['id']}/approval", {"approved": True})
    assert decided.status_code == 200 and decided.json()["status"] == "approved"
    reversal = owner.post(f"/api/cases/{stayed.code}/ledger/{entry.json()['id']}/reversal",
                          {"reason": "Ghi trùng phiếu chi tháng 4"})
    assert reversal.status_code == 201 and reversal.json()["amount"] == -1_200_000
    balances = owner.get(f"/api/cases/{stayed.code}/ledger/balances").json()
    assert balances == [{"item": "food", "recorded": 0, "approved": 1_200_000, "pending": -1_200_000,
                         "rejected": 0, "entries": 2}]


def test_a_different_amount_without_a_reason_is_a_400_naming_the_field(world, stayed, api, owner_fund):
    response = api(world.owner_caseworker).post(f"/api/cases/{stayed.code}/ledger",
                                                {**PAYMENT, "amount": 900_000, "funding_source_id": owner_fund.pk})
    assert response.status_code == 400
    assert response.json()["field"] == "amount_reason" and response.json()["code"] == "invalid"
    assert not LedgerEntry.objects.exists()


def test_over_the_limit_a_caseworker_gets_over_limit(world, stayed, api, owner_fund):
    response = api(world.owner_caseworker).post(f"/api/cases/{stayed.code}/ledger", {
        **PAYMENT, "amount": 2_000_000, "amount_reason": "Giá thực phẩm tăng cao", "funding_source_id": owner_fund.pk})
    assert (response.status_code, response.json()["code"]) == (400, "over_limit")


@pytest.mark.parametrize("body, field", [
    ({"amount": 0}, "amount"), ({"amount": "1200000"}, "amount"), ({"kind": "gift"}, "kind"),
    ({"evidence_ref": ""}, "evidence_ref"), ({"provided_on": "13/04/2023"}, "provided_on"), ({"extra": 1}, "extra"),
])
def test_malformed_entries_are_422_in_the_one_shape(world, stayed, api, owner_fund, body, field):
    response = api(world.owner_caseworker).post(f"/api/cases/{stayed.code}/ledger",
                                                {**PAYMENT, "funding_source_id": owner_fund.pk, **body})
    assert response.status_code == 422
    assert set(response.json()) == {"detail", "code", "field"} and response.json()["field"] == field
    assert not LedgerEntry.objects.exists()


def test_the_same_404_for_a_missing_and_a_forbidden_case(world, stayed, api):
    outsider = api(world.other_caseworker)
    forbidden = outsider.get(f"/api/cases/{stayed.code}/ledger")
    missing = outsider.get("/api/cases/HV-26-ZZZZZZ/ledger")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.json() == missing.json()


def test_the_receiving_agency_admits_and_pays_through_the_api(world, old_case, api, facility_fund):
    share(world, old_case)
    client = api(world.other_caseworker)
    assert client.post(f"/api/cases/{old_case.code}/stays",
                       {"facility_id": world.other_agency.pk, "admitted_on": "2023-03-05"}).status_code == 201
    response = client.post(f"/api/cases/{old_case.code}/ledger", {
        "item": "clothing_personal_items", "kind": "service", "provided_on": "2023-03-06", "amount": 400_000,
        "funding_source_id": facility_fund.pk, "evidence_kind": "invoice", "evidence_ref": "HĐ 778"})
    assert response.status_code == 201 and response.json()["agency_id"] == world.other_agency.pk
    assert ShelterStay.objects.get(case=old_case).facility == world.other_agency


def test_free_text_is_only_for_the_recording_agency(world, stayed, api, owner_fund):
    share(world, stayed)
    api(world.owner_caseworker).post(f"/api/cases/{stayed.code}/ledger", {
        **PAYMENT, "amount": 1_000_000, "amount_reason": "Người thân đã trả một phần", "funding_source_id": owner_fund.pk})
    theirs = api(world.other_caseworker).get(f"/api/cases/{stayed.code}/ledger").json()
    assert theirs[0]["amount_reason"] is None
    assert api(world.owner_caseworker).get(f"/api/cases/{stayed.code}/ledger").json()[0]["amount_reason"]


def test_funding_sources_and_occupancy(world, api, stayed):
    boss = api(world.supervisor)
    created = boss.post("/api/funding-sources", {"kind": "state_budget", "name": "Ngân sách tỉnh 2026"})
    assert created.status_code == 201
    assert [s["name"] for s in boss.get("/api/funding-sources").json()] == ["Ngân sách tỉnh 2026"]
    again = boss.post("/api/funding-sources", {"kind": "state_budget", "name": "Ngân sách tỉnh 2026"})
    assert (again.status_code, again.json()["field"]) == (400, "name")
    off = boss.post(f"/api/funding-sources/{created.json()['id']}/deactivate")
    assert off.status_code == 200 and off.json()["is_active"] is False
    rows = {r["facility_id"]: r for r in api(world.statistician).get("/api/occupancy").json()}
    assert rows[world.other_agency.pk]["staying"] == 0


def test_there_is_no_method_to_edit_or_delete_an_entry(world, stayed, api, owner_fund, openapi_schema):
    entry = api(world.owner_caseworker).post(f"/api/cases/{stayed.code}/ledger",
                                             {**PAYMENT, "funding_source_id": owner_fund.pk}).json()
    ledger_decide(acting_user=world.supervisor, entry_id=entry["id"], approved=True)
    for path, item in openapi_schema["paths"].items():
        if "ledger" in path or "funding" in path or "stays" in path:
            assert not {"put", "patch", "delete"} & set(item), path
    for method in ("put", "patch", "delete"):
        for path in (f"/api/cases/{stayed.code}/ledger/{entry['id']}", f"/api/ledger/{entry['id']}",
                     f"/api/ledger/{entry['id']}/approval"):
            response = getattr(api(world.supervisor).client, method)(path, content_type="application/json")
            assert response.status_code in (404, 405), (method, path)
    assert LedgerEntry.objects.get(pk=entry["id"]).amount == 1_200_000
