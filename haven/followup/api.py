"""API: safety assessments of a minor's home (create, submit, approve or return), the discharge check,
follow-up plans and visits, a new reception after re-trafficking, and the worklists.

Case routes open the case through `access_case`, so a missing case and one the user may not see give the
same 404. Sealed text is returned only to those who need it, and each such read is audited.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from pydantic import StrictBool

from haven.accounts.models import Role
from haven.cases.api_schemas import Input
from haven.cases.models import ReturnMode
from haven.cases.selectors import CaseAccess, access_case
from haven.core.api_auth import ANY_AUTH, api_user
from haven.core.api_types import ERRORS, MAX_DB_ID, CasePath, ErrorOut, IdPath, reply, text
from haven.core.errors import NotFound, PermissionDenied
from haven.followup import selectors
from haven.followup.models import (
    AssessmentOutcome,
    AssessmentStatus,
    FollowUpPlan,
    FollowUpStatus,
    HomeSafetyAssessment,
    VisitMode,
)
from haven.followup.services import (
    assessment_create,
    assessment_decide,
    assessment_submit,
    case_reopen_reception,
    plan_create,
    visit_record,
)

router = Router(auth=ANY_AUTH)
CHANNEL = "api"
Sealed = text(4000)
SEALED_NOTE = "Sealed; only for the owning agency and the agency that made it (audited), otherwise null"


class AssessmentOut(Schema):
    id: int
    case: str = Field(..., description="Case code")
    stay_id: int | None
    agency_id: int
    visited_on: dt.date
    visited_by: str
    outcome: AssessmentOutcome
    status: AssessmentStatus
    created_by: str
    submitted_at: dt.datetime | None
    decided_by: str | None
    decided_at: dt.datetime | None
    family_situation: str | None = Field(None, description=SEALED_NOTE)
    findings: str | None = Field(None, description=SEALED_NOTE)
    risks: str | None = Field(None, description=SEALED_NOTE)
    conditions: str | None = Field(None, description=SEALED_NOTE)
    placement: str | None = Field(None, description=SEALED_NOTE)
    return_reason: str | None = Field(None, description=SEALED_NOTE)


class AssessmentIn(Input):
    visited_on: dt.date
    outcome: AssessmentOutcome
    stay_id: int | None = Field(None, ge=1, le=MAX_DB_ID)
    family_situation: Sealed | None = None  # type: ignore[valid-type]
    findings: text(4000, min_length=1)  # type: ignore[valid-type]
    risks: Sealed | None = None  # type: ignore[valid-type]
    conditions: Sealed | None = Field(None, description="Required when safe with conditions")  # type: ignore[valid-type]
    placement: Sealed | None = Field(None, description="Where the child goes instead when the home is unsafe")  # type: ignore[valid-type]


class DecisionIn(Input):
    approve: StrictBool
    reason: Sealed | None = Field(None, description="Required to return it")  # type: ignore[valid-type]


class DischargeCheckQuery(Schema):
    on: dt.date | None = Field(None, description="Discharge date; default today")


class DischargeCheckOut(Schema):
    minor: bool
    allowed: bool
    reason: str = Field(..., description="What is missing, translated; empty when allowed")


class VisitOut(Schema):
    id: int
    plan_id: int
    case: str
    due_on: dt.date
    done_on: dt.date | None
    overdue: bool
    visited_by: str | None
    mode: VisitMode | None
    observed: FollowUpStatus | None
    notes: str | None = Field(None, description="Sealed; only for the owning and the responsible agency (audited)")


class PlanOut(Schema):
    id: int
    case: str
    responsible_agency_id: int
    responsible_agency: str
    every_days: int
    starts_on: dt.date
    ends_on: dt.date
    latest_status: FollowUpStatus | None
    retrafficked: bool
    retrafficked_on: dt.date | None
    new_case: str | None = Field(None, description="The new reception opened after re-trafficking")
    visits: list[VisitOut]


class PlanIn(Input):
    responsible_agency_id: int = Field(..., ge=1, le=MAX_DB_ID)
    every_days: int = Field(..., ge=1, le=10_000, description="7 to 183")
    starts_on: dt.date
    ends_on: dt.date


class VisitIn(Input):
    visit_id: int | None = Field(None, ge=1, le=MAX_DB_ID, description="A scheduled visit; omit for an extra one")
    done_on: dt.date
    mode: VisitMode
    observed: FollowUpStatus
    notes: Sealed | None = Field(None, description="Required when at risk or trafficked again")  # type: ignore[valid-type]


class ReceptionIn(Input):
    received_on: dt.date
    reception_place: text(200, min_length=1)  # type: ignore[valid-type]
    return_mode: ReturnMode


class ReceptionOut(Schema):
    case: str = Field(..., description="The new case's code")
    previous_case: str


_user = api_user


def assessment_out(access: CaseAccess, a: HomeSafetyAssessment, sealed_reads: list[Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": a.pk, "case": access.case.code, "stay_id": a.stay_id, "agency_id": a.agency_id,
        "visited_on": a.visited_on, "visited_by": a.visited_by.username, "outcome": a.outcome, "status": a.status,
        "created_by": a.created_by.username, "submitted_at": a.submitted_at,
        "decided_by": a.decided_by.username if a.decided_by else None, "decided_at": a.decided_at,
    }
    if selectors.may_read_assessment(access, a):
        sealed = selectors.assessment_sealed(a)
        out.update({name: sealed.get(name, "") for name in selectors.SEALED_ASSESSMENT_FIELDS})
        sealed_reads.append(("home_safety_assessment", a.pk, sorted(sealed)))
    return out


def _assessment(access: CaseAccess, assessment_id: int) -> dict[str, Any]:
    found = next((a for a in selectors.assessments_of_case(access.case) if a.pk == assessment_id), None)
    if found is None:
        raise NotFound()
    reads: list[Any] = []
    out = assessment_out(access, found, reads)
    selectors.audit_sealed_reads(access, reads, channel=CHANNEL)
    return out


def plan_out(access: CaseAccess, plan: FollowUpPlan, sealed_reads: list[Any], new_cases: dict[int, str]) -> dict[str, Any]:
    today, readable = timezone.localdate(), selectors.may_read_visits(access, plan)
    visits = []
    for visit in plan.visits.all():
        row = {"id": visit.pk, "plan_id": plan.pk, "case": access.case.code, "due_on": visit.due_on,
               "done_on": visit.done_on, "overdue": visit.done_on is None and visit.due_on < today,
               "visited_by": visit.visited_by.username if visit.visited_by else None, "mode": visit.mode or None,
               "observed": visit.observed or None, "notes": None}
        if readable:
            row["notes"] = visit.notes
            if visit.notes:
                sealed_reads.append(("followup_visit", visit.pk, ["notes"]))
        visits.append(row)
    return {"id": plan.pk, "case": access.case.code, "responsible_agency_id": plan.responsible_agency_id,
            "responsible_agency": plan.responsible_agency.name, "every_days": plan.every_days,
            "starts_on": plan.starts_on, "ends_on": plan.ends_on, "latest_status": selectors.plan_status(plan) or None,
            "retrafficked": plan.retrafficked, "retrafficked_on": plan.retrafficked_on,
            "new_case": new_cases.get(plan.pk), "visits": visits}


def _plans(access: CaseAccess, only: int | None = None) -> list[dict[str, Any]]:
    new_cases = {link.plan_id: link.new_case.code for link in selectors.links_of_case(access.case)["later"]
                 if link.plan_id}
    reads: list[Any] = []
    rows = [plan_out(access, p, reads, new_cases) for p in selectors.plans_of_case(access.case)
            if only is None or p.pk == only]
    selectors.audit_sealed_reads(access, reads, channel=CHANNEL)
    return rows


# --- Safety assessments ------------------------------------------------------------------------------


@router.get("/cases/{code}/safety-assessments", response={200: list[AssessmentOut], ERRORS: ErrorOut},
            summary="Safety assessments of the minor's home (sealed text for those who need it; audited)")
def assessment_list(request: HttpRequest, code: CasePath) -> list[dict[str, Any]]:
    access = access_case(_user(request), code=code)
    reads: list[Any] = []
    rows = [assessment_out(access, a, reads) for a in selectors.assessments_of_case(access.case)]
    selectors.audit_sealed_reads(access, reads, channel=CHANNEL)
    return rows


@router.post("/cases/{code}/safety-assessments", response={201: AssessmentOut, ERRORS: ErrorOut},
             summary="Record a home visit and its safety assessment as a draft (agencies serving the case; audited)")
def assessment_new(request: HttpRequest, code: CasePath, payload: AssessmentIn) -> Any:
    access = access_case(_user(request), code=code)
    data = payload.model_dump(mode="json")
    data = {k: ("" if v is None and k not in ("stay_id",) else v) for k, v in data.items()}
    assessment = assessment_create(access=access, channel=CHANNEL, **data)
    return reply(201, _assessment(access, assessment.pk))


@router.post("/cases/{code}/safety-assessments/{assessment_id}/submit", response={200: AssessmentOut, ERRORS: ErrorOut},
             summary="Submit a draft for a supervisor's approval (the agency that made it; audited)")
def assessment_send(request: HttpRequest, code: CasePath, assessment_id: IdPath) -> dict[str, Any]:
    access = access_case(_user(request), code=code)
    assessment_submit(access=access, assessment_id=assessment_id, channel=CHANNEL)
    return _assessment(access, assessment_id)


@router.post("/cases/{code}/safety-assessments/{assessment_id}/decision", response={200: AssessmentOut, ERRORS: ErrorOut},
             summary="Approve or return a submitted assessment (a supervisor who is not its author; audited)")
def assessment_decision(request: HttpRequest, code: CasePath, assessment_id: IdPath, payload: DecisionIn) -> dict[str, Any]:
    access = access_case(_user(request), code=code)
    assessment_decide(access=access, assessment_id=assessment_id, approve=payload.approve,
                      reason=payload.reason or "", channel=CHANNEL)
    return _assessment(access, assessment_id)


@router.get("/cases/{code}/discharge-check", response={200: DischargeCheckOut, ERRORS: ErrorOut},
            summary="May the person leave a facility on a day? (a minor needs an approved home assessment)")
def discharge_check(request: HttpRequest, code: CasePath, query: Query[DischargeCheckQuery]) -> dict[str, Any]:
    access = access_case(_user(request), code=code)
    day = query.on or timezone.localdate()
    allowed, reason = selectors.minor_may_leave(access.case, day)
    return {"minor": selectors.is_minor(access.case, day), "allowed": allowed, "reason": reason}


@router.get("/safety-assessments/pending", response={200: list[AssessmentOut], ERRORS: ErrorOut},
            summary="Submitted assessments I may decide (supervisors; without sealed text)")
def assessment_pending(request: HttpRequest) -> list[dict[str, Any]]:
    user = _user(request)
    if user.role != Role.SUPERVISOR:
        raise PermissionDenied()
    rows = []
    for a in selectors.assessments_waiting(user).select_related("visited_by", "created_by", "decided_by"):
        rows.append({"id": a.pk, "case": a.case.code, "stay_id": a.stay_id, "agency_id": a.agency_id,
                     "visited_on": a.visited_on, "visited_by": a.visited_by.username, "outcome": a.outcome,
                     "status": a.status, "created_by": a.created_by.username, "submitted_at": a.submitted_at,
                     "decided_by": None, "decided_at": None})
    return rows


# --- Follow-up plans and visits ----------------------------------------------------------------------


@router.get("/cases/{code}/follow-up", response={200: list[PlanOut], ERRORS: ErrorOut},
            summary="The case's follow-up plans with their visits (notes for those who need them; audited)")
def plan_list(request: HttpRequest, code: CasePath) -> list[dict[str, Any]]:
    return _plans(access_case(_user(request), code=code))


@router.post("/cases/{code}/follow-up/plans", response={201: PlanOut, ERRORS: ErrorOut},
             summary="Plan the follow-up and schedule its visits (agencies serving the case; audited)")
def plan_new(request: HttpRequest, code: CasePath, payload: PlanIn) -> Any:
    access = access_case(_user(request), code=code)
    plan = plan_create(access=access, channel=CHANNEL, **payload.model_dump(mode="json"))
    return reply(201, _plans(access, plan.pk)[0])


@router.post("/cases/{code}/follow-up/plans/{plan_id}/visits", response={201: PlanOut, ERRORS: ErrorOut},
             summary="Record a visit (the responsible or the owning agency; audited)")
def visit_new(request: HttpRequest, code: CasePath, plan_id: IdPath, payload: VisitIn) -> Any:
    access = access_case(_user(request), code=code)
    visit_record(access=access, plan_id=plan_id, visit_id=payload.visit_id, done_on=payload.done_on,
                 mode=payload.mode.value, observed=payload.observed.value, notes=payload.notes or "",
                 channel=CHANNEL)
    return reply(201, _plans(access, plan_id)[0])


@router.post("/cases/{code}/follow-up/plans/{plan_id}/reception", response={201: ReceptionOut, ERRORS: ErrorOut},
             summary="Trafficked again: open a new reception for the same person, linked to this case (audited)")
def reception_new(request: HttpRequest, code: CasePath, plan_id: IdPath, payload: ReceptionIn) -> Any:
    access = access_case(_user(request), code=code)
    case = case_reopen_reception(access=access, plan_id=plan_id, received_on=payload.received_on,
                                 reception_place=payload.reception_place, return_mode=payload.return_mode.value,
                                 channel=CHANNEL)
    return reply(201, {"case": case.code, "previous_case": access.case.code})


@router.get("/follow-up/due", response={200: list[VisitOut], ERRORS: ErrorOut},
            summary="My agency's visits due within a week and overdue (case codes; no notes)")
def visits_due(request: HttpRequest) -> list[dict[str, Any]]:
    user, today = _user(request), timezone.localdate()
    return [{"id": v.pk, "plan_id": v.plan_id, "case": v.plan.case.code, "due_on": v.due_on, "done_on": None,
             "overdue": v.due_on < today, "visited_by": None, "mode": None, "observed": None, "notes": None}
            for v in selectors.visits_due(user, today)]
