"""Consent, the audit trail and "who has seen this record" through the API."""

from __future__ import annotations

import pytest

from haven.audit.models import AuditAction, AuditEvent
from haven.consent.models import ConsentRecord
from tests.factories import register

pytestmark = pytest.mark.django_db

GIVEN = {"purpose": "sharing", "agency_kind": "social_protection", "decision": "given", "given_by": "person",
         "method": "verbal_witnessed", "witness_name": "Hoàng Văn Chứng"}


def test_consent_is_recorded_withdrawn_and_its_history_kept(world, api) -> None:
    client = api(world.owner_caseworker)
    url = f"/api/cases/{world.case.code}/consent"
    assert client.post(url, GIVEN).status_code == 201
    assert client.post(url, {**GIVEN, "decision": "withdrawn"}).status_code == 201
    body = client.get(url).json()
    assert [(c["purpose"], c["agency_kind"], c["decision"], c["given"]) for c in body["current"]] == [
        ("sharing", "social_protection", "withdrawn", False)]
    assert [r["decision"] for r in body["history"]] == ["withdrawn", "given"]
    assert body["history"][1]["witness_named"] is True


def test_consent_answers_never_hold_the_sealed_names(world, api) -> None:
    client = api(world.owner_caseworker)
    created = client.post(f"/api/cases/{world.case.code}/consent", GIVEN)
    listed = client.get(f"/api/cases/{world.case.code}/consent")
    assert "Hoàng" not in created.content.decode() + listed.content.decode()


@pytest.mark.parametrize("change,status,field", [
    ({"method": "signed_form", "witness_name": None, "decision": "given", "purpose": "sharing", "agency_kind": None},
     400, "agency_kind"),
    ({"witness_name": ""}, 400, "witness_name"),
    ({"purpose": "statistics"}, 400, "agency_kind"),
    ({"given_by": "guardian"}, 400, "given_by"),
    ({"purpose": "gossip"}, 422, "purpose"),
    ({"agency_kind": "mafia"}, 422, "agency_kind"),
    ({"effective_on": "2999-01-01"}, 400, "effective_on"),
    ({"witness_name": "x" * 201}, 422, "witness_name"),
])
def test_a_refused_consent_records_nothing(world, api, change, status, field) -> None:
    client = api(world.owner_caseworker)
    before = (ConsentRecord.objects.count(), AuditEvent.objects.count())
    response = client.post(f"/api/cases/{world.case.code}/consent", {**GIVEN, **change})
    assert (response.status_code, response.json()["field"]) == (status, field), response.content
    assert (ConsentRecord.objects.count(), AuditEvent.objects.count()) == before


def test_a_child_consents_with_the_guardian(world, api) -> None:
    child = register(world.owner_caseworker, date_of_birth="2016-01-01", full_name="Lý Thị Hoa")
    client = api(world.owner_caseworker)
    url = f"/api/cases/{child.code}/consent"
    body = {"purpose": "services", "decision": "given", "method": "signed_form"}
    assert client.post(url, {**body, "given_by": "person"}).json()["field"] == "given_by"
    assert client.post(url, {**body, "given_by": "person_and_guardian"}).json()["field"] == "guardian_name"
    assert client.post(url, {**body, "given_by": "person_and_guardian", "guardian_name": "Lý Văn Bố"}).status_code == 201


def test_supervisors_see_who_has_read_the_identity_but_never_the_values(world, api) -> None:
    api(world.owner_caseworker).get(f"/api/cases/{world.case.code}/identity")
    response = api(world.supervisor).get(f"/api/cases/{world.case.code}/viewers")
    body = response.json()
    assert body["total"] == 1
    viewer = body["items"][0]
    assert (viewer["user"], viewer["role"], viewer["channel"], viewer["relationship"]) == (
        "owner_cw", "caseworker", "api", "assigned")
    assert "full_name" in viewer["fields"]
    assert "Đặng" not in response.content.decode() and "0912" not in response.content.decode()


def test_auditors_filter_the_trail(world, api) -> None:
    api(world.owner_caseworker).get(f"/api/cases/{world.case.code}/identity")
    auditor = api(world.auditor)
    by_case = auditor.get("/api/audit/events", case=world.case.code).json()
    assert by_case["total"] >= 2 and {e["case"] for e in by_case["items"]} == {world.case.code}
    views = auditor.get("/api/audit/events", action="view_identity", actor="owner_cw").json()
    assert [e["action"] for e in views["items"]] == ["view_identity"]
    assert auditor.get("/api/audit/events", since="2999-01-01").json()["total"] == 0
    assert auditor.get("/api/audit/events", until="0001-01-01").json()["total"] == 0
    assert auditor.get("/api/audit/events", since="0001-01-01", until="9999-12-31").json()["total"] > 0
    newest_first = auditor.get("/api/audit/events", limit=2).json()["items"]
    assert newest_first[0]["seq"] > newest_first[1]["seq"]


def test_the_audit_trail_holds_no_identity_values(world, api) -> None:
    api(world.owner_caseworker).patch(f"/api/cases/{world.case.code}/identity", {"phone": "0933 222 111"})
    content = api(world.auditor).get("/api/audit/events", limit=100).content.decode()
    assert "0933" not in content and "Đặng" not in content


def test_auditors_verify_the_chain_and_see_a_break(world, api) -> None:
    auditor = api(world.auditor)
    assert auditor.post("/api/audit/verify").json()["ok"] is True
    AuditEvent.objects.filter(action=AuditAction.CREATE).update(reason="edited")
    broken = auditor.post("/api/audit/verify").json()
    assert broken["ok"] is False and broken["broken_seq"] == 1
