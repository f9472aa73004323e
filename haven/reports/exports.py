"""Aggregate tables as CSV, XLSX and the PDF annual report; the charts drawn from them.

Exports hold published tables only (after disclosure control, or exact in official mode for those
allowed); a hidden cell is written as an empty value with its reason, never as its number. Each export
is audited by the caller through `services.record_export`.
"""

from __future__ import annotations

import base64
import csv
import io
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from haven.core import charts

FONT_DIR = Path(__file__).resolve().parent.parent / "entitlements" / "fonts"
MARKS = {"primary": "x", "secondary": "x", "noisy": "~", "exact": "", "shown": ""}


def _label(cell: dict[str, Any]) -> str:
    return "" if cell is None or cell["value"] is None else str(cell["value"])


def table_rows(table: dict[str, Any]) -> list[list[Any]]:
    """The table as plain rows: a header, the rows, the totals; hidden cells empty."""
    header = [table["row_title"], *[c["label"] for c in table["columns"]]]
    if table["additive"]:
        header.append(_("Total"))
    rows: list[list[Any]] = [header]
    for row in table["rows"]:
        rows.append([row["label"], *[c["value"] for c in row["cells"]],
                     *([row["total"]["value"]] if row["total"] else [])])
    if table["totals"]:
        rows.append([_("Total"), *[c["value"] for c in table["totals"]["cells"]], table["totals"]["total"]["value"]])
    return rows


def _meta(table: dict[str, Any]) -> list[str]:
    mode = {"official": _("official (exact, restricted)"), "threshold": _("public, threshold suppression k=%(k)s"),
            "dp": _("public, differential privacy epsilon=%(eps)s")}[table["mode"]] % {
        "k": table["k"], "eps": table["epsilon"]}
    return [table["title"], f"{_('Period')}: {table['period']}", f"{_('Area')}: {table['province_name']}",
            f"{_('Mode')}: {mode}"]


def csv_bytes(tables: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for table in tables:
        for line in _meta(table):
            writer.writerow([line])
        for row in table_rows(table):
            writer.writerow(["" if v is None else v for v in row])
        for entry in table["legend"]:
            writer.writerow([f"{_('Empty cell') if entry['status'] in ('primary', 'secondary') else ''}", entry["text"]])
        writer.writerow([])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM lets spreadsheet programs read Vietnamese


def xlsx_bytes(tables: list[dict[str, Any]]) -> bytes:
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for n, table in enumerate(tables, start=1):
        sheet = book.create_sheet(f"{n} {table['code']}"[:31])
        for line in _meta(table):
            sheet.append([line])
        sheet.append([])
        start = sheet.max_row + 1
        for row in table_rows(table):
            sheet.append(row)
        for cell in sheet[start]:
            cell.font = Font(bold=True)
        sheet.append([])
        for entry in table["legend"]:
            sheet.append([entry["status"], entry["text"]])
        sheet.column_dimensions["A"].width = 40
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def table_chart(table: dict[str, Any]) -> str:
    """Bars for each row, one colour per column; hidden cells are crosses at zero height."""
    labels = [r["label"] for r in table["rows"]]
    series = [(col["label"], [r["cells"][j]["value"] for r in table["rows"]]) for j, col in enumerate(table["columns"])]
    # Columns with nothing in them (e.g. "not known" when everything is known) only clutter the chart.
    series = [(name, values) for name, values in series if any(v for v in values) or any(v is None for v in values)]
    return charts.grouped_bars(labels, series or [("", [0] * len(labels))], title=table["title"],
                               hidden_label=_("hidden"))


def _data_uri(svg: str) -> str:
    # WeasyPrint draws an SVG image faithfully; inline SVG would lose its styles.
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def report_pdf(tables: list[dict[str, Any]], *, language: str, title: str) -> bytes:
    """The annual report: each table with its chart and legend, in Vietnamese or English."""
    from weasyprint import HTML

    lang = "en" if language == "en" else "vi"
    with translation.override(lang):
        html = render_to_string("reports/report_pdf.html", {
            "lang": lang, "title": title, "font_dir": FONT_DIR.as_uri(), "made_on": timezone.localdate(),
            "items": [{"table": t, "chart": _data_uri(table_chart(t)), "meta": _meta(t)} for t in tables],
        })
    return bytes(HTML(string=html, base_url=str(FONT_DIR)).write_pdf())
