"""Who sees which job: the owner sees and uses their own; system administrators see every job's status."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from haven.accounts.models import Role
from haven.cases.validation import record_id
from haven.core.errors import NotFound
from haven.exchange.models import Job


def _active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def jobs_visible_to(user: Any) -> QuerySet[Job]:
    if not _active(user):
        return Job.objects.none()
    if user.role == Role.SYSTEM_ADMIN:
        return Job.objects.select_related("owner")
    return Job.objects.filter(owner_id=user.pk).select_related("owner")


def access_job(user: Any, job_id: Any, *, own: bool = True) -> Job:
    """The job, or NotFound whether it is missing or someone else's. `own=False` lets administrators read status."""
    pk = record_id(job_id)
    jobs = jobs_visible_to(user) if not own else Job.objects.filter(owner_id=getattr(user, "pk", None))
    job = jobs.filter(pk=pk).first() if _active(user) else None
    if job is None:
        raise NotFound()
    return job
