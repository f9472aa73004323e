"""API of the protection area: risk assessments, threats and incidents, reviews of measures, protection
measures, the measure catalogue by date, and the supervisor's queues.

Case routes open the case through `access_case` (missing and forbidden: the same 404); the services decide
who may write; sealed text is returned only under the need-to-know rule and every value shown is audited.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema

from haven.cases.selectors import access_case
from haven.core.api_auth import ANY_AUTH, api_user
from haven.core.api_types import ERRORS, CasePath, ErrorOut, IdPath, reply
from haven.core.errors import HavenError, NotFound
from haven.protection import present, selectors
from haven.protection.api_schemas import (
    MeasureCatalogueOut,
    MeasureDecisionIn,
    MeasureEndIn,
    MeasureEndingOut,
    MeasureIn,
    MeasureInForceIn,
    MeasureOut,
    MeasureRefusalIn,
    MeasureReviewIn,
    MeasureReviewOut,
    ProtectionSummaryOut,
    RiskAssessmentIn,
    RiskAssessmentOut,
    ThreatIn,
    ThreatOut,
    ThreatQueueOut,
)
from haven.protection.assessments import measure_review, risk_assess, threat_record
from haven.protection.catalogue import catalogue_on, measure_name
from haven.protection.measures import (
    measure_decide,
    measure_end,
    measure_put_in_force,
    measure_refuse,
    measure_request,
)

router = Router(auth=ANY_AUTH)
CHANNEL = "api"


_user = api_user


def _measure(access: Any, measure_id: int) -> dict[str, Any]:
    rows = [m for m in selectors.measures_of(access.case) if m.pk == measure_id]
    if not rows:
        raise NotFound()
    return present.measures_out(access, rows, CHANNEL)[0]


@router.get("/cases/{code}/protection", response={200: ProtectionSummaryOut, ERRORS: ErrorOut},
            summary="The current risk level and the measures in force")
def summary(request: HttpRequest, code: CasePath) -> dict[str, Any]:
    access = access_case(_user(request), code=code)
    banner = selectors.banner_for(access.case)
    return {"case": access.case.code, "level": banner.level or None, "assessed_on": banner.assessed_on,
            "threats_awaiting_review": banner.awaiting_review,
            "measures_in_force": present.measures_out(access, banner.in_force, CHANNEL),
            "sees_details": selectors.sees_details(access)}


@router.get("/cases/{code}/risk-assessments", response={200: list[RiskAssessmentOut], ERRORS: ErrorOut},
            summary="Risk assessments, newest first")
def assessment_list(request: HttpRequest, code: CasePath) -> list[dict[str, Any]]:
    access = access_case(_user(request), code=code)
    return present.assessments_out(access, selectors.assessments_of(access.case), CHANNEL)


@router.post("/cases/{code}/risk-assessments", response={201: RiskAssessmentOut, ERRORS: ErrorOut},
             summary="Record a risk assessment (the owning agency or a serving agency; audited)")
def assessment_new(request: HttpRequest, code: CasePath, payload: RiskAssessmentIn) -> Any:
    access = access_case(_user(request), code=code)
    data = payload.model_dump(mode="json")
    assessment = risk_assess(access=access, occasion=data["occasion"], assessed_on=data["assessed_on"],
                             levels=data["levels"], notes=data["notes"] or {}, level=data["level"] or "",
                             override_reason=data["override_reason"] or "", channel=CHANNEL)
    return reply(201, present.assessments_out(access, [assessment], CHANNEL)[0])


@router.get("/cases/{code}/threats", response={200: list[ThreatOut], ERRORS: ErrorOut},
            summary="Threats and incidents, newest first (details on a need-to-know basis)")
def threat_list(request: HttpRequest, code: CasePath) -> list[dict[str, Any]]:
    access = access_case(_user(request), code=code)
    return present.threats_out(access, selectors.threats_of(access.case), CHANNEL)


@router.post("/cases/{code}/threats", response={201: ThreatOut, ERRORS: ErrorOut},
             summary="Record a threat or incident; it asks for a review of measures (audited)")
def threat_new(request: HttpRequest, code: CasePath, payload: ThreatIn) -> Any:
    access = access_case(_user(request), code=code)
    data = payload.model_dump(mode="json")
    threat = threat_record(access=access, channel=CHANNEL, **{**data, "location": data["location"] or ""})
    return reply(201, present.threats_out(access, [threat], CHANNEL)[0])


@router.get("/cases/{code}/measure-reviews", response={200: list[MeasureReviewOut], ERRORS: ErrorOut},
            summary="Supervisors' reviews of the measures after threats")
def review_list(request: HttpRequest, code: CasePath) -> list[dict[str, Any]]:
    access = access_case(_user(request), code=code)
    return present.reviews_out(access, selectors.reviews_of(access.case), CHANNEL)


@router.post("/cases/{code}/measure-reviews", response={201: MeasureReviewOut, ERRORS: ErrorOut},
             summary="Review the measures after the threats awaiting review (supervisors of the owning agency)")
def review_new(request: HttpRequest, code: CasePath, payload: MeasureReviewIn) -> Any:
    access = access_case(_user(request), code=code)
    review = measure_review(access=access, outcome=payload.outcome.value, note=payload.note or "", channel=CHANNEL)
    return reply(201, present.reviews_out(access, [review], CHANNEL)[0])


@router.get("/cases/{code}/measures", response={200: list[MeasureOut], ERRORS: ErrorOut},
            summary="Protection measures of the person and named relatives")
def measure_list(request: HttpRequest, code: CasePath) -> list[dict[str, Any]]:
    access = access_case(_user(request), code=code)
    return present.measures_out(access, selectors.measures_of(access.case), CHANNEL)


@router.post("/cases/{code}/measures", response={201: MeasureOut, ERRORS: ErrorOut},
             summary="Request a protection measure (the owning agency; audited)")
def measure_new(request: HttpRequest, code: CasePath, payload: MeasureIn) -> Any:
    access = access_case(_user(request), code=code)
    data = payload.model_dump(mode="json")
    measure = measure_request(access=access, channel=CHANNEL, **{k: ("" if v is None and k != "proceeding_id" else v)
                                                                 for k, v in data.items()})
    return reply(201, _measure(access, measure.pk))


@router.post("/cases/{code}/measures/{measure_id}/decision", response={200: MeasureOut, ERRORS: ErrorOut},
             summary="Record the authority's decision: granted or rejected")
def measure_decision(request: HttpRequest, code: CasePath, measure_id: IdPath, payload: MeasureDecisionIn) -> Any:
    access = access_case(_user(request), code=code)
    measure_decide(access=access, measure_id=measure_id, granted=payload.granted, decided_on=payload.decided_on,
                   authority_agency_id=payload.authority_agency_id, authority_text=payload.authority_text or "",
                   channel=CHANNEL)
    return _measure(access, measure_id)


@router.post("/cases/{code}/measures/{measure_id}/in-force", response={200: MeasureOut, ERRORS: ErrorOut},
             summary="Put a decided measure in force, from a date to an optional date")
def measure_in_force(request: HttpRequest, code: CasePath, measure_id: IdPath, payload: MeasureInForceIn) -> Any:
    access = access_case(_user(request), code=code)
    measure_put_in_force(access=access, measure_id=measure_id, in_force_from=payload.in_force_from,
                         in_force_to=payload.in_force_to, channel=CHANNEL)
    return _measure(access, measure_id)


@router.post("/cases/{code}/measures/{measure_id}/end", response={200: MeasureOut, ERRORS: ErrorOut},
             summary="End a measure in force")
def measure_stop(request: HttpRequest, code: CasePath, measure_id: IdPath, payload: MeasureEndIn) -> Any:
    access = access_case(_user(request), code=code)
    measure_end(access=access, measure_id=measure_id, ended_on=payload.ended_on, note=payload.note or "",
                channel=CHANNEL)
    return _measure(access, measure_id)


@router.post("/cases/{code}/measures/{measure_id}/refusal", response={200: MeasureOut, ERRORS: ErrorOut},
             summary="Record the person's refusal of the measure (Decree 62/2012 Art. 3)")
def measure_refusal(request: HttpRequest, code: CasePath, measure_id: IdPath, payload: MeasureRefusalIn) -> Any:
    access = access_case(_user(request), code=code)
    measure_refuse(access=access, measure_id=measure_id, refused_on=payload.refused_on, method=payload.method.value,
                   note=payload.note or "", channel=CHANNEL)
    return _measure(access, measure_id)


class CatalogueQuery(Schema):
    on: dt.date | None = None


@router.get("/protection/measure-kinds", response={200: MeasureCatalogueOut, ERRORS: ErrorOut},
            summary="The catalogue of protection measures in force on a date (default today), with its citation")
def measure_kinds(request: HttpRequest, query: Query[CatalogueQuery]) -> dict[str, Any]:
    catalogue = catalogue_on(query.on or timezone.localdate())
    if catalogue is None:
        raise HavenError(_("No protection measure was in force on that date."), field="on")
    return present.catalogue_out(catalogue)


@router.get("/protection/threats-awaiting-review", response={200: list[ThreatQueueOut], ERRORS: ErrorOut},
            summary="Threats on my agency's cases awaiting a review of measures (supervisors; others: empty)")
def threat_queue(request: HttpRequest) -> list[dict[str, Any]]:
    return [{"id": t.pk, "case": t.case.code, "occurred_on": t.occurred_on, "reported_on": t.reported_on,
             "source": t.source, "severity": t.severity} for t in selectors.threats_awaiting_review(_user(request))]


@router.get("/protection/measures-ending-soon", response={200: list[MeasureEndingOut], ERRORS: ErrorOut},
            summary="Measures in force on cases I may open that end within 30 days")
def ending_soon(request: HttpRequest) -> list[dict[str, Any]]:
    language = present.lang()
    return [{"id": m.pk, "case": m.case.code, "kind": m.kind, "name": measure_name(m.catalogue, m.kind, language),
             "in_force_to": m.in_force_to} for m in selectors.measures_ending_soon(_user(request))]
