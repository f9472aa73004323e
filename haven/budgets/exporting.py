"""The budget workbook for one agency and year, built once for the page, the API and the command line."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.budgets.forecast import SIMULATIONS
from haven.budgets.planning import budget_plan
from haven.budgets.presenters import estimate_summary, plan_out, spending_out
from haven.budgets.selectors import BudgetNeed, access_agency
from haven.budgets.services import budget_year
from haven.budgets.xlsx import budget_workbook

MODEL_NAMES = {
    "constant": "Poisson GLM, constant rate",
    "trend": "Poisson GLM, log-linear trend",
    "seasonal": "Poisson GLM, month of year",
    "trend_seasonal": "Poisson GLM, trend and month of year",
    "gamma_poisson": "Poisson rate with Jeffreys Gamma posterior (short history)",
    "none": "no forecast (no history)",
}


def export_workbook(user: Any, agency: Any, *, year: Any = None, overrides: dict[str, Any] | None = None,
                    channel: str) -> tuple[bytes, str]:
    """This year's estimate and spending (year = the spending year, default this year) and the
    forecast for the year after it, with the what-if if asked. The export is audited."""
    agency = access_agency(user, agency.pk, BudgetNeed.SPENDING)
    today = timezone.localdate()
    year_ = budget_year(year or today.year)
    summary = estimate_summary(agency, year_, today=today, with_spending=True)
    plan = budget_plan(agency, year=max(year_ + 1, today.year + 1), overrides=overrides, today=today)
    data = plan_out(plan, with_history=True)
    model = data["model"]
    assumptions = [
        (_("Spending"), _("Approved ledger entries (reversals included), by the date given or paid")),
        (_("Intake model"), MODEL_NAMES.get(model["name"], model["name"]) + f" ({model['family']})"),
        (_("Months of history"), str(model["observed_months"])),
        (_("Simulations"), str(SIMULATIONS)),
        (_("Per-person cost"), _("Entitlement rules in force on %(day)s, for %(n)d recent profiles of the agency") % {
            "day": data["cost"]["evaluated_on"].isoformat(), "n": data["cost"]["profiles"]}),
        (_("Amounts not set"), _("Not included: Haven never invents an amount the rules do not fix")),
        (_("What-if"), _("Computed for this file only; nothing is stored") if data["what_if"] else "—"),
        (_("Made on"), timezone.localtime().strftime("%Y-%m-%d %H:%M")),
    ]
    content = budget_workbook(agency_name=agency.name, summary=summary, spending=spending_out(summary["spending"]),
                              plan=data, assumptions=assumptions)
    audit_record(actor=user, action=AuditAction.EXPORT, object_type="budget_workbook", object_id=agency.pk,
                 changes={"year": year_, "forecast_year": plan.year, "what_if": bool(data["what_if"])},
                 channel=channel)
    return content, f"budget-{agency.pk}-{year_}.xlsx"
