"""Report pages: the annual statistics (choose tables, period, province, mode), their downloads, DP
releases and the privacy budget ledger. Views parse and present; `services` checks and audits."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from haven.accounts.models import User
from haven.core.errors import HavenError
from haven.geo.models import AdminUnit, UnitLevel
from haven.reports import exports, publication, services
from haven.reports.statistics import COUNT_TABLES, TABLES

CHANNEL = "web"
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _query(request: HttpRequest) -> dict[str, Any]:
    data: dict[str, Any] = {key: request.GET.get(key) or request.POST.get(key) for key in
                            ("year", "year_from", "date_from", "date_to", "province", "mode", "k", "epsilon")}
    data["tables"] = request.GET.getlist("tables") or request.POST.getlist("tables")
    return data


def _refused(request: HttpRequest, exc: HavenError, status: int | None = None) -> HttpResponse:
    return render(request, "reports/bad_request.html", {"message": exc.message, "field": exc.field,
                                                         "back": reverse("reports:index")},
                  status=status or exc.status_code)


def _choices(user: User) -> dict[str, Any]:
    modes = [(publication.THRESHOLD, _("Public: small counts hidden")),
             (publication.DP, _("Public: differentially private releases"))]
    if services.may_run_official(user):
        modes.insert(0, (publication.OFFICIAL, _("Official: exact (restricted, audited)")))
    return {
        "table_choices": [(code, str(title)) for code, title in TABLES.items()], "count_tables": COUNT_TABLES,
        "provinces": AdminUnit.objects.filter(level=UnitLevel.PROVINCE).order_by("name_ascii", "valid_from"),
        "modes": modes, "may_release": services.may_release(user), "default_k": publication.default_k(),
    }


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    context: dict[str, Any] = {**_choices(user), "query": request.GET, "tables": None,
                               "selected": request.GET.getlist("tables") or ["sex_age"]}
    if request.GET.get("run"):
        try:
            parsed = services.parse_request(_query(request))
            tables = services.statistics_run(acting_user=user, request=parsed, channel=CHANNEL)
        except HavenError as exc:
            return _refused(request, exc)
        context.update(parsed=parsed, tables=[{"table": t, "chart": exports.table_chart(t)} for t in tables],
                       export_query=request.GET.urlencode())
    return render(request, "reports/index.html", context)


@login_required
@require_GET
def download(request: HttpRequest, fmt: str) -> HttpResponse:
    """CSV, XLSX or the PDF report of the tables on the page, in the same mode. Audited."""
    user = _user(request)
    try:
        parsed = services.parse_request(_query(request))
        tables = services.statistics_run(acting_user=user, request=parsed, channel=CHANNEL)
        content = render_export(tables, fmt, language=request.GET.get("lang") or request.LANGUAGE_CODE)
        services.record_export(acting_user=user, request=parsed, fmt=fmt, channel=CHANNEL)
    except HavenError as exc:
        return _refused(request, exc)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="haven-statistics-{parsed.period.label()}.{fmt}"'
    return response


def render_export(tables: list[dict[str, Any]], fmt: str, *, language: str) -> bytes:
    if not tables:
        raise HavenError(_("There is nothing to export: no table was released for this choice."), field="tables")
    if fmt == "csv":
        return exports.csv_bytes(tables)
    if fmt == "xlsx":
        return exports.xlsx_bytes(tables)
    lang = "en" if (language or "").startswith("en") else "vi"
    from django.utils import translation

    with translation.override(lang):
        title = _("Annual statistics on trafficking victims")
    return exports.report_pdf(tables, language=lang, title=title)


@login_required
@require_POST
def release(request: HttpRequest) -> HttpResponse:
    """Spend epsilon on a differentially private release of each chosen count table."""
    user = _user(request)
    try:
        parsed = services.parse_request({**_query(request), "mode": publication.DP})
        if parsed.epsilon is None:
            raise HavenError(_("Enter epsilon as a number such as 0.5."), field="epsilon")
        for code in parsed.tables:
            services.release_create(acting_user=user, table=code, period=parsed.period, province=parsed.province,
                                    epsilon=parsed.epsilon, channel=CHANNEL)
    except HavenError as exc:
        return _refused(request, exc)
    messages.success(request, _("Released. Viewing these tables again spends nothing."))
    query = f"run=1&mode=dp&year={parsed.period.date_to.year}&year_from={parsed.period.date_from.year}"
    query += f"&province={parsed.province.code if parsed.province else ''}"
    query += "".join(f"&tables={code}" for code in parsed.tables)
    return redirect(f"{reverse('reports:index')}?{query}")


@login_required
def budgets(request: HttpRequest) -> HttpResponse:
    """The privacy budget ledger: each year's epsilon, what was spent and on which releases."""
    user = _user(request)
    if not services.may_view(user):
        return _refused(request, HavenError(_("Not found."), code="not_found"), 404)
    if request.method == "POST":
        try:
            services.budget_set(acting_user=user, year=request.POST.get("year"),
                                province=services.province_by_code(request.POST.get("province")),
                                epsilon=request.POST.get("epsilon"), channel=CHANNEL)
        except HavenError as exc:
            return _refused(request, exc)
        messages.success(request, _("The privacy budget was saved."))
        return redirect("reports:budgets")
    rows = [{"budget": b, **services.budget_status(b)} for b in services.budgets_visible()]
    releases = services.PrivacyRelease.objects.select_related("budget__province", "released_by")[:100]
    return render(request, "reports/budgets.html", {
        "rows": rows, "releases": releases, "may_set": services.may_run_official(user),
        "provinces": _choices(user)["provinces"], "default_epsilon": services.default_yearly_epsilon(),
        "titles": {code: str(t) for code, t in TABLES.items()},
    })
