"""Writes: verdicts (with the compensation awarded to the person), payments actually received, and the
enforcement steps taken to collect the rest.

Invariants (tests/legal/test_awards.py):
- a payment is never edited or deleted: there is no service, page, API method or admin action that does;
- a correction is a negative payment that `reverses` one positive payment, once; a reversal is not reversed;
- received = the sum of an award's payments (reversals included), computed in the database;
- a payment needs an award (compensation > 0) and an evidence reference.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases import validation as v
from haven.cases.selectors import CaseAccess
from haven.core.errors import HavenError, NotFound
from haven.legal.access import may_write
from haven.legal.models import (
    CompensationPayment,
    CourtLevel,
    EnforcementStep,
    Outcome,
    PaymentMethod,
    StepKind,
    Verdict,
)
from haven.legal.proceedings import _proceeding

MAX_VND = 10**12
MIN_REASON = 10


def parse_amount(raw: Any, field: str = "amount", *, allow_zero: bool = False) -> int:
    """Whole đồng. "1.200.000" and "1,200,000" are read as 1200000."""
    if raw in (None, "") and allow_zero:
        return 0
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise HavenError(_("Enter the amount in đồng, digits only."), field=field)
    text = str(raw) if isinstance(raw, int) else raw.replace(",", "").replace(".", "").replace(" ", "").strip()
    if not text.isdigit() or len(text) > 13:
        raise HavenError(_("Enter the amount in đồng, digits only."), field=field)
    amount = int(text)
    if amount > MAX_VND or (amount == 0 and not allow_zero):
        raise HavenError(_("Enter an amount of more than zero đồng."), field=field)
    return amount


def _writer(access: CaseAccess) -> None:
    if not may_write(access):
        raise NotFound()


def _award(access: CaseAccess, award_id: Any) -> Verdict:
    award = (Verdict.objects.select_for_update()
             .filter(proceeding__case=access.case, pk=v.record_id(award_id), compensation_awarded__gt=0).first())
    if award is None:
        raise NotFound()
    return award


@transaction.atomic
def verdict_record(*, access: CaseAccess, proceeding_id: Any, decided_on: Any, court_level: Any, outcome: Any,
                   sentence_summary: Any = "", compensation_awarded: Any = 0, debtor: Any = "",
                   channel: str = "web") -> Verdict:
    """Record a court's decision. Compensation to the person (integer đồng) makes it an award to follow up;
    who must pay is then required. Sentence and debtor are sealed."""
    _writer(access)
    proceeding = _proceeding(access, proceeding_id, lock=True)
    day = v.required_date(decided_on, "decided_on")
    if proceeding.opened_on and day < proceeding.opened_on:
        raise HavenError(_("The verdict cannot come before the proceeding opened."), field="decided_on")
    level = v.choice(court_level, "court_level", CourtLevel.values)
    outcome = v.choice(outcome, "outcome", Outcome.values)
    amount = parse_amount(compensation_awarded, "compensation_awarded", allow_zero=True)
    debtor = v.text(debtor, "debtor", max_length=300)
    if amount and not debtor:
        raise HavenError(_("Say who must pay the compensation."), field="debtor")
    verdict = Verdict.objects.create(
        proceeding=proceeding, decided_on=day, court_level=level, outcome=outcome,
        sentence_summary=v.text(sentence_summary, "sentence_summary", max_length=2000),
        compensation_awarded=amount, debtor=debtor, recorded_by=access.user,
    )
    audit_record(actor=access.user, action=AuditAction.CREATE, object_type="verdict", object_id=verdict.pk,
                 case_id=access.case.pk, channel=channel,
                 changes={"proceeding": proceeding.pk, "decided_on": day.isoformat(), "court_level": level,
                          "outcome": outcome, "compensation_awarded": amount})
    return verdict


@transaction.atomic
def payment_record(*, access: CaseAccess, award_id: Any, received_on: Any, amount: Any, method: Any,
                   evidence_ref: Any, note: Any = "", channel: str = "web") -> CompensationPayment:
    """Record money the person actually received on an award. More than the outstanding amount is refused:
    the award is the upper bound of what the person is owed."""
    _writer(access)
    award = _award(access, award_id)
    day = v.required_date(received_on, "received_on")
    if day < award.decided_on:
        raise HavenError(_("A payment cannot come before the verdict that awarded it."), field="received_on")
    value = parse_amount(amount)
    method = v.choice(method, "method", PaymentMethod.values)
    evidence = v.text(evidence_ref, "evidence_ref", required=True, max_length=80)
    from haven.legal.selectors import received_on_award

    outstanding = award.compensation_awarded - received_on_award(award.pk)
    if value > outstanding:
        from haven.entitlements.templatetags.humanize_vnd import vnd

        raise HavenError(_("More than the outstanding %(amount)s.") % {"amount": vnd(max(outstanding, 0))},
                         field="amount")
    payment = CompensationPayment.objects.create(
        award=award, received_on=day, amount=value, method=method, evidence_ref=evidence,
        note=v.text(note, "note", max_length=2000), recorded_by=access.user,
    )
    audit_record(actor=access.user, action=AuditAction.CREATE, object_type="compensation_payment",
                 object_id=payment.pk, case_id=access.case.pk, channel=channel,
                 changes={"award": award.pk, "amount": value, "received_on": day.isoformat(), "method": method})
    return payment


@transaction.atomic
def payment_reverse(*, access: CaseAccess, payment_id: Any, reason: Any, reversed_on: Any = None,
                    channel: str = "web") -> CompensationPayment:
    """Correct a payment recorded by mistake with a payment of the opposite amount. The original stays."""
    _writer(access)
    original = (CompensationPayment.objects.select_for_update()
                .filter(award__proceeding__case=access.case, pk=v.record_id(payment_id)).first())
    if original is None:
        raise NotFound()
    if original.reverses_id is not None:
        raise HavenError(_("A reversal cannot itself be reversed."), code="bad_transition")
    if CompensationPayment.objects.filter(reverses=original).exists():
        raise HavenError(_("This payment has already been reversed."), code="bad_transition")
    why = v.text(reason, "reason", max_length=2000)
    if len(why) < MIN_REASON:
        raise HavenError(_("Explain in at least %(n)d characters.") % {"n": MIN_REASON}, field="reason")
    day = v.date(reversed_on, "reversed_on") or original.received_on
    if day < original.received_on:
        raise HavenError(_("The reversal cannot come before the payment it corrects."), field="reversed_on")
    reversal = CompensationPayment.objects.create(
        award_id=original.award_id, received_on=day, amount=-original.amount, method=original.method,
        evidence_ref=original.evidence_ref, reverses=original, note=why, recorded_by=access.user,
    )
    audit_record(actor=access.user, action=AuditAction.CREATE, object_type="compensation_payment",
                 object_id=reversal.pk, case_id=access.case.pk, channel=channel, reason="reversal",
                 changes={"reverses": original.pk, "amount": reversal.amount})
    return reversal


@transaction.atomic
def enforcement_record(*, access: CaseAccess, award_id: Any, kind: Any, taken_on: Any, body: Any = "",
                       note: Any = "", channel: str = "web") -> EnforcementStep:
    """Add a step to an award's enforcement timeline. The enforcement body and the note are sealed."""
    _writer(access)
    award = _award(access, award_id)
    kind = v.choice(kind, "kind", StepKind.values)
    day = v.required_date(taken_on, "taken_on")
    if day < award.decided_on:
        raise HavenError(_("An enforcement step cannot come before the verdict."), field="taken_on")
    step = EnforcementStep.objects.create(
        award=award, kind=kind, taken_on=day, body=v.text(body, "body", max_length=300),
        note=v.text(note, "note", max_length=2000), recorded_by=access.user,
    )
    audit_record(actor=access.user, action=AuditAction.CREATE, object_type="enforcement_step", object_id=step.pk,
                 case_id=access.case.pk, channel=channel,
                 changes={"award": award.pk, "kind": kind, "taken_on": day.isoformat()})
    return step
