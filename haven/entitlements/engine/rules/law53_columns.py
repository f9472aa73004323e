"""Column versions of the Law 53/2024 rules in `law53.py`, step for step."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..calendar import add_months_array
from ..columns import VICTIM
from .law53 import VOCAB
from .vector import Decider, ItemColumns, VFacts, gate, reported_note


def _decider(v: VFacts, code: str) -> Decider:
    return Decider(v, code, VOCAB[code])


def essential_needs(v: VFacts) -> ItemColumns:
    d = _decider(v, "essential_needs")
    gate(v, d, "essential_needs")
    max_days = v.required("essential_needs.max_days", d.open)
    d.limit("max_days", max_days)
    d.note(True, "new.essential.limit@essential_needs.max_days")
    paid = np.minimum(v.stay_days, max_days)
    d.limit("stay_days", v.stay_days, mask=v.has_stay)
    d.limit("paid_days", paid, mask=v.has_stay)
    d.note(v.has_stay & (v.stay_days > max_days), "new.essential.extendable")
    rate = v.need("essential_needs.daily_rate", d.open)
    d.decide(~rate.number, "amount_not_set", "amount.not_set@essential_needs.daily_rate")
    d.limit("rate_vnd_per_day", rate.value)
    d.pay(rate.value * paid, mask=v.has_stay)
    reported_note(d, rate, "essential_needs.daily_rate")
    d.decide(True, "entitled", "new.essential.rate@essential_needs.daily_rate")
    return d.result()


def _amount_item(v: VFacts, item: str, code: str, rule_key: str, amount_key: str,
                 one_off: bool = False) -> ItemColumns:
    d = _decider(v, item)
    gate(v, d, item)
    value = v.need(code, d.open)
    if one_off:
        d.limit("one_off", np.ones(v.n, dtype=bool), kind="bool")
    d.note(True, rule_key)
    d.decide(~value.number, "amount_not_set", f"amount.not_set@{code}")
    d.pay(value.value)
    reported_note(d, value, code)
    d.decide(True, "entitled", f"{amount_key}@{code}")
    return d.result()


def medical(v: VFacts) -> ItemColumns:
    return _amount_item(v, "medical", "medical.support_level", "new.medical.rule", "new.medical.amount")


def hardship_allowance(v: VFacts) -> ItemColumns:
    return _amount_item(v, "hardship_allowance", "hardship.amount", "new.hardship.rule", "new.hardship.amount",
                        one_off=True)


def health_insurance(v: VFacts) -> ItemColumns:
    d = _decider(v, "health_insurance")
    gate(v, d, "health_insurance")
    d.decide(v.cols.category != VICTIM, "not_entitled", "new.hi.victims_only")
    share = v.param("health_insurance.premium_share")
    d.decide(~share.number, "not_entitled", "new.hi.not_in_force")
    if not np.any(d.open):
        return d.result()
    months = v.required("health_insurance.months", d.open)
    ends = add_months_array(v.cols.identified_on, months)
    d.limit("premium_share_min_percent", share.value)
    d.limit("months", months)
    d.deadline("support_ends", ends)
    d.decide(v.on64 > ends, "deadline_passed", "new.hi.ended")
    d.decide(True, "entitled", "new.hi.entitled@health_insurance.premium_share")
    return d.result()


def travel(v: VFacts) -> ItemColumns:
    d = _decider(v, "travel")
    gate(v, d, "travel")
    rate = v.need("travel.meal_rate", d.open)
    d.note(True, "new.travel.rule")
    d.decide(~rate.number, "amount_not_set", "amount.not_set@travel.meal_rate")
    d.limit("meal_rate_vnd_per_day", rate.value)
    reported_note(d, rate, "travel.meal_rate")
    d.decide(True, "entitled", "new.travel.rate@travel.meal_rate")
    return d.result()


def education(v: VFacts) -> ItemColumns:
    d = _decider(v, "education")
    gate(v, d, "education")
    d.decide(v.age < 0, "needs_information", "new.education.need_age")
    d.decide(v.age >= 18, "not_entitled", "new.education.adult")
    d.limit("tuition_exemption", np.ones(v.n, dtype=bool), kind="bool")
    d.limit("school_years", np.full(v.n, 2, dtype=np.int64))
    d.decide(True, "entitled", "new.education.entitled")
    return d.result()


def _plain(item: str, key: str) -> Callable[[VFacts], ItemColumns]:
    """An item with no condition beyond the gate."""
    def rule(v: VFacts) -> ItemColumns:
        d = _decider(v, item)
        gate(v, d, item)
        d.decide(True, "entitled", key)
        return d.result()
    rule.__name__ = item
    return rule


COLUMN_RULES: dict[str, Callable[[VFacts], ItemColumns]] = {
    "essential_needs": essential_needs,
    "medical": medical,
    "health_insurance": health_insurance,
    "interpretation": _plain("interpretation", "new.interpretation"),
    "legal_support": _plain("legal_support", "new.legal_support"),
    "legal_aid": _plain("legal_aid", "new.legal_aid"),
    "travel": travel,
    "psychological": _plain("psychological", "new.psych"),
    "education": education,
    "vocational_training": _plain("vocational_training", "new.vocational"),
    "hardship_allowance": hardship_allowance,
    "loan": _plain("loan", "new.loan"),
}
