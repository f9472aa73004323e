"""API: entitlements, facts, support applications, the rights statement, parameters and evaluation.

Who may call each route is in test_api_permissions.py; here, what the routes do, and that bad input
changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from haven.audit.models import AuditAction, AuditEvent
from haven.cases.selectors import CaseAccess
from haven.cases.services import case_identify, case_start_verification
from haven.consent.services import consent_record
from haven.core.api_errors import not_found_body
from haven.entitlements.api_schemas import MAX_PROFILES, ItemCode, ItemStatus
from haven.entitlements.engine import ITEM_CODES, STATUSES, evaluate_many
from haven.entitlements.models import ApplicationStep, EntitlementFacts, ParameterValue, SupportApplication
from haven.entitlements.services import (
    application_create,
    application_decide,
    application_step_complete,
    case_entitlements,
    facts_update,
)
from haven.referrals.models import Referral, ReferralStatus
from tests.factories import World, access, register, user

pytestmark = pytest.mark.django_db

EVALUATE = "/api/entitlements/evaluate"
PARAMETERS = "/api/parameters"
NOTE = "Hộ gia đình không thuộc danh sách hộ nghèo"


def _victim(world: World, *, received_on: str = "2024-03-01", identified_on: str = "2024-03-05",
            **extra: Any) -> CaseAccess:
    case = register(world.owner_caseworker, received_on=received_on, full_name="Lý Thị Mai", **extra)
    got = access(world.owner_caseworker, case, "edit")
    case_start_verification(access=got)
    case_identify(access=got, identified_on=identified_on, authority="Công an tỉnh Lào Cai", document="12/QĐ")
    return got


def _path(got: CaseAccess, suffix: str = "") -> str:
    return f"/api/cases/{got.case.code}{suffix}"


def _item(result: dict[str, Any], code: str) -> dict[str, Any]:
    return next(i for i in result["items"] if i["code"] == code)


def _rows() -> tuple[int, ...]:
    return (EntitlementFacts.objects.count(), SupportApplication.objects.count(), ApplicationStep.objects.count(),
            ParameterValue.objects.count(), AuditEvent.objects.count())


def _refer(world: World, got: CaseAccess, fields: list[str]) -> None:
    Referral.objects.create(
        case=got.case, from_agency=world.owner_agency, to_agency=world.other_agency, purpose="Shelter",
        fields_shared=fields, status=ReferralStatus.ACCEPTED, due_on=dt.date(2026, 3, 10), sent_by=world.owner_caseworker,
    )
    consent_record(access=got, purpose="sharing", decision="given", agency_kind="social_protection",
                   given_by="person", method="signed_form")


@pytest.fixture
def victim(world: World) -> CaseAccess:
    return _victim(world)


@pytest.fixture
def owner(world: World, api: Any) -> Any:
    return api(world.owner_caseworker)


# --- Entitlements ----------------------------------------------------------------------------------


def test_the_schema_lists_every_status_and_item_code(openapi_schema) -> None:
    schemas = openapi_schema["components"]["schemas"]
    assert schemas["ItemStatus"]["enum"] == list(STATUSES) == [s.value for s in ItemStatus]
    assert schemas["ItemCode"]["enum"] == list(ITEM_CODES) == [c.value for c in ItemCode]


def test_a_case_answers_exactly_what_the_engine_says(victim, owner) -> None:
    body = owner.get(_path(victim, "/entitlements"), on="2024-06-01").json()
    engine = json.loads(json.dumps(case_entitlements(victim, on=dt.date(2024, 6, 1)), default=str))
    assert (body["case"], body["on"], body["regime"], body["period"]) == (
        victim.case.code, "2024-06-01", "law-66-2011", "circular-84-2019")
    assert body["items"] == engine["items"] and body["reasons"] == engine["reasons"]


def test_unknown_poverty_asks_for_information_and_says_why(victim, owner) -> None:
    hardship = _item(owner.get(_path(victim, "/entitlements"), on="2024-06-01").json(), "hardship_allowance")
    assert hardship["status"] == "needs_information" and hardship["amount_vnd"] is None
    assert hardship["reasons"][0]["en"].startswith("Initial hardship allowance: needs information")
    assert hardship["deadlines"]["apply_by"] == "2025-03-05"


def test_the_evaluation_date_defaults_to_today(victim, owner) -> None:
    assert owner.get(_path(victim, "/entitlements")).json()["on"] == timezone.localdate().isoformat()


@pytest.mark.parametrize("on,status", [("2013-04-14", 400), ("2024-02-30", 422), ("tomorrow", 422)])
def test_a_date_the_engine_cannot_take_is_refused_with_its_field(victim, owner, on: str, status: int) -> None:
    response = owner.get(_path(victim, "/entitlements"), on=on)
    assert (response.status_code, response.json()["field"]) == (status, "on")


def test_a_relative_has_no_regime_and_is_told_why(world, owner) -> None:
    relative = register(world.owner_caseworker, category="relative", full_name="Lý Văn Hùng")
    body = owner.get(f"/api/cases/{relative.code}/entitlements").json()
    assert body["regime"] is None and body["items"] == []
    assert "relative" in body["not_applicable"]["en"]


# --- Facts -----------------------------------------------------------------------------------------


def test_facts_start_unknown(victim, owner) -> None:
    facts = owner.get(_path(victim, "/entitlements/facts")).json()
    assert facts["poor_household"] is None and facts["located"] == "vietnam" and facts["updated_by"] is None


def test_a_facts_change_returns_the_new_state_and_is_audited(world, victim, owner) -> None:
    facts = owner.patch(_path(victim, "/entitlements/facts"),
                        {"poor_household": True, "shelter_from": "2024-03-01", "shelter_to": "2024-03-20"}).json()
    assert (facts["poor_household"], facts["shelter_to"], facts["updated_by"]) == (True, "2024-03-20", "owner_cw")
    assert facts["has_relatives"] is None
    event = AuditEvent.objects.filter(object_type="entitlement_facts").get()
    assert event.changes["poor_household"] == [None, True] and event.channel == "api"


def test_a_facts_change_changes_the_entitlements(victim, owner) -> None:
    owner.patch(_path(victim, "/entitlements/facts"), {"poor_household": False})
    hardship = _item(owner.get(_path(victim, "/entitlements"), on="2024-06-01").json(), "hardship_allowance")
    assert hardship["status"] == "not_entitled" and "poor" in hardship["reasons"][0]["en"]


def test_null_makes_a_fact_unknown_again(victim, owner) -> None:
    owner.patch(_path(victim, "/entitlements/facts"), {"poor_household": True})
    assert owner.patch(_path(victim, "/entitlements/facts"), {"poor_household": None}).json()["poor_household"] is None


def test_an_empty_change_writes_nothing(victim, owner) -> None:
    before = _rows()
    assert owner.patch(_path(victim, "/entitlements/facts"), {}).status_code == 200
    assert _rows() == before


@pytest.mark.parametrize("body,status,field", [
    ({"poor_household": "yes"}, 422, "poor_household"),
    ({"has_relatives": 1}, 422, "has_relatives"),
    ({"located": "mars"}, 422, "located"),
    ({"located": None}, 422, "located"),
    ({"povr_household": True}, 422, "povr_household"),
    ({"shelter_from": "2024-03-10", "shelter_to": "2024-03-01"}, 400, "shelter_to"),
    ({"shelter_to": "2024-03-01"}, 400, "shelter_from"),
    ({"shelter_from": "1800-01-01"}, 400, "shelter_from"),
    ({"poor_household": True, "shelter_from": "2024-13-01"}, 422, "shelter_from"),
])
def test_bad_facts_change_nothing(victim, owner, body: dict[str, Any], status: int, field: str) -> None:
    before = _rows()
    response = owner.patch(_path(victim, "/entitlements/facts"), body)
    assert (response.status_code, response.json()["field"]) == (status, field)
    assert _rows() == before


# --- Applications ----------------------------------------------------------------------------------


def _open(owner: Any, got: CaseAccess, received_on: str = "2024-06-03", item: str = "hardship_allowance") -> Any:
    return owner.post(_path(got, "/applications"), {"item": item, "received_on": received_on})


def test_an_application_opens_with_its_steps_planned_in_working_days(victim, owner) -> None:
    response = _open(owner, victim, received_on="2025-01-20")
    assert response.status_code == 201
    application = response.json()
    assert (application["item"], application["status"], application["regime"]) == (
        "hardship_allowance", "in_progress", "law-66-2011")
    # Tết 2025: 25 January to 2 February are not working days.
    assert [s["due_on"] for s in application["steps"]] == ["2025-01-23", "2025-02-06", "2025-02-11"]
    assert application["steps"][1]["body"]["en"].startswith("District office")
    assert all(s["overdue"] for s in application["steps"])
    assert AuditEvent.objects.filter(object_type="support_application", action=AuditAction.CREATE).count() == 1


def test_applications_are_listed_newest_first_with_their_steps(victim, owner) -> None:
    _open(owner, victim, received_on="2024-06-03")
    _open(owner, victim, received_on="2024-07-01", item="vocational_training")
    listed = owner.get(_path(victim, "/applications")).json()
    assert [a["item"] for a in listed] == ["vocational_training", "hardship_allowance"]
    assert [s["order"] for s in listed[0]["steps"]] == [1, 2, 3]


@pytest.mark.parametrize("body,status,field", [
    ({"item": "food", "received_on": "2024-06-03"}, 422, "item"),
    ({"item": "hardship_allowance"}, 422, "received_on"),
    ({"item": "hardship_allowance", "received_on": "2099-01-01"}, 400, "received_on"),
    ({"item": "hardship_allowance", "received_on": "2010-01-01"}, 400, "received_on"),
    ({"item": "hardship_allowance", "received_on": "2024-06-03", "note": "x"}, 422, "note"),
])
def test_bad_applications_change_nothing(victim, owner, body: dict[str, Any], status: int, field: str) -> None:
    before = _rows()
    response = owner.post(_path(victim, "/applications"), body)
    assert (response.status_code, response.json()["field"]) == (status, field)
    assert _rows() == before


def test_a_second_open_application_for_the_same_item_is_refused(victim, owner) -> None:
    _open(owner, victim)
    before = _rows()
    response = _open(owner, victim, received_on="2024-06-04")
    assert (response.status_code, response.json()["field"]) == (400, "item")
    assert _rows() == before


def test_a_relative_cannot_apply_for_support(world, owner) -> None:
    relative = register(world.owner_caseworker, category="relative", full_name="Lý Văn Hùng")
    before = _rows()
    response = owner.post(f"/api/cases/{relative.code}/applications",
                          {"item": "education", "received_on": "2026-03-10"})
    assert (response.status_code, response.json()["field"]) == (400, "item")
    assert _rows() == before


def test_an_application_before_the_identification_is_refused(victim, owner) -> None:
    before = _rows()
    response = _open(owner, victim, received_on="2024-03-04")
    assert (response.status_code, response.json()["code"]) == (400, "engine")
    assert _rows() == before


def test_completing_a_step_returns_the_application_with_the_next_due_date_moved(victim, owner) -> None:
    application = _open(owner, victim).json()
    response = owner.post(_path(victim, f"/applications/{application['id']}/steps/complete"),
                          {"completed_on": "2024-06-10", "note": "Hồ sơ đầy đủ"})
    steps = response.json()["steps"]
    assert (steps[0]["completed_on"], steps[0]["note"], steps[0]["overdue"]) == ("2024-06-10", "Hồ sơ đầy đủ", False)
    assert steps[1]["due_on"] == "2024-06-17"


@pytest.mark.parametrize("body,status,field", [
    ({"completed_on": "2024-06-01"}, 400, "completed_on"),
    ({"completed_on": "2099-01-01"}, 400, "completed_on"),
    ({"completed_on": "2024-06-10", "note": "x" * 2001}, 422, "note"),
    ({}, 422, "completed_on"),
])
def test_bad_step_completions_change_nothing(victim, owner, body: dict[str, Any], status: int, field: str) -> None:
    application = _open(owner, victim).json()
    before = _rows()
    response = owner.post(_path(victim, f"/applications/{application['id']}/steps/complete"), body)
    assert (response.status_code, response.json()["field"]) == (status, field)
    assert _rows() == before


def test_a_decision_is_recorded_and_returned(victim, owner) -> None:
    application = _open(owner, victim).json()
    decided = owner.post(_path(victim, f"/applications/{application['id']}/decision"),
                         {"decision": "approved", "decided_on": "2024-06-20", "amount_vnd": 1_000_000}).json()
    assert (decided["status"], decided["decided_on"], decided["amount_vnd"]) == ("approved", "2024-06-20", 1_000_000)
    assert not any(s["overdue"] for s in decided["steps"])


@pytest.mark.parametrize("body,status,field", [
    ({"decision": "rejected", "decided_on": "2024-06-20"}, 400, "note"),
    ({"decision": "approved", "decided_on": "2024-06-01"}, 400, "decided_on"),
    ({"decision": "approved", "decided_on": "2099-06-01"}, 400, "decided_on"),
    ({"decision": "in_progress", "decided_on": "2024-06-20"}, 422, "decision"),
    ({"decision": "approved", "decided_on": "2024-06-20", "amount_vnd": "1000000"}, 422, "amount_vnd"),
    ({"decision": "approved", "decided_on": "2024-06-20", "amount_vnd": 1000000.5}, 422, "amount_vnd"),
    ({"decision": "approved", "decided_on": "2024-06-20", "amount_vnd": -1}, 422, "amount_vnd"),
    ({"decision": "approved", "decided_on": "2024-06-20", "amount_vnd": True}, 422, "amount_vnd"),
    ({"decision": "approved", "decided_on": "2024-06-20", "amount_vnd": 10**13}, 422, "amount_vnd"),
])
def test_bad_decisions_change_nothing(victim, owner, body: dict[str, Any], status: int, field: str) -> None:
    application = _open(owner, victim).json()
    before = _rows()
    response = owner.post(_path(victim, f"/applications/{application['id']}/decision"), body)
    assert (response.status_code, response.json()["field"]) == (status, field)
    assert _rows() == before
    assert SupportApplication.objects.get(pk=application["id"]).status == "in_progress"


def test_a_decided_application_cannot_be_decided_again(victim, owner) -> None:
    application = _open(owner, victim).json()
    path = _path(victim, f"/applications/{application['id']}/decision")
    owner.post(path, {"decision": "withdrawn", "decided_on": "2024-06-20"})
    before = _rows()
    response = owner.post(path, {"decision": "approved", "decided_on": "2024-06-21"})
    assert (response.status_code, response.json()["code"]) == (400, "bad_transition")
    assert _rows() == before


@pytest.mark.parametrize("suffix,body", [
    ("/steps/complete", {"completed_on": "2024-06-10"}),
    ("/decision", {"decision": "approved", "decided_on": "2024-06-20"}),
])
def test_an_application_is_found_only_under_its_own_case(world, victim, owner, suffix: str, body: dict) -> None:
    application = _open(owner, victim).json()
    other = _victim(world)
    before = _rows()
    for application_id in (application["id"], application["id"] + 1):
        response = owner.post(_path(other, f"/applications/{application_id}{suffix}"), body)
        assert (response.status_code, response.json()) == (404, not_found_body())
    assert _rows() == before


def test_the_application_list_takes_the_same_queries_for_one_or_many(victim, owner) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert owner.get(_path(victim, "/applications")).status_code == 200
        return len(captured.captured_queries)

    application_create(access=victim, item="hardship_allowance", received_on="2024-06-03")
    one = queries()
    application_create(access=victim, item="education", received_on="2024-06-03")
    application_create(access=victim, item="vocational_training", received_on="2024-06-03")
    assert queries() == one


def test_overdue_steps_reach_the_owning_agencys_supervisor(world, victim, api) -> None:
    application = application_create(access=victim, item="hardship_allowance", received_on="2024-06-03")
    overdue = api(world.supervisor).get("/api/applications/overdue").json()
    assert overdue == [{
        "case": victim.case.code, "application_id": application.pk, "item": "hardship_allowance", "order": 1,
        "code": "commune_certify", "due_on": "2024-06-06",
        "body": {"vi": "Chủ tịch Ủy ban nhân dân cấp xã", "en": "Chair of the commune People's Committee"},
    }]
    assert api(world.other_supervisor).get("/api/applications/overdue").json() == []


# --- A referred agency reads but does not write ----------------------------------------------------


@pytest.fixture
def referred(world: World, victim: CaseAccess, api: Any) -> Any:
    application = application_create(access=victim, item="hardship_allowance", received_on="2024-06-03")
    application_step_complete(access=victim, application_id=application.pk, completed_on="2024-06-05",
                              note="Gặp chị Mai tại nhà")
    application_decide(access=victim, application_id=application.pk, decision="rejected", decided_on="2024-06-20",
                       note=NOTE)
    facts_update(access=victim, changes={"poor_household": False})
    _refer(world, victim, ["phone"])
    return api(world.other_caseworker)


def test_the_referred_agency_reads_entitlements_facts_and_applications(victim, referred) -> None:
    assert referred.get(_path(victim, "/entitlements"), on="2024-06-01").json()["regime"] == "law-66-2011"
    assert referred.get(_path(victim, "/entitlements/facts")).json()["poor_household"] is False
    assert referred.get(_path(victim, "/applications")).json()[0]["status"] == "rejected"


def test_the_referred_agency_does_not_read_free_text_notes(victim, referred) -> None:
    application = referred.get(_path(victim, "/applications")).json()[0]
    assert application["decision_note"] is None and application["steps"][0]["note"] is None
    assert NOTE not in referred.get(_path(victim, "/applications")).content.decode()


def test_the_referred_agency_changes_nothing(victim, referred) -> None:
    application_id = SupportApplication.objects.get(case=victim.case).pk
    before = _rows()
    for method, suffix, body in [
        ("PATCH", "/entitlements/facts", {"poor_household": True}),
        ("POST", "/applications", {"item": "vocational_training", "received_on": "2024-07-01"}),
        ("POST", f"/applications/{application_id}/steps/complete", {"completed_on": "2024-06-10"}),
        ("POST", f"/applications/{application_id}/decision", {"decision": "approved", "decided_on": "2024-06-20"}),
    ]:
        response = referred.request(method, _path(victim, suffix), body)
        assert (response.status_code, response.json()) == (404, not_found_body()), suffix
    assert _rows() == before


def test_the_referred_agency_gets_a_statement_without_the_name_it_was_not_given(victim, referred) -> None:
    response = referred.get(_path(victim, "/rights-statement.pdf"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    reads = AuditEvent.objects.filter(action=AuditAction.VIEW_IDENTITY, actor__username="other_cw")
    assert not any("full_name" in event.fields for event in reads)


# --- The rights statement --------------------------------------------------------------------------


def test_the_statement_is_a_pdf_named_by_the_case_code_never_kept_and_audited(victim, owner) -> None:
    response = owner.get(_path(victim, "/rights-statement.pdf"), lang="en")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    disposition = response["Content-Disposition"]
    assert disposition == f'attachment; filename="rights-statement-{victim.case.code}-en.pdf"'
    event = AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="rights_statement").get()
    assert (event.case_id, event.reason, event.channel) == (victim.case.pk, "en", "api")


def test_the_statement_is_in_vietnamese_unless_asked(victim, owner) -> None:
    assert owner.get(_path(victim, "/rights-statement.pdf"))["Content-Disposition"].endswith('-vi.pdf"')


def test_an_unknown_statement_language_is_refused_and_nothing_is_exported(victim, owner) -> None:
    response = owner.get(_path(victim, "/rights-statement.pdf"), lang="fr")
    assert (response.status_code, response.json()["field"]) == (422, "lang")
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


@pytest.mark.parametrize("persona", ["statistician", "auditor", "other_caseworker"])
def test_no_statement_and_no_export_for_those_who_may_not_see_the_person(world, victim, api, persona: str) -> None:
    response = api(getattr(world, persona)).get(_path(victim, "/rights-statement.pdf"))
    assert (response.status_code, response.json()) == (404, not_found_body())
    assert not AuditEvent.objects.filter(action__in=[AuditAction.EXPORT, AuditAction.VIEW_IDENTITY],
                                         case_id=victim.case.pk, actor=getattr(world, persona)).exists()


# --- Parameters ------------------------------------------------------------------------------------


def test_parameters_list_shipped_values_with_their_citations(world, api) -> None:
    values = api(world.statistician).get(PARAMETERS, code="food.daily_rate").json()
    lao_cai = next(v for v in values if v["scope"] == "lao-cai" and v["valid_from"] == "2020-01-01")
    assert (lao_cai["value"], lao_cai["unit"], lao_cai["confidence"], lao_cai["source"]) == (
        30000, "VND/day", "reported", "file")
    assert lao_cai["citation"]["instrument"].startswith("Seed study")
    assert {v["code"] for v in values} == {"food.daily_rate"}


def test_an_unverified_value_has_no_number(world, api) -> None:
    values = api(world.auditor).get(PARAMETERS).json()
    unverified = [v for v in values if v["confidence"] == "unverified"]
    assert unverified and all(v["value"] is None for v in unverified)


def test_an_unknown_parameter_code_is_refused(world, api) -> None:
    response = api(world.statistician).get(PARAMETERS, code="food.daily_rates")
    assert (response.status_code, response.json()["field"]) == (400, "code")


FIGURE = {"parameter": "hardship.amount", "scope": "nghe-an", "valid_from": "2020-01-01", "valid_to": "2025-06-30",
          "amount": 1_500_000, "unit": "VND", "instrument": "Nghị quyết HĐND tỉnh Nghệ An (thử nghiệm)",
          "confidence": "reported"}


@pytest.mark.parametrize("role", ["agency_admin", "system_admin"])
def test_an_administrator_enters_an_official_figure_and_gets_it_back(world, api, role: str) -> None:
    admin = user(world.owner_agency if role == "agency_admin" else None, role)
    response = api(admin).post(PARAMETERS, FIGURE)
    assert response.status_code == 201
    assert response.json() == {
        "code": "hardship.amount", "scope": "nghe-an", "valid_from": "2020-01-01", "valid_to": "2025-06-30",
        "value": 1_500_000, "unit": "VND", "confidence": "reported", "note": "", "source": "database",
        "citation": {"instrument": "Nghị quyết HĐND tỉnh Nghệ An (thử nghiệm)", "article": None},
    }
    event = AuditEvent.objects.filter(object_type="parameter_value").get()
    assert (event.actor, event.channel) == (admin, "api")


def test_an_official_figure_sets_the_amount_of_a_case(world, api) -> None:
    from haven.geo.models import AdminUnit

    AdminUnit.objects.create(code="nghe-an", name="Nghệ An", name_ascii="nghe an", level="province",
                             valid_from=dt.date(1991, 1, 1))
    got = _victim(world, home_province="nghe-an")
    facts_update(access=got, changes={"poor_household": True})
    owner = api(world.owner_caseworker)
    assert _item(owner.get(_path(got, "/entitlements"), on="2024-06-01").json(), "hardship_allowance")["status"] == (
        "amount_not_set")
    api(user(world.owner_agency, "agency_admin")).post(PARAMETERS, FIGURE)
    hardship = _item(owner.get(_path(got, "/entitlements"), on="2024-06-01").json(), "hardship_allowance")
    assert (hardship["status"], hardship["amount_vnd"]) == ("entitled", 1_500_000)
    listed = api(world.statistician).get(PARAMETERS, code="hardship.amount").json()
    assert [v["source"] for v in listed if v["scope"] == "nghe-an"] == ["database"]


@pytest.mark.parametrize("change,status,field", [
    ({"parameter": "no.such.parameter"}, 400, "parameter"),
    ({"amount": "1.500.000"}, 422, "amount"),
    ({"amount": -1}, 422, "amount"),
    ({"amount": 1.5}, 422, "amount"),
    ({"scope": "Nghệ An"}, 422, "scope"),
    ({"valid_to": "2019-12-31"}, 400, "valid_to"),
    ({"confidence": "unverified"}, 422, "confidence"),
    ({"unit": "VND/week"}, 422, "unit"),
    ({"instrument": ""}, 422, "instrument"),
    ({"note": "typo"}, 422, "note"),
])
def test_bad_figures_change_nothing(world, api, change: dict[str, Any], status: int, field: str) -> None:
    admin = api(user(world.owner_agency, "agency_admin"))
    before = _rows()
    response = admin.post(PARAMETERS, {**FIGURE, **change})
    assert (response.status_code, response.json()["field"]) == (status, field)
    assert _rows() == before


def test_a_second_figure_with_the_same_start_is_refused(world, api) -> None:
    admin = api(user(world.owner_agency, "agency_admin"))
    admin.post(PARAMETERS, FIGURE)
    before = _rows()
    response = admin.post(PARAMETERS, {**FIGURE, "amount": 3_000_000})
    assert (response.status_code, response.json()["field"]) == (400, "valid_from")
    assert _rows() == before


# --- Evaluation of anonymous profiles --------------------------------------------------------------


PROFILES = [
    {"id": "a", "category": "victim", "nationality": "VN", "located": "vietnam", "identified_on": "2023-03-01",
     "province": "lao-cai", "poor_household": True, "shelter_stay": {"from": "2023-03-01", "to": "2023-04-09"}},
    {"id": 2, "category": "under_identification", "nationality": "CN", "located": "vietnam"},
    {"id": "c", "category": "accompanying_minor", "nationality": "VN", "located": "vietnam",
     "accompanies": "2023-03-01", "birth_date": "2015-02-28", "sex": "F"},
]


def test_evaluation_answers_what_the_engine_says_in_input_order(world, api) -> None:
    body = api(world.statistician).post(EVALUATE, {"on": "2023-06-01", "profiles": PROFILES}).json()
    assert body["on"] == "2023-06-01"
    assert body["results"] == json.loads(json.dumps(evaluate_many(PROFILES, "2023-06-01"), default=str))
    food = _item(body["results"][0], "food")
    assert (food["status"], food["amount_vnd"]) == ("entitled", 1_200_000)


def test_evaluation_stores_nothing_and_reads_no_case(world, api) -> None:
    client = api(world.owner_caseworker)
    before = _rows()
    assert client.post(EVALUATE, {"on": "2023-06-01", "profiles": PROFILES}).status_code == 200
    assert _rows() == before


def test_an_empty_list_gives_no_results(world, api) -> None:
    assert api(world.statistician).post(EVALUATE, {"on": "2024-01-01", "profiles": []}).json()["results"] == []


@pytest.mark.parametrize("change,field", [
    ({"poor_household": "yes"}, "profiles[1].poor_household"),
    ({"poor_household": 1}, "profiles[1].poor_household"),
    ({"category": "relative"}, "profiles[1].category"),
    ({"povr_household": True}, "profiles[1].povr_household"),
    ({"nationality": "ZZ"}, "profiles[1].nationality"),
    ({"birth_date": "01/02/2000"}, "profiles[1].birth_date"),
    ({"birth_date": 946684800}, "profiles[1].birth_date"),
    ({"category": "victim"}, "profiles[1].identified_on"),
    ({"category": "victim", "identified_on": "2024-01-01"}, "profiles[1].identified_on"),
    ({"shelter_stay": {"from": "2023-02-01", "to": "2023-01-01"}}, "profiles[1].shelter_stay"),
    ({"shelter_stay": {"from": "2023-13-01"}}, "profiles[1].shelter_stay.from"),
    ({"shelter_stay": {"to": "2023-01-01"}}, "profiles[1].shelter_stay.from"),
    ({"id": "a"}, "profiles[1].id"),
    ({"id": ""}, "profiles[1].id"),
    ({"id": None}, "profiles[1].id"),
])
def test_a_bad_profile_is_named_by_its_place_and_field(world, api, change: dict[str, Any], field: str) -> None:
    profiles = [PROFILES[0], {**PROFILES[1], **change}, PROFILES[2]]
    response = api(world.statistician).post(EVALUATE, {"on": "2023-06-01", "profiles": profiles})
    assert (response.status_code, response.json()["code"], response.json()["field"]) == (422, "invalid", field)
    assert response.json()["detail"].startswith(field + ": ")


def test_a_profile_that_is_not_an_object_is_named(world, api) -> None:
    response = api(world.statistician).post(EVALUATE, {"on": "2023-06-01", "profiles": [PROFILES[0], "b"]})
    assert (response.status_code, response.json()["field"]) == (422, "profiles[1]")


def test_the_number_of_profiles_is_capped(world, api) -> None:
    profiles = [{**PROFILES[1], "id": n} for n in range(MAX_PROFILES + 1)]
    response = api(world.statistician).post(EVALUATE, {"on": "2023-06-01", "profiles": profiles}, lang="en")
    assert (response.status_code, response.json()["field"]) == (422, "profiles")
    assert "1000" in response.json()["detail"]


def test_an_evaluation_date_before_decree_09_2013_is_refused(world, api) -> None:
    response = api(world.statistician).post(EVALUATE, {"on": "2013-04-14", "profiles": PROFILES})
    assert (response.status_code, response.json()["field"]) == (400, "on")
