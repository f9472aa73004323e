"""Plain data for the pages, the API, the spreadsheet and the command line (one shape for all four)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from haven.accounts.models import Agency
from haven.budgets import cpi as cpi_mod
from haven.budgets.costs import Budget, CostResult
from haven.budgets.forecast import Interval
from haven.budgets.planning import Plan
from haven.budgets.selectors import Spending, current_estimates, funding_sources, spending
from haven.entitlements.engine.parameters import ParameterStore
from haven.entitlements.labels import current_language, item_label

language = current_language
item_name = item_label


def parameter_name(store: ParameterStore, code: str, lang: str | None = None) -> str:
    definition = store.definitions.get(code)
    description = definition.description if definition else {}
    return description.get(lang or language()) or code


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def estimate_summary(agency: Agency, year: int, *, today: dt.date, with_spending: bool) -> dict[str, Any]:
    """Each funding source: the estimate in force, what was spent, the share used."""
    estimates = {e.funding_source_id: e for e in current_estimates(agency, year)}
    spent: Spending | None = spending(agency, year, until=today) if with_spending else None
    rows = []
    for source in funding_sources(agency):
        estimate = estimates.get(source.pk)
        used = spent.by_source.get(source.pk, 0) if spent else None
        amount = estimate.amount if estimate else None
        rows.append({
            "funding_source_id": source.pk, "funding_source": source.name, "kind": source.kind,
            "estimate": amount, "estimate_id": estimate.pk if estimate else None,
            "entered_by": estimate.entered_by.username if estimate else None,
            "entered_at": estimate.entered_at if estimate else None, "note": estimate.note if estimate else "",
            "lines": {line.item: line.amount for line in estimate.lines.all()} if estimate else {},
            "spent": used, "percent_used": percent(used, amount) if used is not None and amount else None,
            "remaining": amount - used if amount is not None and used is not None else None,
        })
    total_estimate = sum(int(r["estimate"] or 0) for r in rows)  # type: ignore[call-overload]
    total_spent = spent.total if spent else None
    return {"year": year, "rows": rows, "total_estimate": total_estimate, "total_spent": total_spent,
            "percent_used": percent(total_spent, total_estimate) if total_spent is not None else None,
            "spending": spent}


def spending_out(spent: Spending) -> dict[str, Any]:
    return {
        "year": spent.year, "total": spent.total, "by_month": spent.by_month, "cumulative": spent.cumulative(),
        "by_item": [{"item": code, "name": item_name(code), "months": months, "total": sum(months)}
                    for code, months in sorted(spent.by_item_month.items())],
        "by_funding_source": [{"funding_source_id": k, "total": v} for k, v in sorted(spent.by_source.items())],
    }


def interval_out(iv: Interval) -> dict[str, Any]:
    return {"mean": round(iv.mean, 2), "lo80": iv.lo80, "hi80": iv.hi80, "lo95": iv.lo95, "hi95": iv.hi95}


def budget_out(b: Budget) -> dict[str, int]:
    return {"mean": b.mean, "lo80": b.lo80, "hi80": b.hi80, "lo95": b.lo95, "hi95": b.hi95}


def cost_out(cost: CostResult) -> dict[str, Any]:
    return {
        "profiles": cost.profiles, "evaluated_on": cost.on, "mean_per_person": cost.mean,
        "items": [{"item": i.code, "name": item_name(i.code), "mean_per_person": i.mean,
                   "people_with_amount": i.people_with_amount, "people_amount_not_set": i.people_not_set}
                  for i in cost.items],
        "not_included": [{"item": e.code, "name": item_name(e.code), "reason": e.reason, "people": e.people}
                         for e in cost.excluded],
    }


def plan_out(plan: Plan, *, with_history: bool) -> dict[str, Any]:
    f = plan.forecast
    out: dict[str, Any] = {
        "agency_id": plan.agency.pk, "year": plan.year,
        "model": {"name": f.model, "family": f.family, "observed_months": f.observed_months,
                  "alpha": f.alpha, "dispersion": f.dispersion, "trend_per_year": f.trend_per_year,
                  "notes": f.notes},
        "months": [{"month": m.label(), **interval_out(iv)} for m, iv in zip(f.months, f.monthly, strict=True)],
        "total": interval_out(f.total),
        "cost": cost_out(plan.cost),
        "budget": budget_out(plan.budget),
        "what_if": None,
        "history": None,
    }
    if with_history:
        out["history"] = [{"month": m.label(), "count": c} for m, c in sorted(plan.history.items())]
    if plan.what_if:
        out["what_if"] = {"overrides": plan.what_if.overrides, "cost": cost_out(plan.what_if.cost),
                          "budget": budget_out(plan.what_if.budget),
                          "difference": plan.what_if.budget.mean - plan.budget.mean}
    return out


def cpi_out(series: cpi_mod.CpiSeries) -> dict[str, Any]:
    return {
        "code": series.code, "unit": series.unit, "description": series.description.get(language(), ""),
        "years": [{"year": r.year, "percent": float(r.percent), "index": float(round(series.index(r.year), 2)),
                   "confidence": r.confidence, "source": r.source} for r in series.years],
        "index_base_year": series.first_year - 1,
        "sources": [{"key": k, "name": v.get("name", ""), "url": v.get("url", ""), "via": v.get("via"),
                     "retrieved": str(v.get("retrieved", ""))} for k, v in series.sources.items()],
    }


def erosion_out(e: cpi_mod.Erosion) -> dict[str, Any]:
    return {"amount": e.amount, "set_year": e.set_year, "in_year": e.in_year, "worth": e.worth,
            "needed": e.needed, "lost_percent": float(e.lost_percent), "confidence": e.confidence}


def adequacy_out(store: ParameterStore, histories: list[cpi_mod.AmountHistory], base_year: int) -> list[dict[str, Any]]:
    return [{
        "code": h.value.code, "name": parameter_name(store, h.value.code), "scope": h.value.scope,
        "unit": h.value.unit, "value": h.value.value, "valid_from": h.value.valid_from, "valid_to": h.value.valid_to,
        "same_since": h.same_since, "citation": h.value.citation.to_dict(), "confidence": h.confidence,
        "parameter_confidence": h.value.confidence, "base_year": base_year,
        "real": [{"year": y, "value": v} for y, v in h.real], "erosion": erosion_out(h.erosion),
    } for h in histories]
