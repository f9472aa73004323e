"""Jobs: progress, cancellation (an import cancelled mid-way saves nothing), ownership, the worker."""

from __future__ import annotations

import pytest

from haven.cases.models import Case
from haven.core.errors import HavenError, NotFound
from haven.exchange import jobs
from haven.exchange.importer import import_submit
from haven.exchange.models import ImportedCase, ImportedFile, Job, JobKind, JobStatus
from haven.exchange.selectors import access_job
from tests.exchange.conftest import csv_bytes, row

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(world):  # noqa: ANN201
    """An import of 5,000 rows left queued, as for a worker."""
    content = csv_bytes([row(i) for i in range(1, 5001)])
    return import_submit(acting_user=world.supervisor, content=content, filename="lon.csv", start=False)


def test_progress_is_reported_chunk_by_chunk_up_to_the_total(world, queued):
    seen: list[tuple[int, int]] = []
    jobs.job_run(queued.pk, after_chunk=lambda job: seen.append((job.done, job.total)))
    queued.refresh_from_db()
    assert queued.status == JobStatus.SUCCEEDED
    assert len(seen) >= 4 and seen == sorted(seen) and seen[-1] == (10000, 10000)
    assert queued.percent == 100


def test_an_import_cancelled_while_saving_leaves_nothing_half_done(world, queued):
    before = Case.objects.count()

    def cancel_when_saving(job: Job) -> None:
        if job.done > job.total // 2:  # the second half is the writing
            jobs.job_cancel(job=access_job(world.supervisor, job.pk))

    jobs.job_run(queued.pk, after_chunk=cancel_when_saving)
    queued.refresh_from_db()
    assert queued.status == JobStatus.CANCELLED
    assert Case.objects.count() == before
    assert not ImportedCase.objects.exists() and not ImportedFile.objects.exists()


def test_a_cancelled_queued_job_never_runs(world, queued):
    jobs.job_cancel(job=queued)
    assert jobs.job_run(queued.pk) is None
    queued.refresh_from_db()
    assert queued.status == JobStatus.CANCELLED and not ImportedCase.objects.exists()


def test_a_finished_job_cannot_be_cancelled(world, queued):
    jobs.job_run(queued.pk)
    queued.refresh_from_db()
    with pytest.raises(HavenError):
        jobs.job_cancel(job=queued)


def test_a_job_runs_once_even_if_two_runners_try(world, queued):
    assert jobs.claim_next() == queued.pk
    assert jobs.job_run(queued.pk) is not None
    assert jobs.job_run(queued.pk) is None
    assert jobs.claim_next() is None


def test_the_worker_runs_queued_jobs_but_not_identity_exports(world, queued):
    Job.objects.create(kind=JobKind.EXPORT_IDENTITY, owner=world.supervisor, in_process_only=True)
    assert jobs.work(once=True) == 1
    assert Job.objects.get(pk=queued.pk).status == JobStatus.SUCCEEDED
    assert Job.objects.get(kind=JobKind.EXPORT_IDENTITY).status == JobStatus.QUEUED


def test_other_users_jobs_are_not_found_and_admins_see_only_status(world, queued):
    with pytest.raises(NotFound):
        access_job(world.other_supervisor, queued.pk)
    with pytest.raises(NotFound):
        access_job(world.system_admin, queued.pk)
    assert access_job(world.system_admin, queued.pk, own=False) == queued


def test_result_files_are_deleted_after_they_expire(world):
    from django.utils import timezone

    from haven.exchange.exports import export_submit

    job = export_submit(acting_user=world.statistician, kind="htcds", k=2)
    assert jobs.read_result(job) is not None
    Job.objects.filter(pk=job.pk).update(result_expires_at=timezone.now())
    assert jobs.purge_results() == 1
    job.refresh_from_db()
    with pytest.raises(NotFound):
        jobs.read_result(job)
