"""haven import cases FILE --as USERNAME [--dry-run]: import historical cases from CSV or XLSX (docs/exchange.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser, no_translations

from haven.accounts.cli import CHANNEL, cli_error, cli_user
from haven.core.errors import HavenError
from haven.exchange.importer import import_submit
from haven.exchange.management.commands._exchange_cli import ExchangeCommand


class Command(ExchangeCommand):
    help = "Import historical cases from a CSV or XLSX file: all rows or none; the same file twice adds nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=("cases",))
        parser.add_argument("file")
        parser.add_argument("--as", dest="as_user", required=True, metavar="USERNAME")
        parser.add_argument("--dry-run", action="store_true", help="Check every row, save nothing.")

    @no_translations
    def handle(self, *args: Any, **options: Any) -> None:
        user = cli_user(options["as_user"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"cannot read {path}")
        try:
            job = import_submit(acting_user=user, content=path.read_bytes(), filename=path.name,
                                dry_run=options["dry_run"], channel=CHANNEL, start=False)
            job = self.run_here(job)
        except HavenError as exc:
            raise cli_error(exc) from exc
        self.finish(job)
