"""API: the annual statistics in official or public mode, DP releases, the privacy budget ledger, and
the aggregate downloads (CSV, XLSX, PDF). Counts only; official mode needs the permission and is audited."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from ninja import Query, Router

from haven.core.api_auth import ANY_AUTH, api_user
from haven.core.api_types import ERRORS, ErrorOut, reply
from haven.core.errors import NotFound, PermissionDenied
from haven.reports import services
from haven.reports.api_schemas import (
    PublishedTableOut,
    ReportBudgetIn,
    ReportBudgetOut,
    ReportReleaseIn,
    ReportTableInfoOut,
    StatisticsQuery,
)
from haven.reports.statistics import COUNT_TABLES, TABLES, Period
from haven.reports.views import CONTENT_TYPES, render_export

router = Router(auth=ANY_AUTH)
CHANNEL = "api"


_user = api_user


def _viewer(request: HttpRequest) -> Any:
    user = _user(request)
    if not services.may_view(user):
        raise PermissionDenied()
    return user


def _parse(query: StatisticsQuery) -> services.Request:
    return services.parse_request({"tables": query.tables, "year": query.year, "year_from": query.year_from,
                                   "province": query.province, "mode": query.mode, "k": query.k})


@router.get("/reports/tables", response={200: list[ReportTableInfoOut], ERRORS: ErrorOut},
            summary="The tables on offer and whether differential privacy may release them")
def table_list(request: HttpRequest) -> list[dict[str, Any]]:
    _viewer(request)
    return [{"code": code, "title": str(title), "dp_allowed": code in COUNT_TABLES} for code, title in TABLES.items()]


@router.get("/reports/statistics", response={200: list[PublishedTableOut], ERRORS: ErrorOut},
            summary="Tables for a period and province: official (exact, permission, audited), threshold or dp")
def statistics(request: HttpRequest, query: Query[StatisticsQuery]) -> list[dict[str, Any]]:
    return services.statistics_run(acting_user=_viewer(request), request=_parse(query), channel=CHANNEL)


DOWNLOAD = {"responses": {200: {"description": "The tables as a file", "content": {
    ctype.split(";")[0]: {"schema": {"type": "string", "format": "binary"}} for ctype in CONTENT_TYPES.values()}}}}


@router.get("/reports/statistics/download/{fmt}", response={ERRORS: ErrorOut}, openapi_extra=DOWNLOAD,
            summary="The same tables as CSV, XLSX or the PDF report (audited)")
def statistics_download(request: HttpRequest, fmt: str, query: Query[StatisticsQuery]) -> Any:
    if fmt not in CONTENT_TYPES:
        raise NotFound()
    user = _viewer(request)
    parsed = _parse(query)
    with translation.override(query.lang or translation.get_language() or "vi"):
        tables = services.statistics_run(acting_user=user, request=parsed, channel=CHANNEL)
        content = render_export(tables, fmt, language=query.lang or translation.get_language() or "vi")
    services.record_export(acting_user=user, request=parsed, fmt=fmt, channel=CHANNEL)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="haven-statistics-{parsed.period.label()}.{fmt}"'
    return response


@router.post("/reports/releases", response={201: PublishedTableOut, ERRORS: ErrorOut},
             summary="Release one count table with differential privacy, spending epsilon (statisticians)")
def release_create(request: HttpRequest, payload: ReportReleaseIn) -> Any:
    user = _viewer(request)
    release = services.release_create(acting_user=user, table=payload.table, period=Period.year(payload.year),
                                      province=services.province_by_code(payload.province),
                                      epsilon=payload.epsilon, channel=CHANNEL)
    return reply(201, services.release_view(release))


@router.get("/reports/budgets", response={200: list[ReportBudgetOut], ERRORS: ErrorOut},
            summary="The privacy budget ledger: yearly epsilon, spent and left per area")
def budget_list(request: HttpRequest) -> list[dict[str, Any]]:
    _viewer(request)
    return [services.budget_status(b) for b in services.budgets_visible()]


@router.post("/reports/budgets", response={200: ReportBudgetOut, ERRORS: ErrorOut},
             summary="Set a yearly privacy budget (holders of the official statistics permission)")
def budget_set(request: HttpRequest, payload: ReportBudgetIn) -> dict[str, Any]:
    budget = services.budget_set(acting_user=_viewer(request), year=payload.year,
                                 province=services.province_by_code(payload.province), epsilon=payload.epsilon,
                                 channel=CHANNEL)
    return services.budget_status(budget)
