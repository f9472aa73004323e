"""Reading referrals and transfers: the inboxes, a case's history as a timeline, agency choices, and
what a referral to an agency would share.

The case itself is always opened through `haven.cases.selectors.access_case` first; what is here only
narrows to that case, or to the user's own agency.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import Agency, AgencyKind, IdentityField, Role
from haven.cases.selectors import CaseAccess, profile_fields
from haven.consent.models import Purpose
from haven.consent.selectors import consent_given
from haven.referrals.items import item_label
from haven.referrals.models import CaseTransfer, Referral, ReferralStatus, TransferStatus
from haven.referrals.services import overdue, referrals_received, works_cases
from haven.referrals.transfers import same_province, transfers_incoming, transfers_outgoing

HISTORY_LIMIT = 50


def referrals_sent(user: Any) -> QuerySet[Referral]:
    """Referrals sent by the user's agency. A caseworker sees those they sent or on cases assigned to them."""
    if not works_cases(user):
        return Referral.objects.none()
    sent = Referral.objects.filter(from_agency_id=user.agency_id)
    if user.role == Role.CASEWORKER:
        sent = sent.filter(Q(sent_by_id=user.pk) | Q(case__assigned_worker_id=user.pk))
    return sent.select_related("case", "from_agency", "to_agency")


# --- A case's history ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    """One line of the timeline: something that happened to a referral or a transfer."""

    at: dt.datetime
    kind: str  # sent, accepted, declined, completed, cancelled, transfer_requested, transfer_accepted…
    label: Any
    referral: Referral | None = None
    transfer: CaseTransfer | None = None
    by: Any = None
    note: str = ""  # a sealed reason or outcome, only for those who may read it
    extra: dict[str, Any] = field(default_factory=dict)


_LABELS: dict[str, Any] = {
    "sent": _("Referral sent"),
    "accepted": _("Referral accepted"),
    "declined": _("Referral declined"),
    "completed": _("Referral completed"),
    "cancelled": _("Referral cancelled"),
    "transfer_requested": _("Transfer requested"),
    "transfer_accepted": _("Transfer accepted"),
    "transfer_declined": _("Transfer declined"),
    "transfer_cancelled": _("Transfer cancelled"),
}


def case_referrals(access: CaseAccess) -> QuerySet[Referral]:
    """The owning agency sees every referral of the case; another agency only those addressed to it."""
    referrals = Referral.objects.filter(case_id=access.case.pk).select_related(
        "from_agency", "to_agency", "sent_by", "responded_by", "completed_by", "cancelled_by")
    if not access.can_edit:
        referrals = referrals.filter(to_agency_id=access.user.agency_id)
    return referrals.order_by("-sent_at", "-id")


def case_transfers(access: CaseAccess) -> QuerySet[CaseTransfer]:
    """Transfers are the owning agency's business."""
    if not access.can_edit:
        return CaseTransfer.objects.none()
    return CaseTransfer.objects.filter(case_id=access.case.pk).select_related(
        "from_agency", "to_agency", "requested_by", "answered_by").order_by("-requested_at", "-id")


def may_read_notes(access: CaseAccess, referral: Referral) -> bool:
    """Purposes, reasons and outcomes are sealed free text: for the holder of the case and the addressee."""
    return access.can_edit or referral.to_agency_id == access.user.agency_id


def referral_events(access: CaseAccess, referral: Referral) -> list[Event]:
    notes = may_read_notes(access, referral)
    events = [Event(referral.sent_at, "sent", _LABELS["sent"], referral=referral, by=referral.sent_by,
                    note=referral.purpose if notes else "")]
    if referral.responded_at:
        kind = "declined" if referral.status == ReferralStatus.DECLINED else "accepted"
        events.append(Event(referral.responded_at, kind, _LABELS[kind], referral=referral, by=referral.responded_by,
                            note=referral.response_note if notes and kind == "declined" else ""))
    if referral.completed_at:
        events.append(Event(referral.completed_at, "completed", _LABELS["completed"], referral=referral,
                            by=referral.completed_by, note=referral.outcome if notes else ""))
    if referral.cancelled_at:
        events.append(Event(referral.cancelled_at, "cancelled", _LABELS["cancelled"], referral=referral,
                            by=referral.cancelled_by, note=referral.cancel_reason if notes else ""))
    return events


def transfer_events(transfer: CaseTransfer) -> list[Event]:
    events = [Event(transfer.requested_at, "transfer_requested", _LABELS["transfer_requested"], transfer=transfer,
                    by=transfer.requested_by, note=transfer.reason)]
    if transfer.answered_at and transfer.status != TransferStatus.REQUESTED:
        kind = f"transfer_{transfer.status}"
        events.append(Event(transfer.answered_at, kind, _LABELS[kind], transfer=transfer, by=transfer.answered_by,
                            note=transfer.answer_note))
    return events


def case_timeline(access: CaseAccess) -> list[Event]:
    """Everything that happened to the case's referrals and transfers, newest first."""
    events: list[Event] = []
    for referral in case_referrals(access)[:HISTORY_LIMIT]:
        events.extend(referral_events(access, referral))
    for transfer in case_transfers(access)[:HISTORY_LIMIT]:
        events.extend(transfer_events(transfer))
    return sorted(events, key=lambda e: e.at, reverse=True)


# --- Choosing an agency and seeing what would be shared --------------------------------------------


def referral_agencies(access: CaseAccess) -> list[Agency]:
    """Active agencies a case may be referred to, by kind and province."""
    agencies = Agency.objects.filter(is_active=True).exclude(pk=access.case.owner_agency_id).select_related(
        "jurisdiction", "jurisdiction__parent", "jurisdiction__parent__parent")
    return sorted(agencies, key=lambda a: (a.kind, _province_name(a), a.name))


def transfer_agencies(access: CaseAccess) -> list[Agency]:
    return [a for a in referral_agencies(access) if not same_province(a, access.case.owner_agency)]


def _province_name(agency: Agency) -> str:
    return agency.jurisdiction.province().name


def grouped_agency_choices(agencies: list[Agency], language: str) -> list[tuple[str, list[tuple[int, str]]]]:
    """For a <select>: one group per agency kind, each agency named with its province."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for agency in agencies:
        label = str(AgencyKind(agency.kind).label) if agency.kind in AgencyKind.values else agency.kind
        groups.setdefault(label, []).append((agency.pk, f"{agency.display_name(language)} — {_province_name(agency)}"))
    return list(groups.items())


@dataclass(frozen=True)
class SharePreview:
    agency: Agency
    fields: list[str]
    consent: bool

    @property
    def field_labels(self) -> list[Any]:
        return [IdentityField(f).label for f in self.fields if f in IdentityField.values]


def share_preview(access: CaseAccess, agency: Agency) -> SharePreview:
    """Exactly which identity fields a referral to this agency would share, and whether the person consented."""
    fields = sorted(profile_fields(agency.kind), key=lambda f: IdentityField.values.index(f))
    return SharePreview(agency, fields, consent_given(access.case.person_id, Purpose.SHARING, agency.kind))


def items_labels(codes: list[str]) -> list[str]:
    return [item_label(code) for code in codes]


# --- The dashboard ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PanelData:
    overdue_received: list[Referral]
    overdue_sent: list[Referral]
    waiting: int
    transfers_in: list[CaseTransfer]
    transfers_out: list[CaseTransfer]

    @property
    def empty(self) -> bool:
        return not (self.overdue_received or self.overdue_sent or self.waiting or self.transfers_in
                    or self.transfers_out)


def panel_data(user: Any, limit: int = 15) -> PanelData:
    today = timezone.localdate()
    received = referrals_received(user)
    return PanelData(
        overdue_received=list(overdue(received, today).order_by("due_on", "pk")[:limit]),
        overdue_sent=list(overdue(referrals_sent(user), today).order_by("due_on", "pk")[:limit]),
        waiting=received.filter(status=ReferralStatus.SENT).count(),
        transfers_in=list(transfers_incoming(user).order_by("requested_at")[:limit]),
        transfers_out=list(transfers_outgoing(user).order_by("requested_at")[:limit]),
    )
