"""Reads for budgets: who may see which agency's budget, estimates, spending and monthly intake.

Who (docs/budgets.md):
- a supervisor sees and enters their own agency's estimates, spending and forecast;
- an agency administrator sees and enters their own agency's estimates and intake history;
- a statistician sees the aggregate forecast of any agency (no case data, no spending);
- nobody else sees anything. Another agency's budget and a missing agency are the same "not found".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractMonth, ExtractYear

from haven.accounts.models import Agency, Role
from haven.budgets.forecast import Month
from haven.budgets.models import BudgetEstimate, IntakeHistory
from haven.cases import validation as v
from haven.cases.models import Case, Category
from haven.core.errors import NotFound
from haven.referrals.models import Referral, ReferralStatus
from haven.support.models import FundingSource, LedgerEntry


class BudgetNeed(StrEnum):
    ESTIMATES = "estimates"  # see and enter estimates and intake history
    SPENDING = "spending"  # spending against the estimate, the export
    FORECAST = "forecast"  # the forecast and what-if (aggregates only)


_ALLOWED: dict[BudgetNeed, frozenset[str]] = {
    BudgetNeed.ESTIMATES: frozenset({Role.SUPERVISOR, Role.AGENCY_ADMIN}),
    BudgetNeed.SPENDING: frozenset({Role.SUPERVISOR}),
    BudgetNeed.FORECAST: frozenset({Role.SUPERVISOR, Role.STATISTICIAN}),
}
# Statisticians report on every agency, as on their dashboard; the others only on their own.
_ANY_AGENCY = frozenset({Role.STATISTICIAN})


def may_use_budgets(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active and any(
        user.role in roles for roles in _ALLOWED.values())


def allows(user: Any, agency: Agency, need: BudgetNeed) -> bool:
    if not may_use_budgets(user) or user.role not in _ALLOWED[need]:
        return False
    return user.role in _ANY_AGENCY or (user.agency_id is not None and user.agency_id == agency.pk)


def access_agency(user: Any, agency_id: Any, need: BudgetNeed) -> Agency:
    """The agency whose budget the user may use for `need`, or NotFound (missing and forbidden alike)."""
    pk = v.record_id(agency_id)
    agency = Agency.objects.select_related("jurisdiction").filter(pk=pk, is_active=True).first()
    if agency is None or not allows(user, agency, need):
        raise NotFound()
    return agency


def agencies_for(user: Any, need: BudgetNeed) -> list[Agency]:
    """Agencies whose budget the user may use for `need` (their own, or all for a statistician)."""
    if not may_use_budgets(user) or user.role not in _ALLOWED[need]:
        return []
    agencies = Agency.objects.filter(is_active=True)
    if user.role not in _ANY_AGENCY:
        agencies = agencies.filter(pk=user.agency_id)
    return list(agencies.order_by("name"))


# --- Estimates --------------------------------------------------------------------------------------


def funding_sources(agency: Agency) -> list[FundingSource]:
    return list(FundingSource.objects.filter(agency=agency).order_by("name"))


def current_estimates(agency: Agency, year: int) -> list[BudgetEstimate]:
    """The latest estimate of each funding source for the year (revisions are newer rows)."""
    rows = (BudgetEstimate.objects.filter(agency=agency, year=year)
            .select_related("funding_source", "entered_by").prefetch_related("lines")
            .order_by("funding_source_id", "-entered_at", "-pk"))
    latest: dict[int, BudgetEstimate] = {}
    for row in rows:
        latest.setdefault(row.funding_source_id, row)
    return sorted(latest.values(), key=lambda e: e.funding_source.name)


def estimate_history(agency: Agency, year: int) -> list[BudgetEstimate]:
    return list(BudgetEstimate.objects.filter(agency=agency, year=year)
                .select_related("funding_source", "entered_by").order_by("-entered_at", "-pk"))


# --- Spending ---------------------------------------------------------------------------------------


@dataclass
class Spending:
    """Approved spending of an agency's funding sources in one year, in integer đồng."""

    year: int
    by_item_month: dict[str, list[int]]  # item -> 12 monthly totals
    by_month: list[int]
    by_source: dict[int, int]  # funding source id -> total
    total: int

    def cumulative(self) -> list[int]:
        out, running = [], 0
        for amount in self.by_month:
            running += amount
            out.append(running)
        return out


def approved_entries(agency: Agency, year: int) -> Any:
    # The contract with support: spent = approved entries; a reversal is a negative approved entry.
    return LedgerEntry.objects.filter(funding_source__agency=agency, provided_on__year=year, approval__approved=True)


def spending(agency: Agency, year: int, *, until: dt.date | None = None) -> Spending:
    """Aggregated in the database: by item and month, and by funding source."""
    entries = approved_entries(agency, year)
    if until is not None:
        entries = entries.filter(provided_on__lte=until)
    by_item_month: dict[str, list[int]] = {}
    by_month = [0] * 12
    cells = (entries.annotate(m=ExtractMonth("provided_on")).values("item", "m").annotate(total=Sum("amount"))
             .order_by("item", "m"))
    for row in cells:
        by_item_month.setdefault(row["item"], [0] * 12)[row["m"] - 1] = int(row["total"])
        by_month[row["m"] - 1] += int(row["total"])
    by_source = {row["funding_source"]: int(row["total"]) for row in
                 entries.values("funding_source").annotate(total=Sum("amount")).order_by("funding_source")}
    return Spending(year=year, by_item_month=by_item_month, by_month=by_month, by_source=by_source,
                    total=sum(by_month))


# --- Intake -----------------------------------------------------------------------------------------


def intake_rows(agency: Agency) -> list[IntakeHistory]:
    """The latest imported count of each month."""
    latest: dict[tuple[int, int], IntakeHistory] = {}
    for row in IntakeHistory.objects.filter(agency=agency).order_by("year", "month", "-imported_at", "-pk"):
        latest.setdefault((row.year, row.month), row)
    return [latest[k] for k in sorted(latest)]


def intake_cases(agency: Agency) -> Any:
    """The people an agency receives: the cases it holds, and the cases referred to it and accepted
    (a shelter or a legal aid centre seldom holds a case but receives many). A relative is protected
    but not received for support. A case counts in the month the person was received."""
    referred = Referral.objects.filter(
        to_agency=agency, status__in=(ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED)
    ).values("case_id")
    return Case.objects.filter(Q(owner_agency=agency) | Q(pk__in=referred)).exclude(category=Category.RELATIVE)


def monthly_intake(agency: Agency, *, until: dt.date) -> dict[Month, int | None]:
    """People received per month, from the imported paper records and Haven's cases, up to the
    last complete month before `until`.

    A month with an imported count takes that count and nothing else (the paper register is the
    whole month, so cases entered in Haven for that month are already in it). From the first month
    with a case in Haven on, a month without an imported count is Haven's count (zero if none).
    Before that, a month without an imported count is unknown (None), not zero.
    """
    last = Month(until.year, until.month).index() - 1
    imported = {Month(r.year, r.month): r.count for r in intake_rows(agency)}
    haven: dict[Month, int] = {}
    for row in (intake_cases(agency).filter(received_on__lt=dt.date(until.year, until.month, 1))
                .annotate(y=ExtractYear("received_on"), m=ExtractMonth("received_on"))
                .values("y", "m").annotate(n=Count("pk")).order_by("y", "m")):
        haven[Month(row["y"], row["m"])] = row["n"]
    starts = [m.index() for m in (*imported, *haven)]
    if not starts:
        return {}
    haven_start = min((m.index() for m in haven), default=None)
    out: dict[Month, int | None] = {}
    for i in range(min(starts), last + 1):
        month = Month.of_index(i)
        if month in imported:
            out[month] = imported[month]
        elif haven_start is not None and i >= haven_start:
            out[month] = haven.get(month, 0)
        else:
            out[month] = None
    return out


def recent_cases_for_costing(agency: Agency, *, today: dt.date, months: int = 24) -> Any:
    """The agency's cases received in the last `months` months: the mix of people the cost is based on."""
    since = dt.date(today.year - months // 12, today.month, 1)
    return (intake_cases(agency).filter(received_on__gte=since, received_on__lte=today)
            .select_related("person__home_province", "reception_unit__parent__parent", "accompanies",
                            "entitlement_facts")
            .order_by("received_on", "pk"))
