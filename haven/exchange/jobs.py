"""Running long jobs: submit, claim, run in chunks with progress, cancel, clean up.

How a job runs depends on `HAVEN_JOB_RUNNER` (setting or environment):

* ``thread`` (default; the demo server): the web process runs the job in a background thread after the
  request commits. Good for one server process; a restart fails the jobs it was running.
* ``worker``: jobs wait in the database until `haven jobs work` claims them (several workers may run;
  each claims with ``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL and a compare-and-set update
  everywhere, so a job is run once).
* ``inline``: the job runs inside the request or command that submitted it (tests, scripts).

Identity exports always run in the process that received the password (`in_process_only`): the
password is never written to the database, so no other process could use it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from haven.core.errors import HavenError, NotFound
from haven.exchange import storage
from haven.exchange.models import FINISHED, Job, JobKind, JobStatus

log = logging.getLogger(__name__)
RUNNERS = ("thread", "worker", "inline")
# Running jobs of this process: cancel events and the latest progress (seen before the database commits).
_CANCEL: dict[int, threading.Event] = {}
_LIVE: dict[int, tuple[int, int, str]] = {}
Handler = Callable[["JobContext"], None]
HANDLERS: dict[str, Handler] = {}


class JobCancelled(Exception):
    """Raised between chunks when the owner asked to cancel; the handler's transaction rolls back."""


def runner_mode() -> str:
    import os

    mode = str(getattr(settings, "HAVEN_JOB_RUNNER", "") or os.environ.get("HAVEN_JOB_RUNNER", "thread"))
    return mode if mode in RUNNERS else "thread"


def register(kind: str) -> Callable[[Handler], Handler]:
    def wrap(handler: Handler) -> Handler:
        HANDLERS[kind] = handler
        return handler

    return wrap


@dataclass
class JobContext:
    job: Job
    secret: dict[str, Any] = field(default_factory=dict)
    after_chunk: Callable[[Job], None] | None = None

    def progress(self, done: int, total: int | None = None, message: str = "") -> None:
        """Record progress, then stop if cancellation was asked for (call between chunks)."""
        job = self.job
        job.done = done
        if total is not None:
            job.total = total
        if message:
            job.message = message[:300]
        _LIVE[job.pk] = (job.done, job.total, job.message)
        Job.objects.filter(pk=job.pk).update(done=job.done, total=job.total, message=job.message,
                                             heartbeat_at=timezone.now())
        if self.after_chunk is not None:
            self.after_chunk(job)
        self.check_cancel()

    def check_cancel(self) -> None:
        event = _CANCEL.get(self.job.pk)
        if (event is not None and event.is_set()) or Job.objects.filter(pk=self.job.pk, cancel_requested=True).exists():
            raise JobCancelled()

    def store_result(self, data: bytes, *, name: str, content_type: str) -> None:
        job = self.job
        job.result_path = storage.seal_file(data, context=f"exchange.job.{job.pk}")
        job.result_name, job.result_type = name, content_type
        job.result_expires_at = timezone.now() + timedelta(days=storage.result_days())


def live_progress(job: Job) -> Job:
    """The job with the freshest progress this process knows (a running import writes in one transaction)."""
    if job.pk in _LIVE and job.status == JobStatus.RUNNING:
        job.done, job.total, job.message = _LIVE[job.pk]
    return job


def job_submit(*, acting_user: Any, kind: str, params: dict[str, Any], secret: dict[str, Any] | None = None,
               reason: str = "", in_process_only: bool = False, start: bool = True) -> Job:
    """Create a queued job and start it as the runner mode says. `secret` stays in memory only.
    `start=False`: the caller runs it (the commands, which draw the progress bar)."""
    job = Job.objects.create(kind=kind, owner=acting_user, params=params, in_process_only=in_process_only,
                             reason=reason)
    if not start:
        return job
    mode = runner_mode()
    if mode == "inline":
        job_run(job.pk, secret=secret)
        job.refresh_from_db()
    elif mode == "thread" or in_process_only:
        transaction.on_commit(lambda: _start_thread(job.pk, secret))
    return job


def _start_thread(job_id: int, secret: dict[str, Any] | None) -> None:
    def target() -> None:
        try:
            job_run(job_id, secret=secret)
        finally:
            connection.close()

    threading.Thread(target=target, name=f"haven-job-{job_id}", daemon=True).start()


def _claim(job_id: int) -> bool:
    """Compare-and-set queued → running: whoever updates the row runs the job, on every database."""
    return bool(Job.objects.filter(pk=job_id, status=JobStatus.QUEUED, cancel_requested=False).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), heartbeat_at=timezone.now()))


def _finish(job: Job, status: str, message: str = "") -> None:
    job.status, job.finished_at = status, timezone.now()
    if message:
        job.message = str(message)[:300]
    job.save(update_fields=["status", "finished_at", "message", "done", "total", "report", "result_path",
                            "result_name", "result_type", "result_expires_at"])


def job_run(job_id: int, *, secret: dict[str, Any] | None = None,
            after_chunk: Callable[[Job], None] | None = None) -> Job | None:
    """Run one queued job to its end (succeeded, failed or cancelled). Returns None if another runner has it."""
    Job.objects.filter(pk=job_id, status=JobStatus.QUEUED, cancel_requested=True).update(
        status=JobStatus.CANCELLED, finished_at=timezone.now())
    if not _claim(job_id):
        return None
    job = Job.objects.select_related("owner", "owner__agency").get(pk=job_id)
    _CANCEL[job_id] = threading.Event()
    context = JobContext(job, secret or {}, after_chunk)
    try:
        with translation.override(job.owner.preferred_language or settings.LANGUAGE_CODE):
            HANDLERS[job.kind](context)
            _finish(job, JobStatus.SUCCEEDED)
    except JobCancelled:
        _finish(job, JobStatus.CANCELLED, "cancelled")
    except HavenError as error:
        _finish(job, JobStatus.FAILED, str(error.message))
    except Exception:  # a bug must not leave the job "running" for ever
        log.exception("job %s failed", job_id)
        _finish(job, JobStatus.FAILED, "internal error")
    finally:
        _CANCEL.pop(job_id, None)
        _LIVE.pop(job_id, None)
        if job.kind == JobKind.IMPORT_CASES:
            storage.delete_file(job.params.get("upload", ""))
    return job


def job_cancel(*, job: Job) -> Job:
    """Ask a job to stop. A queued job stops at once; a running one at its next chunk, undoing its writes."""
    if job.status in FINISHED:
        raise HavenError(_("This job has already finished."), field="job", code="finished")
    event = _CANCEL.get(job.pk)
    if event is not None:
        event.set()
    Job.objects.filter(pk=job.pk).update(cancel_requested=True)
    Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(status=JobStatus.CANCELLED,
                                                                  finished_at=timezone.now())
    job.refresh_from_db()
    return job


def claim_next() -> int | None:
    """The oldest queued job a worker may run (not one that must stay in its submitting process)."""
    with transaction.atomic():
        queued = Job.objects.filter(status=JobStatus.QUEUED, in_process_only=False, cancel_requested=False)
        if connection.features.has_select_for_update_skip_locked:
            queued = queued.select_for_update(skip_locked=True)
        for job_id in queued.order_by("created_at", "id").values_list("pk", flat=True)[:5]:
            return int(job_id)
    return None


def fail_stale(*, minutes: int = 30) -> int:
    """Running jobs whose process died (no progress for `minutes`) are marked failed."""
    cutoff = timezone.now() - timedelta(minutes=minutes)
    return Job.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=cutoff).update(
        status=JobStatus.FAILED, finished_at=timezone.now(), message="interrupted: the process running it stopped")


def purge_results() -> int:
    """Delete result files past their expiry date (and uploads of finished imports)."""
    count = 0
    for job in Job.objects.filter(result_expires_at__lt=timezone.now()).exclude(result_path=""):
        storage.delete_file(job.result_path)
        Job.objects.filter(pk=job.pk).update(result_path="")
        count += 1
    return count


def work(*, once: bool = False, poll_seconds: float = 1.0, stop: threading.Event | None = None,
         on_job: Callable[[Job], None] | None = None) -> int:
    """The worker loop of `haven jobs work`: claim, run, repeat. Returns the number of jobs run."""
    ran = 0
    while stop is None or not stop.is_set():
        if not connection.in_atomic_block:  # a long-lived worker drops stale connections between jobs
            close_old_connections()
        fail_stale()
        purge_results()
        job_id = claim_next()
        if job_id is not None:
            job = job_run(job_id)
            if job is not None:
                ran += 1
                if on_job:
                    on_job(job)
            continue
        if once:
            break
        time.sleep(poll_seconds)
    return ran


def read_result(job: Job) -> bytes:
    if job.status != JobStatus.SUCCEEDED or not job.result_path:
        raise NotFound()
    return storage.open_file(job.result_path, context=f"exchange.job.{job.pk}")
