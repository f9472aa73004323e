"""Who may read the sealed justice details of a case, and who may record justice data.

Need to know (issue 5, item 7): court details, case numbers, sentences, debtors and enforcement notes are
for the owning agency (assigned worker, supervisors) and for agencies working the case on an accepted
referral whose work needs them (legal aid, police, court, procuracy). Everyone else who may open the case
sees the non-identifying facts only: kind, stage, role, dates and amounts.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from haven.accounts.models import AgencyKind
from haven.audit.models import AuditAction
from haven.audit.services import audit_record_many
from haven.cases.selectors import CaseAccess, Relationship

NEED_TO_KNOW_KINDS = frozenset({AgencyKind.LEGAL_AID, AgencyKind.POLICE, AgencyKind.COURT, AgencyKind.PROCURACY})
WRITER_KINDS = frozenset({AgencyKind.LEGAL_AID})

SEALED = {
    "proceeding": ("court", "case_number"),
    "verdict": ("sentence_summary", "debtor"),
    "enforcement_step": ("body", "note"),
    "compensation_payment": ("note",),
}


def _referral_kind(access: CaseAccess) -> str | None:
    if access.relationship != Relationship.REFERRAL or access.user is None or not access.user.agency_id:
        return None
    return str(access.user.agency.kind)


def sees_sealed(access: CaseAccess) -> bool:
    """The owning agency, or an agency on an accepted referral of a kind that needs the court details."""
    return access.can_edit or _referral_kind(access) in NEED_TO_KNOW_KINDS


def may_write(access: CaseAccess) -> bool:
    """The owning agency (can_edit), or a legal aid agency working the case on an accepted referral."""
    return access.can_edit or (access.can_serve and _referral_kind(access) in WRITER_KINDS)


def audit_sealed_reads(access: CaseAccess, shown: Iterable[tuple[str, int, Iterable[str]]], *,
                       channel: str = "web") -> None:
    """One audit event per record whose sealed fields were displayed: the field names, never the values."""
    audit_record_many([
        {"actor": access.user, "action": AuditAction.VIEW_IDENTITY, "object_type": object_type,
         "object_id": object_id, "case_id": access.case.pk, "fields": sorted(fields), "channel": channel,
         "reason": access.relationship.value}
        for object_type, object_id, fields in shown if fields
    ])


def filled(record: Any, object_type: str) -> list[str]:
    """The sealed fields of a record that hold something (an empty field reveals nothing)."""
    return [name for name in SEALED[object_type] if getattr(record, name)]
