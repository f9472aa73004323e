"""API: a case's proceedings, legal aid, verdicts, awards with payments and enforcement; the justice summary.

Case routes open the case through `access_case`, so a missing case and one the user may not see give the
same 404. Sealed fields (court, case number, sentence, debtor, enforcement body and notes) are returned only
to users with a need to know (haven.legal.access), and each such read is audited. No route edits or deletes
a payment or an enforcement step.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import StrictInt

from haven.cases.api_schemas import Input
from haven.cases.selectors import CaseAccess, access_case
from haven.core.api_auth import ANY_AUTH, api_user
from haven.core.api_types import ERRORS, MAX_DB_ID, CasePath, ErrorOut, IdPath, reply, text
from haven.core.errors import PermissionDenied
from haven.legal import selectors
from haven.legal.awards import MAX_VND, enforcement_record, payment_record, payment_reverse, verdict_record
from haven.legal.models import (
    AidStatus,
    CourtLevel,
    Outcome,
    PaymentMethod,
    PersonRole,
    ProceedingKind,
    ProceedingStatus,
    Stage,
    StepKind,
)
from haven.legal.proceedings import legal_aid_decide, legal_aid_request, proceeding_advance, proceeding_create

router = Router(auth=ANY_AUTH)
CHANNEL = "api"
SEALED = "Sealed: null unless the user has a need to know (owning agency; legal aid, police, court or procuracy " \
         "on an accepted referral); each read is audited"


class Sentence(Schema):
    vi: str
    en: str


class Citation(Schema):
    instrument: str
    article: str | None


class LegalAidOut(Schema):
    id: int
    proceeding_id: int | None
    provider_id: int
    provider: str
    requested_on: dt.date
    status: AidStatus
    decided_on: dt.date | None
    ended_on: dt.date | None
    eligibility_status: str = Field(..., description="The engine's legal-aid item status on the request date, "
                                                     "or not_in_regime")
    eligibility_reasons: list[Sentence]
    eligibility_citations: list[Citation]
    eligibility_confidence: str
    eligibility_evaluated_on: dt.date


class PaymentOut(Schema):
    id: int
    received_on: dt.date
    amount: int = Field(..., description="Integer đồng; negative for a reversal")
    method: PaymentMethod
    evidence_ref: str
    reverses: int | None
    reversed_by: int | None
    note: str | None = Field(None, description=SEALED)


class EnforcementStepOut(Schema):
    id: int
    kind: StepKind
    taken_on: dt.date
    body: str | None = Field(None, description=SEALED)
    note: str | None = Field(None, description=SEALED)


class VerdictOut(Schema):
    id: int
    proceeding_id: int
    decided_on: dt.date
    court_level: CourtLevel
    outcome: Outcome
    compensation_awarded: int = Field(..., description="Integer đồng; 0 when none")
    sentence_summary: str | None = Field(None, description=SEALED)
    debtor: str | None = Field(None, description=SEALED)
    received: int | None = Field(None, description="Net received, for an award")
    outstanding: int | None = None
    payment_state: str | None = Field(None, description="paid_in_full, paid_in_part or not_paid, for an award")
    payments: list[PaymentOut] = []
    enforcement: list[EnforcementStepOut] = []


class ProceedingOut(Schema):
    id: int
    kind: ProceedingKind
    person_role: PersonRole
    stage: Stage
    status: ProceedingStatus
    opened_on: dt.date | None
    closed_on: dt.date | None
    court: str | None = Field(None, description=SEALED)
    case_number: str | None = Field(None, description=SEALED)
    legal_aid: list[LegalAidOut]
    verdicts: list[VerdictOut]
    closed_trial_measures: list[int] | None = Field(
        None, description="Ids of closed-trial protection measures; null while the protection area has none")


class JusticeOut(Schema):
    case: str
    sealed_shown: bool
    proceedings: list[ProceedingOut]
    legal_aid_without_proceeding: list[LegalAidOut]


class ProceedingIn(Input):
    kind: ProceedingKind
    person_role: PersonRole
    stage: Stage = Stage.INVESTIGATION
    court: text(300) | None = None  # type: ignore[valid-type]
    case_number: text(100) | None = None  # type: ignore[valid-type]
    opened_on: dt.date | None = None


class AdvanceIn(Input):
    stage: Stage
    status: ProceedingStatus = ProceedingStatus.ACTIVE
    on: dt.date | None = Field(None, description="Required when closing")


class LegalAidIn(Input):
    provider_id: int = Field(..., ge=1, le=MAX_DB_ID)
    requested_on: dt.date
    proceeding_id: int | None = Field(None, ge=1, le=MAX_DB_ID)


class LegalAidDecisionIn(Input):
    status: AidStatus
    on: dt.date


class VerdictIn(Input):
    proceeding_id: int = Field(..., ge=1, le=MAX_DB_ID)
    decided_on: dt.date
    court_level: CourtLevel
    outcome: Outcome
    sentence_summary: text(2000) | None = None  # type: ignore[valid-type]
    compensation_awarded: StrictInt = Field(0, ge=0, le=MAX_VND, description="Integer đồng")
    debtor: text(300) | None = Field(None, description="Required with compensation")  # type: ignore[valid-type]


class PaymentIn(Input):
    received_on: dt.date
    amount: StrictInt = Field(..., ge=1, le=MAX_VND, description="Integer đồng")
    method: PaymentMethod
    evidence_ref: text(80, min_length=1)  # type: ignore[valid-type]


class ReversalIn(Input):
    reason: text(2000, min_length=1)  # type: ignore[valid-type]


class StepIn(Input):
    kind: StepKind
    taken_on: dt.date
    body: text(300) | None = None  # type: ignore[valid-type]
    note: text(2000) | None = None  # type: ignore[valid-type]


class SummaryOut(Schema):
    paid_in_full: int | None = Field(..., description="null when suppressed (a count of 1 to 4)")
    paid_in_part: int | None
    not_paid: int | None
    total: int | None
    awarded: int | None = Field(..., description="Integer đồng; null for statisticians")
    received: int | None
    suppressed: bool


_user = api_user


def _aid(aid: Any) -> dict[str, Any]:
    return {"id": aid.pk, "proceeding_id": aid.proceeding_id, "provider_id": aid.provider_id,
            "provider": aid.provider.name, "requested_on": aid.requested_on, "status": aid.status,
            "decided_on": aid.decided_on, "ended_on": aid.ended_on, "eligibility_status": aid.eligibility_status,
            "eligibility_reasons": aid.eligibility_reasons, "eligibility_citations": aid.eligibility_citations,
            "eligibility_confidence": aid.eligibility_confidence,
            "eligibility_evaluated_on": aid.eligibility_evaluated_on}


def _verdict(v: Any, award: selectors.AwardRow | None, sealed: bool) -> dict[str, Any]:
    out = {"id": v.pk, "proceeding_id": v.proceeding_id, "decided_on": v.decided_on, "court_level": v.court_level,
           "outcome": v.outcome, "compensation_awarded": v.compensation_awarded,
           "sentence_summary": v.sentence_summary if sealed else None, "debtor": v.debtor if sealed else None,
           "payments": [], "enforcement": []}
    if award is not None:
        out.update(received=v.received, outstanding=v.outstanding, payment_state=v.payment_state)
        out["payments"] = [{"id": p.pk, "received_on": p.received_on, "amount": p.amount, "method": p.method,
                            "evidence_ref": p.evidence_ref, "reverses": p.reverses_id,
                            "reversed_by": getattr(getattr(p, "reversed_by", None), "pk", None),
                            "note": p.note if sealed else None} for p in award.payments]
        out["enforcement"] = [{"id": s.pk, "kind": s.kind, "taken_on": s.taken_on,
                               "body": s.body if sealed else None, "note": s.note if sealed else None}
                              for s in award.steps]
    return out


def justice_out(access: CaseAccess, channel: str = CHANNEL) -> dict[str, Any]:
    """The case's justice record as the API and the command line show it (audited like the page)."""
    j = selectors.case_justice(access, channel=channel)
    proceedings = []
    for row in j.proceedings:
        p, awards = row.proceeding, {a.verdict.pk: a for a in row.awards}
        proceedings.append({
            "id": p.pk, "kind": p.kind, "person_role": p.person_role, "stage": p.stage, "status": p.status,
            "opened_on": p.opened_on, "closed_on": p.closed_on, "court": p.court if j.sealed else None,
            "case_number": p.case_number if j.sealed else None, "legal_aid": [_aid(a) for a in row.aid],
            "verdicts": [_verdict(v, awards.get(v.pk), j.sealed) for v in row.verdicts],
            "closed_trial_measures": None if row.measures is None else [m.pk for m in row.measures],
        })
    return {"case": access.case.code, "sealed_shown": j.sealed, "proceedings": proceedings,
            "legal_aid_without_proceeding": [_aid(a) for a in j.other_aid]}


def _case(request: HttpRequest, code: str) -> CaseAccess:
    return access_case(_user(request), code=code)


def _created(access: CaseAccess) -> Any:
    return reply(201, justice_out(access))


@router.get("/cases/{code}/justice", response={200: JusticeOut, ERRORS: ErrorOut},
            summary="The person's proceedings, legal aid, verdicts and awards (sealed fields on a need to know)")
def justice(request: HttpRequest, code: CasePath) -> dict[str, Any]:
    return justice_out(_case(request, code))


@router.post("/cases/{code}/proceedings", response={201: JusticeOut, ERRORS: ErrorOut},
             summary="Record a proceeding (owning agency or legal aid on an accepted referral; audited)")
def proceeding_new(request: HttpRequest, code: CasePath, payload: ProceedingIn) -> Any:
    access = _case(request, code)
    proceeding_create(access=access, channel=CHANNEL, **payload.model_dump(mode="json"))
    return _created(access)


@router.post("/cases/{code}/proceedings/{proceeding_id}/stage", response={200: JusticeOut, ERRORS: ErrorOut},
             summary="Change a proceeding's stage or status (audited)")
def proceeding_stage(request: HttpRequest, code: CasePath, proceeding_id: IdPath, payload: AdvanceIn) -> Any:
    access = _case(request, code)
    proceeding_advance(access=access, proceeding_id=proceeding_id, channel=CHANNEL, **payload.model_dump(mode="json"))
    return justice_out(access)


@router.post("/cases/{code}/legal-aid", response={201: JusticeOut, ERRORS: ErrorOut},
             summary="Request legal aid; eligibility is the engine's on the request date (audited)")
def aid_new(request: HttpRequest, code: CasePath, payload: LegalAidIn) -> Any:
    access = _case(request, code)
    legal_aid_request(access=access, channel=CHANNEL, **payload.model_dump(mode="json"))
    return _created(access)


@router.post("/cases/{code}/legal-aid/{aid_id}/decision", response={200: JusticeOut, ERRORS: ErrorOut},
             summary="Grant, refuse or end legal aid (the provider or the owning agency; audited)")
def aid_decision(request: HttpRequest, code: CasePath, aid_id: IdPath, payload: LegalAidDecisionIn) -> Any:
    access = _case(request, code)
    legal_aid_decide(access=access, aid_id=aid_id, channel=CHANNEL, **payload.model_dump(mode="json"))
    return justice_out(access)


@router.post("/cases/{code}/verdicts", response={201: JusticeOut, ERRORS: ErrorOut},
             summary="Record a verdict, with any compensation awarded to the person (audited)")
def verdict_new(request: HttpRequest, code: CasePath, payload: VerdictIn) -> Any:
    access = _case(request, code)
    verdict_record(access=access, channel=CHANNEL, **payload.model_dump(mode="json"))
    return _created(access)


@router.post("/cases/{code}/awards/{award_id}/payments", response={201: JusticeOut, ERRORS: ErrorOut},
             summary="Record compensation actually received (append-only; audited)")
def payment_new(request: HttpRequest, code: CasePath, award_id: IdPath, payload: PaymentIn) -> Any:
    access = _case(request, code)
    payment_record(access=access, award_id=award_id, channel=CHANNEL, **payload.model_dump(mode="json"))
    return _created(access)


@router.post("/cases/{code}/payments/{payment_id}/reversal", response={201: JusticeOut, ERRORS: ErrorOut},
             summary="Correct a payment with a reversing payment (audited)")
def payment_reversal(request: HttpRequest, code: CasePath, payment_id: IdPath, payload: ReversalIn) -> Any:
    access = _case(request, code)
    payment_reverse(access=access, payment_id=payment_id, reason=payload.reason, channel=CHANNEL)
    return _created(access)


@router.post("/cases/{code}/awards/{award_id}/enforcement", response={201: JusticeOut, ERRORS: ErrorOut},
             summary="Add an enforcement step to an award (append-only; audited)")
def step_new(request: HttpRequest, code: CasePath, award_id: IdPath, payload: StepIn) -> Any:
    access = _case(request, code)
    enforcement_record(access=access, award_id=award_id, channel=CHANNEL, **payload.model_dump(mode="json"))
    return _created(access)


@router.get("/justice/summary", response={200: SummaryOut, ERRORS: ErrorOut},
            summary="Awards paid in full, in part, not at all: my cases; statisticians: all, suppressed counts")
def summary(request: HttpRequest) -> dict[str, Any]:
    from haven.accounts.models import Role
    from haven.cases.page_helpers import works_cases

    user = _user(request)
    if works_cases(user):
        s = selectors.summarise(selectors.visible_awards(user))
    elif user.role == Role.STATISTICIAN:
        s = selectors.statistics_summary()
    else:
        raise PermissionDenied()
    return {**s.counts, "total": s.total, "awarded": s.awarded, "received": s.received, "suppressed": s.suppressed}
