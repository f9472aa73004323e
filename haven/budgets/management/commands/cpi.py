"""haven cpi show | adequacy: Vietnam's consumer price index and what support amounts have lost.

    haven cpi show [--format table]
    haven cpi adequacy [--base 2013] [--amount 30000 --set-year 2013 --in-year 2025] [--format table]
"""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from haven.budgets import cpi
from haven.budgets.management.commands._budgets_cli import as_json, table
from haven.budgets.presenters import adequacy_out, cpi_out, erosion_out
from haven.entitlements.services import parameter_store


class Command(BaseCommand):
    help = "Show the shipped CPI series and the real value of the support amounts in the rules."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        show = sub.add_parser("show", help="the CPI series with its sources")
        show.add_argument("--format", choices=("json", "table"), default="json")
        adequacy = sub.add_parser("adequacy", help="support amounts in constant prices; what an amount has lost")
        adequacy.add_argument("--base", type=int, default=2013, help="constant prices of this year")
        adequacy.add_argument("--amount", type=int, help="an amount in đồng to check")
        adequacy.add_argument("--set-year", dest="set_year", type=int, default=2013)
        adequacy.add_argument("--in-year", dest="in_year", type=int)
        adequacy.add_argument("--format", choices=("json", "table"), default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        series = cpi.default_series()
        if options["action"] == "show":
            data = cpi_out(series)
            if options["format"] == "json":
                self.stdout.write(as_json(data))
            else:
                self.stdout.write(table(["Year", "Inflation %", "Index", "Confidence", "Source"],
                                        [[r["year"], f"{r['percent']:.2f}", f"{r['index']:.2f}", r["confidence"],
                                          r["source"]] for r in data["years"]]))
            return
        try:
            store = parameter_store()
            rows = adequacy_out(store, cpi.amount_histories(store, series, options["base"]), options["base"])
            calc = None
            if options["amount"] is not None:
                if options["amount"] < 1:
                    raise CommandError("--amount must be a positive whole number of đồng")
                calc = erosion_out(cpi.erosion(series, options["amount"], options["set_year"],
                                               options["in_year"] or series.last_year))
        except cpi.CpiError as exc:
            raise CommandError(str(exc)) from None
        if options["format"] == "json":
            self.stdout.write(as_json({"base_year": options["base"], "amounts": rows, "calculation": calc}))
            return
        out = []
        if calc:
            out.append(f"{calc['amount']:,} đồng fixed in {calc['set_year']} buys in {calc['in_year']} what "
                       f"{calc['worth']:,} bought in {calc['set_year']}: it has lost {calc['lost_percent']:.1f}%; "
                       f"keeping its value would take {calc['needed']:,} đồng ({calc['confidence']}).")
        out.append(table(["Amount", "Scope", "Value", "Same since", "Lost %", "Years", "Confidence"],
                         [[r["code"], r["scope"], r["value"], r["same_since"].isoformat(),
                           f"{r['erosion']['lost_percent']:.1f}",
                           f"{r['erosion']['set_year']}→{r['erosion']['in_year']}", r["confidence"]] for r in rows]))
        self.stdout.write("\n".join(out))
