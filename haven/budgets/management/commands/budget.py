"""haven budget estimate | spending | forecast | whatif | export, acting as a named user (--as).

    haven budget estimate --as swc.supervisor --agency 3 [--year 2026]             # list
    haven budget estimate --as swc.supervisor --agency 3 --source 5 --amount 420000000 [--note ...]
    haven budget spending --as swc.supervisor --agency 3 [--year 2026] [--format table]
    haven budget forecast --as swc.supervisor --agency 3 [--year 2027]
    haven budget whatif --as swc.supervisor --agency 3 --set essential_needs.daily_rate=60000
    haven budget export --as swc.supervisor --agency 3 --output budget.xlsx [--lang en]
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from haven.accounts.cli import CHANNEL, cli_error, cli_user
from haven.budgets.exporting import export_workbook
from haven.budgets.management.commands._budgets_cli import as_json, table
from haven.budgets.planning import budget_plan
from haven.budgets.presenters import estimate_summary, plan_out, spending_out
from haven.budgets.selectors import BudgetNeed, access_agency, allows, spending
from haven.budgets.services import budget_year, estimate_add
from haven.core.errors import HavenError, NotFound


def _override(raw: str) -> tuple[str, str]:
    code, sep, value = raw.partition("=")
    if not sep or not code or not value:
        raise argparse.ArgumentTypeError(f"{raw!r}: write CODE=AMOUNT, e.g. essential_needs.daily_rate=60000")
    return code.strip(), value.strip()


class Command(BaseCommand):
    help = "Budget estimates, spending against them, next year's forecast, what-if and the workbook."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        for name, text in (("estimate", "list the estimates, or enter one with --source and --amount"),
                           ("spending", "approved spending by item and month"),
                           ("forecast", "next year's intake forecast, cost per person and budget"),
                           ("whatif", "the forecast budget with other amounts (never stored)"),
                           ("export", "write the budget workbook (XLSX)")):
            p = sub.add_parser(name, help=text)
            p.add_argument("--as", dest="as_user", required=True, metavar="USERNAME")
            p.add_argument("--agency", required=True, metavar="AGENCY_ID")
            p.add_argument("--year", help="spending/estimate year (default this year); forecast year (default next)")
            p.add_argument("--format", choices=("json", "table"), default="json")
            if name == "estimate":
                p.add_argument("--source", metavar="FUNDING_SOURCE_ID")
                p.add_argument("--amount", help="whole đồng")
                p.add_argument("--note", default="")
            if name == "whatif":
                p.add_argument("--set", dest="overrides", action="append", type=_override, required=True,
                               metavar="CODE=AMOUNT")
            if name == "export":
                p.add_argument("--output", required=True, help="file to write ('-' is refused: the file is binary)")
                p.add_argument("--lang", choices=("vi", "en"), default="vi")

    def handle(self, *args: Any, **options: Any) -> None:
        user = cli_user(options["as_user"])
        try:
            with translation.override(options.get("lang") or "en"):
                getattr(self, f"_{options['action']}")(user, options)
        except NotFound:
            raise CommandError(f"no agency {options['agency']!r} whose budget {user.username} may use") from None
        except HavenError as exc:
            raise cli_error(exc) from exc

    def _year(self, options: dict) -> int:
        return budget_year(options["year"] or timezone.localdate().year)

    def _estimate(self, user: Any, options: dict) -> None:
        if options["amount"] is not None or options["source"] is not None:
            if options["amount"] is None or options["source"] is None:
                raise CommandError("to enter an estimate give both --source and --amount")
            estimate = estimate_add(acting_user=user, agency_id=options["agency"], funding_source_id=options["source"],
                                    year=options["year"] or timezone.localdate().year, amount=options["amount"],
                                    note=options["note"], channel=CHANNEL)
            self.stdout.write(f"Estimate {estimate.pk} recorded: {estimate.year} {estimate.amount:,} đồng.")
            return
        agency = access_agency(user, options["agency"], BudgetNeed.ESTIMATES)
        year = self._year(options)
        summary = estimate_summary(agency, year, today=timezone.localdate(),
                                   with_spending=allows(user, agency, BudgetNeed.SPENDING))
        summary.pop("spending")
        if options["format"] == "json":
            self.stdout.write(as_json({"agency_id": agency.pk, **summary}))
            return
        rows = [[r["funding_source"], r["estimate"], r["spent"], r["percent_used"], r["remaining"]]
                for r in summary["rows"]]
        rows.append(["Total", summary["total_estimate"], summary["total_spent"], summary["percent_used"], None])
        self.stdout.write(table(["Funding source", "Estimate", "Spent", "Used %", "Remaining"], rows))

    def _spending(self, user: Any, options: dict) -> None:
        agency = access_agency(user, options["agency"], BudgetNeed.SPENDING)
        data = spending_out(spending(agency, self._year(options)))
        if options["format"] == "json":
            self.stdout.write(as_json({"agency_id": agency.pk, **data}))
            return
        rows = [[r["item"], *r["months"], r["total"]] for r in data["by_item"]]
        rows.append(["Total", *data["by_month"], data["total"]])
        self.stdout.write(table(["Item", *[f"{m:02d}" for m in range(1, 13)], "Total"], rows))

    def _forecast(self, user: Any, options: dict, overrides: dict[str, str] | None = None) -> None:
        agency = access_agency(user, options["agency"], BudgetNeed.FORECAST)
        data = plan_out(budget_plan(agency, year=options["year"], overrides=overrides),
                        with_history=allows(user, agency, BudgetNeed.SPENDING))
        if options["format"] == "json":
            self.stdout.write(as_json(data))
            return
        m = data["model"]
        lines = [f"Forecast {data['year']}: model {m['name']} ({m['family']}), {m['observed_months']} months of history",
                 table(["Month", "Expected", "80% low", "80% high", "95% low", "95% high"],
                       [[r["month"], f"{r['mean']:.1f}", r["lo80"], r["hi80"], r["lo95"], r["hi95"]]
                        for r in [*data["months"], {"month": "Year", **data["total"]}]]),
                 "", f"Cost per person: {data['cost']['mean_per_person']:,} đồng ({data['cost']['profiles']} profiles)"]
        lines += [f"  {i['item']}: {i['mean_per_person']:,}" for i in data["cost"]["items"]]
        lines += [f"  {e['item']}: not included ({e['reason']})" for e in data["cost"]["not_included"]]
        b = data["budget"]
        lines.append(f"Budget: {b['mean']:,} đồng (80%: {b['lo80']:,}–{b['hi80']:,}; 95%: {b['lo95']:,}–{b['hi95']:,})")
        if data["what_if"]:
            w = data["what_if"]["budget"]
            lines.append(f"What-if {data['what_if']['overrides']}: {w['mean']:,} đồng "
                         f"(80%: {w['lo80']:,}–{w['hi80']:,}; 95%: {w['lo95']:,}–{w['hi95']:,}); "
                         f"difference {data['what_if']['difference']:,}")
        self.stdout.write("\n".join(lines))

    def _whatif(self, user: Any, options: dict) -> None:
        self._forecast(user, options, dict(options["overrides"]))

    def _export(self, user: Any, options: dict) -> None:
        if options["output"] == "-":
            raise CommandError("--output must be a file name: the workbook is binary")
        agency = access_agency(user, options["agency"], BudgetNeed.SPENDING)
        content, _name = export_workbook(user, agency, year=options["year"], channel=CHANNEL)
        try:
            Path(options["output"]).write_bytes(content)
        except OSError as exc:
            raise CommandError(f"cannot write {options['output']}: {exc.strerror}") from None
        self.stdout.write(f"Wrote {options['output']} ({len(content):,} bytes).")
