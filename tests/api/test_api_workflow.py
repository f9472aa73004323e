"""The case workflow, assignment, sign-offs and break-glass access through the API."""

from __future__ import annotations

import pytest
from django.utils import timezone

from haven.accounts.models import AgencyKind, Role
from haven.audit.models import AuditAction, AuditEvent
from haven.cases.models import BreakGlass, Case, Signoff, SignoffRule
from tests.factories import agency, user

pytestmark = pytest.mark.django_db
REASON = "The person collapsed at the shelter and the hospital needs her date of birth now."


def _move(client, code: str, **body):  # noqa: ANN001, ANN202
    return client.post(f"/api/cases/{code}/transitions", body)


def _state(case: Case) -> tuple:
    case.refresh_from_db()
    return (case.status, case.category, case.identified_on, case.closed_on, case.updated_at)


def test_a_case_goes_through_the_whole_workflow(world, api) -> None:
    client, code = api(world.owner_caseworker), world.case.code
    today = timezone.localdate().isoformat()
    assert _move(client, code, action="start_verification").json()["status"] == "verification"
    identified = _move(client, code, action="identify", identified_on=today, authority="Đồn Biên phòng Lào Cai",
                       document="15/QĐ-BP").json()
    assert (identified["status"], identified["category"], identified["identified_on"]) == ("identified", "victim", today)
    assert _move(client, code, action="start_support").json()["status"] == "support"
    assert _move(client, code, action="start_reintegration").json()["status"] == "reintegration"
    closed = _move(client, code, action="close", reason="Reintegrated with her family.").json()
    assert (closed["status"], closed["closed_on"], closed["closure_reason"]) == ("closed", today, "Reintegrated with her family.")
    assert closed["access"]["actions"] == ["view_identity", "edit_identity", "record_consent"]
    statuses = AuditEvent.objects.filter(action=AuditAction.STATUS, case_id=world.case.pk, channel="api")
    assert statuses.count() == 5


def test_a_not_victim_decision_needs_a_reason(world, api) -> None:
    client, code = api(world.owner_caseworker), world.case.code
    _move(client, code, action="start_verification")
    assert _move(client, code, action="not_victim", reason="").json()["field"] == "reason"
    assert _move(client, code, action="not_victim", reason="Came back for work, no signs of trafficking.").json()[
        "status"] == "not_victim"


@pytest.mark.parametrize("body,status,field", [
    ({"action": "identify", "identified_on": "2026-03-05", "authority": "x", "document": "1"}, 400, "status"),
    ({"action": "start_reintegration"}, 400, "status"),
    ({"action": "teleport"}, 422, "action"),
    ({}, 422, "action"),
    ({"action": "close"}, 422, "reason"),
    ({"action": "close", "reason": "ok", "closed_on": "not a date"}, 422, "closed_on"),
    ({"action": "close", "reason": "ok", "extra": 1}, 422, "extra"),
    ({"action": "start_support"}, 400, "status"),
])
def test_a_refused_transition_changes_nothing(world, api, body, status, field) -> None:
    client = api(world.owner_caseworker)
    before, events = _state(world.case), AuditEvent.objects.count()
    response = client.post(f"/api/cases/{world.case.code}/transitions", body)
    assert (response.status_code, response.json()["field"]) == (status, field), response.content
    assert _state(world.case) == before and AuditEvent.objects.count() == events


def test_an_identification_before_reception_is_refused(world, api) -> None:
    client, code = api(world.owner_caseworker), world.case.code
    _move(client, code, action="start_verification")
    response = _move(client, code, action="identify", identified_on="2026-03-01", authority="x", document="1")
    assert (response.status_code, response.json()["field"]) == (400, "identified_on")


def test_a_supervisor_assigns_the_case_and_access_follows(world, api) -> None:
    response = api(world.supervisor).post(f"/api/cases/{world.case.code}/assign",
                                          {"worker_id": world.second_caseworker.pk})
    assert response.json()["assigned_worker"] == "second_cw"
    assert api(world.second_caseworker).get(f"/api/cases/{world.case.code}").status_code == 200
    assert api(world.owner_caseworker).get(f"/api/cases/{world.case.code}").status_code == 404


@pytest.mark.parametrize("worker", ["other_caseworker", "statistician", "missing"])
def test_a_case_is_assigned_only_to_a_worker_of_the_owning_agency(world, api, worker) -> None:
    worker_id = getattr(world, worker).pk if worker != "missing" else 10**12
    response = api(world.supervisor).post(f"/api/cases/{world.case.code}/assign", {"worker_id": worker_id})
    assert (response.status_code, response.json()["field"]) == (400, "worker")
    world.case.refresh_from_db()
    assert world.case.assigned_worker_id == world.owner_caseworker.pk


def _identify_with_signoffs(world, api):  # noqa: ANN001, ANN202
    SignoffRule.objects.create(agency_kind=AgencyKind.POLICE, due_days=3)
    police = agency(AgencyKind.POLICE, "Công an tỉnh Lào Cai")
    chief = user(police, Role.SUPERVISOR, "police_chief")
    client, code = api(world.owner_caseworker), world.case.code
    _move(client, code, action="start_verification")
    _move(client, code, action="identify", identified_on=timezone.localdate().isoformat(), authority="Công an",
          document="7/QĐ")
    return api(chief)


def test_the_asked_agency_signs_and_the_case_shows_it(world, api) -> None:
    police = _identify_with_signoffs(world, api)
    inbox = police.get("/api/signoffs").json()
    assert [(s["case"], s["agency_kind"], s["decision"]) for s in inbox] == [(world.case.code, "police", "pending")]
    signed = police.post(f"/api/signoffs/{inbox[0]['id']}", {"decision": "approved"}).json()
    assert (signed["decision"], signed["signed_by"]) == ("approved", "police_chief")
    shown = api(world.owner_caseworker).get(f"/api/cases/{world.case.code}/signoffs").json()
    assert [(s["decision"], s["overdue"]) for s in shown] == [("approved", False)]
    # Signed once: a second decision finds nothing to sign.
    assert police.post(f"/api/signoffs/{inbox[0]['id']}", {"decision": "objected", "note": "x"}).status_code == 404


def test_an_objection_needs_a_note_and_a_refusal_changes_nothing(world, api) -> None:
    police = _identify_with_signoffs(world, api)
    signoff = Signoff.objects.get(case=world.case)
    for body, status in [({"decision": "objected"}, 400), ({"decision": "pending"}, 422), ({"decision": 1}, 422)]:
        assert police.post(f"/api/signoffs/{signoff.pk}", body).status_code == status
    signoff.refresh_from_db()
    assert signoff.decision == "pending"


def test_break_glass_needs_a_reason_and_then_opens_the_case(world, api) -> None:
    client = api(world.other_caseworker)
    refused = client.post("/api/break-glass", {"code": world.case.code, "reason": "urgent"})
    assert (refused.status_code, refused.json()["field"]) == (400, "reason")
    assert not BreakGlass.objects.exists()
    grant = client.post("/api/break-glass", {"code": world.case.code, "reason": REASON})
    assert grant.status_code == 201
    detail = client.get(f"/api/cases/{world.case.code}").json()
    assert detail["access"]["relationship"] == "break_glass"
    assert "notes" not in client.get(f"/api/cases/{world.case.code}/identity").json()
    event = AuditEvent.objects.filter(action=AuditAction.BREAK_GLASS).get()
    # The audit event says a reason was given, never its words (they may name people or places).
    assert (event.channel, event.reason, event.changes["reason_length"]) == ("api", "", len(REASON))
    assert BreakGlass.objects.get().reason == REASON


def test_break_glass_on_a_missing_case_is_404_and_grants_nothing(world, api) -> None:
    response = api(world.other_caseworker).post("/api/break-glass", {"code": "HV-26-ZZZZZZ", "reason": REASON})
    assert response.status_code == 404 and not BreakGlass.objects.exists()


def test_the_supervisor_reviews_break_glass_access(world, api) -> None:
    grant = api(world.other_caseworker).post("/api/break-glass", {"code": world.case.code, "reason": REASON}).json()
    supervisor = api(world.supervisor)
    assert [g["id"] for g in supervisor.get("/api/break-glass").json()] == [grant["id"]]
    reviewed = supervisor.post(f"/api/break-glass/{grant['id']}/review", {"note": "Justified."}).json()
    assert reviewed["reviewed_at"] is not None
    assert supervisor.get("/api/break-glass").json() == []
