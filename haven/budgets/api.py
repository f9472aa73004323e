"""API: budget estimates, spending against them, intake history, the forecast and what-if, the
workbook; the CPI series and the adequacy of support amounts.

Agency routes load the agency through `access_agency`: another agency's budget and a missing agency
give the same 404 (statisticians: forecasts of any agency, aggregates only).
"""

from __future__ import annotations

from typing import Any

import pydantic
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from haven.budgets import cpi
from haven.budgets.api_schemas import (
    AdequacyOut,
    CpiOut,
    EstimateIn,
    EstimateOut,
    EstimatesOut,
    ForecastOut,
    IntakeIn,
    IntakeMonthOut,
    IntakeOut,
    SpendingOut,
    WhatIfIn,
)
from haven.budgets.exporting import export_workbook
from haven.budgets.planning import budget_plan
from haven.budgets.presenters import (
    adequacy_out,
    cpi_out,
    erosion_out,
    estimate_summary,
    plan_out,
    spending_out,
)
from haven.budgets.selectors import BudgetNeed, access_agency, allows, intake_rows, spending
from haven.budgets.services import budget_year, estimate_add, intake_import, whole_number
from haven.core.api_auth import ANY_AUTH, api_user
from haven.core.api_types import ERRORS, ErrorOut, IdPath, reply
from haven.core.errors import HavenError
from haven.entitlements.services import parameter_store

router = Router(auth=ANY_AUTH)
CHANNEL = "api"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_RESPONSE = {"responses": {200: {
    "description": "The budget workbook: estimate, spending by item and month, forecast, what-if, assumptions",
    "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}},
}}}


_user = api_user


class YearQuery(Schema):
    year: int | None = pydantic.Field(None, ge=0, le=9999, description="Default: this year")


class ForecastQuery(Schema):
    year: int | None = pydantic.Field(None, ge=0, le=9999, description="Default: next year (up to 3 years ahead)")


class ExportQuery(Schema):
    year: int | None = pydantic.Field(None, ge=0, le=9999, description="Spending year; the forecast is for the next")
    lang: str | None = pydantic.Field(None, pattern="^(vi|en)$", description="Language of the workbook")


class AdequacyQuery(Schema):
    base: int | None = pydantic.Field(None, ge=0, le=9999, description="Constant prices of this year (default 2013)")
    amount: int | None = pydantic.Field(None, ge=1, le=10**12, description="An amount to check, in đồng")
    set_year: int | None = pydantic.Field(None, ge=0, le=9999, description="The year the amount was fixed")
    in_year: int | None = pydantic.Field(None, ge=0, le=9999, description="The year it is spent (default latest)")


# --- Estimates and spending -------------------------------------------------------------------------


@router.get("/budgets/agencies/{agency_id}/estimates", response={200: EstimatesOut, ERRORS: ErrorOut},
            summary="The estimate in force per funding source, with spending to date (supervisors, agency admins)")
def estimate_list(request: HttpRequest, agency_id: IdPath, query: Query[YearQuery]) -> dict[str, Any]:
    user = _user(request)
    agency = access_agency(user, agency_id, BudgetNeed.ESTIMATES)
    year = budget_year(query.year if query.year is not None else timezone.localdate().year)
    summary = estimate_summary(agency, year, today=timezone.localdate(),
                               with_spending=allows(user, agency, BudgetNeed.SPENDING))
    return {"agency_id": agency.pk, **{k: v for k, v in summary.items() if k != "spending"}}


@router.post("/budgets/agencies/{agency_id}/estimates", response={201: EstimateOut, ERRORS: ErrorOut},
             summary="Enter or revise an annual estimate; the latest counts, earlier ones stay (audited)")
def estimate_create(request: HttpRequest, agency_id: IdPath, payload: EstimateIn) -> Any:
    estimate = estimate_add(acting_user=_user(request), agency_id=agency_id, funding_source_id=payload.funding_source_id,
                            year=payload.year, amount=payload.amount, note=payload.note, lines=payload.lines,
                            channel=CHANNEL)
    return reply(201, {
        "id": estimate.pk, "agency_id": estimate.agency_id, "funding_source_id": estimate.funding_source_id,
        "year": estimate.year, "amount": estimate.amount, "note": estimate.note,
        "lines": {line.item: line.amount for line in estimate.lines.all()},
        "entered_by": estimate.entered_by.username, "entered_at": estimate.entered_at,
    })


@router.get("/budgets/agencies/{agency_id}/spending", response={200: SpendingOut, ERRORS: ErrorOut},
            summary="Approved spending by item and month and by funding source (supervisors)")
def spending_detail(request: HttpRequest, agency_id: IdPath, query: Query[YearQuery]) -> dict[str, Any]:
    agency = access_agency(_user(request), agency_id, BudgetNeed.SPENDING)
    year = budget_year(query.year if query.year is not None else timezone.localdate().year)
    return {"agency_id": agency.pk, **spending_out(spending(agency, year))}


# --- Intake history ---------------------------------------------------------------------------------


@router.get("/budgets/agencies/{agency_id}/intake", response={200: list[IntakeMonthOut], ERRORS: ErrorOut},
            summary="Imported monthly intake counts, the latest per month (supervisors, agency admins)")
def intake_list(request: HttpRequest, agency_id: IdPath) -> list[dict[str, Any]]:
    agency = access_agency(_user(request), agency_id, BudgetNeed.ESTIMATES)
    return [{"month": f"{r.year}-{r.month:02d}", "count": r.count, "source": r.source,
             "imported_by": r.imported_by.username, "imported_at": r.imported_at}
            for r in intake_rows(agency)]


@router.post("/budgets/agencies/{agency_id}/intake", response={201: IntakeOut, ERRORS: ErrorOut},
             summary="Import monthly intake counts from paper records; all rows or none (audited)")
def intake_create(request: HttpRequest, agency_id: IdPath, payload: IntakeIn) -> Any:
    rows = []
    for n, row in enumerate(payload.rows, start=1):
        year, _sep, month = row.month.partition("-")
        rows.append({"year": year, "month": month, "count": row.count, "line": n})
    count = intake_import(acting_user=_user(request), agency_id=agency_id, rows=rows, source=payload.source,
                          channel=CHANNEL)
    return reply(201, {"imported": count})


# --- Forecast, what-if, workbook --------------------------------------------------------------------


def _forecast(request: HttpRequest, agency_id: int, year: Any, overrides: dict[str, Any] | None) -> dict[str, Any]:
    user = _user(request)
    agency = access_agency(user, agency_id, BudgetNeed.FORECAST)
    plan = budget_plan(agency, year=year, overrides=overrides)
    return plan_out(plan, with_history=allows(user, agency, BudgetNeed.SPENDING))


@router.get("/budgets/agencies/{agency_id}/forecast", response={200: ForecastOut, ERRORS: ErrorOut},
            summary="Next year's monthly intake with 80%/95% intervals, cost per person and budget")
def forecast_detail(request: HttpRequest, agency_id: IdPath, query: Query[ForecastQuery]) -> dict[str, Any]:
    return _forecast(request, agency_id, query.year, None)


@router.post("/budgets/agencies/{agency_id}/what-if", response={200: ForecastOut, ERRORS: ErrorOut},
             summary="The forecast budget if some amounts were different (computed only, never stored)")
def what_if(request: HttpRequest, agency_id: IdPath, payload: WhatIfIn) -> dict[str, Any]:
    if not payload.overrides:
        raise HavenError(_("Choose an amount and enter its what-if value."), field="overrides")
    return _forecast(request, agency_id, payload.year, dict(payload.overrides))


@router.get("/budgets/agencies/{agency_id}/export.xlsx", response={ERRORS: ErrorOut}, openapi_extra=XLSX_RESPONSE,
            summary="The budget workbook (supervisors; audited)")
def export(request: HttpRequest, agency_id: IdPath, query: Query[ExportQuery]) -> HttpResponse:
    agency = access_agency(_user(request), agency_id, BudgetNeed.SPENDING)
    language = query.lang or translation.get_language() or "vi"
    with translation.override(language):
        content, filename = export_workbook(_user(request), agency, year=query.year, channel=CHANNEL)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


# --- CPI and adequacy -------------------------------------------------------------------------------


@router.get("/cpi", response={200: CpiOut, ERRORS: ErrorOut},
            summary="Vietnam's annual consumer price inflation as shipped, with sources and confidence")
def cpi_series(request: HttpRequest) -> dict[str, Any]:
    return cpi_out(cpi.default_series())


@router.get("/cpi/adequacy", response={200: AdequacyOut, ERRORS: ErrorOut},
            summary="Support amounts in constant prices, and what an amount fixed in a year has lost")
def adequacy(request: HttpRequest, query: Query[AdequacyQuery]) -> dict[str, Any]:
    series = cpi.default_series()
    low, high = series.first_year - 1, series.last_year
    base = whole_number(query.base if query.base is not None else 2013, "base", low=low, high=high)
    store = parameter_store()
    calculation = None
    if query.amount is not None:
        set_year = whole_number(query.set_year if query.set_year is not None else 2013, "set_year", low=low, high=high)
        in_year = whole_number(query.in_year if query.in_year is not None else high, "in_year", low=set_year, high=high)
        calculation = erosion_out(cpi.erosion(series, query.amount, set_year, in_year))
    return {"base_year": base, "amounts": adequacy_out(store, cpi.amount_histories(store, series, base), base),
            "calculation": calculation}
