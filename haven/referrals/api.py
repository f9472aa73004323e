"""API: referrals between agency inboxes and transfers of cases between provinces.

Same rules as the pages. Case-scoped routes open the case through `access_case`, so a missing case and
a case the user may not see give the same 404; inbox routes find the referral or transfer inside the
user's agency's inbox or not at all (404 again). The services validate, change and audit.
"""

from __future__ import annotations

from typing import Any

import pydantic
from django.http import HttpRequest
from ninja import Query, Router, Schema

from haven.accounts.api import agency_out
from haven.cases.selectors import CaseAccess, Need, access_case
from haven.core.api_auth import ANY_AUTH, api_user
from haven.core.api_types import ERRORS, CasePath, ErrorOut, IdPath, reply
from haven.core.errors import PermissionDenied
from haven.referrals import selectors as sel
from haven.referrals.api_schemas import (
    CaseReferralsOut,
    OutcomeIn,
    ReasonIn,
    ReferralIn,
    ReferralOut,
    SharePreviewOut,
    TransferIn,
    TransferOut,
)
from haven.referrals.items import default_due_on
from haven.referrals.models import CaseTransfer, Referral, ReferralStatus
from haven.referrals.services import (
    overdue,
    referral_accept,
    referral_agency,
    referral_cancel,
    referral_complete,
    referral_decline,
    referral_send,
    referrals_received,
    works_cases,
)
from haven.referrals.transfers import (
    transfer_accept,
    transfer_cancel,
    transfer_decline,
    transfer_request,
    transfers_of_agency,
)

router = Router(auth=ANY_AUTH)
CHANNEL = "api"
LIST_LIMIT = 200


_user = api_user


def _case_worker(request: HttpRequest) -> Any:
    user = _user(request)
    if not works_cases(user):
        raise PermissionDenied()
    return user


def referral_out(referral: Referral, *, notes: bool) -> dict[str, Any]:
    return {
        "id": referral.pk, "case": referral.case.code, "from_agency": agency_out(referral.from_agency),
        "to_agency": agency_out(referral.to_agency), "status": referral.status, "items": referral.items,
        "fields_shared": referral.fields_shared, "due_on": referral.due_on, "overdue": referral.is_overdue(),
        "consent_overridden": referral.overridden, "sent_at": referral.sent_at,
        "sent_by": referral.sent_by.username if referral.sent_by_id and notes else None,
        "responded_at": referral.responded_at, "completed_at": referral.completed_at,
        "cancelled_at": referral.cancelled_at,
        "purpose": referral.purpose if notes else None,
        "decline_reason": (referral.response_note or None) if notes else None,
        "outcome": (referral.outcome or None) if notes else None,
        "cancel_reason": (referral.cancel_reason or None) if notes else None,
    }


def transfer_out(transfer: CaseTransfer) -> dict[str, Any]:
    return {
        "id": transfer.pk, "case": transfer.case.code, "from_agency": agency_out(transfer.from_agency),
        "to_agency": agency_out(transfer.to_agency), "status": transfer.status, "requested_at": transfer.requested_at,
        "requested_by": transfer.requested_by.username if transfer.requested_by_id else None,
        "answered_at": transfer.answered_at, "reason": transfer.reason, "answer_note": transfer.answer_note or None,
    }


class InboxQuery(Schema):
    status: ReferralStatus | None = pydantic.Field(None, description="Only referrals in this status")


# --- Inbox and sent --------------------------------------------------------------------------------


@router.get("/referrals/received", response={200: list[ReferralOut], ERRORS: ErrorOut},
            summary="Referrals addressed to my agency (case codes only), answer-by date first")
def received_list(request: HttpRequest, query: Query[InboxQuery]) -> list[dict[str, Any]]:
    user = _case_worker(request)
    referrals = referrals_received(user).select_related("sent_by")
    if query.status:
        referrals = referrals.filter(status=query.status.value)
    return [referral_out(r, notes=True) for r in referrals.order_by("due_on", "sent_at")[:LIST_LIMIT]]


@router.get("/referrals/sent", response={200: list[ReferralOut], ERRORS: ErrorOut},
            summary="Referrals my agency sent (a caseworker: those they sent or on their cases)")
def sent_list(request: HttpRequest, query: Query[InboxQuery]) -> list[dict[str, Any]]:
    user = _case_worker(request)
    referrals = sel.referrals_sent(user).select_related("sent_by")
    if query.status:
        referrals = referrals.filter(status=query.status.value)
    return [referral_out(r, notes=True) for r in referrals.order_by("-sent_at")[:LIST_LIMIT]]


@router.get("/referrals/overdue", response={200: list[ReferralOut], ERRORS: ErrorOut},
            summary="Unanswered referrals past their date: received by my agency, then sent by it")
def overdue_list(request: HttpRequest) -> list[dict[str, Any]]:
    user = _case_worker(request)
    rows = [*overdue(referrals_received(user)).order_by("due_on", "pk"), *overdue(sel.referrals_sent(user)).order_by(
        "due_on", "pk")]
    return [referral_out(r, notes=True) for r in rows[:LIST_LIMIT]]


@router.post("/referrals/{referral_id}/accept", response={200: ReferralOut, ERRORS: ErrorOut},
             summary="Accept a referral addressed to my agency: the case becomes visible with the fields shared")
def accept(request: HttpRequest, referral_id: IdPath) -> dict[str, Any]:
    referral = referral_accept(acting_user=_user(request), referral_id=referral_id, channel=CHANNEL)
    return referral_out(referral, notes=True)


@router.post("/referrals/{referral_id}/decline", response={200: ReferralOut, ERRORS: ErrorOut},
             summary="Decline a referral addressed to my agency, with a reason")
def decline(request: HttpRequest, referral_id: IdPath, payload: ReasonIn) -> dict[str, Any]:
    referral = referral_decline(acting_user=_user(request), referral_id=referral_id, reason=payload.reason,
                                channel=CHANNEL)
    return referral_out(referral, notes=True)


@router.post("/referrals/{referral_id}/complete", response={200: ReferralOut, ERRORS: ErrorOut},
             summary="Complete an accepted referral with its outcome; my agency's access to the case ends")
def complete(request: HttpRequest, referral_id: IdPath, payload: OutcomeIn) -> dict[str, Any]:
    referral = referral_complete(acting_user=_user(request), referral_id=referral_id, outcome=payload.outcome,
                                 channel=CHANNEL)
    return referral_out(referral, notes=True)


# --- A case's referrals ----------------------------------------------------------------------------


def _case_history(access: CaseAccess) -> dict[str, Any]:
    return {
        "case": access.case.code,
        "referrals": [referral_out(r, notes=sel.may_read_notes(access, r)) for r in
                      sel.case_referrals(access).select_related("case")[:sel.HISTORY_LIMIT]],
        "transfers": [transfer_out(t) for t in sel.case_transfers(access).select_related("case")[:sel.HISTORY_LIMIT]],
    }


@router.get("/cases/{code}/referrals", response={200: CaseReferralsOut, ERRORS: ErrorOut},
            summary="The case's referral history (another agency: only its own) and transfers")
def case_referrals(request: HttpRequest, code: CasePath) -> dict[str, Any]:
    return _case_history(access_case(_user(request), code=code, need=Need.VIEW))


class PreviewQuery(Schema):
    to_agency_id: int = pydantic.Field(..., ge=1, le=2**63 - 1, description="The agency to refer to")


@router.get("/cases/{code}/referrals/preview", response={200: SharePreviewOut, ERRORS: ErrorOut},
            summary="Which identity fields a referral to this agency would share, and whether consent is in force")
def preview(request: HttpRequest, code: CasePath, query: Query[PreviewQuery]) -> dict[str, Any]:
    access = access_case(_user(request), code=code, need=Need.EDIT)
    shown = sel.share_preview(access, referral_agency(query.to_agency_id, access))
    return {"agency": agency_out(shown.agency), "fields_shared": shown.fields, "consent": shown.consent,
            "default_due_on": default_due_on()}


@router.post("/cases/{code}/referrals", response={201: ReferralOut, ERRORS: ErrorOut},
             summary="Refer the case to another agency's inbox (owning agency; needs consent or a supervisor's override)")
def send(request: HttpRequest, code: CasePath, payload: ReferralIn) -> Any:
    access = access_case(_user(request), code=code, need=Need.EDIT)
    referral = referral_send(
        access=access, to_agency_id=payload.to_agency_id, purpose=payload.purpose,
        items=[item.value for item in payload.items], due_on=payload.due_on or default_due_on(),
        override_reason=payload.override_reason, channel=CHANNEL)
    return reply(201, referral_out(referral, notes=True))


@router.post("/cases/{code}/referrals/{referral_id}/cancel", response={200: ReferralOut, ERRORS: ErrorOut},
             summary="Cancel a referral not answered yet, with a reason (owning agency)")
def cancel(request: HttpRequest, code: CasePath, referral_id: IdPath, payload: ReasonIn) -> dict[str, Any]:
    access = access_case(_user(request), code=code, need=Need.EDIT)
    referral = referral_cancel(access=access, referral_id=referral_id, reason=payload.reason, channel=CHANNEL)
    return referral_out(referral, notes=True)


# --- Transfers -------------------------------------------------------------------------------------


@router.get("/transfers", response={200: list[TransferOut], ERRORS: ErrorOut},
            summary="Transfers to and from my agency, newest first")
def transfer_list(request: HttpRequest) -> list[dict[str, Any]]:
    user = _case_worker(request)
    return [transfer_out(t) for t in transfers_of_agency(user).order_by("-requested_at", "-id")[:LIST_LIMIT]]


@router.post("/cases/{code}/transfers", response={201: TransferOut, ERRORS: ErrorOut},
             summary="Ask an agency of another province to take the case over (supervisor of the owning agency)")
def transfer_new(request: HttpRequest, code: CasePath, payload: TransferIn) -> Any:
    access = access_case(_user(request), code=code, need=Need.SUPERVISE)
    transfer = transfer_request(access=access, to_agency_id=payload.to_agency_id, reason=payload.reason,
                                channel=CHANNEL)
    return reply(201, transfer_out(transfer))


@router.post("/cases/{code}/transfers/{transfer_id}/cancel", response={200: TransferOut, ERRORS: ErrorOut},
             summary="Withdraw a transfer not answered yet (supervisor of the owning agency)")
def transfer_withdraw(request: HttpRequest, code: CasePath, transfer_id: IdPath) -> dict[str, Any]:
    access = access_case(_user(request), code=code, need=Need.SUPERVISE)
    return transfer_out(transfer_cancel(access=access, transfer_id=transfer_id, channel=CHANNEL))


@router.post("/transfers/{transfer_id}/accept", response={200: TransferOut, ERRORS: ErrorOut},
             summary="Accept a transfer to my agency: it owns the case from now (supervisor)")
def transfer_yes(request: HttpRequest, transfer_id: IdPath) -> dict[str, Any]:
    return transfer_out(transfer_accept(acting_user=_user(request), transfer_id=transfer_id, channel=CHANNEL))


@router.post("/transfers/{transfer_id}/decline", response={200: TransferOut, ERRORS: ErrorOut},
             summary="Decline a transfer to my agency, with a reason (supervisor)")
def transfer_no(request: HttpRequest, transfer_id: IdPath, payload: ReasonIn) -> dict[str, Any]:
    return transfer_out(transfer_decline(acting_user=_user(request), transfer_id=transfer_id, reason=payload.reason,
                                         channel=CHANNEL))

