"""`haven calendar add-working-days YYYY-MM-DD N` and `haven calendar working-days-between A B`.

Working days of Vietnamese state offices: weekdays minus public holidays and announced swaps
(see haven/entitlements/engine/calendar.py and docs/entitlements.md).
"""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from haven.entitlements.engine.calendar import (
    CalendarError,
    add_working_days,
    is_working_day,
    working_days_between,
)

from .entitlements import parse_date


class Command(BaseCommand):
    help = "Working-day arithmetic with Vietnamese holidays and announced day swaps."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
        add = sub.add_parser("add-working-days", help="print the date N working days after DATE")
        add.add_argument("date", type=parse_date)
        add.add_argument("n", type=int)
        between = sub.add_parser("working-days-between", help="print the working days after A up to and including B")
        between.add_argument("start", type=parse_date)
        between.add_argument("end", type=parse_date)
        check = sub.add_parser("is-working-day", help="print yes or no")
        check.add_argument("date", type=parse_date)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self.stdout.write(self._answer(options))
        except CalendarError as exc:
            raise CommandError(str(exc)) from None

    def _answer(self, options: dict[str, Any]) -> str:
        command = options["subcommand"]
        if command == "add-working-days":
            return add_working_days(options["date"], options["n"]).isoformat()
        if command == "working-days-between":
            return str(working_days_between(options["start"], options["end"]))
        return "yes" if is_working_day(options["date"]) else "no"
