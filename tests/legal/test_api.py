"""The justice API: responses match the schema, sealed fields only on a need to know, clear errors."""

from __future__ import annotations

import pytest

from haven.accounts.models import AgencyKind
from haven.legal.models import CompensationPayment, EnforcementStep

pytestmark = pytest.mark.django_db


def test_the_owner_records_a_payment_and_an_enforcement_step(world, case, award, api):
    client = api(world.owner_caseworker)
    response = client.post(f"/api/cases/{case.code}/awards/{award.pk}/payments",
                           {"received_on": "2024-10-01", "amount": 20_000_000, "method": "enforcement_office",
                            "evidence_ref": "BL-3"})
    assert response.status_code == 201
    verdict = response.json()["proceedings"][0]["verdicts"][0]
    assert (verdict["received"], verdict["outstanding"], verdict["payment_state"]) == (
        20_000_000, 30_000_000, "paid_in_part")
    assert verdict["debtor"] == "Bị cáo Hư Cấu A"
    response = client.post(f"/api/cases/{case.code}/awards/{award.pk}/enforcement",
                           {"kind": "request_filed", "taken_on": "2024-10-05", "body": "Chi cục THADS Hư Cấu"})
    assert response.status_code == 201
    assert EnforcementStep.objects.get().body == "Chi cục THADS Hư Cấu"


def test_a_referral_without_need_to_know_gets_nulls_for_sealed_fields(world, case, award, api):
    from tests.legal.conftest import refer

    refer(world, case, world.other_agency, AgencyKind.SOCIAL_PROTECTION)
    body = api(world.other_caseworker).get(f"/api/cases/{case.code}/justice").json()
    proceeding = body["proceedings"][0]
    assert body["sealed_shown"] is False
    assert proceeding["court"] is None and proceeding["case_number"] is None
    assert proceeding["verdicts"][0]["debtor"] is None
    assert proceeding["verdicts"][0]["compensation_awarded"] == 50_000_000


def test_a_string_amount_is_refused_with_a_translated_error(world, case, award, api):
    response = api(world.owner_caseworker).post(f"/api/cases/{case.code}/awards/{award.pk}/payments?lang=vi",
                                                {"received_on": "2024-10-01", "amount": "5000", "method": "cash",
                                                 "evidence_ref": "BL"})
    assert response.status_code == 422
    assert response.json()["field"] == "amount" and "nhập một số nguyên" in response.json()["detail"]
    assert not CompensationPayment.objects.exists()


def test_the_legal_aid_request_returns_the_engines_eligibility(world, case, legal_cw, referred, api):
    response = api(legal_cw).post(f"/api/cases/{case.code}/legal-aid",
                                  {"provider_id": legal_cw.agency_id, "requested_on": "2025-08-01"})
    assert response.status_code == 201
    aid = response.json()["legal_aid_without_proceeding"][0]
    assert aid["eligibility_status"] == "entitled" and aid["eligibility_citations"]


def test_the_summary_for_a_supervisor_has_amounts(world, case, award, api):
    body = api(world.supervisor).get("/api/justice/summary").json()
    assert body == {"paid_in_full": 0, "paid_in_part": 0, "not_paid": 1, "total": 1, "awarded": 50_000_000,
                    "received": 0, "suppressed": False}


def test_the_api_has_no_route_to_change_or_delete_a_payment(openapi_schema):
    for path, item in openapi_schema["paths"].items():
        if "payments" in path:
            assert set(item) <= {"get", "post"}
