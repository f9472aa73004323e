"""haven jobs list|cancel|work|run — background jobs (imports and exports).

`haven jobs work` is the worker for HAVEN_JOB_RUNNER=worker: it claims queued jobs one at a time and
runs them; run several for more throughput. `haven jobs run KIND --as USER` submits a job and, with
--wait, follows its progress bar.
"""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser, no_translations

from haven.accounts.cli import CHANNEL, cli_error, cli_user
from haven.core.errors import HavenError, NotFound
from haven.exchange import jobs
from haven.exchange.exports import export_submit
from haven.exchange.importer import import_submit
from haven.exchange.management.commands._exchange_cli import ExchangeCommand, bar
from haven.exchange.selectors import access_job, jobs_visible_to


class Command(ExchangeCommand):
    help = "Background jobs: list, cancel, run the worker, or submit a job and follow its progress."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="Your jobs (system administrators: every job).")
        listing.add_argument("--as", dest="as_user", required=True)
        cancel = sub.add_parser("cancel", help="Cancel one of your jobs.")
        cancel.add_argument("job_id")
        cancel.add_argument("--as", dest="as_user", required=True)
        work = sub.add_parser("work", help="Run queued jobs until stopped (SIGTERM or Ctrl-C stops after the job).")
        work.add_argument("--once", action="store_true", help="Run what is queued, then exit.")
        run = sub.add_parser("run", help="Submit a job: import FILE, htcds or ctdc.")
        run.add_argument("kind", choices=("import", "htcds", "ctdc"))
        run.add_argument("file", nargs="?")
        run.add_argument("--as", dest="as_user", required=True)
        run.add_argument("--dry-run", action="store_true")
        run.add_argument("--k", type=int)
        run.add_argument("--out")
        run.add_argument("--wait", action="store_true",
                         help="Run it now in this process with a progress bar (else a worker runs it).")

    @no_translations
    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except NotFound:
            raise CommandError("no such job of yours") from None
        except HavenError as exc:
            raise cli_error(exc) from exc

    def _list(self, options: dict[str, Any]) -> None:
        for job in jobs_visible_to(cli_user(options["as_user"]))[:100]:
            self.stdout.write(f"{job.pk:>6}  {job.kind:<16} {job.status:<10} {bar(job, 20)}")

    def _cancel(self, options: dict[str, Any]) -> None:
        job = jobs.job_cancel(job=access_job(cli_user(options["as_user"]), options["job_id"]))
        self.stdout.write(f"job {job.pk}: {job.status}{' (cancel requested)' if job.cancel_requested else ''}")

    def _work(self, options: dict[str, Any]) -> None:
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        self.stdout.write("worker started")
        ran = jobs.work(once=options["once"], stop=stop,
                        on_job=lambda j: self.stdout.write(f"job {j.pk} {j.kind}: {j.status}"))
        self.stdout.write(f"worker stopped after {ran} jobs")

    def _run(self, options: dict[str, Any]) -> None:
        user = cli_user(options["as_user"])
        if options["kind"] == "import":
            if not options["file"]:
                raise CommandError("name the file to import")
            path = Path(options["file"])
            if not path.is_file():
                raise CommandError(f"cannot read {path}")
            job = import_submit(acting_user=user, content=path.read_bytes(), filename=path.name,
                                dry_run=options["dry_run"], channel=CHANNEL, start=False)
        else:
            job = export_submit(acting_user=user, kind=options["kind"], k=options["k"], channel=CHANNEL, start=False)
        if not options["wait"]:
            # Left for `haven jobs work`; follow it later with `haven jobs list`.
            self.stdout.write(f"job {job.pk} queued")
            return
        job = self.run_here(job)
        self.finish(job, options.get("out"))
