"""Shared by `haven jobs`, `haven import` and `haven export`: run a job in this process with a progress bar."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from haven.exchange import jobs
from haven.exchange.models import Job, JobStatus


def bar(job: Job, width: int = 30) -> str:
    filled = int(width * job.percent / 100)
    return f"[{'#' * filled}{'.' * (width - filled)}] {job.percent:3d}% {job.done}/{job.total} {job.message}"


class ExchangeCommand(BaseCommand):
    def progress(self, job: Job) -> None:
        self.stderr.write("\r" + bar(job)[:120].ljust(120), ending="")
        self.stderr.flush()

    def run_here(self, job: Job, secret: dict[str, Any] | None = None) -> Job:
        """Run a queued job in this process, drawing the bar; Ctrl-C cancels it."""
        try:
            ran = jobs.job_run(job.pk, secret=secret, after_chunk=self.progress)
        except KeyboardInterrupt:
            jobs.job_cancel(job=job)
            ran = job
        job.refresh_from_db()
        if ran is None:  # a worker claimed it first: follow it
            return self.wait(job)
        self.stderr.write("")
        return job

    def wait(self, job: Job) -> Job:
        """Follow a job another process runs (the worker), drawing the bar until it ends."""
        while not job.finished:
            self.progress(job)
            time.sleep(1)
            job.refresh_from_db()
        self.progress(job)
        self.stderr.write("")
        return job

    def finish(self, job: Job, out: str | None = None) -> None:
        from haven.exchange.jobs import read_result

        report = job.report or {}
        for error in report.get("errors", []):
            self.stdout.write(f"row {error['row']}: {error['field']}: {error['message']}")
        if job.status != JobStatus.SUCCEEDED:
            raise CommandError(f"job {job.pk} {job.status}: {job.message}")
        if out and job.result_path:
            Path(out).write_bytes(read_result(job))
            Path(out).chmod(0o600)
            self.stdout.write(f"wrote {out}")
        summary = {k: v for k, v in report.items() if k != "errors"}
        self.stdout.write(f"job {job.pk} {job.status}: {job.message} {summary}")


def out_path(value: str | None) -> str | None:
    if value and Path(value).exists():
        raise CommandError(f"{value} exists: choose another file name")
    return value


def stdin_password() -> str:
    import getpass

    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    return getpass.getpass("Password for the ZIP (at least 12 characters): ")
