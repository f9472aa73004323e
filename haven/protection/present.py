"""Rows of the protection area as plain dicts, for the API and the command line. Sealed text only through
`selectors.reveal` (need-to-know, audited)."""

from __future__ import annotations

from typing import Any

from haven.cases.selectors import CaseAccess
from haven.core.text import current_language
from haven.protection import selectors
from haven.protection.catalogue import catalogue_by_code, measure_name
from haven.protection.measures import in_force_on
from haven.protection.models import (
    DOMAIN_NAMES,
    MeasureReview,
    ProtectionMeasure,
    RiskAssessment,
    ThreatIncident,
)

lang = current_language


def assessments_out(access: CaseAccess, rows: list[RiskAssessment], channel: str) -> list[dict[str, Any]]:
    shown = selectors.reveal(access, [("risk_assessment", a, selectors.ASSESSMENT_SEALED) for a in rows],
                             channel=channel)
    out = []
    for a in rows:
        sealed = shown.get(("risk_assessment", a.pk))
        out.append({
            "id": a.pk, "occasion": a.occasion, "assessed_on": a.assessed_on,
            **{name: getattr(a, name) for name in DOMAIN_NAMES},
            "computed_level": a.computed_level, "level": a.level, "overridden": a.overridden,
            "assessed_by": a.assessed_by.username, "agency_id": a.agency_id,
            "notes": {n: sealed[f"{n}_note"] for n in DOMAIN_NAMES if sealed[f"{n}_note"]} if sealed else None,
            "override_reason": (sealed["override_reason"] or None) if sealed else None,
        })
    return out


def threats_out(access: CaseAccess, rows: list[ThreatIncident], channel: str) -> list[dict[str, Any]]:
    shown = selectors.reveal(access, [("threat", t, selectors.THREAT_SEALED) for t in rows], channel=channel)
    out = []
    for t in rows:
        sealed = shown.get(("threat", t.pk))
        out.append({
            "id": t.pk, "occurred_on": t.occurred_on, "reported_on": t.reported_on, "source": t.source,
            "severity": t.severity, "review_needed": t.review_needed, "review_id": t.review_id,
            "reported_by": t.reported_by.username, "agency_id": t.agency_id,
            "description": sealed["description"] if sealed else None,
            "location": (sealed["location"] or None) if sealed else None,
        })
    return out


def reviews_out(access: CaseAccess, rows: list[MeasureReview], channel: str) -> list[dict[str, Any]]:
    shown = selectors.reveal(access, [("measure_review", r, selectors.REVIEW_SEALED) for r in rows], channel=channel)
    threats: dict[int, list[int]] = {}
    for threat_id, review_id in ThreatIncident.objects.filter(review__in=rows).values_list("pk", "review_id"):
        threats.setdefault(review_id, []).append(threat_id)
    return [{"id": r.pk, "outcome": r.outcome, "reviewed_by": r.reviewed_by.username, "reviewed_at": r.reviewed_at,
             "threats": sorted(threats.get(r.pk, [])),
             "note": (shown[("measure_review", r.pk)]["note"] or None) if ("measure_review", r.pk) in shown else None}
            for r in rows]


def measures_out(access: CaseAccess, rows: list[ProtectionMeasure], channel: str) -> list[dict[str, Any]]:
    shown = selectors.reveal(access, [("protection_measure", m, selectors.MEASURE_SEALED) for m in rows],
                             channel=channel)
    language, out = lang(), []
    for m in rows:
        sealed = shown.get(("protection_measure", m.pk), {})
        catalogue = catalogue_by_code(m.catalogue)
        out.append({
            "id": m.pk, "case": access.case.code, "kind": m.kind, "name": measure_name(m.catalogue, m.kind, language),
            "catalogue": m.catalogue, "citation": catalogue.citation if catalogue else "",
            "confidence": catalogue.confidence if catalogue else "unverified",
            "beneficiary": m.beneficiary, "status": m.status, "in_force_now": in_force_on(m),
            "requested_on": m.requested_on, "decided_on": m.decided_on, "authority_agency_id": m.authority_agency_id,
            "in_force_from": m.in_force_from, "in_force_to": m.in_force_to, "refused_on": m.refused_on,
            "refusal_method": m.refusal_method or None, "ended_on": m.ended_on, "proceeding_id": m.proceeding_id,
            **{name: (sealed.get(name) or None) for name in selectors.MEASURE_SEALED},
        })
    return out


def catalogue_out(catalogue: Any) -> dict[str, Any]:
    language = lang()
    return {"code": catalogue.code, "instrument": catalogue.instrument, "article": catalogue.article,
            "valid_from": catalogue.valid_from, "valid_to": catalogue.valid_to, "confidence": catalogue.confidence,
            "note": catalogue.note(language),
            "measures": [{"code": m.code, "clause": m.clause, "name": m.name(language)} for m in catalogue.measures]}
