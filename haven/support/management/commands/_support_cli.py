"""Shared by `haven stays`, `haven ledger` and `haven funding`: output as JSON or a plain table."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from haven.accounts.cli import CHANNEL, cli_error, cli_user
from haven.cases.selectors import CaseAccess, access_case
from haven.core.errors import HavenError, NotFound

__all__ = ["CHANNEL", "SupportCommand"]


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


class SupportCommand(BaseCommand):
    """Subcommands as `_<name>(user, options)`; every one acts as `--as USERNAME` with that user's permissions."""

    def add_common(self, parser: CommandParser, *, case: bool = False) -> None:
        if case:
            parser.add_argument("code", metavar="CASE_CODE")
        parser.add_argument("--as", dest="as_user", required=True, metavar="USERNAME")
        parser.add_argument("--format", choices=("json", "table"), default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        user = cli_user(options["as_user"])
        try:
            getattr(self, f"_{options['action']}")(user, options)
        except NotFound:
            what = f"case {options['code']!r}" if options.get("code") else "record"
            raise CommandError(f"no {what} that {user.username} may see") from None
        except HavenError as exc:
            raise cli_error(exc) from exc

    def case(self, user: Any, options: dict[str, Any]) -> CaseAccess:
        return access_case(user, code=options["code"])

    def emit(self, options: dict[str, Any], rows: list[dict[str, Any]], columns: list[str]) -> None:
        rows = [{k: _plain(v) for k, v in row.items()} for row in rows]
        if options["format"] == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        if not rows:
            self.stdout.write("Nothing to show.")
            return
        cells = [["—" if row.get(c) is None else str(row.get(c)) for c in columns] for row in rows]
        widths = [max(len(c), *(len(line[i]) for line in cells)) for i, c in enumerate(columns)]
        self.stdout.write("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip())
        for line in cells:
            self.stdout.write("  ".join(v.ljust(w) for v, w in zip(line, widths, strict=True)).rstrip())
