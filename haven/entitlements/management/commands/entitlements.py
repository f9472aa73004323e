"""`haven entitlements evaluate --input FILE --on YYYY-MM-DD --format json|table`.

A thin shell over haven.entitlements.engine: parse arguments, call the engine, print. Bad
input ends with a one-line message on stderr and a non-zero exit status, never a traceback.
Further subcommands (e.g. `explain CASE_CODE`) are added as subparsers with a handler in
`HANDLERS`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from haven.accounts.cli import read_json
from haven.entitlements.engine import ParameterError, ProfileError, evaluate_many, parse_profiles
from haven.entitlements.engine.calendar import CalendarError
from haven.entitlements.explain import ExplainError, explain_case
from haven.entitlements.services import parameter_store


def parse_date(raw: str) -> dt.date:
    """argparse type for YYYY-MM-DD."""
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a date (YYYY-MM-DD)") from None




def format_table(results: list[dict[str, Any]], lang: str) -> str:
    """A plain-text table: one block per person, one line per item."""
    lines = []
    for result in results:
        lines.append(f"{result['id']}  {result['regime']}  {result['period']}")
        for name, day in result["deadlines"].items():
            lines.append(f"  {name}: {day}")
        for item in result["items"]:
            amount = "" if item["amount_vnd"] is None else f"{item['amount_vnd']:,}"
            deadlines = " ".join(f"{k}={v}" for k, v in item["deadlines"].items())
            first = item["reasons"][0][lang] if item["reasons"] else ""
            lines.append(f"  {item['code']:<24} {item['status']:<18} {amount:>12}  {deadlines}".rstrip())
            lines.append(f"      {first}")
        lines.append("")
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Evaluate support-regime entitlements (issue 3 contract; see docs/entitlements.md)."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
        evaluate = sub.add_parser("evaluate", help="evaluate a JSON list of profiles on a date")
        evaluate.add_argument("--input", required=True, help="JSON file with a list of profiles ('-' for stdin)")
        evaluate.add_argument("--on", type=parse_date, help="evaluation date YYYY-MM-DD (default: today)")
        evaluate.add_argument("--format", choices=("json", "table"), default="json")
        evaluate.add_argument("--lang", choices=("vi", "en"), default="en", help="language of the table")
        explain = sub.add_parser("explain", help="evaluate a registered case (as --as USERNAME, or as the operator)")
        explain.add_argument("code", metavar="CASE_CODE")
        explain.add_argument("--on", type=parse_date, help="evaluation date YYYY-MM-DD (default: today)")
        explain.add_argument("--as", dest="username", help="act as this user, with their permissions")
        explain.add_argument("--format", choices=("json", "table"), default="json")
        explain.add_argument("--lang", choices=("vi", "en"), default="en", help="language of the table")

    def handle(self, *args: Any, **options: Any) -> None:
        handler = getattr(self, f"handle_{options['subcommand'].replace('-', '_')}")
        handler(**options)

    def handle_evaluate(self, *, input: str, on: dt.date | None, format: str, lang: str, **_: Any) -> None:  # noqa: A002
        profiles = read_json(input)
        on = on or timezone.localdate()
        try:
            results = evaluate_many(parse_profiles(profiles), on, store=parameter_store())
        except (ProfileError, ParameterError, CalendarError, ValueError) as exc:
            raise CommandError(str(exc)) from None
        if format == "json":
            self.stdout.write(json.dumps(results, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(format_table(results, lang))

    def handle_explain(self, *, code: str, on: dt.date | None, username: str | None, format: str, lang: str,  # noqa: A002
                       **_: Any) -> None:
        try:
            result = explain_case(code, on=on or timezone.localdate(), username=username)
        except ExplainError as exc:
            raise CommandError(str(exc)) from None
        if format == "json":
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(format_table([result], lang))
