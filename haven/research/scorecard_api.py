"""API of the scorecard (tag "scorecard"); mounted by haven/api.py.

Every route opens the study through `access_study`: a non-member gets the same 404 as for a missing study.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema

from haven.cases.api_schemas import Input
from haven.core.api_auth import ANY_AUTH
from haven.core.api_types import ERRORS, ErrorOut, IdPath, reply, text
from haven.research import scorecard as sc
from haven.research.api import study_access
from haven.research.models import Rating

router = Router(auth=ANY_AUTH)
CHANNEL = "api"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ScorecardOut(Schema):
    id: int
    study_id: int
    title: str
    period_start: dt.date
    period_end: dt.date
    province: str | None = Field(None, description="Province code; null for the whole country")
    place: str


class ScorecardIn(Input):
    title: text(200, min_length=1)  # type: ignore[valid-type]
    period_start: dt.date
    period_end: dt.date
    province: text(60) | None = Field(None, description="Province code or id; null for the whole country")  # type: ignore[valid-type]


class FigureOut(Schema):
    display: str
    numerator: int | None
    denominator: int | None
    suppressed: bool
    reason: str
    confidence: str


class ScorecardGroupOut(Schema):
    group: str
    figure: FigureOut


class IndicatorOut(Schema):
    code: str
    right: str
    criterion: str
    duty: str
    kind: str
    title: str
    citation: str
    figure: FigureOut
    data_note: str
    breakdowns: dict[str, list[ScorecardGroupOut]]
    breakdown_notes: dict[str, str]
    rating: str
    note: str = Field(..., description="The evaluator's note: sealed at rest, every read audited")


class ScorecardDetailOut(ScorecardOut):
    period_label: str
    k: int = Field(..., description="Disclosure threshold: no group smaller than k is shown")
    indicators: list[IndicatorOut]


class RatingIn(Input):
    indicator: text(64, min_length=1)  # type: ignore[valid-type]
    rating: Rating
    note: text(sc.MAX_NOTE) | None = None  # type: ignore[valid-type]


class RatingOut(Schema):
    indicator: str
    rating: Rating
    note: str
    rated_by: str
    rated_at: dt.datetime



def scorecard_out(card: Any) -> dict[str, Any]:
    return {"id": card.pk, "study_id": card.study_id, "title": card.title, "period_start": card.period_start,
            "period_end": card.period_end, "province": card.province.code if card.province else None,
            "place": sc.place_label(card)}


def _figure(f: sc.Figure) -> dict[str, Any]:
    return {"display": f.display, "numerator": f.numerator, "denominator": f.denominator, "suppressed": f.suppressed,
            "reason": f.reason, "confidence": f.confidence}


def view_out(view: sc.ScorecardView) -> dict[str, Any]:
    """The scorecard as the page shows it (after suppression); also used by the CLI's JSON."""
    return {**scorecard_out(view.scorecard), "period_label": view.period_label, "k": view.k, "indicators": [
        {"code": v.indicator.code, "right": v.indicator.right, "criterion": v.indicator.criterion,
         "duty": v.indicator.duty, "kind": v.indicator.kind, "title": str(v.indicator.title),
         "citation": v.indicator.citation, "figure": _figure(v.figure), "data_note": v.data_note,
         "breakdowns": {dim: [{"group": label, "figure": _figure(f)} for label, f in figs]
                        for dim, figs in v.breakdowns.items()},
         "breakdown_notes": v.breakdown_notes, "rating": v.rating, "note": v.note}
        for v in view.values()]}


@router.get("/research/studies/{study_id}/scorecards", response={200: list[ScorecardOut], ERRORS: ErrorOut},
            summary="The study's rights scorecards (members only)")
def scorecard_list(request: HttpRequest, study_id: IdPath) -> list[dict[str, Any]]:
    return [scorecard_out(c) for c in sc.scorecards_of(study_access(request, study_id))]


@router.post("/research/studies/{study_id}/scorecards", response={201: ScorecardOut, ERRORS: ErrorOut},
             summary="Create a scorecard for a period and a province or the whole country (any member; audited)")
def scorecard_new(request: HttpRequest, study_id: IdPath, payload: ScorecardIn) -> Any:
    card = sc.scorecard_create(access=study_access(request, study_id), title=payload.title,
                               period_start=payload.period_start, period_end=payload.period_end,
                               province=payload.province, channel=CHANNEL)
    return reply(201, scorecard_out(card))


@router.get("/research/studies/{study_id}/scorecards/{scorecard_id}",
            response={200: ScorecardDetailOut, ERRORS: ErrorOut},
            summary="A scorecard with every indicator computed (disclosure control applied; notes are audited reads)")
def scorecard_detail(request: HttpRequest, study_id: IdPath, scorecard_id: IdPath) -> dict[str, Any]:
    access = study_access(request, study_id)
    return view_out(sc.build(sc.scorecard_of(access, scorecard_id), access.user, channel=CHANNEL))


def _rate(request: HttpRequest, study_id: int, scorecard_id: int, payload: RatingIn) -> dict[str, Any]:
    access = study_access(request, study_id)
    card = sc.scorecard_of(access, scorecard_id)
    rating = sc.rating_set(access=access, scorecard=card, indicator=payload.indicator, rating=payload.rating.value,
                           note=payload.note or "", channel=CHANNEL)
    return {"indicator": rating.indicator, "rating": rating.rating, "note": rating.note,
            "rated_by": access.user.username, "rated_at": rating.rated_at}


@router.put("/research/studies/{study_id}/scorecards/{scorecard_id}/ratings",
            response={200: RatingOut, ERRORS: ErrorOut},
            summary="Rate an indicator with a sealed note (any member; a change is audited, never the note's text)")
def rating_put(request: HttpRequest, study_id: IdPath, scorecard_id: IdPath, payload: RatingIn) -> dict[str, Any]:
    return _rate(request, study_id, scorecard_id, payload)


@router.post("/research/studies/{study_id}/scorecards/{scorecard_id}/ratings",
             response={200: RatingOut, ERRORS: ErrorOut}, summary="Rate an indicator (same as PUT)")
def rating_post(request: HttpRequest, study_id: IdPath, scorecard_id: IdPath, payload: RatingIn) -> dict[str, Any]:
    return _rate(request, study_id, scorecard_id, payload)


@router.get("/research/studies/{study_id}/scorecards/{scorecard_id}/scorecard.xlsx", response={ERRORS: ErrorOut},
            openapi_extra={"responses": {200: {"description": "The file", "content": {XLSX: {"schema": {
                "type": "string", "format": "binary"}}}}}},
            summary="The scorecard as XLSX: values as shown, ratings and notes (audited export)")
def scorecard_download(request: HttpRequest, study_id: IdPath, scorecard_id: IdPath) -> HttpResponse:
    access = study_access(request, study_id)
    card = sc.scorecard_of(access, scorecard_id)
    content = sc.scorecard_xlsx(sc.build(card, access.user, channel=CHANNEL), access, channel=CHANNEL)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="scorecard-{card.pk}.xlsx"'
    response["Cache-Control"] = "no-store"
    return response
