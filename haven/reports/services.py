"""Running statistics, releasing differentially private tables, setting privacy budgets. Audited.

Who may do what:
* public tables (threshold suppression) and stored DP releases: every signed-in user with a role;
* official (exact) tables: statisticians and supervisors holding `reports.view_official_statistics`,
  each run audited (which table, period, province — never the numbers);
* a new DP release (spends budget): statisticians, and supervisors holding the official permission;
* setting a yearly budget: holders of the official permission.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import Role
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.core.errors import HavenError, PermissionDenied
from haven.geo.models import AdminUnit, UnitLevel
from haven.reports import publication, statistics
from haven.reports.models import DATASET_IDENTIFIED, PrivacyBudget, PrivacyRelease
from haven.reports.statistics import COUNT_TABLES, TABLES, Period, compute, compute_many

OFFICIAL_PERMISSION = "reports.view_official_statistics"
MAX_EPSILON = Decimal("10")
MAX_TABLES = len(TABLES)


def default_yearly_epsilon() -> Decimal:
    return Decimal(str(getattr(settings, "HAVEN_DP_YEARLY_EPSILON", "2.0")))


def may_view(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role)


def may_run_official(user: Any) -> bool:
    return (may_view(user) and user.role in (Role.STATISTICIAN, Role.SUPERVISOR)
            and user.has_perm(OFFICIAL_PERMISSION))


def may_release(user: Any) -> bool:
    return may_view(user) and (user.role == Role.STATISTICIAN or may_run_official(user))


@dataclass(frozen=True)
class Request:
    tables: list[str]
    period: Period
    province: AdminUnit | None
    mode: str
    k: int
    epsilon: Decimal | None


def _int(value: Any, field: str, low: int, high: int) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise HavenError(_("Enter a whole number."), field=field) from None
    if not low <= number <= high:
        raise HavenError(_("Enter a number from %(low)d to %(high)d.") % {"low": low, "high": high}, field=field)
    return number


def _date(value: Any, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise HavenError(_("Enter a date as YYYY-MM-DD."), field=field) from None


def parse_epsilon(value: Any) -> Decimal:
    try:
        epsilon = Decimal(str(value).strip())
    except InvalidOperation:
        raise HavenError(_("Enter epsilon as a number such as 0.5."), field="epsilon") from None
    if not epsilon.is_finite() or epsilon <= 0 or epsilon > MAX_EPSILON or epsilon != epsilon.quantize(Decimal("0.001")):
        raise HavenError(_("Epsilon must be more than 0 and at most 10, with at most three decimals."), field="epsilon")
    return epsilon


def province_by_code(code: Any) -> AdminUnit | None:
    if code in (None, "", "national"):
        return None
    unit = AdminUnit.objects.filter(code=str(code), level=UnitLevel.PROVINCE).first()
    if unit is None:
        raise HavenError(_("Choose a province from the list."), field="province")
    return unit


def parse_request(data: dict[str, Any]) -> Request:
    """Validate what a page, the API or the command line asked for; a HavenError names the field."""
    tables = data.get("tables") or list(COUNT_TABLES[:1])
    if isinstance(tables, str):
        tables = [t for t in tables.split(",") if t]
    if not tables or len(tables) > MAX_TABLES or any(t not in TABLES for t in tables):
        raise HavenError(_("Choose tables from the list."), field="tables")
    if data.get("date_from") or data.get("date_to"):
        period = Period(_date(data.get("date_from"), "date_from"), _date(data.get("date_to"), "date_to"))
        if period.date_to < period.date_from:
            raise HavenError(_("The end of the period is before its start."), field="date_to")
    else:
        year_to = _int(data.get("year") or timezone.localdate().year, "year", 2000, 2100)
        year_from = _int(data.get("year_from") or year_to, "year_from", 2000, 2100)
        if year_from > year_to:
            raise HavenError(_("The end of the period is before its start."), field="year_from")
        period = Period(dt.date(year_from, 1, 1), dt.date(year_to, 12, 31))
    mode = str(data.get("mode") or publication.THRESHOLD)
    if mode not in publication.MODES:
        raise HavenError(_("Choose one of the listed options."), field="mode")
    k = _int(data.get("k") or publication.default_k(), "k", 2, 50)
    epsilon = parse_epsilon(data["epsilon"]) if data.get("epsilon") not in (None, "") else None
    return Request(list(dict.fromkeys(tables)), period, province_by_code(data.get("province")), mode, k, epsilon)


def _audit_official(user: Any, request: Request, *, channel: str, action: str = AuditAction.EXPORT,
                    what: str = "official_statistics", extra: dict[str, Any] | None = None) -> None:
    audit_record(actor=user, action=action, object_type=what, object_id=",".join(request.tables)[:64],
                 changes={"tables": request.tables, "from": request.period.date_from.isoformat(),
                          "to": request.period.date_to.isoformat(),
                          "province": request.province.code if request.province else "national", **(extra or {})},
                 channel=channel)


def statistics_run(*, acting_user: Any, request: Request, channel: str) -> list[dict[str, Any]]:
    """The requested tables, published in the requested mode. Official runs are audited.

    In "dp" mode the tables are the latest stored releases for exactly this table, period and province
    (nothing is spent here: a release is made with `release_create`); a table with none is absent.
    """
    if not may_view(acting_user):
        raise PermissionDenied()
    if request.mode == publication.OFFICIAL:
        if not may_run_official(acting_user):
            raise PermissionDenied(_("Official statistics need the official statistics permission."))
        with transaction.atomic():
            _audit_official(acting_user, request, channel=channel)
            return [publication.official(table, request.period, request.province)
                    for table in compute_many(request.tables, request.period, request.province)]
    if request.mode == publication.THRESHOLD:
        return [publication.threshold(table, request.period, request.province, request.k)
                for table in compute_many(request.tables, request.period, request.province)]
    out = []
    for code in request.tables:
        release = releases_for(code, request.period, request.province).first()
        if release is not None:
            out.append(release_view(release))
    return out


def releases_for(code: str, period: Period, province: AdminUnit | None) -> Any:
    return PrivacyRelease.objects.filter(table=code, date_from=period.date_from, date_to=period.date_to,
                                         budget__province=province).select_related("budget__province")


def release_view(release: PrivacyRelease) -> dict[str, Any]:
    """A stored release as a published table: the stored noisy cells, never recomputed."""
    period = Period(release.date_from, release.date_to)
    shape = statistics.shape(release.table, period)
    return publication.noisy(shape, period, release.budget.province, cells=release.cells,
                             epsilon=float(release.epsilon), release_id=release.pk)


# --- the privacy budget ----------------------------------------------------------------------------


def _spent(budget: PrivacyBudget | None) -> Decimal:
    if budget is None:
        return Decimal(0)
    return budget.releases.aggregate(s=Sum("epsilon"))["s"] or Decimal(0)


def budget_for(year: int, province: AdminUnit | None, *, create: bool = False) -> PrivacyBudget | None:
    found = PrivacyBudget.objects.filter(dataset=DATASET_IDENTIFIED, year=year, province=province).first()
    if found is None and create:
        found = PrivacyBudget.objects.create(dataset=DATASET_IDENTIFIED, year=year, province=province,
                                             epsilon=default_yearly_epsilon())
    return found


def budget_status(budget: PrivacyBudget) -> dict[str, Any]:
    spent = _spent(budget)
    national = None if budget.province_id is None else budget_for(budget.year, None)
    shared = _spent(national)
    return {"id": budget.pk, "dataset": budget.dataset, "year": budget.year,
            "province": budget.province.code if budget.province else None,
            "province_name": budget.province.name if budget.province else None,
            "epsilon": budget.epsilon, "spent": spent, "spent_nationally": shared,
            "remaining": max(budget.epsilon - spent - shared, Decimal(0)),
            "releases": budget.releases.count()}


def _check_fits(budget: PrivacyBudget, epsilon: Decimal) -> None:
    """A release must fit this budget; a national one must also fit every province budget of the year,
    since a person counted in a province is counted nationally too (sequential composition)."""
    checks = [budget]
    if budget.province_id is None:
        checks += list(PrivacyBudget.objects.select_for_update().filter(
            dataset=budget.dataset, year=budget.year, province__isnull=False))
    for each in checks:
        used = _spent(each) + (Decimal(0) if each.province_id is None else _spent(budget_for(each.year, None)))
        if used + epsilon > each.epsilon:
            where = each.province.name if each.province else _("the whole country")
            raise HavenError(_("Refused: this release needs epsilon %(eps)s but only %(left)s is left of the %(year)d "
                               "budget for %(where)s (%(total)s a year). Nothing was released or spent.") % {
                "eps": epsilon, "left": max(each.epsilon - used, Decimal(0)), "year": each.year, "where": where,
                "total": each.epsilon}, field="epsilon", code="budget_exhausted")


def release_create(*, acting_user: Any, table: str, period: Period, province: AdminUnit | None,
                   epsilon: Decimal, channel: str) -> PrivacyRelease:
    """Release one count table with differential privacy, debiting the year's budget; stored for re-viewing."""
    if not may_release(acting_user):
        raise PermissionDenied(_("Only statisticians and holders of the official statistics permission make releases."))
    if table not in COUNT_TABLES:
        raise HavenError(_("Differential privacy is offered only for tables where each person is counted once."),
                         field="tables")
    if period.date_from.year != period.date_to.year:
        raise HavenError(_("A differentially private release covers one calendar year at most."), field="year")
    epsilon = parse_epsilon(epsilon)
    with transaction.atomic():
        if province is not None:
            budget_for(period.date_from.year, None, create=True)
        budget = budget_for(period.date_from.year, province, create=True)
        assert budget is not None
        budget = PrivacyBudget.objects.select_for_update().get(pk=budget.pk)
        _check_fits(budget, epsilon)
        exact = compute(table, period, province)
        release = PrivacyRelease.objects.create(
            budget=budget, table=table, date_from=period.date_from, date_to=period.date_to, epsilon=epsilon,
            cells=publication.laplace_counts(exact.cells, float(epsilon)), released_by=acting_user)
        audit_record(actor=acting_user, action=AuditAction.CREATE, object_type="privacy_release", object_id=release.pk,
                     changes={"table": table, "from": period.date_from.isoformat(), "to": period.date_to.isoformat(),
                              "province": province.code if province else "national", "epsilon": str(epsilon)},
                     channel=channel)
    return release


def budget_set(*, acting_user: Any, year: Any, province: AdminUnit | None, epsilon: Any, channel: str) -> PrivacyBudget:
    """Set the yearly epsilon of a budget; never below what has been spent."""
    if not may_run_official(acting_user):
        raise PermissionDenied(_("Only holders of the official statistics permission set privacy budgets."))
    year_ = _int(year, "year", 2000, 2100)
    value = parse_epsilon(epsilon)
    with transaction.atomic():
        budget = budget_for(year_, province, create=True)
        assert budget is not None
        budget = PrivacyBudget.objects.select_for_update().get(pk=budget.pk)
        spent = _spent(budget)
        if value < spent:
            raise HavenError(_("The budget cannot be set below the %(spent)s already spent.") % {"spent": spent},
                             field="epsilon")
        old = budget.epsilon
        budget.epsilon, budget.set_by = value, acting_user
        budget.save(update_fields=["epsilon", "set_by", "set_at"])
        audit_record(actor=acting_user, action=AuditAction.UPDATE, object_type="privacy_budget", object_id=budget.pk,
                     changes={"epsilon": [str(old), str(value)], "year": year_}, channel=channel)
    return budget


def budgets_visible() -> Any:
    return PrivacyBudget.objects.select_related("province").order_by("-year", "province__name")


def record_export(*, acting_user: Any, request: Request, fmt: str, channel: str) -> None:
    """Every export of aggregate tables is audited: which tables, mode, period, format — no values."""
    audit_record(actor=acting_user, action=AuditAction.EXPORT, object_type="aggregate_tables",
                 object_id=",".join(request.tables)[:64],
                 changes={"tables": request.tables, "mode": request.mode, "format": fmt,
                          "from": request.period.date_from.isoformat(), "to": request.period.date_to.isoformat(),
                          "province": request.province.code if request.province else "national",
                          "k": request.k if request.mode == publication.THRESHOLD else None},
                 channel=channel)

