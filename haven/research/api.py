"""API (tag "research"): studies, members, participants, interviews, the codebook, coding, memos, the
framework matrix, XLSX and REFI-QDA exports, and the .qdc codebook import.

Every study route opens the study through `access_study`: a user who is not a member gets the same 404 as
for a study that does not exist. Withdrawn participants are absent from every answer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from pydantic import StrictBool, StrictInt

from haven.cases.api_schemas import Input
from haven.core.api_auth import ANY_AUTH, api_user
from haven.core.api_types import ERRORS, MAX_DB_ID, ErrorOut, IdPath, reply, text
from haven.research import coding, refi, selectors, services
from haven.research.exports import matrix_xlsx
from haven.research.models import (
    InterviewKind,
    MemberRole,
    ParticipantAgeGroup,
    ParticipantEthnicity,
    ParticipantKind,
    ParticipantSex,
)

router = Router(auth=ANY_AUTH)
CHANNEL = "api"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
QDPX = "application/zip"
DbId = StrictInt


class StudyOut(Schema):
    id: int
    title: str
    purpose: str
    period_start: dt.date
    period_end: dt.date
    lead_agency: str
    my_role: MemberRole


class StudyIn(Input):
    title: text(200, min_length=1)  # type: ignore[valid-type]
    purpose: text(2000) | None = None  # type: ignore[valid-type]
    period_start: dt.date
    period_end: dt.date


class MemberOut(Schema):
    id: int
    username: str
    role: MemberRole


class MemberIn(Input):
    username: text(150, min_length=1)  # type: ignore[valid-type]
    role: MemberRole = MemberRole.RESEARCHER


class ParticipantOut(Schema):
    id: int
    pseudonym: str
    kind: ParticipantKind
    agency_kind: str
    sex: ParticipantSex
    age_group: ParticipantAgeGroup
    ethnicity: ParticipantEthnicity
    recordings_refused: bool
    in_analysis: bool = Field(..., description="False when consent is withdrawn: the material is then excluded")


class ParticipantIn(Input):
    pseudonym: text(60, min_length=1)  # type: ignore[valid-type]
    kind: ParticipantKind
    case_code: text(32) | None = Field(None, description="Victims: the case whose research consent decides")  # type: ignore[valid-type]
    agency_kind: text(32) | None = None  # type: ignore[valid-type]
    sex: ParticipantSex = ParticipantSex.UNKNOWN
    age_group: ParticipantAgeGroup = ParticipantAgeGroup.UNKNOWN
    ethnicity: ParticipantEthnicity = ParticipantEthnicity.UNKNOWN
    recordings_refused: StrictBool = False


class ConsentIn(Input):
    decision: text(16, min_length=1) = Field(..., description="given or withdrawn (officials)")  # type: ignore[valid-type]


class ThemeOut(Schema):
    id: int
    parent_id: int | None
    name: str
    description: str
    color: str
    depth: int


class ThemeIn(Input):
    name: text(200, min_length=1)  # type: ignore[valid-type]
    parent_id: int | None = Field(None, ge=1, le=MAX_DB_ID)
    description: text(2000) | None = None  # type: ignore[valid-type]
    color: text(7) | None = None  # type: ignore[valid-type]


class StudyDetailOut(StudyOut):
    members: list[MemberOut]
    participants: list[ParticipantOut]
    themes: list[ThemeOut]


class InterviewOut(Schema):
    id: int
    participant_id: int
    pseudonym: str
    held_on: dt.date
    kind: InterviewKind
    recorded: bool


class SegmentOut(Schema):
    id: int
    theme_id: int
    start: int
    end: int
    quote: str


class InterviewDetailOut(InterviewOut):
    text: str = Field(..., description="Sealed at rest; every read is audited")
    segments: list[SegmentOut]


class InterviewIn(Input):
    participant_id: int = Field(..., ge=1, le=MAX_DB_ID)
    held_on: dt.date
    kind: InterviewKind
    text: text(200_000, min_length=1)  # type: ignore[valid-type]
    recorded: StrictBool = Field(False, description="Refused when the person refused recordings; no audio is stored")


class SegmentIn(Input):
    interview_id: int = Field(..., ge=1, le=MAX_DB_ID)
    theme_id: int = Field(..., ge=1, le=MAX_DB_ID)
    start: StrictInt = Field(..., ge=0, le=10_000_000)
    end: StrictInt = Field(..., ge=1, le=10_000_000)


class MemoIn(Input):
    text: text(20_000, min_length=1)  # type: ignore[valid-type]
    theme_id: int | None = Field(None, ge=1, le=MAX_DB_ID)
    participant_id: int | None = Field(None, ge=1, le=MAX_DB_ID)


class MemoOut(Schema):
    id: int
    text: str
    theme_id: int | None
    participant_id: int | None


class CellIn(Input):
    participant_id: int = Field(..., ge=1, le=MAX_DB_ID)
    theme_id: int = Field(..., ge=1, le=MAX_DB_ID)
    summary: text(10_000, min_length=1)  # type: ignore[valid-type]
    segment_ids: list[DbId] = Field(default_factory=list, max_length=500)


class CellOut(Schema):
    participant_id: int
    theme_id: int
    summary: str
    segment_ids: list[int]


class MatrixOut(Schema):
    participants: list[ParticipantOut]
    themes: list[ThemeOut]
    cells: list[CellOut]


class MatrixQuery(Schema):
    kind: ParticipantKind | None = None
    sex: ParticipantSex | None = None
    age_group: ParticipantAgeGroup | None = None
    ethnicity: ParticipantEthnicity | None = None
    agency_kind: text(32) | None = None  # type: ignore[valid-type]
    theme_id: int | None = Field(None, ge=1, le=MAX_DB_ID, description="One column: compare cells across participants")


class CodebookIn(Input):
    qdc: text(refi.MAX_QDC_BYTES, min_length=1) = Field(..., description="The .qdc document (XML) as text")  # type: ignore[valid-type]


class ImportOut(Schema):
    themes_added: int


_user = api_user


def study_access(request: HttpRequest, study_id: int) -> selectors.StudyAccess:
    return selectors.access_study(_user(request), study_id)


def study_out(access: selectors.StudyAccess) -> dict[str, Any]:
    s = access.study
    return {"id": s.pk, "title": s.title, "purpose": s.purpose, "period_start": s.period_start,
            "period_end": s.period_end, "lead_agency": s.lead_agency.name, "my_role": access.role}


def participant_out(p: Any, in_analysis: bool = True) -> dict[str, Any]:
    return {"id": p.pk, "pseudonym": p.pseudonym, "kind": p.kind, "agency_kind": p.agency_kind, "sex": p.sex,
            "age_group": p.age_group, "ethnicity": p.ethnicity, "recordings_refused": p.recordings_refused,
            "in_analysis": in_analysis}


def theme_out(theme: Any, depth: int) -> dict[str, Any]:
    return {"id": theme.pk, "parent_id": theme.parent_id, "name": theme.name, "description": theme.description,
            "color": theme.color, "depth": depth}


def interview_out(i: Any) -> dict[str, Any]:
    return {"id": i.pk, "participant_id": i.participant_id, "pseudonym": i.participant.pseudonym,
            "held_on": i.held_on, "kind": i.kind, "recorded": i.recorded}


def _detail(access: selectors.StudyAccess) -> dict[str, Any]:
    analysed = set(selectors.in_analysis(access.study).values_list("pk", flat=True))
    return {
        **study_out(access),
        "members": [{"id": m.pk, "username": m.user.username, "role": m.role}
                    for m in access.study.members.select_related("user")],
        "participants": [participant_out(p, p.pk in analysed) for p in selectors.all_participants(access.study)],
        "themes": [theme_out(t, d) for t, d in selectors.theme_tree(selectors.themes_of(access.study))],
    }


@router.get("/research/studies", response={200: list[StudyOut], ERRORS: ErrorOut},
            summary="The studies I am a member of")
def study_list(request: HttpRequest) -> list[dict[str, Any]]:
    user = _user(request)
    out = []
    for study in selectors.studies_of(user):
        out.append(study_out(selectors.access_study(user, study.pk)))
    return out


@router.post("/research/studies", response={201: StudyDetailOut, ERRORS: ErrorOut},
             summary="Start a study; I become its lead (caseworkers and supervisors; audited)")
def study_new(request: HttpRequest, payload: StudyIn) -> Any:
    study = services.study_create(acting_user=_user(request), title=payload.title, purpose=payload.purpose or "",
                                  period_start=payload.period_start, period_end=payload.period_end, channel=CHANNEL)
    return reply(201, _detail(study_access(request, study.pk)))


@router.get("/research/studies/{study_id}", response={200: StudyDetailOut, ERRORS: ErrorOut},
            summary="A study: members, participants (pseudonyms; withdrawn ones flagged), codebook")
def study_detail(request: HttpRequest, study_id: IdPath) -> dict[str, Any]:
    return _detail(study_access(request, study_id))


@router.post("/research/studies/{study_id}/members", response={201: MemberOut, ERRORS: ErrorOut},
             summary="Add a member (the study lead; audited)")
def member_new(request: HttpRequest, study_id: IdPath, payload: MemberIn) -> Any:
    member = services.member_add(access=study_access(request, study_id), username=payload.username,
                                 role=payload.role.value, channel=CHANNEL)
    return reply(201, {"id": member.pk, "username": member.user.username, "role": member.role})


@router.post("/research/studies/{study_id}/members/{member_id}/remove", response={204: None, ERRORS: ErrorOut},
             summary="Remove a member (the study lead; audited)")
def member_delete(request: HttpRequest, study_id: IdPath, member_id: IdPath) -> Any:
    services.member_remove(access=study_access(request, study_id), member_id=member_id, channel=CHANNEL)
    return reply(204, None)


@router.post("/research/studies/{study_id}/participants", response={201: ParticipantOut, ERRORS: ErrorOut},
             summary="Add a participant by pseudonym (a victim needs research consent on the case; audited)")
def participant_new(request: HttpRequest, study_id: IdPath, payload: ParticipantIn) -> Any:
    data = payload.model_dump(mode="json")
    participant = services.participant_add(access=study_access(request, study_id), channel=CHANNEL, **{
        **data, "case_code": data["case_code"] or "", "agency_kind": data["agency_kind"] or ""})
    return reply(201, participant_out(participant))


@router.post("/research/studies/{study_id}/participants/{participant_id}/consent",
             response={200: ParticipantOut, ERRORS: ErrorOut},
             summary="An official's own consent: given or withdrawn (withdrawal excludes their material at once)")
def participant_consent(request: HttpRequest, study_id: IdPath, participant_id: IdPath, payload: ConsentIn) -> Any:
    access = study_access(request, study_id)
    p = services.official_consent_set(access=access, participant_id=participant_id, decision=payload.decision,
                                      channel=CHANNEL)
    return participant_out(p, selectors.in_analysis(access.study).filter(pk=p.pk).exists())


@router.get("/research/studies/{study_id}/interviews", response={200: list[InterviewOut], ERRORS: ErrorOut},
            summary="Interviews of participants in analysis (no text)")
def interview_list(request: HttpRequest, study_id: IdPath) -> list[dict[str, Any]]:
    return [interview_out(i) for i in selectors.interviews_in_analysis(study_access(request, study_id).study)]


@router.post("/research/studies/{study_id}/interviews", response={201: InterviewOut, ERRORS: ErrorOut},
             summary="Add a transcript or notes (sealed; audited)")
def interview_new(request: HttpRequest, study_id: IdPath, payload: InterviewIn) -> Any:
    interview = services.interview_add(access=study_access(request, study_id), channel=CHANNEL,
                                       **payload.model_dump(mode="json"))
    return reply(201, interview_out(interview))


@router.get("/research/studies/{study_id}/interviews/{interview_id}",
            response={200: InterviewDetailOut, ERRORS: ErrorOut},
            summary="An interview's text and its coded segments (the read is audited)")
def interview_detail(request: HttpRequest, study_id: IdPath, interview_id: IdPath) -> dict[str, Any]:
    access = study_access(request, study_id)
    interview = selectors.interview_in_analysis(access, interview_id)
    selectors.audit_reads(access, [("research_interview", interview.pk, ["text"])], CHANNEL)
    segments = [{"id": s.pk, "theme_id": s.theme_id, "start": s.start, "end": s.end,
                 "quote": interview.text[s.start:s.end]} for s in interview.segments.all()]
    return {**interview_out(interview), "text": interview.text, "segments": segments}


@router.post("/research/studies/{study_id}/themes", response={201: ThemeOut, ERRORS: ErrorOut},
             summary="Add a theme to the codebook (audited)")
def theme_new(request: HttpRequest, study_id: IdPath, payload: ThemeIn) -> Any:
    theme = coding.theme_add(access=study_access(request, study_id), name=payload.name, parent_id=payload.parent_id,
                             description=payload.description or "", color=payload.color or "", channel=CHANNEL)
    return reply(201, theme_out(theme, 0 if theme.parent_id is None else 1))


@router.post("/research/studies/{study_id}/segments", response={201: SegmentOut, ERRORS: ErrorOut},
             summary="Code a span of an interview's text with a theme (audited)")
def segment_new(request: HttpRequest, study_id: IdPath, payload: SegmentIn) -> Any:
    segment = coding.segment_add(access=study_access(request, study_id), channel=CHANNEL, **payload.model_dump())
    return reply(201, {"id": segment.pk, "theme_id": segment.theme_id, "start": segment.start, "end": segment.end,
                       "quote": selectors.quote(segment)})


@router.post("/research/studies/{study_id}/memos", response={201: MemoOut, ERRORS: ErrorOut},
             summary="Write a memo (sealed; audited)")
def memo_new(request: HttpRequest, study_id: IdPath, payload: MemoIn) -> Any:
    memo = coding.memo_add(access=study_access(request, study_id), channel=CHANNEL, **payload.model_dump())
    return reply(201, {"id": memo.pk, "text": memo.text, "theme_id": memo.theme_id,
                       "participant_id": memo.participant_id})


@router.get("/research/studies/{study_id}/matrix", response={200: MatrixOut, ERRORS: ErrorOut},
            summary="The framework matrix: participants in analysis × themes, filtered by attribute (audited)")
def matrix_get(request: HttpRequest, study_id: IdPath, query: Query[MatrixQuery]) -> dict[str, Any]:
    access = study_access(request, study_id)
    filters = {k: str(v) for k, v in query.model_dump(mode="json").items() if v and k != "theme_id"}
    view = selectors.matrix(access, filters=filters, theme_id=query.theme_id, channel=CHANNEL)
    return {
        "participants": [participant_out(p) for p in view.participants],
        "themes": [theme_out(t, d) for t, d in view.themes],
        "cells": [{"participant_id": c.participant_id, "theme_id": c.theme_id, "summary": c.summary,
                   "segment_ids": sorted(s.pk for s in c.segments.all())} for c in view.cells.values()],
    }


@router.post("/research/studies/{study_id}/matrix/cells", response={200: CellOut, ERRORS: ErrorOut},
             summary="Write a cell's summary and link the segments it summarises (audited)")
def cell_put(request: HttpRequest, study_id: IdPath, payload: CellIn) -> dict[str, Any]:
    cell = coding.cell_save(access=study_access(request, study_id), channel=CHANNEL, **payload.model_dump())
    return {"participant_id": cell.participant_id, "theme_id": cell.theme_id, "summary": cell.summary,
            "segment_ids": sorted(s.pk for s in cell.segments.all())}


def _file_response(media_type: str) -> dict[str, Any]:
    return {"responses": {200: {"description": "The file", "content": {media_type: {"schema": {
        "type": "string", "format": "binary"}}}}}}


def _file(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@router.get("/research/studies/{study_id}/export.xlsx", response={ERRORS: ErrorOut}, openapi_extra=_file_response(XLSX),
            summary="The matrix, segments and codebook as XLSX (audited export)")
def export_xlsx(request: HttpRequest, study_id: IdPath) -> HttpResponse:
    access = study_access(request, study_id)
    return _file(matrix_xlsx(access, channel=CHANNEL), XLSX, f"study-{access.study.pk}.xlsx")


@router.get("/research/studies/{study_id}/export.qdpx", response={ERRORS: ErrorOut}, openapi_extra=_file_response(QDPX),
            summary="The study as a REFI-QDA project (.qdpx), validated against the REFI schema (audited export)")
def export_qdpx(request: HttpRequest, study_id: IdPath) -> HttpResponse:
    access = study_access(request, study_id)
    return _file(refi.qdpx_bytes(access, channel=CHANNEL), QDPX, f"study-{access.study.pk}.qdpx")


@router.post("/research/studies/{study_id}/codebook", response={200: ImportOut, ERRORS: ErrorOut},
             summary="Import a REFI-QDA codebook (.qdc) into the study's codebook (hierarchy kept; audited)")
def codebook_import(request: HttpRequest, study_id: IdPath, payload: CodebookIn) -> dict[str, Any]:
    added = refi.codebook_import(access=study_access(request, study_id), data=payload.qdc, channel=CHANNEL)
    return {"themes_added": added}
