"""The ledger of services given and payments made, each for one entitlement item of the engine.

Invariants (tested in tests/support/test_ledger_invariants.py):
- an entry is never edited or deleted: there is no service, page, API method or admin action that does;
- a correction is a new, negative entry that `reverses` an approved one, once; a reversal is never reversed;
- approval is a separate row by a supervisor of the entry's agency who did not record it (four eyes);
- "spent" is the sum of `amount` over approved entries, so a balance always equals the sum of its entries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import Role
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases import validation as v
from haven.cases.selectors import CaseAccess
from haven.core.errors import HavenError, NotFound, PermissionDenied
from haven.entitlements.services import case_entitlements, facts_for
from haven.entitlements.templatetags.humanize_vnd import vnd
from haven.support.models import EntryKind, EvidenceKind, FundingSource, LedgerApproval, LedgerEntry
from haven.support.stays import STAY_ITEMS, evaluation_day

MAX_VND = 10**12
REFUSED = ("not_entitled", "deadline_passed")
MIN_REASON = 10  # characters: "why" must be a sentence, not "x"


@dataclass(frozen=True)
class Proposal:
    """What the engine says for one item on one day, and what is already recorded against it."""

    item: str
    name: dict[str, str]
    status: str
    entitled_amount: int | None  # the engine's amount for the item (the legal limit), if it gives one
    already: int  # net of entries not rejected (pending or approved), reversals included
    proposed: int | None  # what is still owed, if the engine gives an amount

    @property
    def refused(self) -> bool:
        return self.status in REFUSED

    def over_limit(self, amount: int) -> bool:
        """Above the engine's amount, or any amount for an item the person is not entitled to."""
        if self.refused:
            return True
        return self.entitled_amount is not None and self.already + amount > self.entitled_amount


def net_recorded(case_id: int, item: str, since: dt.date | None = None) -> int:
    """Entries not rejected, in the database: pending ones count, so two pending payments cannot both pass."""
    entries = LedgerEntry.objects.filter(case_id=case_id, item=item).exclude(approval__approved=False)
    if since is not None:
        entries = entries.filter(provided_on__gte=since)
    return int(entries.aggregate(total=Sum("amount"))["total"] or 0)


def ledger_items(access: CaseAccess, *, on: dt.date | None = None, channel: str = "web") -> list[dict[str, Any]]:
    """The engine's items for the person on a day (each with code, name, status, amount)."""
    day = evaluation_day(access, on or timezone.localdate())
    return list(case_entitlements(access, on=day, channel=channel)["items"])


def ledger_propose(access: CaseAccess, *, item: Any, provided_on: Any, channel: str = "web") -> Proposal:
    """The amount the engine proposes for an item on the day it is given or paid: its amount for the item
    (rate x paid days for food) less what is already recorded. For food that is the unpaid days so far."""
    code = v.text(item, "item", required=True, max_length=40)
    day = v.required_date(provided_on, "provided_on")
    found = next((i for i in ledger_items(access, on=day, channel=channel) if i["code"] == code), None)
    if found is None:
        raise HavenError(_("This person's regime has no such item."), field="item")
    since = None
    if code in STAY_ITEMS:
        # The engine counts the current stay only; earlier stays were paid against their own limit.
        since = facts_for(access.case).shelter_from
    already = net_recorded(access.case.pk, code, since)
    amount = None if found["status"] in REFUSED else found["amount_vnd"]
    return Proposal(item=code, name=found["name"], status=found["status"], entitled_amount=amount,
                    already=already, proposed=None if amount is None else max(0, amount - already))


def parse_amount(raw: Any, field: str = "amount") -> int:
    """Whole đồng, more than zero. "1.200.000" and "1,200,000" are read as 1200000."""
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise HavenError(_("Enter the amount in đồng, digits only."), field=field)
    text = str(raw) if isinstance(raw, int) else raw.replace(",", "").replace(".", "").replace(" ", "").strip()
    if not text.isdigit() or len(text) > 13:
        raise HavenError(_("Enter the amount in đồng, digits only."), field=field)
    amount = int(text)
    if not 0 < amount <= MAX_VND:
        raise HavenError(_("Enter an amount of more than zero đồng."), field=field)
    return amount


def _reason(raw: Any, field: str) -> str:
    reason = v.text(raw, field, max_length=2000)
    if len(reason) < MIN_REASON:
        raise HavenError(_("Explain in at least %(n)d characters.") % {"n": MIN_REASON}, field=field)
    return reason


def _funding_source(user: Any, source_id: Any) -> FundingSource:
    try:
        pk = v.record_id(source_id)
    except NotFound:
        raise HavenError(_("Choose one of your agency's active funding sources."), field="funding_source") from None
    source = FundingSource.objects.filter(pk=pk, agency_id=user.agency_id, is_active=True).first()
    if source is None:
        raise HavenError(_("Choose one of your agency's active funding sources."), field="funding_source")
    return source


@transaction.atomic
def ledger_record(*, access: CaseAccess, item: Any, kind: Any, provided_on: Any, amount: Any, funding_source_id: Any,
                  evidence_kind: Any, evidence_ref: Any, amount_reason: Any = "", over_limit_reason: Any = "",
                  note: Any = "", channel: str = "web") -> LedgerEntry:
    """Record a service given or a payment made for one of the person's entitlement items.

    The engine proposes the amount; a different amount needs a reason. An amount above the legal limit
    (or for an item the person is not entitled to) needs a supervisor's override with a reason. The entry
    waits for another supervisor's approval before it counts as spent.
    """
    if not access.can_serve:
        raise NotFound()
    kind = v.choice(kind, "kind", EntryKind.values)
    day = v.required_date(provided_on, "provided_on")
    if day < access.case.received_on:
        raise HavenError(_("The date cannot be before the person was received."), field="provided_on")
    proposal = ledger_propose(access, item=item, provided_on=day, channel=channel)
    value = parse_amount(amount)
    source = _funding_source(access.user, funding_source_id)
    evidence_kind = v.choice(evidence_kind, "evidence_kind", EvidenceKind.values)
    evidence_ref = v.text(evidence_ref, "evidence_ref", required=True, max_length=80)
    differs = proposal.proposed is not None and value != proposal.proposed
    if differs and not v.text(amount_reason, "amount_reason", max_length=2000):
        raise HavenError(_("The amount differs from the proposed %(amount)s: say why.") % {"amount": vnd(proposal.proposed)},
                         field="amount_reason")
    amount_reason = _reason(amount_reason, "amount_reason") if differs else v.text(
        amount_reason, "amount_reason", max_length=2000)
    over = proposal.over_limit(value)
    if over:
        if access.user.role != Role.SUPERVISOR:
            raise HavenError(_("This amount is above the legal limit: only a supervisor may record it, with a reason."),
                             field="amount", code="over_limit")
        override = _reason(over_limit_reason, "over_limit_reason")
    else:
        override = ""
    entry = LedgerEntry.objects.create(
        case=access.case, agency_id=access.user.agency_id, item=proposal.item, kind=kind, provided_on=day,
        amount=value, proposed_amount=proposal.proposed, amount_reason=amount_reason,
        legal_limit=proposal.entitled_amount, over_limit_reason=override, overrides_limit=over,
        funding_source=source, evidence_kind=evidence_kind, evidence_ref=evidence_ref,
        note=v.text(note, "note", max_length=2000), recorded_by=access.user,
    )
    audit_record(
        actor=access.user, action=AuditAction.CREATE, object_type="ledger_entry", object_id=entry.pk,
        case_id=access.case.pk, channel=channel, reason="over limit override" if over else "",
        changes={"item": entry.item, "kind": kind, "amount": value, "proposed_amount": proposal.proposed,
                 "legal_limit": proposal.entitled_amount, "engine_status": proposal.status,
                 "funding_source": source.pk, "evidence_kind": evidence_kind, "amount_differs": differs,
                 "over_limit": over},
    )
    return entry


@transaction.atomic
def ledger_reverse(*, access: CaseAccess, entry_id: Any, reason: Any, reversed_on: Any = None,
                   channel: str = "web") -> LedgerEntry:
    """Correct an approved entry with a new entry of the opposite amount. The original is never touched.
    Only the agency that recorded the entry reverses it; the reversal goes through approval too."""
    if not access.can_serve:
        raise NotFound()
    original = (LedgerEntry.objects.select_for_update()
                .filter(case=access.case, pk=v.record_id(entry_id), agency_id=access.user.agency_id).first())
    if original is None:
        raise NotFound()
    if original.reverses_id is not None:
        raise HavenError(_("A reversal cannot itself be reversed."), code="bad_transition")
    if LedgerEntry.objects.filter(reverses=original).exists():
        raise HavenError(_("This entry has already been reversed."), code="bad_transition")
    approval = LedgerApproval.objects.filter(entry=original).first()
    if approval is None or not approval.approved:
        raise HavenError(_("Only an approved entry can be reversed; a supervisor rejects a pending one instead."),
                         code="bad_transition")
    why = _reason(reason, "reason")
    day = v.date(reversed_on, "reversed_on") or timezone.localdate()
    if day < original.provided_on:
        raise HavenError(_("The reversal cannot come before the entry it corrects."), field="reversed_on")
    reversal = LedgerEntry.objects.create(
        case=access.case, agency_id=original.agency_id, item=original.item, kind=original.kind, provided_on=day,
        amount=-original.amount, funding_source=original.funding_source, evidence_kind=original.evidence_kind,
        evidence_ref=original.evidence_ref, reverses=original, note=why, recorded_by=access.user,
    )
    audit_record(actor=access.user, action=AuditAction.CREATE, object_type="ledger_entry", object_id=reversal.pk,
                 case_id=access.case.pk, channel=channel, reason="reversal",
                 changes={"reverses": original.pk, "item": original.item, "amount": reversal.amount})
    return reversal


def may_decide(user: Any, entry: LedgerEntry) -> bool:
    return bool(user.is_authenticated and user.role == Role.SUPERVISOR and user.agency_id == entry.agency_id
                and entry.recorded_by_id != user.pk)


@transaction.atomic
def ledger_decide(*, acting_user: Any, entry_id: Any, approved: Any, note: Any = "",
                  channel: str = "web") -> LedgerApproval:
    """A supervisor of the entry's agency approves or rejects it; never the one who recorded it.
    A rejection says why. The entry itself is not changed: the decision is its own row."""
    if not (acting_user.is_authenticated and acting_user.role == Role.SUPERVISOR and acting_user.agency_id):
        raise NotFound()
    entry = (LedgerEntry.objects.select_for_update()
             .filter(pk=v.record_id(entry_id), agency_id=acting_user.agency_id).first())
    if entry is None:
        raise NotFound()
    if not isinstance(approved, bool):
        raise HavenError(_("Choose one of the listed options."), field="approved")
    if entry.recorded_by_id == acting_user.pk:
        raise PermissionDenied(_("Another supervisor must decide on an entry you recorded."))
    if LedgerApproval.objects.filter(entry=entry).exists():
        raise HavenError(_("This entry has already been decided."), code="bad_transition")
    note = _reason(note, "note") if not approved else v.text(note, "note", max_length=2000)
    decision = LedgerApproval.objects.create(entry=entry, approved=approved, note=note, decided_by=acting_user)
    audit_record(actor=acting_user, action=AuditAction.STATUS, object_type="ledger_entry", object_id=entry.pk,
                 case_id=entry.case_id, channel=channel,
                 changes={"approval": [None, "approved" if approved else "rejected"], "amount": entry.amount,
                          "over_limit": entry.overrides_limit})
    return decision
