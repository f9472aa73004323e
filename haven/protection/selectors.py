"""Reads of the protection area, and the need-to-know rule for its sealed text.

Need-to-know (docs/protection.md): threat descriptions and locations, relatives' names, notes and the
authorities' free text are shown only to the owning agency (the assigned worker and the supervisors) and
to agencies working the case on an accepted referral whose kind protects or shelters the person (police,
border guard, social protection facility, NGO shelter, legal aid). Anyone else who may open the case (for
example on break glass, or a Women's Union on a referral) sees that threats exist, with their date,
source and severity, and which measures apply. Each display of sealed text is audited (field names only).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from haven.accounts.models import AgencyKind, Role
from haven.audit.models import AuditAction
from haven.audit.services import audit_record_many
from haven.cases.models import Case, Status
from haven.cases.selectors import CaseAccess, Relationship, cases_visible_to
from haven.protection.models import (
    MeasureReview,
    MeasureStatus,
    ProtectionMeasure,
    RiskAssessment,
    RiskLevel,
    ThreatIncident,
)

DETAIL_KINDS = frozenset({AgencyKind.POLICE, AgencyKind.BORDER_GUARD, AgencyKind.SOCIAL_PROTECTION,
                          AgencyKind.NGO_SHELTER, AgencyKind.LEGAL_AID})
ENDING_SOON_DAYS = 30
ASSESSMENT_SEALED = ("traffickers_note", "family_community_note", "retrafficking_note", "health_note",
                     "stigma_note", "override_reason")
THREAT_SEALED = ("description", "location")
MEASURE_SEALED = ("relative_name", "relative_relationship", "request_note", "authority_text", "refusal_note",
                  "end_note")
REVIEW_SEALED = ("note",)


def sees_details(access: CaseAccess) -> bool:
    """Whether this user may read the sealed protection text of the case (the rule above)."""
    if access.relationship in (Relationship.ASSIGNED, Relationship.SUPERVISOR):
        return True
    agency = getattr(access.user, "agency", None)
    return access.relationship == Relationship.REFERRAL and agency is not None and agency.kind in DETAIL_KINDS


def reveal(access: CaseAccess, rows: Iterable[tuple[str, Any, Iterable[str]]], *, channel: str = "web") -> dict[
        tuple[str, int], dict[str, str]]:
    """Decrypted sealed fields of the given (object_type, object, field names), for a user who `sees_details`,
    with one audit event per object whose sealed text is shown. Empty for anyone else."""
    if not sees_details(access):
        return {}
    shown: dict[tuple[str, int], dict[str, str]] = {}
    events = []
    for object_type, obj, names in rows:
        values = {name: getattr(obj, name) or "" for name in names}
        filled = sorted(name for name, value in values.items() if value)
        shown[(object_type, obj.pk)] = values
        if filled:
            events.append({"actor": access.user, "action": AuditAction.VIEW_IDENTITY, "object_type": object_type,
                           "object_id": obj.pk, "case_id": access.case.pk, "fields": filled, "channel": channel,
                           "reason": access.relationship.value})
    audit_record_many(events)
    return shown


def assessments_of(case: Case) -> list[RiskAssessment]:
    return list(RiskAssessment.objects.filter(case=case).select_related("assessed_by", "agency"))


def threats_of(case: Case) -> list[ThreatIncident]:
    return list(ThreatIncident.objects.filter(case=case).select_related("reported_by", "agency", "review"))


def reviews_of(case: Case) -> list[MeasureReview]:
    return list(MeasureReview.objects.filter(case=case).select_related("reviewed_by"))


def measures_of(case: Case) -> list[ProtectionMeasure]:
    return list(ProtectionMeasure.objects.filter(case=case).select_related("authority_agency", "requested_by",
                                                                           "proceeding"))


def current_assessment(case: Case) -> RiskAssessment | None:
    return RiskAssessment.objects.filter(case=case).order_by("-assessed_on", "-pk").first()


def measures_in_force(case: Case, day: dt.date | None = None) -> list[ProtectionMeasure]:
    day = day or timezone.localdate()
    return list(ProtectionMeasure.objects.filter(
        Q(in_force_to__isnull=True) | Q(in_force_to__gte=day), case=case, status=MeasureStatus.IN_FORCE,
        in_force_from__lte=day,
    ).order_by("in_force_from", "pk"))


@dataclass
class Banner:
    level: str = ""
    assessed_on: dt.date | None = None
    in_force: list[ProtectionMeasure] = field(default_factory=list)
    awaiting_review: int = 0


def banner_for(case: Case) -> Banner:
    """What every case page shows: the current risk level and the measures in force (no sealed text)."""
    latest = current_assessment(case)
    return Banner(
        level=latest.level if latest else "", assessed_on=latest.assessed_on if latest else None,
        in_force=measures_in_force(case),
        awaiting_review=ThreatIncident.objects.filter(case=case, review_needed=True).count(),
    )


def risk_levels_for(case_ids: Iterable[int]) -> dict[int, str]:
    """The current risk level (of the latest assessment) of each case that has one: one query for any batch.
    The caller passes the ids of cases it already may list; a level holds no identity."""
    ids = [int(i) for i in case_ids]
    if not ids:
        return {}
    latest = RiskAssessment.objects.filter(case_id=OuterRef("pk")).order_by("-assessed_on", "-pk").values("level")[:1]
    rows = Case.objects.filter(pk__in=ids).annotate(risk=Subquery(latest)).values_list("pk", "risk")
    return {pk: risk for pk, risk in rows if risk}


def _supervisor(user: Any) -> bool:
    return bool(user.is_authenticated and user.role == Role.SUPERVISOR and user.agency_id)


def threats_awaiting_review(user: Any) -> QuerySet[ThreatIncident]:
    """Threats on the cases of a supervisor's agency that wait for a review of measures, oldest first."""
    if not _supervisor(user):
        return ThreatIncident.objects.none()
    return (ThreatIncident.objects.filter(case__owner_agency_id=user.agency_id, review_needed=True)
            .select_related("case").order_by("reported_on", "pk"))


def measures_ending_soon(user: Any, today: dt.date | None = None) -> QuerySet[ProtectionMeasure]:
    """Measures in force on the cases the user may open that end within ENDING_SOON_DAYS."""
    today = today or timezone.localdate()
    return (ProtectionMeasure.objects.filter(
        case__in=cases_visible_to(user), status=MeasureStatus.IN_FORCE, in_force_to__isnull=False,
        in_force_to__gte=today, in_force_to__lte=today + dt.timedelta(days=ENDING_SOON_DAYS),
    ).select_related("case").order_by("in_force_to", "pk"))


def high_risk_cases(user: Any) -> list[tuple[Case, str]]:
    """Open cases of the user's agency (those the user may open) whose current level is high or critical,
    critical first, then by case code.

    Read from the assessments: those at high or critical that no later assessment of the same case replaced,
    on the agency's open cases. Whatever the caseload (the dashboard used to load the 500 newest cases and
    look up each one's level: 60 ms at 6,000 cases, and a high-risk case older than those was left out)."""
    if not (user.is_authenticated and user.role in (Role.CASEWORKER, Role.SUPERVISOR) and user.agency_id):
        return []
    later = RiskAssessment.objects.filter(case_id=OuterRef("case_id")).filter(
        Q(assessed_on__gt=OuterRef("assessed_on")) | Q(assessed_on=OuterRef("assessed_on"), pk__gt=OuterRef("pk")))
    rows = (RiskAssessment.objects
            .filter(level__in=(RiskLevel.HIGH, RiskLevel.CRITICAL), case__owner_agency_id=user.agency_id,
                    case__in=cases_visible_to(user))
            .exclude(case__status=Status.CLOSED).exclude(Exists(later))
            .select_related("case").only("level", "case__code", "case__status", "case__owner_agency_id"))
    found = [(row.case, row.level) for row in rows]
    return sorted(found, key=lambda row: (row[1] != RiskLevel.CRITICAL, row[0].code))


def proceedings_of(case: Case) -> list[Any]:
    """Proceedings of the case a closed-trial request may name (ids and kinds only; court details stay sealed)."""
    from haven.legal.models import Proceeding

    return list(Proceeding.objects.filter(case=case).order_by("-recorded_at", "-pk"))
