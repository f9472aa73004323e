"""Column versions of the Law 66/2011 rules in `law66.py`, step for step.

Read each function next to its per-person twin; the property test in
tests/entitlements/test_engine_batch.py checks that they agree on random profiles.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..calendar import WorkingCalendar, add_months_array, default_calendar
from ..columns import NO, UNKNOWN, VICTIM, YES
from ..regimes import DECREE09, LAW53_FROM, LEGAL_AID_FREE_FROM
from .law66 import CLOTHING_KIT, CLOTHING_KIT_WITH_PADS, VOCAB
from .vector import Decider, ItemColumns, VFacts, gate, minor_gate, reported_note

ONE_DAY = np.timedelta64(1, "D")
NAT = np.datetime64("NaT", "D")
COST_BASES = ("insurance_fund", "group_insurance_rate", "poor_household_rate", "facility_care")


def _decider(v: VFacts, code: str) -> Decider:
    return Decider(v, code, VOCAB[code])


def food(v: VFacts) -> ItemColumns:
    d = _decider(v, "food")
    gate(v, d, "food")
    d.decide(~v.has_stay, "not_entitled", "old.food.no_stay")
    start = v.cols.stay_from
    if v.period == DECREE09:
        max_days = v.required("food.max_days", d.open)
        paid = np.minimum(v.stay_days, max_days)
        d.limit("max_days", max_days)
        d.note(True, "old.food.limit_days@food.max_days")
    else:
        months = v.required("food.max_months", d.open)
        limit_ends = add_months_array(start, months) - ONE_DAY
        paid = (np.minimum(v.stay_last, limit_ends) - start).astype(np.int64) + 1
        d.limit("max_months", months)
        d.limit("limit_ends", limit_ends, kind="date")
        d.note(True, "old.food.limit_months@food.max_months")
    d.limit("stay_days", v.stay_days)
    d.limit("paid_days", paid)
    d.note(v.stay_days > paid, "old.food.over_limit")
    rate = v.need("food.daily_rate", d.open)
    d.decide(~rate.number, "amount_not_set", "amount.not_set@food.daily_rate")
    d.limit("rate_vnd_per_day", rate.value)
    d.pay(rate.value * paid)
    reported_note(d, rate, "food.daily_rate")
    d.decide(True, "entitled", "old.food.amount@food.daily_rate")
    return d.result()


def clothing_personal_items(v: VFacts) -> ItemColumns:
    d = _decider(v, "clothing_personal_items")
    gate(v, d, "clothing_personal_items")
    d.decide(~v.has_stay, "not_entitled", "old.clothing.no_stay")
    if v.period == DECREE09:
        male = v.cols.sex == 1
        kits = (CLOTHING_KIT, CLOTHING_KIT_WITH_PADS)
        d.limit("in_kind", np.where(male, 0, 1).astype(np.int8), kind="enum", table=kits)
        d.decide(male, "entitled", "old.clothing.in_kind")
        d.decide(True, "entitled", "old.clothing.in_kind_with_pads")
        return d.result()
    package = v.need("clothing.package", d.open)
    d.decide(~package.number, "amount_not_set", "amount.not_set@clothing.package")
    d.pay(package.value)
    d.limit("package_vnd", package.value)
    reported_note(d, package, "clothing.package")
    d.decide(True, "entitled", "old.clothing.package@clothing.package")
    return d.result()


def travel(v: VFacts) -> ItemColumns:
    d = _decider(v, "travel")
    gate(v, d, "travel")
    rate = v.need("travel.meal_rate", d.open)
    d.limit("fare", np.zeros(v.n, dtype=np.int8), kind="enum", table=("public_transport",))
    d.decide(~rate.number, "amount_not_set", "old.travel.rule", "amount.not_set@travel.meal_rate")
    d.limit("meal_rate_vnd_per_day", rate.value)
    reported_note(d, rate, "travel.meal_rate")
    d.decide(True, "entitled", "old.travel.entitled@travel.meal_rate")
    return d.result()


def _minor(v: VFacts) -> np.ndarray:
    """Tri-state 'under 18' from the age column."""
    if "minor" not in v.cache:
        v.cache["minor"] = np.where(v.age < 0, UNKNOWN, np.where(v.age < 18, YES, NO)).astype(np.int8)
    return v.cache["minor"]


def medical(v: VFacts) -> ItemColumns:
    d = _decider(v, "medical")
    gate(v, d, "medical")
    d.decide(~v.has_stay, "not_entitled", "old.medical.no_stay")
    c = v.cols
    groups = np.stack([c.poor, c.near_poor, c.merit, _minor(v)])
    any_yes = np.any(groups == YES, axis=0)
    any_unknown = np.any(groups == UNKNOWN, axis=0)
    # Decree 09/2013 Art. 20, in the order of the per-person rule.
    steps = [
        (c.has_insurance == YES, 0, "old.medical.basis_insurance"),
        (c.has_insurance == UNKNOWN, -1, "old.medical.need_insurance"),
        (any_yes, 1, "old.medical.basis_group"),
        (any_unknown, -1, "old.medical.need_groups"),
        (c.has_relatives == NO, 2, "old.medical.basis_no_relatives"),
        (c.has_relatives == UNKNOWN, -1, "old.medical.need_relatives"),
        (np.ones(v.n, dtype=bool), 3, "old.medical.basis_facility"),
    ]
    basis = np.full(v.n, -1, dtype=np.int8)
    settled = np.zeros(v.n, dtype=bool)
    for mask, code, key in steps:
        rows = mask & ~settled
        settled |= rows
        if code < 0:
            d.decide(rows, "needs_information", key)
        else:
            basis = np.where(rows, code, basis).astype(np.int8)
            d.note(rows, key)
    d.limit("cost_basis", basis, kind="enum", table=COST_BASES)
    medicine = v.param("medical.medicine")
    d.limit("medicine", np.zeros(v.n, dtype=np.int8), mask=~medicine.present, kind="enum", table=("actual_cost",))
    d.decide(~medicine.present, "entitled", "old.medical.actual_cost")
    d.decide(~medicine.number, "amount_not_set", "amount.not_set@medical.medicine")
    d.limit("medicine_vnd", medicine.value)
    d.pay(medicine.value)
    reported_note(d, medicine, "medical.medicine")
    d.decide(True, "entitled", "old.medical.medicine@medical.medicine")
    return d.result()


def health_insurance(v: VFacts) -> ItemColumns:
    d = _decider(v, "health_insurance")
    gate(v, d, "health_insurance")
    d.decide(~v.has_stay, "not_entitled", "old.hi.no_stay")
    d.decide(v.cols.has_insurance == YES, "not_entitled", "old.hi.has_card")
    d.decide(v.cols.has_insurance == UNKNOWN, "needs_information", "old.hi.need_info")
    d.limit("card_during_stay", np.ones(v.n, dtype=bool), kind="bool")
    d.decide(True, "entitled", "old.hi.free_card")
    return d.result()


def psychological(v: VFacts) -> ItemColumns:
    d = _decider(v, "psychological")
    gate(v, d, "psychological")
    d.decide(~v.has_stay, "not_entitled", "old.psych.no_stay")
    d.note(_minor(v) == YES, "old.psych.minor_safety")
    d.decide(True, "entitled", "old.psych.entitled")
    return d.result()


def legal_aid(v: VFacts) -> ItemColumns:
    d = _decider(v, "legal_aid")
    if v.on >= LEGAL_AID_FREE_FROM:
        minor_gate(v, d, "old")
        d.decide(True, "entitled", "legal_aid.free_2025")
        return d.result()
    gate(v, d, "legal_aid")
    d.decide(v.cols.difficulty == NO, "not_entitled", "old.legal_aid.no_difficulty")
    d.decide(v.cols.difficulty == UNKNOWN, "needs_information", "old.legal_aid.need_info")
    d.decide(True, "entitled", "old.legal_aid.difficulty")
    return d.result()


@dataclass(slots=True)
class Application:
    """Decree 09/2013 Art. 23 dates for every victim row, shared by the three application items."""

    raw_end: np.ndarray
    apply_by: np.ndarray
    late: np.ndarray
    pending: np.ndarray  # no application received yet
    on_time: np.ndarray  # received by the deadline
    no_district: np.ndarray  # received on or after 2025-07-01
    commune: np.ndarray
    office: np.ndarray
    chair: np.ndarray


def _application_dates(v: VFacts) -> Application:
    if "application" in v.cache:
        return v.cache["application"]
    cal = default_calendar()
    victims = v.cols.category == VICTIM
    identified = np.where(victims, v.cols.identified_on, NAT)
    months = v.required("application.deadline_months", victims)
    raw_end = add_months_array(identified, months)
    apply_by = cal.next_working_day_array(raw_end)  # Civil Code 2015 Art. 148
    received = v.cols.received_on
    pending = np.isnat(received)
    late = np.where(pending, v.on64, received) > apply_by
    on_time = victims & ~pending & ~late
    no_district = received >= np.datetime64(LAW53_FROM.isoformat(), "D")
    later = on_time & ~no_district
    commune = _add_days(cal, received, v.required("application.commune_days", on_time), on_time)
    office = _add_days(cal, commune, v.required("application.labour_office_days", later), later)
    chair = _add_days(cal, office, v.required("application.district_chair_days", later), later)
    app = Application(raw_end, apply_by, late, pending, on_time, no_district, commune, office, chair)
    v.cache["application"] = app
    return app


def _add_days(cal: WorkingCalendar, start: np.ndarray, days: np.ndarray, rows: np.ndarray) -> np.ndarray:
    return cal.add_working_days_array(np.where(rows, start, NAT), np.where(rows, days, 1))


def _application(v: VFacts, d: Decider) -> np.ndarray:
    """Deadlines of Decree 09/2013 Art. 23 on the open rows; returns the 'late' mask."""
    app = _application_dates(v)
    d.deadline("apply_by", app.apply_by)
    d.deadline("commune_forwards_by", app.commune, app.on_time)
    later = app.on_time & ~app.no_district
    d.deadline("labour_office_submits_by", app.office, later)
    d.deadline("district_chair_decides_by", app.chair, later)
    return app.late


def _application_notes(v: VFacts, d: Decider) -> None:
    """The notes that follow a timely or pending application (after the 'late' rows are settled)."""
    app = _application_dates(v)
    d.note(app.apply_by != app.raw_end, "old.apply.rolled")
    d.note(app.pending, "old.apply.by")
    d.note(~app.pending & app.no_district, "old.steps_no_district@application.commune_days")
    d.note(~app.pending & ~app.no_district, "old.steps@application.commune_days")


def _late(v: VFacts, d: Decider, late: np.ndarray) -> None:
    received = ~np.isnat(v.cols.received_on)
    d.decide(late & received, "deadline_passed", "old.apply.late_received")
    d.decide(late, "deadline_passed", "old.apply.late")


def education(v: VFacts) -> ItemColumns:
    d = _decider(v, "education")
    gate(v, d, "education")
    late = _application(v, d)
    d.decide(v.cols.poor == NO, "not_entitled", "old.education.not_poor")
    _late(v, d, late)
    _application_notes(v, d)
    d.decide(v.cols.poor == UNKNOWN, "needs_information", "old.education.need_poor")
    d.decide(True, "entitled", "old.education.entitled")
    return d.result()


def vocational_training(v: VFacts) -> ItemColumns:
    d = _decider(v, "vocational_training")
    gate(v, d, "vocational_training")
    late = _application(v, d)
    _late(v, d, late)
    _application_notes(v, d)
    d.decide(True, "entitled", "old.vocational.entitled")
    return d.result()


def hardship_allowance(v: VFacts) -> ItemColumns:
    d = _decider(v, "hardship_allowance")
    gate(v, d, "hardship_allowance")
    late = _application(v, d)
    d.decide(v.cols.poor == NO, "not_entitled", "old.hardship.not_poor")
    _late(v, d, late)
    _application_notes(v, d)
    d.decide(v.cols.poor == UNKNOWN, "needs_information", "old.hardship.need_poor")
    amount = v.need("hardship.amount", d.open)
    d.limit("one_off", np.ones(v.n, dtype=bool), kind="bool")
    d.decide(~amount.number, "amount_not_set", "old.hardship.rule", "amount.not_set@hardship.amount")
    d.pay(amount.value)
    reported_note(d, amount, "hardship.amount")
    d.decide(True, "entitled", "old.hardship.amount@hardship.amount")
    return d.result()


def loan(v: VFacts) -> ItemColumns:
    d = _decider(v, "loan")
    gate(v, d, "loan")
    d.decide(True, "entitled", "old.loan.entitled")
    return d.result()


COLUMN_RULES: dict[str, Callable[[VFacts], ItemColumns]] = {
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
