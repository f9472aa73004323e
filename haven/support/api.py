"""API: shelter stays, the ledger (record, reverse, approve; no edit, no delete), balances, funding sources
and occupancy.

Case routes open the case through `access_case`, so a missing case and one the user may not see give the
same 404; stays and entries are looked up inside it. The services validate, change and audit.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

import pydantic
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from pydantic import StrictBool, StrictInt

from haven.accounts.models import Role
from haven.cases.api_schemas import Input
from haven.cases.selectors import CaseAccess, access_case
from haven.core.api_auth import ANY_AUTH, api_user
from haven.core.api_types import ERRORS, MAX_DB_ID, CasePath, ErrorOut, IdPath, reply, text
from haven.core.errors import NotFound, PermissionDenied
from haven.support import selectors
from haven.support.funding import funding_source_create, funding_source_deactivate, funding_sources_of
from haven.support.ledger import MAX_VND, ledger_decide, ledger_propose, ledger_record, ledger_reverse
from haven.support.models import EntryKind, EvidenceKind, FundingKind, FundingSource, LedgerEntry, ShelterStay
from haven.support.stays import stay_admit, stay_discharge, stay_limit

router = Router(auth=ANY_AUTH)
CHANNEL = "api"
ItemText = text(40, min_length=1)


class StayLimitState(StrEnum):
    NONE = "none"
    OK = "ok"
    NEAR = "near"
    PASSED = "passed"


class StayOut(Schema):
    id: int
    facility_id: int
    facility: str
    admitted_on: dt.date
    discharged_on: dt.date | None
    paid_item: str = Field(..., description="The engine's item that pays each day (food or essential_needs), or empty")
    paid_until: dt.date | None = Field(..., description="Last day the state pays, from the engine")
    limit_days: int | None
    days_so_far: int
    days_left: int | None
    limit_state: StayLimitState


class StayAdmitIn(Input):
    facility_id: int = Field(..., ge=1, le=MAX_DB_ID)
    admitted_on: dt.date


class StayDischargeIn(Input):
    discharged_on: dt.date
    note: text(2000) | None = Field(None, description="Sealed; read only by the facility and the owning agency")  # type: ignore[valid-type]


class LedgerApprovalOut(Schema):
    approved: bool
    decided_by: str
    decided_at: dt.datetime
    note: str | None = Field(None, description="Only for the entry's agency")


class LedgerEntryOut(Schema):
    id: int
    case: str = Field(..., description="Case code")
    agency_id: int
    item: str
    kind: EntryKind
    provided_on: dt.date
    amount: int = Field(..., description="Integer đồng; negative for a reversal")
    proposed_amount: int | None
    legal_limit: int | None
    overrides_limit: bool
    funding_source_id: int
    funding_source: str
    evidence_kind: EvidenceKind
    evidence_ref: str
    reverses: int | None
    reversed_by: int | None
    recorded_by: str
    recorded_at: dt.datetime
    status: str = Field(..., description="pending, approved or rejected")
    approval: LedgerApprovalOut | None
    amount_reason: str | None = Field(None, description="Only for the entry's agency")
    over_limit_reason: str | None = Field(None, description="Only for the entry's agency")
    note: str | None = Field(None, description="Only for the entry's agency")


class LedgerEntryIn(Input):
    item: ItemText  # type: ignore[valid-type]
    kind: EntryKind
    provided_on: dt.date
    amount: StrictInt = Field(..., ge=1, le=MAX_VND, description="Integer đồng")
    funding_source_id: int = Field(..., ge=1, le=MAX_DB_ID)
    evidence_kind: EvidenceKind
    evidence_ref: text(80, min_length=1)  # type: ignore[valid-type]
    amount_reason: text(2000) | None = Field(None, description="Required when the amount differs from the proposal")  # type: ignore[valid-type]
    over_limit_reason: text(2000) | None = Field(None, description="Supervisors: required above the legal limit")  # type: ignore[valid-type]
    note: text(2000) | None = None  # type: ignore[valid-type]


class LedgerReversalIn(Input):
    reason: text(2000, min_length=1)  # type: ignore[valid-type]


class LedgerDecisionIn(Input):
    approved: StrictBool
    note: text(2000) | None = Field(None, description="Required for a rejection")  # type: ignore[valid-type]


class LedgerProposalQuery(Schema):
    item: ItemText  # type: ignore[valid-type]
    provided_on: dt.date | None = pydantic.Field(None, description="Default today")


class LedgerProposalOut(Schema):
    item: str
    status: str
    entitled_amount: int | None = Field(..., description="The engine's amount for the item: the legal limit")
    already: int = Field(..., description="Recorded and not rejected")
    proposed: int | None


class LedgerBalanceOut(Schema):
    item: str
    recorded: int = Field(..., description="Approved + awaiting approval")
    approved: int = Field(..., description="Spent")
    pending: int
    rejected: int
    entries: int


class FundingSourceOut(Schema):
    id: int
    kind: FundingKind
    name: str
    code: str
    is_active: bool


class FundingSourceBalanceOut(FundingSourceOut):
    recorded: int
    approved: int
    pending: int
    rejected: int
    entries: int


class FundingSourceIn(Input):
    kind: FundingKind
    name: text(200, min_length=1)  # type: ignore[valid-type]
    code: text(60) | None = None  # type: ignore[valid-type]


class FacilityOccupancyOut(Schema):
    facility_id: int
    facility: str
    staying: int
    capacity: int | None = Field(..., description="From the service directory, when it has one")


_user = api_user


def stay_out(stay: ShelterStay) -> dict[str, Any]:
    limit = stay_limit(stay, timezone.localdate())
    return {"id": stay.pk, "facility_id": stay.facility_id, "facility": stay.facility.name,
            "admitted_on": stay.admitted_on, "discharged_on": stay.discharged_on, "paid_item": stay.paid_item,
            "paid_until": stay.paid_until, "limit_days": limit.limit_days, "days_so_far": limit.days_so_far,
            "days_left": limit.days_left, "limit_state": limit.state}


def entry_out(entry: LedgerEntry, user: Any) -> dict[str, Any]:
    own = entry.agency_id == user.agency_id
    decision = getattr(entry, "approval", None)
    reversed_by = getattr(entry, "reversed_by", None)
    return {
        "id": entry.pk, "case": entry.case.code, "agency_id": entry.agency_id, "item": entry.item, "kind": entry.kind,
        "provided_on": entry.provided_on, "amount": entry.amount, "proposed_amount": entry.proposed_amount,
        "legal_limit": entry.legal_limit, "overrides_limit": entry.overrides_limit,
        "funding_source_id": entry.funding_source_id, "funding_source": entry.funding_source.name,
        "evidence_kind": entry.evidence_kind, "evidence_ref": entry.evidence_ref, "reverses": entry.reverses_id,
        "reversed_by": reversed_by.pk if reversed_by else None, "recorded_by": entry.recorded_by.username,
        "recorded_at": entry.recorded_at,
        "status": "pending" if decision is None else ("approved" if decision.approved else "rejected"),
        "approval": None if decision is None else {
            "approved": decision.approved, "decided_by": decision.decided_by.username,
            "decided_at": decision.decided_at, "note": decision.note if own else None},
        # Free text may name people: only the agency that recorded the entry reads it.
        "amount_reason": entry.amount_reason if own else None,
        "over_limit_reason": entry.over_limit_reason if own else None, "note": entry.note if own else None,
    }


def _entry(access: CaseAccess, entry_id: int) -> dict[str, Any]:
    entry = next((e for e in selectors.entries_of_case(access.case) if e.pk == entry_id), None)
    if entry is None:
        raise NotFound()
    return entry_out(entry, access.user)


# --- Stays ---------------------------------------------------------------------------------------


@router.get("/cases/{code}/stays", response={200: list[StayOut], ERRORS: ErrorOut},
            summary="The person's shelter stays with their state-paid limit")
def stay_list(request: HttpRequest, code: CasePath) -> list[dict[str, Any]]:
    access = access_case(_user(request), code=code)
    return [stay_out(s) for s in selectors.stays_of_case(access.case)]


@router.post("/cases/{code}/stays", response={201: StayOut, ERRORS: ErrorOut},
             summary="Admit the person to a facility (the facility or the owning agency; audited)")
def stay_new(request: HttpRequest, code: CasePath, payload: StayAdmitIn) -> Any:
    access = access_case(_user(request), code=code)
    stay = stay_admit(access=access, facility_id=payload.facility_id, admitted_on=payload.admitted_on,
                      channel=CHANNEL)
    return reply(201, stay_out(stay))


@router.post("/cases/{code}/stays/{stay_id}/discharge", response={200: StayOut, ERRORS: ErrorOut},
             summary="Discharge the person (the facility or the owning agency; audited)")
def stay_end(request: HttpRequest, code: CasePath, stay_id: IdPath, payload: StayDischargeIn) -> dict[str, Any]:
    access = access_case(_user(request), code=code)
    stay = stay_discharge(access=access, stay_id=stay_id, discharged_on=payload.discharged_on,
                          note=payload.note or "", channel=CHANNEL)
    return stay_out(stay)


# --- Ledger --------------------------------------------------------------------------------------


@router.get("/cases/{code}/ledger", response={200: list[LedgerEntryOut], ERRORS: ErrorOut},
            summary="Services given and payments made for the person, oldest first (append-only)")
def ledger_list(request: HttpRequest, code: CasePath) -> list[dict[str, Any]]:
    access = access_case(_user(request), code=code)
    return [entry_out(e, access.user) for e in selectors.entries_of_case(access.case)]


@router.get("/cases/{code}/ledger/proposal", response={200: LedgerProposalOut, ERRORS: ErrorOut},
            summary="The amount the rules propose for an item on a day (agencies serving the case)")
def ledger_proposal(request: HttpRequest, code: CasePath, query: Query[LedgerProposalQuery]) -> dict[str, Any]:
    access = access_case(_user(request), code=code)
    if not access.can_serve:
        raise NotFound()
    p = ledger_propose(access, item=query.item, provided_on=query.provided_on or timezone.localdate(),
                       channel=CHANNEL)
    return {"item": p.item, "status": p.status, "entitled_amount": p.entitled_amount, "already": p.already,
            "proposed": p.proposed}


@router.post("/cases/{code}/ledger", response={201: LedgerEntryOut, ERRORS: ErrorOut},
             summary="Record a service or payment for an entitlement item (agencies serving the case; audited)")
def ledger_new(request: HttpRequest, code: CasePath, payload: LedgerEntryIn) -> Any:
    access = access_case(_user(request), code=code)
    entry = ledger_record(access=access, channel=CHANNEL, **payload.model_dump(mode="json"))
    return reply(201, _entry(access, entry.pk))


@router.post("/cases/{code}/ledger/{entry_id}/reversal", response={201: LedgerEntryOut, ERRORS: ErrorOut},
             summary="Correct an approved entry with a reversing entry (the recording agency; audited)")
def ledger_reversal(request: HttpRequest, code: CasePath, entry_id: IdPath, payload: LedgerReversalIn) -> Any:
    access = access_case(_user(request), code=code)
    reversal = ledger_reverse(access=access, entry_id=entry_id, reason=payload.reason, channel=CHANNEL)
    return reply(201, _entry(access, reversal.pk))


@router.get("/cases/{code}/ledger/balances", response={200: list[LedgerBalanceOut], ERRORS: ErrorOut},
            summary="Per item: recorded, approved (spent), awaiting approval, rejected")
def ledger_balances(request: HttpRequest, code: CasePath) -> list[dict[str, Any]]:
    access = access_case(_user(request), code=code)
    return selectors.case_balances(access.case)


@router.get("/ledger/pending", response={200: list[LedgerEntryOut], ERRORS: ErrorOut},
            summary="Entries of my agency awaiting approval (supervisors)")
def ledger_pending(request: HttpRequest) -> list[dict[str, Any]]:
    user = _user(request)
    if user.role != Role.SUPERVISOR:
        raise PermissionDenied()
    return [entry_out(e, user) for e in selectors.approvals_waiting(user).select_related("approval")]


@router.post("/ledger/{entry_id}/approval", response={200: LedgerEntryOut, ERRORS: ErrorOut},
             summary="Approve or reject an entry (another supervisor of the entry's agency; audited)")
def ledger_approval(request: HttpRequest, entry_id: IdPath, payload: LedgerDecisionIn) -> dict[str, Any]:
    user = _user(request)
    decision = ledger_decide(acting_user=user, entry_id=entry_id, approved=payload.approved, note=payload.note or "",
                             channel=CHANNEL)
    entry = (LedgerEntry.objects.select_related("case", "funding_source", "recorded_by", "approval__decided_by")
             .get(pk=decision.entry_id))
    return entry_out(entry, user)


# --- Funding sources and occupancy ---------------------------------------------------------------


def funding_out(source: FundingSource) -> dict[str, Any]:
    return {"id": source.pk, "kind": source.kind, "name": source.name, "code": source.code,
            "is_active": source.is_active}


@router.get("/funding-sources", response={200: list[FundingSourceBalanceOut], ERRORS: ErrorOut},
            summary="My agency's funding sources with what was recorded and spent on each")
def funding_list(request: HttpRequest) -> list[dict[str, Any]]:
    user = _user(request)
    return [{**funding_out(row.pop("source")), **row} for row in selectors.funding_balances(user.agency_id)]


@router.post("/funding-sources", response={201: FundingSourceOut, ERRORS: ErrorOut},
             summary="Add a funding source to my agency (agency administrators and supervisors; audited)")
def funding_new(request: HttpRequest, payload: FundingSourceIn) -> Any:
    source = funding_source_create(acting_user=_user(request), kind=payload.kind.value, name=payload.name,
                                   code=payload.code or "", channel=CHANNEL)
    return reply(201, funding_out(source))


@router.post("/funding-sources/{source_id}/deactivate", response={200: FundingSourceOut, ERRORS: ErrorOut},
             summary="No new entry may use this source (agency administrators and supervisors; audited)")
def funding_off(request: HttpRequest, source_id: IdPath) -> dict[str, Any]:
    user = _user(request)
    if not funding_sources_of(user).filter(pk=source_id).exists():
        raise NotFound()
    return funding_out(funding_source_deactivate(acting_user=user, source_id=source_id, channel=CHANNEL))


@router.get("/occupancy", response={200: list[FacilityOccupancyOut], ERRORS: ErrorOut},
            summary="People staying now per facility (counts only), with capacity when known")
def occupancy(request: HttpRequest) -> list[dict[str, Any]]:
    rows, _known = selectors.occupancy()
    return [{"facility_id": r.facility.pk, "facility": r.facility.name, "staying": r.staying,
             "capacity": r.capacity} for r in rows]
