"""Handing a job's result to its owner: audited, never cached."""

from __future__ import annotations

from django.http import HttpResponse

from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.exchange.jobs import read_result
from haven.exchange.models import Job


def download_result(job: Job, *, channel: str) -> HttpResponse:
    data = read_result(job)
    audit_record(actor=job.owner, action=AuditAction.EXPORT, object_type="export_download", object_id=job.pk,
                 changes={"kind": job.kind, "bytes": len(data)}, channel=channel)
    response = HttpResponse(data, content_type=job.result_type or "application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{job.result_name}"'
    response["Cache-Control"] = "no-store"
    return response
