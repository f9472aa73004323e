"""Law 66/2011/QH12 regime: one rule per item (Decree 09/2013/ND-CP; Circular 84/2019/TT-BTC).

Each rule takes the person's Facts and returns an Outcome. `VOCAB` lists, per item, every
reason key the rule can give, in the order they are shown; the batch path uses the same order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from ..calendar import add_months, add_working_days, next_working_day
from ..regimes import CIRCULAR84, DECREE09, LAW53_FROM, LEGAL_AID_FREE_FROM
from .base import (
    AMOUNT_NOT_SET,
    DEADLINE_PASSED,
    ENTITLED,
    NEEDS_INFORMATION,
    NOT_ENTITLED,
    Facts,
    Outcome,
    gate,
    minor_gate,
    need_param,
    with_reported,
)

GATE = ("old.category", "old.minor_age_unknown", "old.minor_adult")
APPLY_NOTES = ("old.apply.by", "old.apply.rolled", "old.steps@application.commune_days",
               "old.steps_no_district@application.commune_days")
CLOTHING_KIT = ("clothes_2_sets", "underwear_2_sets", "towel", "plastic_slippers", "toothbrush",
                "toothpaste", "soap")
CLOTHING_KIT_WITH_PADS = (*CLOTHING_KIT, "sanitary_pads")

# The first reason of an outcome states its status; the order below puts those first.
VOCAB: dict[str, tuple[str, ...]] = {
    "food": GATE + ("old.food.no_stay", "amount.not_set@food.daily_rate", "old.food.amount@food.daily_rate",
                    "old.food.limit_days@food.max_days", "old.food.limit_months@food.max_months",
                    "old.food.over_limit", "amount.reported@food.daily_rate"),
    "clothing_personal_items": GATE + ("old.clothing.no_stay", "old.clothing.in_kind",
                                       "old.clothing.in_kind_with_pads", "amount.not_set@clothing.package",
                                       "old.clothing.package@clothing.package", "amount.reported@clothing.package"),
    "travel": GATE + ("old.travel.entitled@travel.meal_rate", "amount.not_set@travel.meal_rate", "old.travel.rule",
                      "amount.reported@travel.meal_rate"),
    "medical": GATE + ("old.medical.no_stay", "old.medical.need_insurance", "old.medical.need_groups",
                       "old.medical.need_relatives", "amount.not_set@medical.medicine",
                       "old.medical.basis_insurance", "old.medical.basis_group", "old.medical.basis_no_relatives",
                       "old.medical.basis_facility", "old.medical.medicine@medical.medicine",
                       "amount.reported@medical.medicine", "old.medical.actual_cost"),
    "health_insurance": GATE + ("old.hi.no_stay", "old.hi.has_card", "old.hi.need_info", "old.hi.free_card"),
    "psychological": GATE + ("old.psych.no_stay", "old.psych.entitled", "old.psych.minor_safety"),
    "legal_aid": GATE + ("legal_aid.free_2025", "old.legal_aid.no_difficulty", "old.legal_aid.need_info",
                         "old.legal_aid.difficulty"),
    "education": GATE + ("old.education.not_poor", "old.apply.late", "old.apply.late_received",
                         "old.education.need_poor", "old.education.entitled") + APPLY_NOTES,
    "vocational_training": GATE + ("old.apply.late", "old.apply.late_received",
                                   "old.vocational.entitled") + APPLY_NOTES,
    "hardship_allowance": GATE + ("old.hardship.not_poor", "old.apply.late", "old.apply.late_received",
                                  "old.hardship.need_poor", "amount.not_set@hardship.amount",
                                  "old.hardship.amount@hardship.amount", "old.hardship.rule",
                                  "amount.reported@hardship.amount") + APPLY_NOTES,
    "loan": GATE + ("old.loan.entitled",),
}



def food(f: Facts) -> Outcome:
    """Food during a shelter stay: rate x days, at most 60 days to 2019-12-31 (Decree 09/2013 Art. 19),
    at most 3 months from 2020-01-01 (Circular 84/2019)."""
    if out := gate(f, "food"):
        return out
    stay = f.profile.shelter_stay
    if stay is None:
        return Outcome(NOT_ENTITLED, ["old.food.no_stay"])
    stay_days = stay.days(f.on)
    if f.choice.period == DECREE09:
        max_days = f.required("food.max_days").value or 0
        paid = min(stay_days, max_days)
        limits: dict[str, object] = {"max_days": max_days}
        reasons = ["old.food.limit_days@food.max_days"]
    else:
        months = f.required("food.max_months").value or 0
        limit_ends = add_months(stay.start, months) - dt.timedelta(days=1)
        paid = (min(stay.last_day(f.on), limit_ends) - stay.start).days + 1
        limits = {"max_months": months, "limit_ends": limit_ends}
        reasons = ["old.food.limit_months@food.max_months"]
    limits |= {"stay_days": stay_days, "paid_days": paid}
    if stay_days > paid:
        reasons.append("old.food.over_limit")
    rate = need_param(f, "food.daily_rate")
    if rate.value is None:
        return Outcome(AMOUNT_NOT_SET, [*reasons, "amount.not_set@food.daily_rate"], None, limits)
    limits["rate_vnd_per_day"] = rate.value
    return Outcome(ENTITLED, reasons + with_reported(rate, "old.food.amount"), rate.value * paid, limits)


def clothing_personal_items(f: Facts) -> Outcome:
    """Clothes and personal items during a stay: in kind to 2019 (Decree 09/2013 Art. 19),
    a provincial package from 2020 (Circular 84/2019)."""
    if out := gate(f, "clothing_personal_items"):
        return out
    if f.profile.shelter_stay is None:
        return Outcome(NOT_ENTITLED, ["old.clothing.no_stay"])
    if f.choice.period == DECREE09:
        # Sanitary pads are for women; given unless the person is recorded as male.
        if f.profile.sex == "M":
            return Outcome(ENTITLED, ["old.clothing.in_kind"], None, {"in_kind": list(CLOTHING_KIT)})
        return Outcome(ENTITLED, ["old.clothing.in_kind_with_pads"], None, {"in_kind": list(CLOTHING_KIT_WITH_PADS)})
    package = need_param(f, "clothing.package")
    if package.value is None:
        return Outcome(AMOUNT_NOT_SET, ["amount.not_set@clothing.package"])
    return Outcome(ENTITLED, with_reported(package, "old.clothing.package"), package.value,
                   {"package_vnd": package.value})


def travel(f: Facts) -> Outcome:
    """Travel home: public transport fare and meals on the road (Decree 09/2013 Art. 19; Circular 84/2019)."""
    if out := gate(f, "travel"):
        return out
    rate = need_param(f, "travel.meal_rate")
    limits: dict[str, object] = {"fare": "public_transport"}
    if rate.value is None:
        return Outcome(AMOUNT_NOT_SET, ["old.travel.rule", "amount.not_set@travel.meal_rate"], None, limits)
    limits["meal_rate_vnd_per_day"] = rate.value
    return Outcome(ENTITLED, with_reported(rate, "old.travel.entitled"), None, limits)


def _cost_basis(f: Facts) -> tuple[str | None, str]:
    # Decree 09/2013 Art. 20: who pays for medical care during a stay.
    p = f.profile
    if p.has_health_insurance:
        return "insurance_fund", "old.medical.basis_insurance"
    if p.has_health_insurance is None:
        return None, "old.medical.need_insurance"
    groups = (p.poor_household, p.near_poor_household, p.revolutionary_merit_family, f.minor)
    if any(g is True for g in groups):
        return "group_insurance_rate", "old.medical.basis_group"
    if any(g is None for g in groups):
        return None, "old.medical.need_groups"
    if p.has_relatives is False:
        return "poor_household_rate", "old.medical.basis_no_relatives"
    if p.has_relatives is None:
        return None, "old.medical.need_relatives"
    return "facility_care", "old.medical.basis_facility"


def medical(f: Facts) -> Outcome:
    """Medical support during a stay (Decree 09/2013 Art. 20): cost basis by group; medicine
    50,000 VND to 2019 (JC 134/2013), at actual cost from 2020 (Circular 84/2019)."""
    if out := gate(f, "medical"):
        return out
    if f.profile.shelter_stay is None:
        return Outcome(NOT_ENTITLED, ["old.medical.no_stay"])
    basis, basis_reason = _cost_basis(f)
    if basis is None:
        return Outcome(NEEDS_INFORMATION, [basis_reason])
    limits: dict[str, object] = {"cost_basis": basis}
    medicine = f.param("medical.medicine")
    if medicine is None:
        limits["medicine"] = "actual_cost"
        return Outcome(ENTITLED, [basis_reason, "old.medical.actual_cost"], None, limits)
    if medicine.value is None:
        return Outcome(AMOUNT_NOT_SET, [basis_reason, "amount.not_set@medical.medicine"], None, limits)
    limits["medicine_vnd"] = medicine.value
    return Outcome(ENTITLED, [basis_reason, *with_reported(medicine, "old.medical.medicine")],
                   medicine.value, limits)


def health_insurance(f: Facts) -> Outcome:
    """A free health-insurance card during a stay for a person without one (Circular 84/2019)."""
    if out := gate(f, "health_insurance"):
        return out
    if f.profile.shelter_stay is None:
        return Outcome(NOT_ENTITLED, ["old.hi.no_stay"])
    has_card = f.profile.has_health_insurance
    if has_card:
        return Outcome(NOT_ENTITLED, ["old.hi.has_card"])
    if has_card is None:
        return Outcome(NEEDS_INFORMATION, ["old.hi.need_info"])
    return Outcome(ENTITLED, ["old.hi.free_card"], None, {"card_during_stay": True})


def psychological(f: Facts) -> Outcome:
    """Psychological support during a stay; a child's home is assessed before return (Decree 09/2013 Art. 21)."""
    if out := gate(f, "psychological"):
        return out
    if f.profile.shelter_stay is None:
        return Outcome(NOT_ENTITLED, ["old.psych.no_stay"])
    reasons = ["old.psych.entitled"]
    if f.minor:
        reasons.append("old.psych.minor_safety")
    return Outcome(ENTITLED, reasons)


def legal_aid(f: Facts) -> Outcome:
    """Legal aid: free for victims in financial difficulty (Legal Aid Law 2017 Art. 7(7)(g));
    from 2025-07-01 free without a means test (Legal Aid Law Art. 7 cl. 6a, added by Law 53/2024)."""
    # The Legal Aid Law applies on the date of the request, whatever the support regime.
    if f.on >= LEGAL_AID_FREE_FROM:
        return minor_gate(f, "old") or Outcome(ENTITLED, ["legal_aid.free_2025"])
    if out := gate(f, "legal_aid"):
        return out
    difficulty = f.profile.financial_difficulty
    if difficulty is False:
        return Outcome(NOT_ENTITLED, ["old.legal_aid.no_difficulty"])
    if difficulty is None:
        return Outcome(NEEDS_INFORMATION, ["old.legal_aid.need_info"])
    return Outcome(ENTITLED, ["old.legal_aid.difficulty"])


def _application(f: Facts) -> tuple[dict[str, dt.date], list[str], bool]:
    """Deadline to apply (Decree 09/2013 Art. 23) and the processing steps; returns (deadlines, notes, late)."""
    identified = f.profile.identified_on
    assert identified is not None  # only victims reach here
    raw_end = add_months(identified, f.required("application.deadline_months").value or 0)
    apply_by = next_working_day(raw_end)  # Civil Code 2015 Art. 148
    deadlines = {"apply_by": apply_by}
    notes = ["old.apply.rolled"] if apply_by != raw_end else []
    received = f.profile.application_received_on
    late = (received or f.on) > apply_by
    if received is None:
        notes.append("old.apply.by")
    elif not late:
        notes.append(_steps(f, received, deadlines))
    return deadlines, notes, late


def _steps(f: Facts, received: dt.date, deadlines: dict[str, dt.date]) -> str:
    # Commune chair 3, district labour office 5, district chair 3 working days (seed study, reported).
    commune = add_working_days(received, f.required("application.commune_days").value or 0)
    deadlines["commune_forwards_by"] = commune
    if received >= LAW53_FROM:  # district-level government abolished on 2025-07-01
        return "old.steps_no_district@application.commune_days"
    office = add_working_days(commune, f.required("application.labour_office_days").value or 0)
    deadlines["labour_office_submits_by"] = office
    deadlines["district_chair_decides_by"] = add_working_days(
        office, f.required("application.district_chair_days").value or 0)
    return "old.steps@application.commune_days"


def _late(f: Facts, deadlines: dict[str, dt.date]) -> Outcome:
    key = "old.apply.late_received" if f.profile.application_received_on else "old.apply.late"
    return Outcome(DEADLINE_PASSED, [key], None, {}, deadlines)


def education(f: Facts) -> Outcome:
    """Education support for victims from poor households who apply within 12 months (Decree 09/2013 Art. 23).

    The poor-household condition is stated by issue 3; the legal reference confirms it for the
    hardship allowance only."""
    if out := gate(f, "education"):
        return out
    deadlines, notes, late = _application(f)
    poor = f.profile.poor_household
    if poor is False:
        return Outcome(NOT_ENTITLED, ["old.education.not_poor"], None, {}, deadlines)
    if late:
        return _late(f, deadlines)
    if poor is None:
        return Outcome(NEEDS_INFORMATION, ["old.education.need_poor", *notes], None, {}, deadlines)
    return Outcome(ENTITLED, ["old.education.entitled", *notes], None, {}, deadlines)


def vocational_training(f: Facts) -> Outcome:
    """Vocational training support for victims who apply within 12 months (Decree 09/2013 Art. 23)."""
    if out := gate(f, "vocational_training"):
        return out
    deadlines, notes, late = _application(f)
    if late:
        return _late(f, deadlines)
    return Outcome(ENTITLED, ["old.vocational.entitled", *notes], None, {}, deadlines)


def hardship_allowance(f: Facts) -> Outcome:
    """One-off initial hardship allowance for victims from poor households who apply within
    12 months (Decree 09/2013 Art. 23); the amount is provincial (Circular 84/2019)."""
    if out := gate(f, "hardship_allowance"):
        return out
    deadlines, notes, late = _application(f)
    poor = f.profile.poor_household
    if poor is False:
        return Outcome(NOT_ENTITLED, ["old.hardship.not_poor"], None, {}, deadlines)
    if late:
        return _late(f, deadlines)
    if poor is None:
        return Outcome(NEEDS_INFORMATION, ["old.hardship.need_poor", *notes], None, {}, deadlines)
    amount = need_param(f, "hardship.amount")
    limits: dict[str, object] = {"one_off": True}
    if amount.value is None:
        return Outcome(AMOUNT_NOT_SET, ["old.hardship.rule", "amount.not_set@hardship.amount", *notes],
                       None, limits, deadlines)
    return Outcome(ENTITLED, [*with_reported(amount, "old.hardship.amount"), *notes], amount.value,
                   limits, deadlines)


def loan(f: Facts) -> Outcome:
    """Loans from the Bank for Social Policies for victims who need capital (Law 66/2011 Art. 32; seed study Table 1)."""
    return gate(f, "loan") or Outcome(ENTITLED, ["old.loan.entitled"])


RULES: dict[str, Callable[[Facts], Outcome]] = {
    "food": food,
    "clothing_personal_items": clothing_personal_items,
    "travel": travel,
    "medical": medical,
    "health_insurance": health_insurance,
    "psychological": psychological,
    "legal_aid": legal_aid,
    "education": education,
    "vocational_training": vocational_training,
    "hardship_allowance": hardship_allowance,
    "loan": loan,
}
PERIODS = (DECREE09, CIRCULAR84)
