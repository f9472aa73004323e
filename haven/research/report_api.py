"""API of the evaluation report (tag "evaluation-report"; mounted by haven/api.py): the PDF, the quotations
chosen for it, and the flag that chooses a coded segment as a quotation.

Every route opens the study through `access_study`: not a member and missing give the same 404. The PDF and
the list of quotations are audited reads (the PDF also an audited export).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from ninja import Field, Query, Router, Schema
from pydantic import StrictBool

from haven.cases.api_schemas import Input
from haven.core.api_auth import ANY_AUTH
from haven.core.api_types import ERRORS, MAX_DB_ID, ErrorOut, IdPath, text
from haven.research import report, selectors
from haven.research.api import study_access
from haven.research.models import ParticipantAgeGroup, ParticipantEthnicity, ParticipantKind, ParticipantSex

router = Router(auth=ANY_AUTH)
CHANNEL = "api"
PDF_RESPONSE = {"responses": {200: {
    "description": "The evaluation report (pseudonymised). Its generation is an audited export.",
    "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
}}}


class ReportQuery(Schema):
    lang: Literal["vi", "en"] | None = Field(None, description="vi or en; default the request's language")
    scorecard_id: int | None = Field(None, ge=1, le=MAX_DB_ID, description="A scorecard of this study; none if absent")
    theme_id: list[int] = Field(default_factory=list, max_length=200,
                                description="Matrix columns (repeat the parameter); every theme if absent")
    quotations: bool = Field(True, description="Include the quotations chosen by the study's members")
    kind: ParticipantKind | None = None
    sex: ParticipantSex | None = None
    age_group: ParticipantAgeGroup | None = None
    ethnicity: ParticipantEthnicity | None = None
    agency_kind: text(32) | None = None  # type: ignore[valid-type]


class QuotedIn(Input):
    quoted: StrictBool = Field(..., description="true: quote this segment in the report; false: no longer")


class QuotedOut(Schema):
    id: int
    interview_id: int
    theme_id: int
    quoted: bool


class QuotationOut(Schema):
    segment_id: int
    pseudonym: str
    participant_kind: ParticipantKind
    theme_id: int
    theme: str
    held_on: dt.date
    text: str = Field(..., description="As stored in the transcript (the PDF pseudonymises it further); audited read")



@router.get("/research/studies/{study_id}/report.pdf", response={ERRORS: ErrorOut}, openapi_extra=PDF_RESPONSE,
            summary="The evaluation report as a PDF: methods, scorecard, matrix columns, quotations (audited export)")
def report_pdf(request: HttpRequest, study_id: IdPath, query: Query[ReportQuery]) -> HttpResponse:
    access = study_access(request, study_id)
    data = query.model_dump(mode="json")
    language = query.lang or ("en" if (translation.get_language() or "").startswith("en") else "vi")
    options = report.report_options(
        access, language=language, scorecard_id=query.scorecard_id, theme_ids=query.theme_id,
        quotations=query.quotations, filters={name: data[name] or "" for name in selectors.FILTERS})
    response = HttpResponse(report.report_pdf(access, options, channel=CHANNEL), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report.file_name(access, options)}"'
    response["Cache-Control"] = "no-store"
    return response


@router.get("/research/studies/{study_id}/quotations", response={200: list[QuotationOut], ERRORS: ErrorOut},
            summary="The segments chosen as quotations for the report, of participants in analysis (audited read)")
def quotation_list(request: HttpRequest, study_id: IdPath) -> list[dict[str, Any]]:
    access = study_access(request, study_id)
    segments = list(report.quoted_segments(access))
    selectors.audit_reads(access, [("research_interview", pk, ["text"])
                                   for pk in sorted({s.interview_id for s in segments})], CHANNEL)
    return [{"segment_id": s.pk, "pseudonym": s.interview.participant.pseudonym,
             "participant_kind": s.interview.participant.kind, "theme_id": s.theme_id, "theme": s.theme.name,
             "held_on": s.interview.held_on, "text": selectors.quote(s)} for s in segments]


@router.put("/research/studies/{study_id}/segments/{segment_id}/quoted", response={200: QuotedOut, ERRORS: ErrorOut},
            summary="Quote a coded segment in the report, or stop quoting it (members; audited)")
def segment_quoted(request: HttpRequest, study_id: IdPath, segment_id: IdPath, payload: QuotedIn) -> dict[str, Any]:
    segment = report.segment_quote_set(access=study_access(request, study_id), segment_id=segment_id,
                                       quoted=payload.quoted, channel=CHANNEL)
    return {"id": segment.pk, "interview_id": segment.interview_id, "theme_id": segment.theme_id,
            "quoted": segment.quoted_in_report}
