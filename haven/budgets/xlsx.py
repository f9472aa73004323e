"""The budget workbook (openpyxl): estimate, spending by item and month, forecast, what-if, assumptions.

Written in the language active when it is built (Vietnamese or English). Numbers are numbers
(integer đồng), so the supervisor can keep calculating in the spreadsheet.
"""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

MONEY = "#,##0"
BOLD = Font(bold=True)


def _sheet(book: Workbook, title: str, header: list[str], rows: list[list[Any]], *, first: bool = False) -> Any:
    sheet = book.active if first else book.create_sheet()
    sheet.title = title[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = BOLD
    for row in rows:
        sheet.append(row)
    for i, _h in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = 16 if i > 1 else 36
        for (cell,) in sheet.iter_rows(min_row=2, min_col=i, max_col=i):
            if isinstance(cell.value, int) and not isinstance(cell.value, bool):
                cell.number_format = MONEY
    return sheet


def _months_header(first: str) -> list[str]:
    return [first, *[f"{m:02d}" for m in range(1, 13)], _("Total")]


def budget_workbook(*, agency_name: str, summary: dict[str, Any], spending: dict[str, Any] | None,
                    plan: dict[str, Any] | None, assumptions: list[tuple[str, str]]) -> bytes:
    book = Workbook()
    _sheet(book, _("Estimate"), [_("Funding source"), _("Estimate (đồng)"), _("Spent (đồng)"), _("Used (%)"),
                                 _("Remaining (đồng)"), _("Note")],
           [[r["funding_source"], r["estimate"], r["spent"], r["percent_used"], r["remaining"], r["note"]]
            for r in summary["rows"]] + [[_("Total"), summary["total_estimate"], summary["total_spent"],
                                          summary["percent_used"], None, ""]], first=True)
    if spending is not None:
        rows = [[row["name"], *row["months"], row["total"]] for row in spending["by_item"]]
        rows.append([_("Total"), *spending["by_month"], spending["total"]])
        _sheet(book, _("Spending"), _months_header(_("Item")), rows)
    if plan is not None:
        months = [[m["month"], m["mean"], m["lo80"], m["hi80"], m["lo95"], m["hi95"]] for m in plan["months"]]
        t = plan["total"]
        months.append([_("Year %(year)s") % {"year": plan["year"]}, t["mean"], t["lo80"], t["hi80"], t["lo95"], t["hi95"]])
        _sheet(book, _("Intake forecast"), [_("Month"), _("Expected people"), _("80% low"), _("80% high"),
                                            _("95% low"), _("95% high")], months)
        cost = plan["cost"]
        rows = [[i["name"], i["mean_per_person"], i["people_with_amount"], ""] for i in cost["items"]]
        rows += [[e["name"], None, e["people"], _("Not included: amount not set") if e["reason"] == "amount_not_set"
                  else _("Not included: no fixed amount")] for e in cost["not_included"]]
        b = plan["budget"]
        rows.append([_("Budget for the year (đồng)"), b["mean"], None,
                     _("80%%: %(lo)s to %(hi)s; 95%%: %(lo95)s to %(hi95)s") % {
                         "lo": f"{b['lo80']:,}", "hi": f"{b['hi80']:,}", "lo95": f"{b['lo95']:,}", "hi95": f"{b['hi95']:,}"}])
        _sheet(book, _("Cost per person"), [_("Item"), _("Mean per person (đồng)"), _("People"), _("Note")], rows)
        if plan["what_if"]:
            w = plan["what_if"]
            rows = [[code, value] for code, value in w["overrides"].items()]
            rows += [[_("Budget with the current rules"), b["mean"]], [_("Budget in the what-if"), w["budget"]["mean"]],
                     [_("Difference"), w["difference"]],
                     [_("What-if 80% interval"), f"{w['budget']['lo80']:,} – {w['budget']['hi80']:,}"],
                     [_("What-if 95% interval"), f"{w['budget']['lo95']:,} – {w['budget']['hi95']:,}"]]
            _sheet(book, _("What-if"), [_("Parameter or result"), _("Value")], rows)
    _sheet(book, _("Assumptions"), [_("Assumption"), _("Value")], [[agency_name, ""], *[[a, b] for a, b in assumptions]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


