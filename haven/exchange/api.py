"""API: background jobs (list, status, cancel, result), case imports and exports.

Jobs belong to the user who asked for them: another user's job is a 404, like a missing one. System
administrators may read every job's status, never its result. De-identified exports: statisticians and
supervisors; identity exports: supervisors, of their own agency's cases, with a reason and a password of
at least 12 characters that is never stored.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema

from haven.cases.api_schemas import Input
from haven.core.api_auth import ANY_AUTH, api_user
from haven.core.api_types import ERRORS, ErrorOut, IdPath, reply, text
from haven.core.errors import HavenError
from haven.exchange import jobs
from haven.exchange.exports import export_submit, identity_export_submit
from haven.exchange.importer import import_submit
from haven.exchange.models import Job, JobKind, JobStatus
from haven.exchange.results import download_result
from haven.exchange.selectors import access_job, jobs_visible_to

router = Router(auth=ANY_AUTH)
CHANNEL = "api"
FILE_RESPONSE = {"responses": {200: {
    "description": "The job's result: CSV for de-identified exports, an AES-256 encrypted ZIP for identity exports",
    "content": {"text/csv": {"schema": {"type": "string", "format": "binary"}},
                "application/zip": {"schema": {"type": "string", "format": "binary"}}},
}}}


class RejectedRowOut(Schema):
    row: int = Field(..., description="Row number in the file (the header is row 1)")
    field: str
    message: str


class JobReportOut(Schema):
    rows: int | None = None
    rejected: int | None = None
    created: int | None = None
    skipped: int | None = None
    suppressed: int | None = None
    k: int | None = None
    level: int | None = Field(None, description="Generalisation level used for k-anonymity (0 = finest)")
    dry_run: bool | None = None
    already_imported: bool | None = None
    errors: list[RejectedRowOut] = []


class JobOut(Schema):
    id: int
    kind: JobKind
    owner: str
    status: JobStatus
    done: int
    total: int
    percent: int
    message: str
    cancel_requested: bool
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    result_available: bool
    result_expires_at: dt.datetime | None
    report: JobReportOut


class ImportIn(Input):
    filename: text(200, min_length=1) = Field(..., description="Ends in .csv or .xlsx")  # type: ignore[valid-type]
    content_base64: str = Field(..., max_length=70_000_000, description="The file's bytes, base64")
    dry_run: bool = False


class ExportIn(Input):
    k: int | None = Field(None, ge=2, le=100, description="Minimum rows per quasi-identifier combination (default 11)")
    year_from: int | None = Field(None, ge=1900, le=2100)
    year_to: int | None = Field(None, ge=1900, le=2100)


class IdentityExportIn(Input):
    password: text(200) = Field(..., description="At least 12 characters; never stored")  # type: ignore[valid-type]
    reason: text(2000) = Field(..., description="Why the identities are needed (at least 20 characters); sealed")  # type: ignore[valid-type]
    year_from: int | None = Field(None, ge=1900, le=2100)
    year_to: int | None = Field(None, ge=1900, le=2100)


_user = api_user


def job_out(job: Job) -> dict[str, Any]:
    job = jobs.live_progress(job)
    report = dict(job.report or {})
    return {
        "id": job.pk, "kind": job.kind, "owner": job.owner.username, "status": job.status, "done": job.done,
        "total": job.total, "percent": job.percent, "message": job.message,
        "cancel_requested": job.cancel_requested, "created_at": job.created_at, "started_at": job.started_at,
        "finished_at": job.finished_at, "result_available": bool(job.result_path) and job.status == "succeeded",
        "result_expires_at": job.result_expires_at, "report": report,
    }


@router.get("/exchange/jobs", response={200: list[JobOut], ERRORS: ErrorOut},
            summary="Your jobs, newest first (system administrators: every job's status)")
def job_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [job_out(j) for j in jobs_visible_to(_user(request))[:100]]


@router.get("/exchange/jobs/{job_id}", response={200: JobOut, ERRORS: ErrorOut}, summary="A job's progress")
def job_get(request: HttpRequest, job_id: IdPath) -> dict[str, Any]:
    return job_out(access_job(_user(request), job_id, own=False))


@router.post("/exchange/jobs/{job_id}/cancel", response={200: JobOut, ERRORS: ErrorOut},
             summary="Cancel your job; an import cancelled mid-way saves nothing")
def job_cancel(request: HttpRequest, job_id: IdPath) -> dict[str, Any]:
    return job_out(jobs.job_cancel(job=access_job(_user(request), job_id)))


@router.get("/exchange/jobs/{job_id}/result", response={ERRORS: ErrorOut}, openapi_extra=FILE_RESPONSE,
            summary="Download your job's result (owner only; audited)")
def job_result(request: HttpRequest, job_id: IdPath) -> HttpResponse:
    return download_result(access_job(_user(request), job_id), channel=CHANNEL)


@router.post("/exchange/imports", response={202: JobOut, ERRORS: ErrorOut},
             summary="Import historical cases from a CSV or XLSX file (all or nothing; idempotent)")
def import_new(request: HttpRequest, payload: ImportIn) -> Any:
    try:
        content = base64.b64decode(payload.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise HavenError(_("The file content is not valid base64."), field="content_base64") from None
    job = import_submit(acting_user=_user(request), content=content, filename=payload.filename,
                        dry_run=payload.dry_run, channel=CHANNEL)
    return reply(202, job_out(job))


@router.post("/exchange/exports/htcds", response={202: JobOut, ERRORS: ErrorOut},
             summary="Case-level de-identified export in the HTCDS vocabulary, k-anonymous (audited)")
def export_htcds(request: HttpRequest, payload: ExportIn) -> Any:
    job = export_submit(acting_user=_user(request), kind="htcds", k=payload.k, year_from=payload.year_from,
                        year_to=payload.year_to, channel=CHANNEL)
    return reply(202, job_out(job))


@router.post("/exchange/exports/ctdc", response={202: JobOut, ERRORS: ErrorOut},
             summary="The 27 variables of the global synthetic dataset's layout, k-anonymous (audited)")
def export_ctdc(request: HttpRequest, payload: ExportIn) -> Any:
    job = export_submit(acting_user=_user(request), kind="ctdc", k=payload.k, year_from=payload.year_from,
                        year_to=payload.year_to, channel=CHANNEL)
    return reply(202, job_out(job))


@router.post("/exchange/exports/identity", response={202: JobOut, ERRORS: ErrorOut},
             summary="Identity-level export of your agency's cases as an AES-256 ZIP (supervisors; audited)")
def export_identity(request: HttpRequest, payload: IdentityExportIn) -> Any:
    job = identity_export_submit(acting_user=_user(request), password=payload.password, reason=payload.reason,
                                 year_from=payload.year_from, year_to=payload.year_to, channel=CHANNEL)
    return reply(202, job_out(job))
