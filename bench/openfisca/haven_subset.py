"""The benchmark subset of Haven's rules written for OpenFisca (openfisca-core).

Law 66/2011 regime, Circular 84/2019 period: food (rate x days within 3 months), clothing
package, medicine, and the initial hardship allowance (poor household, 12 months to apply,
moved off holidays with Haven's working-day table). Amounts are OpenFisca floats (float32).
This runs only in bench/.venv-openfisca; it is not part of Haven.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
from openfisca_core.entities import build_entity
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import DAY, ETERNITY
from openfisca_core.taxbenefitsystems import TaxBenefitSystem
from openfisca_core.variables import Variable

Person = build_entity(key="person", plural="persons", label="A person", is_person=True)

# Haven's working-day table (set by run.py from the exported calendar): for day i after FIRST,
# the first working day on or after it, as days since 1970.
CALENDAR: dict[str, np.ndarray] = {}


class Province(Enum):
    lao_cai = "lao-cai"
    ha_giang = "ha-giang"
    an_giang = "an-giang"
    khanh_hoa = "khanh-hoa"
    hau_giang = "hau-giang"
    ha_noi = "ha-noi"
    unknown = "unknown"


def _input(name: str, value_type: type, default: object = None) -> type:
    attrs = {"value_type": value_type, "entity": Person, "definition_period": ETERNITY, "label": name}
    if default is not None:
        attrs["default_value"] = default
    return type(name, (Variable,), attrs)


INPUTS = [
    _input("category", int), _input("citizen", bool), _input("has_birth_date", bool),
    _input("birth_date", dt.date), _input("identified_on", dt.date),
    _input("poor", int), _input("near_poor", int), _input("merit", int), _input("has_insurance", int),
    _input("has_relatives", int), _input("has_stay", bool), _input("stay_from", dt.date),
    _input("has_stay_to", bool), _input("stay_to", dt.date), _input("has_received", bool),
    _input("received_on", dt.date),
]


class province(Variable):
    value_type = Enum
    possible_values = Province
    default_value = Province.unknown
    entity = Person
    definition_period = ETERNITY
    label = "Province"


def _day(period) -> np.datetime64:  # noqa: ANN001
    return np.datetime64(str(period.start), "D")


def _month_day(days: np.ndarray) -> np.ndarray:
    month_start = days.astype("datetime64[M]")
    return (month_start.astype(int) % 12 + 1) * 100 + (days - month_start.astype("datetime64[D]")).astype(int) + 1


def add_months(days: np.ndarray, months: int) -> np.ndarray:
    start = days.astype("datetime64[M]")
    dom = (days - start.astype("datetime64[D]")).astype(np.int64)
    target = start + months
    last = (target + 1).astype("datetime64[D]") - 1
    return np.minimum(target.astype("datetime64[D]") + dom, last)


class age(Variable):
    value_type = int
    entity = Person
    definition_period = DAY
    label = "Age in years on the day"

    def formula(person, period, parameters):  # noqa: N805
        on = np.array([_day(period)])
        birth = person("birth_date", period)
        years = on.astype("datetime64[Y]").astype(int) - birth.astype("datetime64[Y]").astype(int)
        return years - (_month_day(on) < _month_day(birth))


class child_check(Variable):
    value_type = bool
    entity = Person
    definition_period = DAY
    label = "Not an accompanying person of 18 or over (or of unknown age)"

    def formula(person, period, parameters):  # noqa: N805
        minor_category = person("category", period) == 2
        known = person("has_birth_date", period)
        return ~minor_category | (known & (person("age", period) < 18))


class food_paid_days(Variable):
    value_type = int
    entity = Person
    definition_period = DAY
    label = "Days of food paid within the 3-month limit"

    def formula(person, period, parameters):  # noqa: N805
        on = _day(period)
        start = person("stay_from", period)
        last = np.where(person("has_stay_to", period), person("stay_to", period), on)
        months = int(parameters(period).limits.food_max_months)
        limit_end = add_months(start, months) - np.timedelta64(1, "D")
        paid = (np.minimum(last, limit_end) - start).astype(np.int64) + 1
        return np.where(person("has_stay", period), paid, 0)


class food_vnd(Variable):
    value_type = float
    entity = Person
    definition_period = DAY
    label = "Food (VND)"

    def formula(person, period, parameters):  # noqa: N805
        rate = parameters(period).food_rate[person("province", period)]
        ok = person("has_stay", period) & person("child_check", period)
        return np.where(ok, rate * person("food_paid_days", period), 0)


class clothing_vnd(Variable):
    value_type = float
    entity = Person
    definition_period = DAY
    label = "Clothing and personal items (VND)"

    def formula(person, period, parameters):  # noqa: N805
        package = parameters(period).clothing_package[person("province", period)]
        return np.where(person("has_stay", period) & person("child_check", period), package, 0)


class medicine_vnd(Variable):
    value_type = float
    entity = Person
    definition_period = DAY
    label = "Medicine (VND)"

    def formula(person, period, parameters):  # noqa: N805
        category = person("category", period)
        hi = person("has_insurance", period)
        minor = np.where(person("has_birth_date", period), (person("age", period) < 18).astype(int), -1)
        groups = np.stack([person("poor", period), person("near_poor", period), person("merit", period), minor])
        any_yes = np.any(groups == 1, axis=0)
        any_unknown = np.any(groups == -1, axis=0)
        relatives = person("has_relatives", period)
        known = (hi == 1) | ((hi == 0) & (any_yes | (~any_unknown & (relatives != -1))))
        covered = (category == 0) | (category == 2)
        ok = covered & person("has_stay", period) & person("child_check", period) & known
        medicine = parameters(period).medicine[person("province", period)]
        return np.where(ok, medicine, 0)


class hardship_vnd(Variable):
    value_type = float
    entity = Person
    definition_period = DAY
    label = "Initial hardship allowance (VND)"

    def formula(person, period, parameters):  # noqa: N805
        on = _day(period)
        months = int(parameters(period).limits.application_deadline_months)
        end = add_months(person("identified_on", period), months)
        first = CALENDAR["first"]
        index = (end - first).astype(np.int64)
        apply_by = CALENDAR["next_working_day"][np.clip(index, 0, len(CALENDAR["next_working_day"]) - 1)]
        apply_by = apply_by.astype("datetime64[D]")
        reference = np.where(person("has_received", period), person("received_on", period), on)
        ok = (person("category", period) == 0) & person("citizen", period) & (person("poor", period) == 1)
        ok &= reference <= apply_by
        return np.where(ok, parameters(period).hardship_amount[person("province", period)], 0)


class total_vnd(Variable):
    value_type = float
    entity = Person
    definition_period = DAY
    label = "Total of the money items (VND)"

    def formula(person, period, parameters):  # noqa: N805
        return (person("food_vnd", period) + person("clothing_vnd", period) + person("medicine_vnd", period)
                + person("hardship_vnd", period))


OUTPUTS = ("food_vnd", "clothing_vnd", "medicine_vnd", "hardship_vnd", "total_vnd")


def build_system() -> TaxBenefitSystem:
    system = TaxBenefitSystem([Person])
    for variable in (*INPUTS, province, age, child_check, food_paid_days, food_vnd, clothing_vnd, medicine_vnd,
                     hardship_vnd, total_vnd):
        system.add_variable(variable)
    system.load_parameters(str(Path(__file__).with_name("parameters")))
    return system
