"""haven intake import --as USERNAME --agency ID --file counts.csv [--source TEXT]

The CSV has the columns month (YYYY-MM) and count, or year, month and count. Every row is checked
before any is stored; a month imported again is a correction (the latest count is used).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from haven.accounts.cli import CHANNEL, cli_error, cli_user
from haven.budgets.services import intake_import, parse_intake_csv
from haven.core.errors import HavenError, NotFound


class Command(BaseCommand):
    help = "Import monthly intake counts from paper records, so that forecasts have a history."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        p = sub.add_parser("import", help="import a CSV of monthly counts")
        p.add_argument("--as", dest="as_user", required=True, metavar="USERNAME")
        p.add_argument("--agency", required=True, metavar="AGENCY_ID")
        p.add_argument("--file", required=True, help="CSV file ('-' reads standard input)")
        p.add_argument("--source", default="", help="where the counts come from, e.g. 'reception register'")

    def handle(self, *args: Any, **options: Any) -> None:
        user = cli_user(options["as_user"])
        try:
            text = sys.stdin.read() if options["file"] == "-" else Path(options["file"]).read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"cannot read {options['file']}: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise CommandError(f"{options['file']} is not UTF-8 text") from None
        try:
            with translation.override("en"):
                count = intake_import(acting_user=user, agency_id=options["agency"], rows=parse_intake_csv(text),
                                      source=options["source"], channel=CHANNEL)
        except NotFound:
            raise CommandError(f"no agency {options['agency']!r} whose budget {user.username} may use") from None
        except HavenError as exc:
            with translation.override("en"):
                raise cli_error(exc) from exc
        self.stdout.write(f"Imported {count} months.")
