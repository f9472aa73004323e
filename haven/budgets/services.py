"""Writes for budgets: an estimate (or its revision) and monthly intake counts from paper records.

Each write is atomic, validated before anything is stored, audited, and raises HavenError with a
translated message; a rejected request changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.budgets.models import BudgetEstimate, BudgetEstimateLine, IntakeHistory
from haven.budgets.selectors import BudgetNeed, access_agency
from haven.cases import validation as v
from haven.core.errors import HavenError
from haven.entitlements.engine import ITEM_CODES
from haven.support.models import FundingSource

MAX_AMOUNT = 10**15  # a thousand trillion đồng: beyond any agency's budget, far inside BigInteger
MAX_INTAKE_ROWS = 1200  # a hundred years of months
MAX_MONTHLY_COUNT = 100_000
YEARS_BACK, YEARS_AHEAD = 15, 5


def whole_number(value: Any, field: str, *, low: int = 0, high: int = MAX_AMOUNT) -> int:
    """An integer from a form, JSON or the command line ("1.200.000" and "1,200,000" are accepted)."""
    if isinstance(value, bool):
        raise HavenError(_("Enter a whole number."), field=field)
    if isinstance(value, str):
        cleaned = value.strip().replace(".", "").replace(",", "").replace(" ", "").replace("\u00a0", "")
        if not cleaned.lstrip("-").isdigit() or len(cleaned) > 20:
            raise HavenError(_("Enter a whole number."), field=field)
        value = int(cleaned)
    if not isinstance(value, int):
        raise HavenError(_("Enter a whole number."), field=field)
    if not low <= value <= high:
        raise HavenError(_("The number is out of range."), field=field)
    return value


def budget_year(value: Any, field: str = "year", *, today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    return whole_number(value, field, low=today.year - YEARS_BACK, high=today.year + YEARS_AHEAD)


@transaction.atomic
def estimate_add(*, acting_user: Any, agency_id: Any, funding_source_id: Any, year: Any, amount: Any,
                 note: Any = "", lines: Mapping[str, Any] | None = None, channel: str = "web") -> BudgetEstimate:
    """Record an agency's annual estimate for one funding source. A second estimate for the same
    source and year is a revision: it becomes the one that counts, and the first stays as history."""
    agency = access_agency(acting_user, agency_id, BudgetNeed.ESTIMATES)
    year_ = budget_year(year)
    amount_ = whole_number(amount, "amount")
    note_ = v.text(note, "note", max_length=500)
    try:
        source_pk = v.record_id(funding_source_id)
    except HavenError:
        source_pk = 0
    source = FundingSource.objects.filter(pk=source_pk, agency=agency).first()
    if source is None:
        raise HavenError(_("Choose one of this agency's funding sources."), field="funding_source")
    clean_lines: dict[str, int] = {}
    for item, raw in (lines or {}).items():
        if item not in ITEM_CODES:
            raise HavenError(_("Not a listed option: %(values)s") % {"values": str(item)[:40]}, field="lines")
        if raw in (None, ""):
            continue
        clean_lines[item] = whole_number(raw, f"lines.{item}")
    if sum(clean_lines.values()) > amount_:
        raise HavenError(_("The lines by item add up to more than the estimate."), field="lines")
    previous = (BudgetEstimate.objects.filter(agency=agency, funding_source=source, year=year_)
                .order_by("-entered_at", "-pk").first())
    estimate = BudgetEstimate.objects.create(agency=agency, funding_source=source, year=year_, amount=amount_,
                                             note=note_, entered_by=acting_user)
    BudgetEstimateLine.objects.bulk_create(
        BudgetEstimateLine(estimate=estimate, item=item, amount=value) for item, value in clean_lines.items())
    audit_record(actor=acting_user, action=AuditAction.CREATE, object_type="budget_estimate", object_id=estimate.pk,
                 changes={"agency": agency.pk, "funding_source": source.pk, "year": year_,
                          "amount": [previous.amount if previous else None, amount_],
                          "lines": clean_lines},
                 channel=channel)
    return estimate


def parse_intake_csv(text: str) -> list[dict[str, Any]]:
    """Rows of a CSV with the columns `month` (YYYY-MM) and `count`, or `year`, `month` and `count`."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    fields = {(name or "").strip().lower() for name in (reader.fieldnames or [])}
    if not {"month", "count"} <= fields:
        raise HavenError(_("The file needs the columns month (YYYY-MM) and count, or year, month and count."),
                         field="file")
    rows: list[dict[str, Any]] = []
    for line, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (val or "").strip() for k, val in raw.items() if k is not None}
        if not any(row.values()):
            continue
        month = row.get("month", "")
        if "year" not in fields:
            year, sep, month = month.partition("-")
            if not sep:
                raise HavenError(_("Line %(n)d: write the month as YYYY-MM.") % {"n": line}, field="file")
        else:
            year = row.get("year", "")
        rows.append({"year": year, "month": month, "count": row.get("count", ""), "line": line})
    return rows


@transaction.atomic
def intake_import(*, acting_user: Any, agency_id: Any, rows: Sequence[Mapping[str, Any]], source: Any = "",
                  channel: str = "web", today: dt.date | None = None) -> int:
    """Store monthly intake counts from paper records. Every row is checked before any is stored.
    Importing a month again records a correction: the latest count of a month is the one used."""
    agency = access_agency(acting_user, agency_id, BudgetNeed.ESTIMATES)
    today = today or timezone.localdate()
    source_ = v.text(source, "source", max_length=200)
    if not rows:
        raise HavenError(_("The file has no rows."), field="file")
    if len(rows) > MAX_INTAKE_ROWS:
        raise HavenError(_("Too many rows: at most %(n)d.") % {"n": MAX_INTAKE_ROWS}, field="file")
    seen: set[tuple[int, int]] = set()
    clean: list[IntakeHistory] = []
    for n, row in enumerate(rows, start=1):
        label = row.get("line", n)
        try:
            year = whole_number(row.get("year"), "year", low=2000, high=today.year)
            month = whole_number(row.get("month"), "month", low=1, high=12)
            count = whole_number(row.get("count"), "count", low=0, high=MAX_MONTHLY_COUNT)
        except HavenError as exc:
            raise HavenError(_("Row %(n)s, %(field)s: %(message)s") % {"n": label, "field": exc.field,
                                                                      "message": exc.message}, field="rows") from None
        if (year, month) >= (today.year, today.month):
            raise HavenError(_("Row %(n)s: only months that have ended can be imported.") % {"n": label},
                             field="rows")
        if (year, month) in seen:
            raise HavenError(_("Row %(n)s: this month appears twice.") % {"n": label}, field="rows")
        seen.add((year, month))
        clean.append(IntakeHistory(agency=agency, year=year, month=month, count=count, source=source_,
                                   imported_by=acting_user))
    IntakeHistory.objects.bulk_create(clean)
    first, last = min(seen), max(seen)
    audit_record(actor=acting_user, action=AuditAction.CREATE, object_type="intake_history", object_id=agency.pk,
                 changes={"agency": agency.pk, "months": len(clean), "from": f"{first[0]}-{first[1]:02d}",
                          "to": f"{last[0]}-{last[1]:02d}", "people": sum(r.count for r in clean)},
                 channel=channel)
    return len(clean)
