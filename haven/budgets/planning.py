"""Next year's budget: the intake forecast times the per-person cost, with a what-if that is never stored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import Agency
from haven.budgets.costs import (
    Budget,
    CostResult,
    amount_parameters,
    case_to_profile,
    per_person_cost,
    simulate_budget,
    what_if_store,
)
from haven.budgets.forecast import DEFAULT_SEED, Forecast, Month, forecast_intake
from haven.budgets.selectors import monthly_intake, recent_cases_for_costing
from haven.budgets.services import whole_number
from haven.core.errors import HavenError
from haven.entitlements.engine.parameters import ParameterError, ParameterStore
from haven.entitlements.engine.profile import ProfileError
from haven.entitlements.services import parameter_store, province_slug

MAX_YEARS_AHEAD = 3
MAX_OVERRIDES = 10
MAX_RATE = 10**9  # per day or per person: far above any support amount


@dataclass
class WhatIf:
    overrides: dict[str, int]
    cost: CostResult
    budget: Budget


@dataclass
class Plan:
    agency: Agency
    year: int
    history: dict[Month, int | None]
    forecast: Forecast
    cost: CostResult
    budget: Budget
    what_if: WhatIf | None
    amount_codes: list[str]


def forecast_year(value: Any, *, today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    if value in (None, ""):
        return today.year + 1
    year = whole_number(value, "year", low=0, high=9999)
    if not today.year + 1 <= year <= today.year + MAX_YEARS_AHEAD:
        raise HavenError(_("Forecasts are for next year and up to %(n)d years ahead.") % {"n": MAX_YEARS_AHEAD},
                         field="year")
    return year


def clean_overrides(raw: Mapping[str, Any] | None, store: ParameterStore, year: int) -> dict[str, int]:
    """What-if amounts by parameter code; only amount parameters in force in `year` may change."""
    if not raw:
        return {}
    if len(raw) > MAX_OVERRIDES:
        raise HavenError(_("Too many items: at most %(n)d.") % {"n": MAX_OVERRIDES}, field="overrides")
    allowed = set(amount_parameters(store, dt.date(year, 12, 31)))
    out: dict[str, int] = {}
    for code, value in raw.items():
        if code not in allowed:
            raise HavenError(_("Choose an amount that the rules use in that year."), field="overrides")
        out[code] = whole_number(value, "overrides", low=0, high=MAX_RATE)
    return out


def recent_profiles(agency: Agency, *, year: int, today: dt.date) -> list[dict[str, Any]]:
    profiles = []
    for n, case in enumerate(recent_cases_for_costing(agency, today=today)):
        try:
            facts = case.entitlement_facts
        except Exception:  # noqa: BLE001 - RelatedObjectDoesNotExist: no facts recorded yet
            facts = None
        profiles.append(case_to_profile(case, facts, year=year, index=n, province=province_slug(case), today=today))
    return profiles


def _costs(profiles: list[dict[str, Any]], year: int, store: ParameterStore) -> CostResult:
    try:
        return per_person_cost(profiles, year, store)
    except (ProfileError, ParameterError, ValueError) as exc:
        raise HavenError(_("The cost cannot be computed: %(why)s") % {"why": exc}, code="engine") from exc


def budget_plan(agency: Agency, *, year: Any = None, overrides: Mapping[str, Any] | None = None,
                today: dt.date | None = None, seed: int = DEFAULT_SEED) -> Plan:
    """Forecast, per-person cost and budget for `year` (default next year), and the what-if if asked."""
    today = today or timezone.localdate()
    year_ = forecast_year(year, today=today)
    store = parameter_store()
    changes = clean_overrides(overrides, store, year_)
    history = monthly_intake(agency, until=today)
    forecast = forecast_intake(history, year_, seed=seed)
    profiles = recent_profiles(agency, year=year_, today=today)
    cost = _costs(profiles, year_, store)
    budget = simulate_budget(forecast.totals, cost.per_person, seed=seed + 1)
    what_if = None
    if changes:
        alt_cost = _costs(profiles, year_, what_if_store(store, changes, year_))
        # The same seed: the intake and the people drawn are the same, only the rates differ.
        what_if = WhatIf(changes, alt_cost, simulate_budget(forecast.totals, alt_cost.per_person, seed=seed + 1))
    return Plan(agency=agency, year=year_, history=history, forecast=forecast, cost=cost, budget=budget,
                what_if=what_if, amount_codes=amount_parameters(store, dt.date(year_, 12, 31)))
