"""Writes of risk assessments, threats and incidents, and the supervisor's review of measures after a threat.

Rules:
- Risk assessments and threats are recorded by the owning agency or an agency serving the case on an
  accepted referral (`CaseAccess.can_serve`).
- The overall level is computed by `computed_level` (documented there) and may be overridden with a reason.
- A new threat sets `review_needed` and is audited; only a supervisor of the owning agency records a
  review, which clears the flag on every threat of the case awaiting one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases import validation as v
from haven.cases.selectors import CaseAccess
from haven.core.errors import HavenError, NotFound
from haven.protection.models import (
    DOMAIN_NAMES,
    RISK_ORDER,
    DomainLevel,
    MeasureReview,
    Occasion,
    ReviewOutcome,
    RiskAssessment,
    RiskLevel,
    Severity,
    ThreatIncident,
    ThreatSource,
)

MAX_NOTE = 2000
# A severe threat this many days (or fewer) before the assessment raises the level to critical.
RECENT_THREAT_DAYS = 90


def computed_level(domains: dict[str, str], severe_threat_recently: bool) -> str:
    """The overall level: the highest of the five domains (low, medium, high), raised to critical when a
    severe threat occurred in the RECENT_THREAT_DAYS before the assessment, or when the threat from
    traffickers and the risk of being trafficked again are both high."""
    highest = max((domains[name] for name in DOMAIN_NAMES), key=lambda level: RISK_ORDER[RiskLevel(level)])
    both_high = domains["traffickers"] == DomainLevel.HIGH and domains["retrafficking"] == DomainLevel.HIGH
    if severe_threat_recently or both_high:
        return RiskLevel.CRITICAL
    return str(highest)


def _severe_threat_before(case: Any, day: dt.date) -> bool:
    return ThreatIncident.objects.filter(
        case=case, severity=Severity.SEVERE, occurred_on__lte=day,
        occurred_on__gte=day - dt.timedelta(days=RECENT_THREAT_DAYS),
    ).exists()


@transaction.atomic
def risk_assess(*, access: CaseAccess, occasion: Any, assessed_on: Any, levels: dict[str, Any],
                notes: dict[str, Any] | None = None, level: Any = "", override_reason: Any = "",
                channel: str = "web") -> RiskAssessment:
    """Record a risk assessment. `levels` holds the five domains; `level`, if given and different from the
    rule's, needs `override_reason`."""
    if not access.can_serve:
        raise NotFound()
    occasion = v.choice(occasion, "occasion", Occasion.values)
    day = v.required_date(assessed_on, "assessed_on")
    if day < access.case.received_on:
        raise HavenError(_("An assessment cannot come before the person was received."), field="assessed_on")
    if not isinstance(levels, dict):
        raise HavenError(_("Choose one of the listed options."), field="levels")
    domains = {name: v.choice(levels.get(name), name, DomainLevel.values) for name in DOMAIN_NAMES}
    notes = notes or {}
    if not isinstance(notes, dict):
        raise HavenError(_("Enter text."), field="notes")
    clean_notes = {name: v.text(notes.get(name), f"{name}_note", max_length=MAX_NOTE) for name in DOMAIN_NAMES}
    rule = computed_level(domains, _severe_threat_before(access.case, day))
    chosen = v.choice(level, "level", RiskLevel.values, required=False) or rule
    reason = v.text(override_reason, "override_reason", max_length=MAX_NOTE)
    if chosen != rule and not reason:
        raise HavenError(_("Say why the level differs from the one the rule gives (%(level)s).")
                         % {"level": RiskLevel(rule).label}, field="override_reason")
    assessment = RiskAssessment.objects.create(
        case=access.case, agency_id=access.user.agency_id, occasion=occasion, assessed_on=day,
        computed_level=rule, level=chosen, override_reason=reason if chosen != rule else "",
        assessed_by=access.user, **domains, **{f"{name}_note": text for name, text in clean_notes.items()},
    )
    audit_record(actor=access.user, action=AuditAction.CREATE, object_type="risk_assessment",
                 object_id=assessment.pk, case_id=access.case.pk, channel=channel,
                 fields=[f"{n}_note" for n, t in clean_notes.items() if t] + (["override_reason"] if reason else []),
                 changes={"occasion": occasion, "assessed_on": day.isoformat(), **domains,
                          "computed_level": rule, "level": chosen, "overridden": chosen != rule})
    return assessment


@transaction.atomic
def threat_record(*, access: CaseAccess, occurred_on: Any, source: Any, severity: Any, description: Any,
                  location: Any = "", reported_on: Any = None, channel: str = "web") -> ThreatIncident:
    """Record a threat or incident. It asks for a review of the protection measures (`review_needed`)
    and shows on the dashboards of the owning agency's supervisors until one of them reviews it."""
    if not access.can_serve:
        raise NotFound()
    occurred = v.required_date(occurred_on, "occurred_on")
    reported = v.date(reported_on, "reported_on") or occurred
    if reported < occurred:
        raise HavenError(_("A threat cannot be reported before it occurred."), field="reported_on")
    source = v.choice(source, "source", ThreatSource.values)
    severity = v.choice(severity, "severity", Severity.values)
    text = v.text(description, "description", required=True, max_length=MAX_NOTE)
    place = v.text(location, "location", max_length=500)
    threat = ThreatIncident.objects.create(
        case=access.case, agency_id=access.user.agency_id, occurred_on=occurred, reported_on=reported,
        source=source, severity=severity, description=text, location=place, reported_by=access.user,
        review_needed=True,
    )
    audit_record(actor=access.user, action=AuditAction.CREATE, object_type="threat", object_id=threat.pk,
                 case_id=access.case.pk, channel=channel, fields=["description"] + (["location"] if place else []),
                 changes={"occurred_on": occurred.isoformat(), "source": source, "severity": severity,
                          "review_needed": True})
    return threat


@transaction.atomic
def measure_review(*, access: CaseAccess, outcome: Any, note: Any = "", channel: str = "web") -> MeasureReview:
    """A supervisor of the owning agency reviews the measures after the threats awaiting review; the
    review clears their flag. Refused when no threat awaits a review."""
    if not access.is_supervisor:
        raise NotFound()
    outcome = v.choice(outcome, "outcome", ReviewOutcome.values)
    text = v.text(note, "note", max_length=MAX_NOTE)
    waiting = list(ThreatIncident.objects.select_for_update().filter(case=access.case, review_needed=True))
    if not waiting:
        raise HavenError(_("No threat of this case awaits a review."), code="nothing_to_review")
    review = MeasureReview.objects.create(case=access.case, outcome=outcome, note=text, reviewed_by=access.user)
    ThreatIncident.objects.filter(pk__in=[t.pk for t in waiting]).update(review_needed=False, review=review)
    audit_record(actor=access.user, action=AuditAction.CREATE, object_type="measure_review", object_id=review.pk,
                 case_id=access.case.pk, channel=channel, fields=["note"] if text else [],
                 changes={"outcome": outcome, "threats": sorted(t.pk for t in waiting)})
    return review
