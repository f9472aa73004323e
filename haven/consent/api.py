"""API: consent by purpose, in force and its history; recording and withdrawing it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from haven.accounts.models import AgencyKind
from haven.cases.api_schemas import Input
from haven.cases.selectors import Need, access_case
from haven.consent.models import ConsentRecord, Decision, GivenBy, Method, Purpose
from haven.consent.selectors import consent_current, consent_history
from haven.consent.services import consent_record
from haven.core.api_auth import ANY_AUTH
from haven.core.api_types import ERRORS, CasePath, ErrorOut, reply, text

router = Router(auth=ANY_AUTH)


class ConsentIn(Input):
    purpose: Purpose
    decision: Decision = Field(..., description="withdrawn records a withdrawal; it takes effect at once")
    given_by: GivenBy
    method: Method
    agency_kind: AgencyKind | None = Field(None, description="Only for the purpose 'sharing'")
    guardian_name: text(200) | None = Field(None, description="Needed when a guardian takes part")  # type: ignore[valid-type]
    witness_name: text(200) | None = Field(None, description="Needed for verbal consent")  # type: ignore[valid-type]
    effective_on: dt.date | None = None
    note: text(2000) | None = None  # type: ignore[valid-type]


class ConsentRecordOut(Schema):
    """Names of guardians and witnesses are sealed identity data and are not returned here."""

    id: int
    purpose: Purpose
    agency_kind: AgencyKind | None
    decision: Decision
    given_by: GivenBy
    method: Method
    guardian_named: bool
    witness_named: bool
    effective_on: dt.date
    recorded_at: dt.datetime
    recorded_by: str


class ConsentStateOut(Schema):
    purpose: Purpose
    agency_kind: AgencyKind | None
    decision: Decision
    given: bool
    record_id: int


class ConsentOut(Schema):
    current: list[ConsentStateOut]
    history: list[ConsentRecordOut]


def record_out(record: ConsentRecord) -> dict[str, Any]:
    return {
        "id": record.pk, "purpose": record.purpose, "agency_kind": record.agency_kind or None,
        "decision": record.decision, "given_by": record.given_by, "method": record.method,
        "guardian_named": bool(record.guardian_name), "witness_named": bool(record.witness_name),
        "effective_on": record.effective_on, "recorded_at": record.recorded_at,
        "recorded_by": record.recorded_by.username,
    }


@router.get(
    "/cases/{code}/consent", response={200: ConsentOut, ERRORS: ErrorOut}, summary="Consent in force, and history",
)
def consent_detail(request: HttpRequest, code: CasePath) -> dict[str, Any]:
    access = access_case(request.auth, code=code, need=Need.VIEW)  # type: ignore[attr-defined]
    person_id = access.case.person_id
    return {
        "current": [
            {"purpose": s.purpose, "agency_kind": s.agency_kind or None, "decision": s.decision, "given": s.given,
             "record_id": s.record.pk}
            for s in consent_current(person_id)
        ],
        "history": [record_out(r) for r in consent_history(person_id)],
    }


@router.post(
    "/cases/{code}/consent", response={201: ConsentRecordOut, ERRORS: ErrorOut},
    summary="Record a consent decision, or a withdrawal (owning agency)",
)
def consent_new(request: HttpRequest, code: CasePath, payload: ConsentIn) -> Any:
    access = access_case(request.auth, code=code, need=Need.EDIT)  # type: ignore[attr-defined]
    data = {k: ("" if v is None else v) for k, v in payload.model_dump(mode="json").items()}
    record = consent_record(
        access=access, purpose=data["purpose"], decision=data["decision"], given_by=data["given_by"],
        method=data["method"], agency_kind=data["agency_kind"], guardian_name=data["guardian_name"],
        witness_name=data["witness_name"], effective_on=payload.effective_on, note=data["note"], channel="api",
    )
    return reply(201, record_out(record))
