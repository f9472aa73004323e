"""The statistician's trend chart: identified persons per year by sex, small counts hidden (k)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from haven.core import charts
from haven.reports import publication
from haven.reports.statistics import Period, compute

TREND_YEARS = 6


def statistician_trends() -> dict[str, Any]:
    year = timezone.localdate().year
    period = Period(Period.year(year - TREND_YEARS + 1).date_from, Period.year(year).date_to)
    table = publication.threshold(compute("year_sex", period), period, None, publication.default_k())
    labels = [r["label"] for r in table["rows"]]
    series = [(col["label"], [r["cells"][j]["value"] for r in table["rows"]]) for j, col in enumerate(table["columns"])
              if any(r["cells"][j]["value"] != 0 for r in table["rows"])]
    series.append((_("Total"), [r["total"]["value"] for r in table["rows"]]))
    svg = charts.lines(labels, series, title=_("Identified persons per year, by sex"))
    return {"trend_svg": svg, "trend_table": table}
