"""Budget pages: estimates and spending against them, next year's forecast with a what-if, the
workbook, and the adequacy of support amounts after inflation.

Every agency page loads the agency through `selectors.access_agency`: another agency's budget and a
missing agency are the same 404. Views parse and present; services and selectors do the work.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from haven.accounts.models import Role, User
from haven.budgets import charts, cpi
from haven.budgets.exporting import export_workbook
from haven.budgets.forecast import Month
from haven.budgets.planning import budget_plan
from haven.budgets.presenters import (
    adequacy_out,
    erosion_out,
    estimate_summary,
    item_name,
    parameter_name,
    plan_out,
    spending_out,
)
from haven.budgets.selectors import (
    BudgetNeed,
    access_agency,
    agencies_for,
    allows,
    estimate_history,
    funding_sources,
    intake_rows,
    may_use_budgets,
)
from haven.budgets.services import budget_year, estimate_add, intake_import, parse_intake_csv, whole_number
from haven.core.errors import HavenError, NotFound
from haven.entitlements.engine import ITEM_CODES
from haven.entitlements.services import parameter_store

MAX_UPLOAD = 200_000  # bytes: a century of monthly counts is a few kilobytes


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _agency(request: HttpRequest, agency_id: int, need: BudgetNeed) -> Any:
    try:
        return access_agency(_user(request), agency_id, need)
    except NotFound:
        raise Http404() from None


def _bad_request(request: HttpRequest, exc: HavenError, back: str) -> HttpResponse:
    return render(request, "budgets/bad_request.html", {"message": exc.message, "field": exc.field, "back": back},
                  status=400)


def _month_labels() -> list[str]:
    return [f"{m:02d}" for m in range(1, 13)]


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not may_use_budgets(user):
        raise Http404()
    if user.role in (Role.SUPERVISOR, Role.AGENCY_ADMIN) and user.agency_id:
        return redirect("budgets:agency", agency_id=user.agency_id)
    agencies = agencies_for(user, BudgetNeed.FORECAST)
    if not agencies:
        raise Http404()
    return render(request, "budgets/index.html", {"agencies": agencies, "next_year": timezone.localdate().year + 1})


@login_required
@require_GET
def agency(request: HttpRequest, agency_id: int) -> HttpResponse:
    user = _user(request)
    target = _agency(request, agency_id, BudgetNeed.ESTIMATES)
    today = timezone.localdate()
    back = reverse("budgets:agency", args=[target.pk])
    try:
        year = budget_year(request.GET.get("year") or today.year)
    except HavenError as exc:
        return _bad_request(request, exc, back)
    with_spending = allows(user, target, BudgetNeed.SPENDING)
    summary = estimate_summary(target, year, today=today, with_spending=with_spending)
    context: dict[str, Any] = {
        "agency": target, "year": year, "years": list(range(today.year - 3, today.year + 2)), "summary": summary,
        "with_spending": with_spending, "sources": funding_sources(target), "history": estimate_history(target, year),
        "items": [(code, item_name(code)) for code in ITEM_CODES], "months": _month_labels(),
        "intake": intake_rows(target)[-24:], "may_forecast": allows(user, target, BudgetNeed.FORECAST),
    }
    if with_spending:
        spent = summary["spending"]
        context["spending"] = spending_out(spent)
        context["spending_chart"] = charts.spending_chart(
            _month_labels(), spent.by_month, summary["total_estimate"],
            title=_("Approved spending by month against the estimate, %(year)s") % {"year": year},
            spent_label=_("Spent in the month"), cumulative_label=_("Spent since 1 January"),
            estimate_label=_("Estimate for the year"))
    return render(request, "budgets/agency.html", context)


@login_required
@require_POST
def estimate_new(request: HttpRequest, agency_id: int) -> HttpResponse:
    target = _agency(request, agency_id, BudgetNeed.ESTIMATES)
    lines = {code: request.POST.get(f"line_{code}", "") for code in ITEM_CODES if request.POST.get(f"line_{code}")}
    try:
        estimate = estimate_add(acting_user=_user(request), agency_id=target.pk,
                                funding_source_id=request.POST.get("funding_source"), year=request.POST.get("year"),
                                amount=request.POST.get("amount"), note=request.POST.get("note", ""), lines=lines)
    except NotFound:
        raise Http404() from None
    except HavenError as exc:
        return _bad_request(request, exc, reverse("budgets:agency", args=[target.pk]))
    messages.success(request, _("The estimate of %(amount)s đồng is recorded.") % {"amount": f"{estimate.amount:,}".replace(",", ".")})
    return redirect(f"{reverse('budgets:agency', args=[target.pk])}?year={estimate.year}")


@login_required
@require_POST
def intake_upload(request: HttpRequest, agency_id: int) -> HttpResponse:
    target = _agency(request, agency_id, BudgetNeed.ESTIMATES)
    back = reverse("budgets:agency", args=[target.pk])
    upload = request.FILES.get("file")
    try:
        if upload is not None:
            if upload.size is None or upload.size > MAX_UPLOAD:
                raise HavenError(_("The file is too large."), field="file")
            raw = upload.read()
        else:
            raw = (request.POST.get("rows") or "").encode()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise HavenError(_("The file must be UTF-8 text (CSV)."), field="file") from None
        count = intake_import(acting_user=_user(request), agency_id=target.pk, rows=parse_intake_csv(text),
                              source=request.POST.get("source", ""))
    except NotFound:
        raise Http404() from None
    except HavenError as exc:
        return _bad_request(request, exc, back)
    messages.success(request, _("%(n)d months of intake were imported.") % {"n": count})
    return redirect(back)


def _what_if_request(request: HttpRequest) -> dict[str, Any]:
    code = request.GET.get("code") or ""
    value = request.GET.get("value") or ""
    if not code and not value:
        return {}
    if not code or not value:
        raise HavenError(_("Choose an amount and enter its what-if value."), field="value")
    return {code: value}


@login_required
@require_GET
def forecast(request: HttpRequest, agency_id: int) -> HttpResponse:
    user = _user(request)
    target = _agency(request, agency_id, BudgetNeed.FORECAST)
    back = reverse("budgets:forecast", args=[target.pk])
    try:
        plan = budget_plan(target, year=request.GET.get("year"), overrides=_what_if_request(request))
    except HavenError as exc:
        return _bad_request(request, exc, back)
    # Monthly counts of a small agency can point at people: statisticians see the model's output only.
    with_history = user.role != Role.STATISTICIAN
    data = plan_out(plan, with_history=with_history)
    history = sorted(plan.history.items())[-36:] if with_history else []
    fan = charts.fan_chart(
        [(m.label(), c) for m, c in history],
        [(m["month"], m["mean"], m["lo80"], m["hi80"], m["lo95"], m["hi95"]) for m in data["months"]],
        title=_("Monthly intake: observed and forecast for %(year)s") % {"year": plan.year},
        observed_label=_("Observed"), mean_label=_("Expected"), band80_label=_("80% interval"),
        band95_label=_("95% interval"))
    store = parameter_store()
    return render(request, "budgets/forecast.html", {
        "agency": target, "plan": data, "fan_chart": fan, "history": history, "with_history": with_history,
        "amount_codes": [(code, parameter_name(store, code)) for code in plan.amount_codes],
        "chosen_code": request.GET.get("code") or ("essential_needs.daily_rate" if plan.year > 2025 else "food.daily_rate"),
        "chosen_value": request.GET.get("value") or "",
        "may_see_spending": allows(user, target, BudgetNeed.SPENDING),
        "this_month": Month(timezone.localdate().year, timezone.localdate().month).label(),
    })


@login_required
@require_GET
def export(request: HttpRequest, agency_id: int) -> HttpResponse:
    target = _agency(request, agency_id, BudgetNeed.SPENDING)
    try:
        content, filename = export_workbook(_user(request), target, year=request.GET.get("year"),
                                            overrides=_what_if_request(request), channel="web")
    except HavenError as exc:
        return _bad_request(request, exc, reverse("budgets:agency", args=[target.pk]))
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def adequacy(request: HttpRequest) -> HttpResponse:
    series = cpi.default_series()
    store = parameter_store()
    back = reverse("budgets:adequacy")
    try:
        base = whole_number(request.GET.get("base") or 2013, "base", low=series.first_year - 1, high=series.last_year)
        histories = cpi.amount_histories(store, series, base)
        calc = None
        if request.GET.get("amount"):
            amount = whole_number(request.GET["amount"], "amount", low=1, high=10**12)
            set_year = whole_number(request.GET.get("set_year") or 2013, "set_year", low=series.first_year - 1,
                                    high=series.last_year)
            in_year = whole_number(request.GET.get("in_year") or series.last_year, "in_year", low=set_year,
                                   high=series.last_year)
            calc = erosion_out(cpi.erosion(series, amount, set_year, in_year))
    except HavenError as exc:
        return _bad_request(request, exc, back)
    rows = adequacy_out(store, histories, base)
    chart = charts.adequacy_chart(
        [(f"{r['name']} ({r['scope']}) {r['value']:,}".replace(",", "."), [(p["year"], p["value"]) for p in r["real"]])
         for r in rows],
        title=_("Real value of support amounts, as a share of their value when set"))
    return render(request, "budgets/adequacy.html", {
        "rows": rows, "chart": chart, "calc": calc, "base": base, "series": series,
        "years": list(range(series.first_year - 1, series.last_year + 1)),
        "cpi_rows": [(r, round(series.index(r.year), 2), series.sources[r.source]) for r in series.years],
        "today": dt.date.today,
    })
