"""haven export htcds|ctdc|identity --as USERNAME [--k K] [--out FILE] — exports as jobs with a progress bar.

The identity export reads its ZIP password (at least 12 characters) from the terminal, or from the first
line of standard input when it is not a terminal; it is never stored. A reason is required (--reason).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser, no_translations

from haven.accounts.cli import CHANNEL, cli_error, cli_user
from haven.core.errors import HavenError
from haven.exchange.exports import export_submit, identity_export_submit
from haven.exchange.management.commands._exchange_cli import ExchangeCommand, out_path, stdin_password


class Command(ExchangeCommand):
    help = "De-identified exports (htcds, ctdc: k-anonymous CSV) and the encrypted identity export (identity)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=("htcds", "ctdc", "identity"))
        parser.add_argument("--as", dest="as_user", required=True, metavar="USERNAME")
        parser.add_argument("--k", type=int, help="Minimum rows per quasi-identifier combination (default 11)")
        parser.add_argument("--year-from", dest="year_from", type=int)
        parser.add_argument("--year-to", dest="year_to", type=int)
        parser.add_argument("--reason", help="Identity export: why the identities are needed (20+ characters)")
        parser.add_argument("--out", help="Write the result to this new file")

    @no_translations
    def handle(self, *args: Any, **options: Any) -> None:
        user = cli_user(options["as_user"])
        out = out_path(options["out"])
        try:
            if options["kind"] == "identity":
                password = stdin_password()
                job = identity_export_submit(acting_user=user, password=password, reason=options["reason"] or "",
                                             year_from=options["year_from"], year_to=options["year_to"],
                                             channel=CHANNEL, start=False)
                job = self.run_here(job, secret={"password": password})
            else:
                job = export_submit(acting_user=user, kind=options["kind"], k=options["k"],
                                    year_from=options["year_from"], year_to=options["year_to"], channel=CHANNEL,
                                    start=False)
                job = self.run_here(job)
        except HavenError as exc:
            raise cli_error(exc) from exc
        self.finish(job, out)
