"""Handing a case to an agency of another province, once a supervisor there accepts it.

The person moved (home, shelter, or the case belongs where they now live). Only a supervisor of the
agency holding the case asks; only a supervisor of the receiving agency answers. On acceptance the
receiving agency owns the case and assigns its own worker; the old agency no longer sees it, apart
from referrals accepted in the meantime.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import Agency, Role
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases import validation as v
from haven.cases.models import Case, Status
from haven.cases.selectors import CaseAccess
from haven.core.errors import HavenError, NotFound, PermissionDenied
from haven.geo.models import AdminUnit
from haven.referrals.models import CaseTransfer, TransferStatus
from haven.referrals.services import MAX_TEXT, works_cases


def _province(agency: Agency) -> AdminUnit:
    return agency.jurisdiction.province()


def same_province(a: Agency, b: Agency) -> bool:
    """Provinces merged in 2025 count as the same: the old unit names its successor."""
    first, second = _province(a), _province(b)
    return first.pk == second.pk or first.successor_id == second.pk or second.successor_id == first.pk


def transfers_of_agency(user: Any) -> QuerySet[CaseTransfer]:
    """Transfers to or from the user's agency (case codes and agencies; no identity)."""
    if not works_cases(user):
        return CaseTransfer.objects.none()
    return CaseTransfer.objects.filter(Q(to_agency_id=user.agency_id) | Q(from_agency_id=user.agency_id)).select_related(
        "case", "from_agency", "to_agency", "requested_by", "answered_by")


def transfers_incoming(user: Any) -> QuerySet[CaseTransfer]:
    return transfers_of_agency(user).filter(to_agency_id=user.agency_id, status=TransferStatus.REQUESTED)


def transfers_outgoing(user: Any) -> QuerySet[CaseTransfer]:
    return transfers_of_agency(user).filter(from_agency_id=user.agency_id, status=TransferStatus.REQUESTED)


def transfer_agency(value: Any, access: CaseAccess) -> Agency:
    try:
        pk = v.record_id(value)
    except NotFound:
        raise HavenError(_("Choose an agency from the list."), field="to_agency") from None
    agency = Agency.objects.filter(pk=pk, is_active=True).select_related("jurisdiction").first()
    if agency is None:
        raise HavenError(_("Choose an agency from the list."), field="to_agency")
    if agency.pk == access.case.owner_agency_id or same_province(agency, access.case.owner_agency):
        raise HavenError(_("A case is transferred only to an agency of another province; within the province, refer it."),
                         field="to_agency", code="same_province")
    return agency


@transaction.atomic
def transfer_request(*, access: CaseAccess, to_agency_id: Any, reason: str, channel: str = "web") -> CaseTransfer:
    """A supervisor of the owning agency asks an agency of another province to take the case over."""
    if not access.is_supervisor:
        if access.can_edit:
            raise PermissionDenied(_("Only a supervisor may transfer a case."))
        raise NotFound()
    # Lock the case row, so two supervisors asking at once cannot both pass the check below.
    case = Case.objects.select_for_update().get(pk=access.case.pk)
    if case.status == Status.CLOSED:
        raise HavenError(_("A closed case cannot be transferred."), code="case_closed")
    to_agency = transfer_agency(to_agency_id, access)
    reason = v.text(reason, "reason", required=True, max_length=MAX_TEXT)
    if CaseTransfer.objects.filter(case=case, status=TransferStatus.REQUESTED).exists():
        raise HavenError(_("This case already has a transfer awaiting an answer."), code="transfer_open")
    try:
        with transaction.atomic():
            transfer = CaseTransfer.objects.create(case=case, from_agency_id=case.owner_agency_id, to_agency=to_agency,
                                                   reason=reason, requested_by=access.user)
    except IntegrityError:
        raise HavenError(_("This case already has a transfer awaiting an answer."), code="transfer_open") from None
    audit_record(
        actor=access.user, action=AuditAction.CREATE, object_type="transfer", object_id=transfer.pk, case_id=case.pk,
        changes={"from_agency": case.owner_agency_id, "to_agency": to_agency.pk, "reason_length": len(reason)},
        channel=channel,
    )
    return transfer


def _incoming(user: Any, transfer_id: Any) -> CaseTransfer:
    transfer = transfers_of_agency(user).select_for_update(of=("self",)).filter(
        pk=v.record_id(transfer_id), to_agency_id=user.agency_id).first()
    if transfer is None:
        raise NotFound()
    if user.role != Role.SUPERVISOR:
        raise PermissionDenied(_("Only a supervisor may answer a transfer."))
    if transfer.status != TransferStatus.REQUESTED:
        raise HavenError(_("This transfer has already been answered."), code="bad_transition")
    return transfer


def _answer(user: Any, transfer: CaseTransfer, status: str, note: str, channel: str) -> None:
    transfer.status, transfer.answer_note = status, note
    transfer.answered_by, transfer.answered_at = user, timezone.now()
    transfer.save(update_fields=["status", "answer_note", "answered_by", "answered_at"])
    audit_record(
        actor=user, action=AuditAction.STATUS, object_type="transfer", object_id=transfer.pk,
        case_id=transfer.case_id, changes={"status": [TransferStatus.REQUESTED, status], "note_length": len(note)},
        channel=channel,
    )


@transaction.atomic
def transfer_accept(*, acting_user: Any, transfer_id: Any, channel: str = "web") -> CaseTransfer:
    """The receiving agency takes ownership; its supervisor then assigns one of its workers."""
    transfer = _incoming(acting_user, transfer_id)
    case = Case.objects.select_for_update().get(pk=transfer.case_id)
    if case.owner_agency_id != transfer.from_agency_id:
        raise HavenError(_("The case has changed hands since the transfer was asked for."), code="stale")
    old_worker = case.assigned_worker_id
    case.owner_agency_id, case.assigned_worker = transfer.to_agency_id, None
    case.save(update_fields=["owner_agency", "assigned_worker"])
    _answer(acting_user, transfer, TransferStatus.ACCEPTED, "", channel)
    audit_record(
        actor=acting_user, action=AuditAction.UPDATE, object_type="case", object_id=case.pk, case_id=case.pk,
        changes={"owner_agency": [transfer.from_agency_id, transfer.to_agency_id],
                 "assigned_worker": [old_worker, None]},
        reason="transfer", channel=channel,
    )
    return transfer


@transaction.atomic
def transfer_decline(*, acting_user: Any, transfer_id: Any, reason: str, channel: str = "web") -> CaseTransfer:
    """Refuse a transfer, saying why; the case stays where it is."""
    reason = v.text(reason, "reason", required=True, max_length=MAX_TEXT)
    transfer = _incoming(acting_user, transfer_id)
    _answer(acting_user, transfer, TransferStatus.DECLINED, reason, channel)
    return transfer


@transaction.atomic
def transfer_cancel(*, access: CaseAccess, transfer_id: Any, channel: str = "web") -> CaseTransfer:
    """A supervisor of the owning agency withdraws a transfer not answered yet."""
    if not access.is_supervisor:
        if access.can_edit:
            raise PermissionDenied(_("Only a supervisor may transfer a case."))
        raise NotFound()
    transfer = CaseTransfer.objects.select_for_update().filter(
        pk=v.record_id(transfer_id), case_id=access.case.pk).first()
    if transfer is None:
        raise NotFound()
    if transfer.status != TransferStatus.REQUESTED:
        raise HavenError(_("This transfer has already been answered."), code="bad_transition")
    transfer.status, transfer.answered_by, transfer.answered_at = TransferStatus.CANCELLED, access.user, timezone.now()
    transfer.save(update_fields=["status", "answered_by", "answered_at"])
    audit_record(
        actor=access.user, action=AuditAction.STATUS, object_type="transfer", object_id=transfer.pk,
        case_id=transfer.case_id, changes={"status": [TransferStatus.REQUESTED, TransferStatus.CANCELLED]},
        channel=channel,
    )
    return transfer
