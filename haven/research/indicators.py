"""The rights scorecard's indicators: the catalogue (right → criterion → indicator, with the state's duty and the
indicator's kind) and how each is computed from Haven's own records.

Who is counted: the persons identified as victims in the scorecard's period and place, exactly as the annual
statistics count them (`haven.reports.statistics.identified`: once each, a province including the provinces
merged into it). Records of other kinds (referrals, measures, applications, awards) count when they belong to
one of those persons, whenever they were made. Nothing is invented: a figure Haven cannot compute says so.

A computation returns raw material only — exact tallies by group, or the rule in force — and never reaches a
page before `haven.research.scorecard` has put it through disclosure control.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    BooleanField,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models import Case as When_
from django.db.models.functions import Cast, Coalesce, ExtractYear
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from haven.audit.models import AuditAction, AuditEvent
from haven.cases.models import Case, Signoff
from haven.consent.models import ConsentRecord, Purpose
from haven.entitlements.engine import (
    STATUSES,
    add_months,
    evaluate_columns,
    parse_profile,
    profiles_to_columns,
)
from haven.entitlements.engine.regimes import LAW53_FROM, LAW66
from haven.entitlements.models import ApplicationItem, ApplicationStatus, ApplicationStep, SupportApplication
from haven.followup.models import (
    AssessmentStatus,
    FollowUpPlan,
    FollowUpStatus,
    FollowUpVisit,
    HomeSafetyAssessment,
    ReceptionLink,
)
from haven.legal.models import AidStatus, CompensationPayment, LegalAid, Proceeding, Verdict
from haven.protection import catalogue as measures_catalogue
from haven.protection.models import MeasureStatus, Occasion, ProtectionMeasure, RiskAssessment, ThreatIncident
from haven.referrals.models import Referral, ReferralStatus
from haven.reports.statistics import Period
from haven.support.models import LedgerEntry, ShelterStay

UNKNOWN = "unknown"
# The groups of the disaggregation: (dimension, its title, [(group code, label)]).
DIMENSIONS: list[tuple[str, Any, list[tuple[str, Any]]]] = [
    ("sex", _("Sex"), [("female", _("Female")), ("male", _("Male")), (UNKNOWN, _("Other or not known"))]),
    ("age", _("Child or adult"), [("child", _("Child (under 18)")), ("adult", _("Adult")), (UNKNOWN, _("Not known"))]),
    ("ethnicity", _("Ethnicity"), [("kinh", _("Kinh")), ("minority", _("Ethnic minority")),
                                   (UNKNOWN, _("Other or not known"))]),
]
Group = tuple[str, str, str]  # (sex, age, ethnicity)


@dataclass(frozen=True)
class Spec:
    code: str
    right: str
    criterion: str
    duty: str
    kind: str
    title: Any
    citation: str = ""
    unit: Any = _("persons")  # what is counted, for the data note


@dataclass
class Tally:
    """Exact counts: for each group of people, how many units meet the indicator (yes) and how many do not."""

    counts: dict[Group, list[int]] = field(default_factory=dict)  # group → [yes, no]
    note: Any = ""

    def add(self, group: Group, ok: bool, n: int = 1) -> None:
        self.counts.setdefault(group, [0, 0])[0 if ok else 1] += n

    def total(self) -> tuple[int, int]:
        yes = sum(c[0] for c in self.counts.values())
        return yes, yes + sum(c[1] for c in self.counts.values())

    def by(self, dimension: int) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for group, (yes, no) in self.counts.items():
            row = out.setdefault(group[dimension], [0, 0])
            row[0] += yes
            row[1] += no
        return out


@dataclass
class Structural:
    """A rule (or its absence) in force in the period: in words, with its citation, dates and confidence."""

    display: str
    confidence: str = ""
    citation: str = ""
    rule_exists: bool = True


@dataclass
class Context:
    period: Period
    province: Any
    today: dt.date
    cases: QuerySet[Case]
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def lang(self) -> str:
        return "vi" if (get_language() or "vi").startswith("vi") else "en"


# --- groups of people, as database expressions ---------------------------------------------------------------


def _when(pairs: list[tuple[Q, str]], default: str) -> Any:
    return When_(*[When(q, then=Value(v)) for q, v in pairs], default=Value(default), output_field=CharField())


def group_annotations(prefix: str = "") -> dict[str, Any]:
    """Sex, child/adult (under 18 at identification: Law 66/2011 Art. 3; Law 53/2024) and Kinh/minority of the
    person behind a row; `prefix` is the path from the row to its case ("" for a case)."""
    p = prefix
    return {
        "g_sex": _when([(Q(**{f"{p}person__sex": "female"}), "female"), (Q(**{f"{p}person__sex": "male"}), "male")],
                       UNKNOWN),
        "g_age": _when([
            (Q(**{f"{p}age_at_reception__lt": 18}), "child"), (Q(**{f"{p}age_at_reception__gte": 18}), "adult"),
            (Q(**{f"{p}person__birth_year__isnull": True}), UNKNOWN),
            (Q(**{f"{p}person__birth_year__gt": ExtractYear(f"{p}identified_on") - 18}), "child"),
        ], "adult"),
        "g_eth": _when([(Q(**{f"{p}person__ethnicity": "kinh"}), "kinh"),
                        (Q(**{f"{p}person__ethnicity__in": [UNKNOWN, "foreign"]}), UNKNOWN)], "minority"),
    }


def tally(rows: QuerySet[Any], ok: Any, prefix: str = "") -> Tally:
    """One GROUP BY query: units by the person's groups and whether they meet the indicator."""
    found = (rows.annotate(**group_annotations(prefix), ok=ok).order_by()
             .values("g_sex", "g_age", "g_eth", "ok").annotate(n=Count("pk")).values_list("g_sex", "g_age", "g_eth", "ok", "n"))
    out = Tally()
    for sex, age, eth, yes, n in found:
        out.add((sex, age, eth), bool(yes), n)
    return out


def _q(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


def _of_cases(ctx: Context) -> Any:
    return ctx.cases.values("pk")


# --- structural indicators -----------------------------------------------------------------------------------


def _span(start: dt.date, end: dt.date | None) -> str:
    return f"{start.isoformat()} – {end.isoformat()}" if end else gettext("from %(d)s") % {"d": start.isoformat()}


def measure_rule(code: str) -> Callable[[Context], Structural]:
    """A protection measure of Decree 62/2012 Art. 7 (and its successor catalogue) in force in the period."""

    def compute(ctx: Context) -> Structural:
        parts, confidence, citation = [], "", ""
        for cat in measures_catalogue.catalogues():
            if cat.valid_from > ctx.period.date_to or (cat.valid_to and cat.valid_to < ctx.period.date_from):
                continue
            kind = cat.kind(code)
            if kind is None:
                continue
            parts.append(gettext("%(name)s — %(citation)s cl. %(clause)s, %(dates)s (%(confidence)s)") % {
                "name": kind.name(ctx.lang), "citation": cat.citation, "clause": kind.clause,
                "dates": _span(cat.valid_from, cat.valid_to), "confidence": _confidence(cat.confidence)})
            confidence, citation = cat.confidence, f"{cat.citation} cl. {kind.clause}"
        if not parts:
            return Structural(gettext("No rule in force in the period."), rule_exists=False)
        return Structural("; ".join(parts), confidence, citation)

    return compute


def _confidence(value: str) -> str:
    from haven.entitlements.models import Confidence

    return str(Confidence(value).label) if value in Confidence.values else value


def _dated_rule(before: Any, after: Any, before_citation: str, after_citation: str,
                before_exists: bool = True) -> Callable[[Context], Structural]:
    """A rule that changed on 2025-07-01 (Law 53/2024/QH15 in force): what held before and after, as the
    period needs."""

    def compute(ctx: Context) -> Structural:
        parts, exists = [], False
        if ctx.period.date_from < LAW53_FROM:
            parts.append(gettext("Until 2025-06-30: %(text)s") % {"text": before})
            exists = exists or before_exists
        if ctx.period.date_to >= LAW53_FROM:
            parts.append(gettext("From 2025-07-01: %(text)s") % {"text": after})
            exists = True
        citation = after_citation if ctx.period.date_to >= LAW53_FROM else before_citation
        return Structural(" ".join(parts), "confirmed", citation, rule_exists=exists)

    return compute


SUPPORT_GROUPS: dict[str, tuple[str, ...]] = {
    "essential_needs": ("food", "clothing_personal_items", "essential_needs"),
    "travel": ("travel",),
    "medical": ("medical", "health_insurance"),
    "psychological": ("psychological",),
    "interpretation": ("interpretation",),
    "legal_aid": ("legal_support", "legal_aid"),
    "education": ("education",),
    "vocational": ("vocational_training",),
    "hardship": ("hardship_allowance", "loan"),
}
ENTITLED = {STATUSES.index("entitled"), STATUSES.index("amount_not_set")}


def _reference_profile(on: dt.date, identified_on: dt.date, province: str | None) -> dict[str, Any]:
    """A made-up adult Vietnamese victim from a poor household, staying at a facility: the person to whom most
    items apply, to read the rule and its amount in force (no real record is read)."""
    return {"id": "reference", "category": "victim", "nationality": "VN", "located": "vietnam",
            "birth_date": f"{on.year - 30}-07-01", "sex": "female", "identified_on": identified_on.isoformat(),
            "province": province, "poor_household": True, "near_poor_household": False, "financial_difficulty": True,
            "has_health_insurance": False, "has_relatives": True, "revolutionary_merit_family": False,
            "shelter_stay": {"from": identified_on.isoformat(), "to": None}}


def _province_slug(unit: Any) -> str | None:
    return unit.code.split("/")[0].removesuffix("-2025") if unit is not None else None


def _reference_items(ctx: Context) -> list[tuple[str, dict[str, dict[str, Any]]]]:
    """The engine's answer for the reference person under each regime in force during the period."""
    if "reference" in ctx.cache:
        return list(ctx.cache["reference"])
    from haven.entitlements.engine import evaluate
    from haven.entitlements.services import parameter_store

    store = parameter_store()
    samples = []
    if ctx.period.date_from < LAW53_FROM:
        on = min(ctx.period.date_to, LAW53_FROM - dt.timedelta(days=1))
        samples.append(max(on, dt.date(2013, 4, 15)))
    if ctx.period.date_to >= LAW53_FROM:
        samples.append(ctx.period.date_to)
    out = []
    for on in samples:
        try:
            result = evaluate(_reference_profile(on, on, _province_slug(ctx.province)), on, store=store)
        except (ValueError, KeyError):
            continue
        out.append((str(result["regime"]), {item["code"]: item for item in result["items"]}))
    ctx.cache["reference"] = out
    return out


REGIME_NAMES = {LAW66: "Law 66/2011/QH12", "law-53-2024": "Law 53/2024/QH15"}


def _item_text(ctx: Context, item: dict[str, Any]) -> tuple[str, str]:
    """An item's rule in words. An unverified amount is never shown as a number."""
    name = item["name"].get(ctx.lang) or item["name"]["en"]
    confidence = item.get("confidence", "")
    if item["status"] == "amount_not_set" or confidence == "unverified":
        return gettext("%(name)s: rule in force, amount unverified (not set)") % {"name": name}, "unverified"
    limits = item.get("limits") or {}
    amount = item.get("amount_vnd")
    rate = limits.get("rate_vnd_per_day") or limits.get("meal_rate_vnd_per_day")
    if rate:
        text = gettext("%(name)s: amount set, %(amount)s đồng a day (%(confidence)s)")
        value = rate
    elif limits.get("package_vnd") or limits.get("medicine_vnd") or amount:
        text = gettext("%(name)s: amount set, %(amount)s đồng (%(confidence)s)")
        value = limits.get("package_vnd") or limits.get("medicine_vnd") or amount
    else:
        return gettext("%(name)s: rule in force, no fixed amount (in kind or at actual cost) (%(confidence)s)") % {
            "name": name, "confidence": _confidence(confidence)}, confidence
    return text % {"name": name, "amount": f"{int(value):,}".replace(",", "."),
                   "confidence": _confidence(confidence)}, confidence


def support_rule(group: str) -> Callable[[Context], Structural]:
    def compute(ctx: Context) -> Structural:
        parts, confidences, citations = [], [], []
        for regime, items in _reference_items(ctx):
            found = [items[code] for code in SUPPORT_GROUPS[group] if code in items]
            if not found:
                parts.append(gettext("%(regime)s: not an item of this regime") % {"regime": REGIME_NAMES.get(regime, regime)})
                continue
            texts = []
            for item in found:
                text, confidence = _item_text(ctx, item)
                texts.append(text)
                confidences.append(confidence)
                citations += [f"{c['instrument']} {c.get('article') or ''}".strip() for c in item.get("citations", [])]
            parts.append(f"{REGIME_NAMES.get(regime, regime)}: " + "; ".join(texts))
        if not confidences:
            return Structural("; ".join(parts) or gettext("No rule in force in the period."), rule_exists=False)
        order = ["unverified", "reported", "confirmed"]
        weakest = min(confidences, key=lambda c: order.index(c) if c in order else 0)
        return Structural(" · ".join(parts), weakest, "; ".join(dict.fromkeys(citations)))

    return compute


# --- process and outcome indicators: shares of people or of their records -----------------------------------


def _entitlement_rows(ctx: Context) -> list[dict[str, Any]]:
    """Each identified person's engine input (no identity field is read: age from the age at reception or the
    year of birth) with their groups. One query."""
    facts = ("poor_household", "near_poor_household", "financial_difficulty", "has_health_insurance",
             "has_relatives", "revolutionary_merit_family", "located", "shelter_from", "shelter_to")
    rows = list(ctx.cases.annotate(**group_annotations()).values(
        "pk", "category", "identified_on", "age_at_reception", "person__birth_year", "person__nationality",
        "person__sex", "person__home_province__code", "g_sex", "g_age", "g_eth",
        *(f"entitlement_facts__{f}" for f in facts)))
    return rows


def _profile(row: dict[str, Any]) -> tuple[dt.date, dict[str, Any]]:
    identified_on: dt.date = row["identified_on"]
    stay_from = row["entitlement_facts__shelter_from"]
    stay_to = row["entitlement_facts__shelter_to"]
    # Evaluated as of identification, or of the start of the stay when it began later (food is paid during a stay).
    on = max(identified_on, stay_from) if stay_from else identified_on
    age = row["age_at_reception"]
    if age is None and row["person__birth_year"]:
        age = identified_on.year - row["person__birth_year"]
    birth = dt.date(on.year - age - 1, 7, 1) if age is not None else None
    nationality = row["person__nationality"] or "VN"
    code = row["person__home_province__code"]
    return on, {
        "id": row["pk"], "category": row["category"],
        "nationality": "stateless_resident" if nationality == "stateless" else nationality,
        "located": row["entitlement_facts__located"] or "vietnam",
        "birth_date": birth.isoformat() if birth and birth <= on else None,
        "sex": row["person__sex"] if row["person__sex"] in ("female", "male") else None,
        "identified_on": identified_on.isoformat(), "accompanies": None,
        "province": code.split("/")[0].removesuffix("-2025") if code else None,
        **{f: row[f"entitlement_facts__{f}"] for f in ("poor_household", "near_poor_household", "financial_difficulty",
                                                       "has_health_insurance", "has_relatives",
                                                       "revolutionary_merit_family")},
        "shelter_stay": {"from": stay_from.isoformat(), "to": stay_to.isoformat() if stay_to else None}
        if stay_from else None,
    }


def _entitlements(ctx: Context) -> tuple[dict[int, set[str]], dict[int, Group], int]:
    """For every identified person, the items the engine says they were entitled to (entitled, or entitled with
    the amount not set) as of their identification. The batch engine runs once per evaluation date."""
    if "entitlements" in ctx.cache:
        return ctx.cache["entitlements"]  # type: ignore[no-any-return]
    from haven.entitlements.services import parameter_store

    rows = _entitlement_rows(ctx)
    groups = {row["pk"]: (row["g_sex"], row["g_age"], row["g_eth"]) for row in rows}
    by_day: dict[dt.date, list[Any]] = {}
    failed = 0
    for row in rows:
        on, data = _profile(row)
        try:
            by_day.setdefault(on, []).append(parse_profile(data))
        except ValueError:
            failed += 1
    store = parameter_store()
    entitled: dict[int, set[str]] = {pk: set() for pk in groups}
    for on, profiles in by_day.items():
        try:
            result = evaluate_columns(profiles_to_columns(profiles), on, store=store)
        except ValueError:  # e.g. identified before Decree 09/2013 took effect: no regime Haven encodes
            failed += len(profiles)
            for p in profiles:
                entitled.pop(int(p.id), None)
            continue
        for part in result.parts:
            ids = part.cols.ids
            for code, item in part.items.items():
                for position in (i for i, s in enumerate(item.status.tolist()) if s in ENTITLED):
                    entitled[int(ids[position])].add(code)
    ctx.cache["entitlements"] = (entitled, groups, failed)
    return entitled, groups, failed


def _received(ctx: Context) -> set[tuple[int, str]]:
    """(case, item) pairs with a service given or a payment made that was not reversed; a stay at a facility
    counts as essential needs given in kind; granted legal aid counts as legal aid. Three queries."""
    if "received" in ctx.cache:
        return ctx.cache["received"]  # type: ignore[no-any-return]
    cases = _of_cases(ctx)
    pairs = set(LedgerEntry.objects.filter(case__in=cases, reverses__isnull=True, reversed_by__isnull=True)
                .order_by().values_list("case_id", "item").distinct())
    for pk in ShelterStay.objects.filter(case__in=cases).order_by().values_list("case_id", flat=True).distinct():
        pairs |= {(pk, "food"), (pk, "essential_needs")}
    for pk in (LegalAid.objects.filter(case__in=cases, status__in=[AidStatus.GRANTED, AidStatus.ENDED]).order_by()
               .values_list("case_id", flat=True).distinct()):
        pairs.add((pk, "legal_aid"))
    ctx.cache["received"] = pairs
    return pairs


def support_received(group: str) -> Callable[[Context], Tally]:
    def compute(ctx: Context) -> Tally:
        entitled, groups, failed = _entitlements(ctx)
        received = _received(ctx)
        items = set(SUPPORT_GROUPS[group])
        out = Tally()
        for pk, codes in entitled.items():
            if codes & items:
                out.add(groups[pk], any((pk, code) in received for code in codes & items))
        if failed:
            out.note = gettext("%(n)s persons could not be evaluated by the rules (e.g. identified before 2013-04-15) "
                          "and are left out.") % {"n": failed}
        return out

    return compute


def hardship_in_time(ctx: Context) -> Tally:
    """Hardship applications decided with every step on time (3/5/3 working days; seed study Table 1)."""
    late = ApplicationStep.objects.filter(application=OuterRef("pk")).filter(
        Q(completed_on__gt=F("due_on")) | Q(completed_on__isnull=True, due_on__lt=ctx.today))
    decided = Q(status__in=[ApplicationStatus.APPROVED, ApplicationStatus.REJECTED])
    rows = (SupportApplication.objects.filter(case__in=_of_cases(ctx), item=ApplicationItem.HARDSHIP_ALLOWANCE)
            .annotate(late=Exists(late)).filter(decided | Q(late=True)))
    return tally(rows, _q(decided & Q(late=False)), "case__")


def applications_within_12_months(ctx: Context) -> Tally:
    """Applications for education, vocational training or the hardship allowance made within 12 months of
    identification (Decree 09/2013 Art. 23; the old regime only). One query; the months are counted in Python."""
    rows = (SupportApplication.objects.filter(case__in=_of_cases(ctx), regime=LAW66).annotate(**group_annotations("case__"))
            .values_list("received_on", "case__identified_on", "g_sex", "g_age", "g_eth"))  # type: ignore[misc]
    out = Tally()
    for received_on, identified_on, *group in rows:
        out.add(tuple(group), received_on <= add_months(identified_on, 12))  # type: ignore[arg-type]
    return out


def measures_decided(ctx: Context) -> Tally:
    rows = ProtectionMeasure.objects.filter(case__in=_of_cases(ctx)).exclude(status=MeasureStatus.REFUSED)
    return tally(rows, _q(Q(decided_on__isnull=False)), "case__")


def threat_then_measure(ctx: Context) -> Tally:
    rows = ctx.cases.filter(Exists(ThreatIncident.objects.filter(case=OuterRef("pk"))))
    return tally(rows, Exists(ProtectionMeasure.objects.filter(case=OuterRef("pk"), decided_on__isnull=False)))


def risk_at_reception(ctx: Context) -> Tally:
    return tally(ctx.cases, Exists(RiskAssessment.objects.filter(case=OuterRef("pk"), occasion=Occasion.RECEPTION)))


def referrals_with_consent(ctx: Context) -> Tally:
    """Referrals that shared the person's identity with their consent: a supervisor's override is counted
    against. The override is read from the audit trail (the reason itself is sealed on the referral)."""
    override = AuditEvent.objects.filter(object_type="referral", action=AuditAction.CREATE, reason="consent override",
                                         object_id=Cast(OuterRef("pk"), CharField()))
    rows = Referral.objects.filter(case__in=_of_cases(ctx)).exclude(status=ReferralStatus.CANCELLED)
    return tally(rows, ~Exists(override), "case__")


def minors_safety(ctx: Context) -> Tally:
    last = (ShelterStay.objects.filter(case=OuterRef("pk"), discharged_on__isnull=False).order_by("-discharged_on")
            .values("discharged_on")[:1])
    rows = ctx.cases.annotate(**group_annotations(), last_discharge=Subquery(last)).filter(  # type: ignore[misc]
        g_age="child", last_discharge__isnull=False)
    approved = HomeSafetyAssessment.objects.filter(case=OuterRef("pk"), status=AssessmentStatus.APPROVED,
                                                   decided_at__date__lte=OuterRef("last_discharge"))
    return tally(rows, Exists(approved))


def signoffs_on_time(ctx: Context) -> Tally:
    decided = Q(decision__in=[Signoff.Decision.APPROVED, Signoff.Decision.OBJECTED])
    rows = Signoff.objects.filter(case__in=_of_cases(ctx)).filter(decided | Q(due_on__lt=ctx.today))
    return tally(rows, _q(decided & Q(signed_at__date__lte=F("due_on"))), "case__")


def referrals_answered(ctx: Context) -> Tally:
    rows = (Referral.objects.filter(case__in=_of_cases(ctx)).exclude(status=ReferralStatus.CANCELLED)
            .filter(Q(responded_at__isnull=False) | Q(due_on__lt=ctx.today)))
    return tally(rows, _q(Q(responded_at__date__lte=F("due_on"))), "case__")


def legal_aid_given(ctx: Context) -> Tally:
    rows = ctx.cases.filter(Exists(Proceeding.objects.filter(case=OuterRef("pk"))))
    return tally(rows, Exists(LegalAid.objects.filter(case=OuterRef("pk"),
                                                      status__in=[AidStatus.GRANTED, AidStatus.ENDED])))


def awards_paid(how: str) -> Callable[[Context], Tally]:
    """Awards of compensation to the person, by what was received (reversals included)."""

    def compute(ctx: Context) -> Tally:
        paid = Subquery(CompensationPayment.objects.filter(award=OuterRef("pk")).order_by().values("award")
                        .annotate(s=Sum("amount")).values("s")[:1])
        rows = (Verdict.objects.filter(proceeding__case__in=_of_cases(ctx), compensation_awarded__gt=0)
                .annotate(paid=Coalesce(paid, 0)))
        condition = {"full": Q(paid__gte=F("compensation_awarded")),
                     "part": Q(paid__gt=0, paid__lt=F("compensation_awarded")),
                     "none": Q(paid__lte=0)}[how]
        return tally(rows, _q(condition), "proceeding__case__")

    return compute


def statement_given(ctx: Context) -> Tally:
    given = AuditEvent.objects.filter(object_type="rights_statement", action=AuditAction.EXPORT, case_id=OuterRef("pk"))
    return tally(ctx.cases, Exists(given))


def services_consent(ctx: Context) -> Tally:
    return tally(ctx.cases, Exists(ConsentRecord.objects.filter(person=OuterRef("person"), purpose=Purpose.SERVICES)))


def threats_recorded(ctx: Context) -> Tally:
    return tally(ctx.cases, Exists(ThreatIncident.objects.filter(case=OuterRef("pk"))))


def trafficked_again(ctx: Context) -> Tally:
    rows = ctx.cases.filter(Exists(FollowUpPlan.objects.filter(case=OuterRef("pk"))))
    again = (Exists(FollowUpPlan.objects.filter(case=OuterRef("pk"), retrafficked=True))
             | Exists(FollowUpVisit.objects.filter(plan__case=OuterRef("pk"), observed=FollowUpStatus.TRAFFICKED_AGAIN))
             | Exists(ReceptionLink.objects.filter(previous_case=OuterRef("pk"))))
    return tally(rows, again)


def followup_observed(status: str) -> Callable[[Context], Tally]:
    def compute(ctx: Context) -> Tally:
        rows = ctx.cases.filter(Exists(FollowUpVisit.objects.filter(plan__case=OuterRef("pk"), done_on__isnull=False)))
        return tally(rows, Exists(FollowUpVisit.objects.filter(plan__case=OuterRef("pk"), observed=status)))

    return compute


# --- the catalogue ---------------------------------------------------------------------------------------------

RIGHTS: dict[str, Any] = {
    "protection": _("Right to protection"),
    "support": _("Right to support regimes"),
    "reception": _("Right to be received, verified and repatriated"),
    "compensation": _("Right to compensation"),
    "information": _("Right to information about one's rights"),
}
CRITERIA: dict[str, Any] = {
    "measures": _("Protection measures (Decree 62/2012 Art. 7)"),
    "risk": _("Risk assessment at reception"),
    "confidentiality": _("Confidentiality of the person's data"),
    "minors_return": _("Safety of minors before return"),
    "after_return": _("Safety after return"),
    "essential_needs": _("Essential needs (food, clothing, personal items)"),
    "travel": _("Travel home"),
    "medical": _("Medical care and health insurance"),
    "psychological": _("Psychological support"),
    "interpretation": _("Interpretation"),
    "legal_aid": _("Legal support and legal aid"),
    "education": _("Education"),
    "vocational": _("Vocational training and job help"),
    "hardship": _("Initial hardship allowance and loans"),
    "applications": _("Applications for support"),
    "reintegration": _("Reintegration after return"),
    "identification": _("Reception and identification"),
    "compensation": _("Compensation for damage"),
    "information": _("Information about one's rights and consent"),
}
P, S, OUT = "process", "structural", "outcome"
MEASURE_CODES = ("document_secrecy", "identity_secrecy", "security_guard", "movement_limits", "temporary_shelter",
                 "relocation", "threat_prevention", "closed_trial")
MEASURE_TITLES = {
    "document_secrecy": _("Measure 1: secrecy of documents and evidence"),
    "identity_secrecy": _("Measure 2: secrecy of personal information"),
    "security_guard": _("Measure 3: security at residence, work, study, travel and hearings"),
    "movement_limits": _("Measure 4: limits on movement and communication"),
    "temporary_shelter": _("Measure 5: temporary shelter"),
    "relocation": _("Measure 6: a new place to live, work or study"),
    "threat_prevention": _("Measure 7: preventing and stopping threats"),
    "closed_trial": _("Measure 8: closed trial"),
}
SUPPORT_TITLES = {
    "essential_needs": (_("Rule in force: essential needs, and whether its amount is set"),
                        _("Entitled persons who received essential needs")),
    "travel": (_("Rule in force: travel home, and whether its amount is set"),
               _("Entitled persons who received travel support")),
    "medical": (_("Rule in force: medical care and health insurance, and whether the amount is set"),
                _("Entitled persons who received medical care or health insurance")),
    "psychological": (_("Rule in force: psychological support"), _("Entitled persons who received psychological support")),
    "interpretation": (_("Rule in force: interpretation"), _("Entitled persons who received interpretation")),
    "legal_aid": (_("Rule in force: legal support and legal aid"),
                  _("Entitled persons who received legal support or legal aid")),
    "education": (_("Rule in force: education support"), _("Entitled persons who received education support")),
    "vocational": (_("Rule in force: vocational training and job help"),
                   _("Entitled persons who received vocational training")),
    "hardship": (_("Rule in force: initial hardship allowance and loans, and whether the amount is set"),
                 _("Entitled persons who received the hardship allowance or a loan")),
}

SPECS: list[tuple[Spec, Callable[[Context], Any]]] = [
    *[(Spec(f"protection.measure.{code}", "protection", "measures", "protect", S, MEASURE_TITLES[code],
            "Decree 62/2012/NĐ-CP Art. 7"), measure_rule(code)) for code in MEASURE_CODES],
    (Spec("protection.measures.decided", "protection", "measures", "protect", P,
          _("Measures requested (not refused by the person) that were decided"), "Decree 62/2012/NĐ-CP Art. 7",
          _("measures")), measures_decided),
    (Spec("protection.threats.measure", "protection", "measures", "protect", P,
          _("Persons with a recorded threat who got a protection measure decided"), "Decree 62/2012/NĐ-CP Art. 7"),
     threat_then_measure),
    (Spec("protection.risk.reception", "protection", "risk", "protect", P,
          _("Persons with a risk assessment at reception")), risk_at_reception),
    (Spec("protection.confidentiality.rule", "protection", "confidentiality", "respect", S,
          _("Rule in force: confidentiality of the person's data"), "Law 53/2024/QH15"),
     _dated_rule(_("secrecy of personal information is a protection measure on request (Decree 62/2012 Art. 7 cl. 2)."),
                 _("confidentiality of one's data is a right of the victim (Law 53/2024/QH15)."),
                 "Decree 62/2012/NĐ-CP Art. 7 cl. 2", "Law 53/2024/QH15")),
    (Spec("protection.confidentiality.consent", "protection", "confidentiality", "respect", P,
          _("Referrals that shared the person's identity only with their consent (overrides count against)"),
          "", _("referrals")), referrals_with_consent),
    (Spec("protection.minors.safety", "protection", "minors_return", "protect", P,
          _("Minors discharged with an approved home safety assessment"), "Decree 09/2013/NĐ-CP Art. 21"),
     minors_safety),
    (Spec("protection.outcome.threats", "protection", "after_return", "protect", OUT,
          _("Persons who suffered a recorded threat or incident")), threats_recorded),
    (Spec("protection.outcome.trafficked_again", "protection", "after_return", "protect", OUT,
          _("Persons followed up who were trafficked again")), trafficked_again),
    *[item for group in SUPPORT_GROUPS for item in (
        (Spec(f"support.{group}.rule", "support", group, "fulfil", S, SUPPORT_TITLES[group][0],
              "Law 66/2011 Art. 32; Law 53/2024 Art. 37"), support_rule(group)),
        (Spec(f"support.{group}.received", "support", group, "fulfil", P, SUPPORT_TITLES[group][1],
              "Law 66/2011 Art. 32; Law 53/2024 Art. 37"), support_received(group)),
    )],
    (Spec("support.hardship.decided_in_time", "support", "applications", "fulfil", P,
          _("Hardship applications decided within the 3/5/3 working-day deadlines"), "Decree 09/2013/NĐ-CP Art. 23",
          _("applications")), hardship_in_time),
    (Spec("support.applications.within_12_months", "support", "applications", "fulfil", P,
          _("Applications for education, training or hardship made within 12 months of identification"),
          "Decree 09/2013/NĐ-CP Art. 23", _("applications")), applications_within_12_months),
    (Spec("support.outcome.at_risk", "support", "reintegration", "fulfil", OUT,
          _("Persons followed up who were found at risk")), followup_observed(FollowUpStatus.AT_RISK)),
    (Spec("support.outcome.contact_lost", "support", "reintegration", "fulfil", OUT,
          _("Persons followed up with whom contact was lost")), followup_observed(FollowUpStatus.CONTACT_LOST)),
    (Spec("reception.rule", "reception", "identification", "fulfil", S,
          _("Rule in force: reception, verification and identification"), "Law 66/2011 Art. 6; Law 53/2024 Art. 27"),
     _dated_rule(_("the multi-agency procedure of Joint Circular 01/2014 (Law 66/2011 Art. 6)."),
                 _("initial verification at once and with the police within 3 days (Law 53/2024 Art. 27)."),
                 "Joint Circular 01/2014", "Law 53/2024/QH15 Art. 27")),
    (Spec("reception.signoffs.on_time", "reception", "identification", "fulfil", P,
          _("Identification sign-offs given by their due date"), "", _("sign-offs")), signoffs_on_time),
    (Spec("reception.referrals.answered", "reception", "identification", "fulfil", P,
          _("Referrals answered by their response date"), "", _("referrals")), referrals_answered),
    (Spec("compensation.rule", "compensation", "compensation", "fulfil", S,
          _("Rule in force: free legal aid to claim compensation"), "Legal Aid Law Art. 7"),
     _dated_rule(_("free legal aid only for victims in financial difficulty (Legal Aid Law 2017 Art. 7(7)(g))."),
                 _("free legal aid for every victim, no means test (Legal Aid Law Art. 7 cl. 6a)."),
                 "Legal Aid Law 2017 Art. 7(7)(g)", "Legal Aid Law Art. 7 cl. 6a")),
    (Spec("compensation.legal_aid", "compensation", "compensation", "fulfil", P,
          _("Persons in a proceeding who were given legal aid")), legal_aid_given),
    (Spec("compensation.awards.paid_full", "compensation", "compensation", "protect", P,
          _("Compensation awards paid in full"), "", _("awards")), awards_paid("full")),
    (Spec("compensation.awards.paid_part", "compensation", "compensation", "protect", P,
          _("Compensation awards paid in part"), "", _("awards")), awards_paid("part")),
    (Spec("compensation.awards.unpaid", "compensation", "compensation", "protect", OUT,
          _("Compensation awards not paid at all"), "", _("awards")), awards_paid("none")),
    (Spec("information.rule", "information", "information", "fulfil", S,
          _("Rule in force: a right to information about one's rights"), "Law 53/2024/QH15"),
     _dated_rule(_("no rule: the right to information about one's rights exists only from 2025-07-01."),
                 _("the victim has a right to information about their rights and to accept or refuse support "
                   "(Law 53/2024/QH15)."), "", "Law 53/2024/QH15", before_exists=False)),
    (Spec("information.statement", "information", "information", "fulfil", P,
          _("Persons given a statement of their rights")), statement_given),
    (Spec("information.services_consent", "information", "information", "respect", P,
          _("Persons whose consent to services is recorded")), services_consent),
]
