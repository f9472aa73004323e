"""Law 53/2024/QH15 regime (Decree 162/2025/ND-CP) from 2025-07-01: one rule per item of Art. 37.

Decree 162/2025 amounts are not confirmed: the rules give `amount_not_set` until an official
figure is entered with its citation.
"""

from __future__ import annotations

from collections.abc import Callable

from ..calendar import add_months
from .base import (
    AMOUNT_NOT_SET,
    DEADLINE_PASSED,
    ENTITLED,
    NEEDS_INFORMATION,
    NOT_ENTITLED,
    Facts,
    Outcome,
    gate,
    need_param,
    with_reported,
)

GATE = ("new.category", "new.minor_age_unknown", "new.minor_adult")

# The first reason of an outcome states its status; the order below puts those first.
VOCAB: dict[str, tuple[str, ...]] = {
    "essential_needs": GATE + ("amount.not_set@essential_needs.daily_rate",
                               "new.essential.rate@essential_needs.daily_rate",
                               "new.essential.limit@essential_needs.max_days", "new.essential.extendable",
                               "amount.reported@essential_needs.daily_rate"),
    "medical": GATE + ("amount.not_set@medical.support_level", "new.medical.amount@medical.support_level",
                       "new.medical.rule", "amount.reported@medical.support_level"),
    "health_insurance": GATE + ("new.hi.victims_only", "new.hi.not_in_force", "new.hi.ended",
                                "new.hi.entitled@health_insurance.premium_share"),
    "interpretation": GATE + ("new.interpretation",),
    "legal_support": GATE + ("new.legal_support",),
    "legal_aid": GATE + ("new.legal_aid",),
    "travel": GATE + ("amount.not_set@travel.meal_rate", "new.travel.rate@travel.meal_rate", "new.travel.rule",
                      "amount.reported@travel.meal_rate"),
    "psychological": GATE + ("new.psych",),
    "education": GATE + ("new.education.need_age", "new.education.adult", "new.education.entitled"),
    "vocational_training": GATE + ("new.vocational",),
    "hardship_allowance": GATE + ("amount.not_set@hardship.amount", "new.hardship.amount@hardship.amount",
                                  "new.hardship.rule", "amount.reported@hardship.amount"),
    "loan": GATE + ("new.loan",),
}



def essential_needs(f: Facts) -> Outcome:
    """Shelter, food, personal and school items: rate x days, at most 120 days, extendable
    (Law 53/2024 Art. 37(a); Decree 162/2025 Art. 17)."""
    if out := gate(f, "essential_needs"):
        return out
    max_days = f.required("essential_needs.max_days").value or 0
    limits: dict[str, object] = {"max_days": max_days}
    reasons = ["new.essential.limit@essential_needs.max_days"]
    paid = None
    if f.profile.shelter_stay is not None:
        stay_days = f.stay_days()
        paid = min(stay_days, max_days)
        limits |= {"stay_days": stay_days, "paid_days": paid}
        if stay_days > max_days:
            reasons.append("new.essential.extendable")
    rate = need_param(f, "essential_needs.daily_rate")
    if rate.value is None:
        return Outcome(AMOUNT_NOT_SET, [*reasons, "amount.not_set@essential_needs.daily_rate"], None, limits)
    limits["rate_vnd_per_day"] = rate.value
    amount = None if paid is None else rate.value * paid
    return Outcome(ENTITLED, reasons + with_reported(rate, "new.essential.rate"), amount, limits)


def _amount_item(f: Facts, item: str, code: str, rule_key: str, amount_key: str,
                 limits: dict[str, object] | None = None) -> Outcome:
    """An item whose only open question is a (possibly unset) amount."""
    if out := gate(f, item):
        return out
    value = need_param(f, code)
    if value.value is None:
        return Outcome(AMOUNT_NOT_SET, [rule_key, f"amount.not_set@{code}"], None, dict(limits or {}))
    return Outcome(ENTITLED, [rule_key, *with_reported(value, amount_key)], value.value, dict(limits or {}))


def medical(f: Facts) -> Outcome:
    """Medical examination and treatment (Law 53/2024 Art. 37(b); Decree 162/2025)."""
    return _amount_item(f, "medical", "medical.support_level", "new.medical.rule", "new.medical.amount")


def health_insurance(f: Facts) -> Outcome:
    """The state pays at least 50% of the health-insurance premium for 1 year from confirmation
    as a victim, from 2025-08-15 (Decree 188/2025 Art. 6(6))."""
    if out := gate(f, "health_insurance"):
        return out
    if f.profile.category != "victim":
        return Outcome(NOT_ENTITLED, ["new.hi.victims_only"])
    share = f.param("health_insurance.premium_share")
    if share is None or share.value is None:
        return Outcome(NOT_ENTITLED, ["new.hi.not_in_force"])
    months = f.required("health_insurance.months").value or 0
    assert f.profile.identified_on is not None
    ends = add_months(f.profile.identified_on, months)
    limits: dict[str, object] = {"premium_share_min_percent": share.value, "months": months}
    if f.on > ends:
        return Outcome(DEADLINE_PASSED, ["new.hi.ended"], None, limits, {"support_ends": ends})
    return Outcome(ENTITLED, ["new.hi.entitled@health_insurance.premium_share"], None, limits,
                   {"support_ends": ends})


def interpretation(f: Facts) -> Outcome:
    """Interpretation (Law 53/2024 Art. 37(c))."""
    return gate(f, "interpretation") or Outcome(ENTITLED, ["new.interpretation"])


def legal_support(f: Facts) -> Outcome:
    """Legal support and counselling (Law 53/2024 Art. 37(d))."""
    return gate(f, "legal_support") or Outcome(ENTITLED, ["new.legal_support"])


def legal_aid(f: Facts) -> Outcome:
    """Free legal aid without a means test (Law 53/2024 Art. 37(đ); Legal Aid Law Art. 7 cl. 6a)."""
    return gate(f, "legal_aid") or Outcome(ENTITLED, ["new.legal_aid"])


def travel(f: Facts) -> Outcome:
    """Travel home (Law 53/2024 Art. 37(e)); amounts by Decree 162/2025, not yet entered."""
    if out := gate(f, "travel"):
        return out
    rate = need_param(f, "travel.meal_rate")
    if rate.value is None:
        return Outcome(AMOUNT_NOT_SET, ["new.travel.rule", "amount.not_set@travel.meal_rate"])
    return Outcome(ENTITLED, ["new.travel.rule", *with_reported(rate, "new.travel.rate")], None,
                   {"meal_rate_vnd_per_day": rate.value})


def psychological(f: Facts) -> Outcome:
    """Psychological support, also for people not staying at a facility (Law 53/2024 Art. 37(g))."""
    return gate(f, "psychological") or Outcome(ENTITLED, ["new.psych"])


def education(f: Facts) -> Outcome:
    """General education for under-18s: schooling during a stay; on return, tuition exemption and
    textbooks for the first school year and the next (Law 53/2024 Art. 37(h); Decree 162/2025 Art. 24)."""
    if out := gate(f, "education"):
        return out
    if f.age is None:
        return Outcome(NEEDS_INFORMATION, ["new.education.need_age"])
    if f.age >= 18:
        return Outcome(NOT_ENTITLED, ["new.education.adult"])
    return Outcome(ENTITLED, ["new.education.entitled"], None, {"tuition_exemption": True, "school_years": 2})


def vocational_training(f: Facts) -> Outcome:
    """Vocational training and free job counselling (Law 53/2024 Art. 37(i); Decree 162/2025 Art. 25)."""
    return gate(f, "vocational_training") or Outcome(ENTITLED, ["new.vocational"])


def hardship_allowance(f: Facts) -> Outcome:
    """Initial hardship allowance (Law 53/2024 Art. 37(k)); level and conditions by Decree 162/2025."""
    return _amount_item(f, "hardship_allowance", "hardship.amount", "new.hardship.rule", "new.hardship.amount",
                        {"one_off": True})


def loan(f: Facts) -> Outcome:
    """Preferential loans from the Bank for Social Policies (Law 53/2024 Art. 37(k); Decree 162/2025 Art. 25)."""
    return gate(f, "loan") or Outcome(ENTITLED, ["new.loan"])


RULES: dict[str, Callable[[Facts], Outcome]] = {
    "essential_needs": essential_needs,
    "medical": medical,
    "health_insurance": health_insurance,
    "interpretation": interpretation,
    "legal_support": legal_support,
    "legal_aid": legal_aid,
    "travel": travel,
    "psychological": psychological,
    "education": education,
    "vocational_training": vocational_training,
    "hardship_allowance": hardship_allowance,
    "loan": loan,
}
