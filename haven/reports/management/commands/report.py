"""haven report statistics | release | budget | pdf, acting as a named user (--as).

    haven report statistics --as health.statistician --year 2020 --tables sex_age,referred_age [--mode public|official] [--k 11] [--format json|table|csv]
    haven report release --as health.statistician --year 2020 --tables sex_age --epsilon 0.5 [--province lao-cai-2025]
    haven report budget --as health.supervisor [--year 2026 --epsilon 2 [--province lao-cai-2025]]
    haven report pdf --as health.supervisor --year 2020 --tables sex_age --mode official --output report.pdf [--lang en]

--mode public means threshold suppression (k); --mode dp shows stored differentially private releases.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from haven.accounts.cli import CHANNEL, cli_error, cli_user
from haven.core.errors import HavenError
from haven.reports import exports, services

MODES = {"public": "threshold", "threshold": "threshold", "official": "official", "dp": "dp"}


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


class Command(BaseCommand):
    help = "Annual statistics (official or public), DP releases, the privacy budget and the PDF report."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        for name in ("statistics", "release", "budget", "pdf"):
            p = sub.add_parser(name)
            p.add_argument("--as", dest="as_user", required=True, metavar="USERNAME")
            p.add_argument("--year")
            p.add_argument("--year-from", dest="year_from")
            p.add_argument("--province", default="")
            p.add_argument("--tables", default="sex_age")
            p.add_argument("--mode", choices=sorted(MODES), default="public")
            p.add_argument("--k")
            p.add_argument("--epsilon")
            p.add_argument("--format", choices=("json", "table", "csv"), default="table")
            p.add_argument("--lang", choices=("vi", "en"), default="en")
            p.add_argument("--output")

    def handle(self, *args: Any, **options: Any) -> None:
        user = cli_user(options["as_user"])
        with translation.override(options["lang"]):
            try:
                getattr(self, f"_{options['action']}")(user, options)
            except HavenError as exc:
                raise cli_error(exc) from exc  # the lazy message is translated inside the override

    def _request(self, options: dict[str, Any]) -> services.Request:
        return services.parse_request({"tables": options["tables"], "year": options["year"],
                                       "year_from": options["year_from"], "province": options["province"],
                                       "mode": MODES[options["mode"]], "k": options["k"], "epsilon": options["epsilon"]})

    def _statistics(self, user: Any, options: dict[str, Any]) -> None:
        request = self._request(options)
        tables = services.statistics_run(acting_user=user, request=request, channel=CHANNEL)
        if options["format"] == "json":
            self.stdout.write(json.dumps(tables, ensure_ascii=False, indent=2, default=_plain))
        elif options["format"] == "csv":
            self.stdout.write(exports.csv_bytes(tables).decode("utf-8-sig"))
            services.record_export(acting_user=user, request=request, fmt="csv", channel=CHANNEL)
        else:
            for table in tables:
                self.stdout.write(self._table(table))
        if not tables:
            self.stdout.write("No differentially private release exists for this choice.")

    def _table(self, table: dict[str, Any]) -> str:
        marks = {"primary": f"<{table['k']}", "secondary": "x"}
        rows = [[("~" if c.get("status") == "noisy" else "") + str(c["value"]) if c["value"] is not None
                 else marks.get(c["status"], "x") if not isinstance(c, str) else c for c in row[1:]]
                for row in self._cells(table)]
        labels = [r[0] for r in self._cells(table)]
        header = [table["row_title"], *[c["label"] for c in table["columns"]], *(["Total"] if table["additive"] else [])]
        lines = [[str(lab), *r] for lab, r in zip(labels, rows, strict=True)]
        widths = [max(len(str(x)) for x in col) for col in zip(header, *lines, strict=True)]
        out = [f"{table['title']} — {table['period']} — {table['province_name']} — {table['mode']}",
               "  ".join(str(h).ljust(w) for h, w in zip(header, widths, strict=True))]
        out += ["  ".join(str(x).ljust(w) for x, w in zip(line, widths, strict=True)) for line in lines]
        out += [f"  {e['status']}: {e['text']}" for e in table["legend"]]
        return "\n".join(out) + "\n"

    def _cells(self, table: dict[str, Any]) -> list[list[Any]]:
        rows = [[r["label"], *r["cells"], *([r["total"]] if r["total"] else [])] for r in table["rows"]]
        if table["totals"]:
            rows.append(["Total", *table["totals"]["cells"], table["totals"]["total"]])
        return rows

    def _release(self, user: Any, options: dict[str, Any]) -> None:
        request = self._request({**options, "mode": "dp"})
        if request.epsilon is None:
            raise CommandError("give --epsilon, e.g. --epsilon 0.5")
        for code in request.tables:
            release = services.release_create(acting_user=user, table=code, period=request.period,
                                              province=request.province, epsilon=request.epsilon, channel=CHANNEL)
            self.stdout.write(f"Release {release.pk} of {code}: epsilon {release.epsilon} spent.")
            self.stdout.write(self._table(services.release_view(release)))

    def _budget(self, user: Any, options: dict[str, Any]) -> None:
        if options["epsilon"]:
            if not options["year"]:
                raise CommandError("to set a budget give --year and --epsilon")
            services.budget_set(acting_user=user, year=options["year"],
                                province=services.province_by_code(options["province"]), epsilon=options["epsilon"],
                                channel=CHANNEL)
        if not services.may_view(user):
            raise CommandError(f"{user.username} may not see the privacy budget")
        rows = [services.budget_status(b) for b in services.budgets_visible()]
        if options["format"] == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2, default=_plain))
            return
        self.stdout.write("year  area                 epsilon  spent  spent-nationally  left  releases")
        for r in rows:
            self.stdout.write(f"{r['year']}  {(r['province'] or 'national'):<20} {r['epsilon']:<8} {r['spent']:<6} "
                              f"{r['spent_nationally']:<17} {r['remaining']:<5} {r['releases']}")

    def _pdf(self, user: Any, options: dict[str, Any]) -> None:
        if not options["output"] or options["output"] == "-":
            raise CommandError("give --output FILE.pdf (the file is binary)")
        request = self._request(options)
        tables = services.statistics_run(acting_user=user, request=request, channel=CHANNEL)
        if not tables:
            raise CommandError("there is nothing to put in the report")
        title = "Annual statistics on trafficking victims" if options["lang"] == "en" else "Thống kê hằng năm về nạn nhân bị mua bán"
        Path(options["output"]).write_bytes(exports.report_pdf(tables, language=options["lang"], title=title))
        services.record_export(acting_user=user, request=request, fmt="pdf", channel=CHANNEL)
        self.stdout.write(f"Wrote {options['output']}.")
