"""Request and response schemas of the budgets API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Field, Schema
from pydantic import StringConstraints

from haven.core.api_types import text

Money = Annotated[int, Field(ge=0, le=10**15)]
YearField = Annotated[int, Field(ge=2000, le=2100)]
ItemCode = Annotated[str, StringConstraints(max_length=40, pattern=r"^[a-z_]+$")]
ParamCode = Annotated[str, StringConstraints(max_length=80, pattern=r"^[a-z_.]+$")]


class EstimateIn(Schema):
    funding_source_id: int = Field(..., ge=1, le=2**63 - 1)
    year: YearField
    amount: Money
    note: text(500) = ""  # type: ignore[valid-type]
    lines: dict[ItemCode, Money] = Field(default_factory=dict, description="Optional split by entitlement item")


class EstimateRowOut(Schema):
    funding_source_id: int
    funding_source: str
    kind: str
    estimate: int | None
    estimate_id: int | None
    entered_by: str | None
    entered_at: dt.datetime | None
    note: str
    lines: dict[str, int]
    spent: int | None = Field(None, description="Approved spending this year to date (supervisors only)")
    percent_used: float | None
    remaining: int | None


class EstimatesOut(Schema):
    agency_id: int
    year: int
    rows: list[EstimateRowOut]
    total_estimate: int
    total_spent: int | None
    percent_used: float | None


class EstimateOut(Schema):
    id: int
    agency_id: int
    funding_source_id: int
    year: int
    amount: int
    note: str
    lines: dict[str, int]
    entered_by: str
    entered_at: dt.datetime


class ItemMonthsOut(Schema):
    item: str
    name: str
    months: list[int]
    total: int


class SourceTotalOut(Schema):
    funding_source_id: int
    total: int


class SpendingOut(Schema):
    agency_id: int
    year: int
    total: int
    by_month: list[int]
    cumulative: list[int]
    by_item: list[ItemMonthsOut]
    by_funding_source: list[SourceTotalOut]


class IntervalOut(Schema):
    mean: float
    lo80: int
    hi80: int
    lo95: int
    hi95: int


class MonthIntervalOut(IntervalOut):
    month: str


class BudgetOut(Schema):
    mean: int
    lo80: int
    hi80: int
    lo95: int
    hi95: int


class ItemCostOut(Schema):
    item: str
    name: str
    mean_per_person: int
    people_with_amount: int
    people_amount_not_set: int


class NotIncludedOut(Schema):
    item: str
    name: str
    reason: str = Field(..., description="amount_not_set or no_fixed_amount")
    people: int


class CostOut(Schema):
    profiles: int
    evaluated_on: dt.date
    mean_per_person: int
    items: list[ItemCostOut]
    not_included: list[NotIncludedOut]


class WhatIfOut(Schema):
    overrides: dict[str, int]
    cost: CostOut
    budget: BudgetOut
    difference: int


class ModelOut(Schema):
    name: str = Field(..., description="constant, trend, seasonal, trend_seasonal, gamma_poisson or none")
    family: str
    observed_months: int
    alpha: float | None
    dispersion: float | None
    trend_per_year: float | None
    notes: list[str]


class HistoryMonthOut(Schema):
    month: str
    count: int | None


class ForecastOut(Schema):
    agency_id: int
    year: int
    model: ModelOut
    months: list[MonthIntervalOut]
    total: IntervalOut
    cost: CostOut
    budget: BudgetOut
    what_if: WhatIfOut | None
    history: list[HistoryMonthOut] | None = Field(None, description="Not shown to statisticians")


class WhatIfIn(Schema):
    year: YearField | None = None
    overrides: dict[ParamCode, Annotated[int, Field(ge=0, le=10**9)]] = Field(
        ..., description="Amount parameters and the values to try, e.g. {\"essential_needs.daily_rate\": 60000}")


class IntakeRowIn(Schema):
    month: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}$", max_length=7)]
    count: int = Field(..., ge=0, le=100_000)


class IntakeIn(Schema):
    source: text(200) = ""  # type: ignore[valid-type]
    rows: list[IntakeRowIn] = Field(..., max_length=1200)


class IntakeOut(Schema):
    imported: int


class IntakeMonthOut(Schema):
    month: str
    count: int
    source: str
    imported_by: str
    imported_at: dt.datetime


class CpiYearOut(Schema):
    year: int
    percent: float
    index: float
    confidence: str
    source: str


class CpiSourceOut(Schema):
    key: str
    name: str
    url: str
    via: str | None
    retrieved: str


class CpiOut(Schema):
    code: str
    unit: str
    description: str
    index_base_year: int
    years: list[CpiYearOut]
    sources: list[CpiSourceOut]


class ErosionOut(Schema):
    amount: int
    set_year: int
    in_year: int
    worth: int
    needed: int
    lost_percent: float
    confidence: str


class AmountCitationOut(Schema):
    instrument: str
    article: str | None


class YearValueOut(Schema):
    year: int
    value: int


class AmountAdequacyOut(Schema):
    code: str
    name: str
    scope: str
    unit: str
    value: int
    valid_from: dt.date
    valid_to: dt.date | None
    same_since: dt.date
    citation: AmountCitationOut
    confidence: str
    parameter_confidence: str
    base_year: int
    real: list[YearValueOut]
    erosion: ErosionOut


class AdequacyOut(Schema):
    base_year: int
    amounts: list[AmountAdequacyOut]
    calculation: ErosionOut | None
