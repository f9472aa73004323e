"""Schemas of the reports API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pydantic
from ninja import Schema

from haven.core.api_types import text


class StatisticsQuery(Schema):
    tables: list[text(40)] = pydantic.Field(default_factory=lambda: ["sex_age"], max_length=12,  # type: ignore[valid-type]
                                            description="Table codes (see GET /api/reports/tables)")
    year: int | None = pydantic.Field(None, ge=2000, le=2100, description="Last year of the period (default this year)")
    year_from: int | None = pydantic.Field(None, ge=2000, le=2100, description="First year (default: year)")
    province: text(120) | None = pydantic.Field(None, description="Province code; empty for the whole country")  # type: ignore[valid-type]
    mode: str = pydantic.Field("threshold", pattern="^(official|threshold|dp)$")
    k: int | None = pydantic.Field(None, ge=2, le=50, description="Threshold (default 5)")
    lang: str | None = pydantic.Field(None, pattern="^(vi|en)$")


class ReportTableInfoOut(Schema):
    code: str
    title: str
    dp_allowed: bool


class ReportCellOut(Schema):
    value: int | None = pydantic.Field(..., description="None when hidden")
    status: str = pydantic.Field(..., description="exact, shown, primary, secondary or noisy")


class ReportRowOut(Schema):
    code: str
    label: str
    cells: list[ReportCellOut]
    total: ReportCellOut | None


class ReportTotalsOut(Schema):
    cells: list[ReportCellOut]
    total: ReportCellOut


class ReportColumnOut(Schema):
    code: str
    label: str


class ReportLegendOut(Schema):
    status: str
    text: str


class PublishedTableOut(Schema):
    code: str
    title: str
    period: str
    date_from: dt.date
    date_to: dt.date
    province: str | None
    province_name: str
    mode: str
    measure: str
    additive: bool
    k: int | None
    epsilon: float | None
    release_id: int | None
    row_title: str
    col_title: str
    columns: list[ReportColumnOut]
    rows: list[ReportRowOut]
    totals: ReportTotalsOut | None
    legend: list[ReportLegendOut]
    notes: list[str]


class ReportReleaseIn(Schema):
    table: text(40)  # type: ignore[valid-type]
    year: int = pydantic.Field(..., ge=2000, le=2100)
    province: text(120) | None = None  # type: ignore[valid-type]
    epsilon: Decimal = pydantic.Field(..., gt=0, le=10, decimal_places=3)


class ReportBudgetIn(Schema):
    year: int = pydantic.Field(..., ge=2000, le=2100)
    province: text(120) | None = None  # type: ignore[valid-type]
    epsilon: Decimal = pydantic.Field(..., gt=0, le=10, decimal_places=3)


class ReportBudgetOut(Schema):
    id: int
    dataset: str
    year: int
    province: str | None
    province_name: str | None
    epsilon: Decimal
    spent: Decimal
    spent_nationally: Decimal
    remaining: Decimal
    releases: int
