"""Reads of the justice area: a case's proceedings, legal aid, verdicts and awards; award totals computed in
the database; the supervisor's summary; the statistician's suppressed counts.

A case's rows are read only after `access_case` opened the case; sealed values are handed out only to those
with a need to know (haven.legal.access), and each display is audited by the caller that shows them. The
agency-wide lists show case codes, never names or court details.
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Count,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import Role
from haven.cases.page_helpers import works_cases
from haven.cases.selectors import CaseAccess, cases_visible_to
from haven.core.disclosure import suppress_counts
from haven.legal.access import audit_sealed_reads, filled, sees_sealed
from haven.legal.models import AidStatus, CompensationPayment, EnforcementStep, LegalAid, Proceeding, Verdict

# Haven's own follow-up rule, not a legal deadline: the Law on Civil Judgment Enforcement's time limits are
# not in Haven's legal reference (unverified), so an award is only flagged for attention when nothing (no
# payment, no enforcement step) has happened on it for this many days while money is still owed.
STALLED_DAYS = 180


class PaymentState:
    FULL = "paid_in_full"
    PART = "paid_in_part"
    NONE = "not_paid"
    ORDER = (FULL, PART, NONE)
    LABELS = {FULL: _("Paid in full"), PART: _("Paid in part"), NONE: _("Not paid at all")}


def received_on_award(award_id: int) -> int:
    """Net received on one award, reversals included, summed in the database."""
    total = CompensationPayment.objects.filter(award_id=award_id).aggregate(t=Sum("amount"))["t"]
    return int(total or 0)


def _sum_of(model: Any, column: str) -> Subquery:
    return Subquery(
        model.objects.filter(award=OuterRef("pk")).order_by().values("award")
        .annotate(total=Sum(column)).values("total")[:1], output_field=BigIntegerField()
    )


def _last_of(model: Any, column: str) -> Subquery:
    return Subquery(model.objects.filter(award=OuterRef("pk")).order_by(f"-{column}").values(column)[:1])


def awards(base: QuerySet[Verdict] | None = None) -> QuerySet[Verdict]:
    """Verdicts that award compensation to the person, with received, outstanding and state from the database."""
    rows = (base if base is not None else Verdict.objects.all()).filter(compensation_awarded__gt=0)
    return rows.annotate(
        received=Coalesce(_sum_of(CompensationPayment, "amount"), Value(0), output_field=BigIntegerField()),
    ).annotate(
        outstanding=F("compensation_awarded") - F("received"),
        payment_state=Case(
            When(received__gte=F("compensation_awarded"), then=Value(PaymentState.FULL)),
            When(received__gt=0, then=Value(PaymentState.PART)),
            default=Value(PaymentState.NONE), output_field=CharField(),
        ),
        last_payment_on=_last_of(CompensationPayment, "received_on"),
        last_step_on=_last_of(EnforcementStep, "taken_on"),
    )


def is_stalled(award: Verdict, today: dt.date) -> bool:
    """Money still owed and nothing recorded on the award for STALLED_DAYS (Haven's rule; unverified)."""
    if award.payment_state == PaymentState.FULL:  # type: ignore[attr-defined]
        return False
    last = max(d for d in (award.decided_on, award.last_payment_on, award.last_step_on) if d)  # type: ignore[attr-defined]
    return (today - last).days > STALLED_DAYS


def closed_trial_measures(proceeding_ids: list[int]) -> dict[int, list[Any]] | None:
    """Closed-trial protection measures (Decree 62/2012 Art. 7 item 8) per proceeding, from the protection
    area, or None while that area has no `ProtectionMeasure.proceeding` to read."""
    module = importlib.import_module("haven.protection.models")
    ProtectionMeasure: Any = getattr(module, "ProtectionMeasure", None)  # noqa: N806 - a model class
    if ProtectionMeasure is None or "proceeding" not in {f.name for f in ProtectionMeasure._meta.get_fields()}:
        return None
    found: dict[int, list[Any]] = {pk: [] for pk in proceeding_ids}
    for measure in ProtectionMeasure.objects.filter(proceeding_id__in=proceeding_ids).order_by("pk"):
        found.setdefault(measure.proceeding_id, []).append(measure)
    return found


@dataclass
class AwardRow:
    verdict: Verdict
    payments: list[CompensationPayment] = field(default_factory=list)
    steps: list[EnforcementStep] = field(default_factory=list)


@dataclass
class ProceedingRow:
    proceeding: Proceeding
    aid: list[LegalAid] = field(default_factory=list)
    verdicts: list[Verdict] = field(default_factory=list)
    awards: list[AwardRow] = field(default_factory=list)
    measures: list[Any] | None = None


@dataclass
class CaseJustice:
    access: CaseAccess
    sealed: bool
    proceedings: list[ProceedingRow]
    other_aid: list[LegalAid]  # requests not tied to a proceeding
    measures_available: bool

    def all_awards(self) -> list[AwardRow]:
        return [a for p in self.proceedings for a in p.awards]


def proceedings_of(case: Any) -> list[Proceeding]:
    """A case's proceedings, for choosing one in a form (only non-sealed fields are used)."""
    return list(Proceeding.objects.filter(case=case).order_by("opened_on", "pk"))


def case_justice(access: CaseAccess, *, channel: str = "web") -> CaseJustice:
    """Everything on a case's Justice tab, in a fixed number of queries. When the user has a need to know,
    the sealed fields that hold something are logged as read (field names only)."""
    case = access.case
    proceedings = list(Proceeding.objects.filter(case=case).order_by("opened_on", "pk"))
    by_id = {p.pk: ProceedingRow(p) for p in proceedings}
    aid = list(LegalAid.objects.filter(case=case).select_related("provider").order_by("requested_on", "pk"))
    other: list[LegalAid] = []
    for a in aid:
        (by_id[a.proceeding_id].aid if a.proceeding_id in by_id else other).append(a)
    verdicts = list(Verdict.objects.filter(proceeding__case=case).order_by("decided_on", "pk"))
    annotated = {v.pk: v for v in awards(Verdict.objects.filter(proceeding__case=case))}
    payments = list(CompensationPayment.objects.filter(award__proceeding__case=case)
                    .select_related("reversed_by").order_by("received_on", "pk"))
    steps = list(EnforcementStep.objects.filter(award__proceeding__case=case).order_by("taken_on", "pk"))
    award_rows: dict[int, AwardRow] = {}
    for verdict in verdicts:
        shown = annotated.get(verdict.pk, verdict)
        by_id[verdict.proceeding_id].verdicts.append(shown)
        if verdict.pk in annotated:
            award_rows[verdict.pk] = AwardRow(shown)
            by_id[verdict.proceeding_id].awards.append(award_rows[verdict.pk])
    for payment in payments:
        award_rows[payment.award_id].payments.append(payment)
    for step in steps:
        award_rows[step.award_id].steps.append(step)
    measures = closed_trial_measures(list(by_id))
    if measures is not None:
        for pk, row in by_id.items():
            row.measures = measures.get(pk, [])
    sealed = sees_sealed(access)
    if sealed:
        audit_sealed_reads(access, [
            *(("proceeding", p.pk, filled(p, "proceeding")) for p in proceedings),
            *(("verdict", v.pk, filled(v, "verdict")) for v in verdicts),
            *(("enforcement_step", s.pk, filled(s, "enforcement_step")) for s in steps),
            *(("compensation_payment", p.pk, filled(p, "compensation_payment")) for p in payments),
        ], channel=channel)
    return CaseJustice(access, sealed, list(by_id.values()), other, measures is not None)


# --- Agency-wide -----------------------------------------------------------------------------------


def visible_awards(user: Any) -> QuerySet[Verdict]:
    """Awards on the cases this user may open (the agency's own, and those on accepted referrals)."""
    if not works_cases(user):
        return Verdict.objects.none()
    return awards(Verdict.objects.filter(proceeding__case__in=cases_visible_to(user)))


@dataclass(frozen=True)
class Summary:
    counts: dict[str, int | None]
    total: int | None
    awarded: int | None
    received: int | None
    suppressed: bool


def summarise(rows: QuerySet[Verdict], *, suppress: bool = False) -> Summary:
    """Counts per payment state and the totals awarded and received, aggregated in the database."""
    agg = rows.aggregate(
        **{state: Count("pk", filter=Q(payment_state=state)) for state in PaymentState.ORDER},
        awarded=Coalesce(Sum("compensation_awarded"), Value(0), output_field=BigIntegerField()),
    )
    # Summed from the payments themselves: an aggregate over an annotated subquery is not portable.
    agg["received"] = CompensationPayment.objects.filter(award__in=rows.values("pk")).aggregate(
        t=Coalesce(Sum("amount"), Value(0), output_field=BigIntegerField()))["t"]
    counts = [int(agg[s]) for s in PaymentState.ORDER]
    if not suppress:
        return Summary(dict(zip(PaymentState.ORDER, counts, strict=True)), sum(counts), int(agg["awarded"]),
                       int(agg["received"]), False)
    shown, total = suppress_counts(counts)
    # Amounts of a handful of awards can single out a person: statisticians get counts only.
    return Summary(dict(zip(PaymentState.ORDER, shown, strict=True)), total, None, None, True)


def statistics_summary() -> Summary:
    """All awards in the system, counts only, with small-number suppression (haven.core.disclosure)."""
    return summarise(awards(), suppress=True)


def oldest_unpaid(user: Any, limit: int = 15) -> list[Verdict]:
    rows: Any = visible_awards(user)
    return list(rows.exclude(payment_state=PaymentState.FULL)
                .select_related("proceeding__case").order_by("decided_on", "pk")[:limit])


def stalled_awards(user: Any, today: dt.date | None = None) -> list[Verdict]:
    today = today or timezone.localdate()
    rows: Any = visible_awards(user)
    unpaid = rows.exclude(payment_state=PaymentState.FULL).select_related("proceeding__case")
    return [a for a in unpaid.order_by("decided_on", "pk") if is_stalled(a, today)]


def aid_waiting(user: Any) -> QuerySet[LegalAid]:
    """Requests for legal aid waiting for a decision at the user's agency (a provider), oldest first."""
    if not works_cases(user):
        return LegalAid.objects.none()
    return (LegalAid.objects.filter(provider_id=user.agency_id, status=AidStatus.REQUESTED,
                                    case__in=cases_visible_to(user))
            .select_related("case").order_by("requested_on", "pk"))


def is_supervisor(user: Any) -> bool:
    return bool(user.is_authenticated and user.role == Role.SUPERVISOR)
