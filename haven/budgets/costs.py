"""Per-person cost from the rules in force in the budget year, and the budget it implies.

The agency's recent cases give the mix of people (category, nationality, age, household, shelter
stay length, province). Each is turned into an anonymous engine profile "as if received in the
budget year" — same month and day, same stay length — and evaluated with the batch engine on
31 December of that year. Items whose amount the rules do not fix (`amount_not_set`, at actual
cost, in kind) get no number: they are listed as not included, with the reason, never guessed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from haven.entitlements.engine import ITEM_CODES, evaluate_columns, parse_profile, profiles_to_columns
from haven.entitlements.engine.parameters import (
    FILE_LAYER,
    NATIONAL,
    Citation,
    ParameterError,
    ParameterStore,
    ParameterValue,
)
from haven.entitlements.engine.rules.base import STATUSES

AMOUNT_UNITS = ("VND", "VND/day")
WHAT_IF_CITATION = Citation("What-if (not stored)", None)
ENTITLED = STATUSES.index("entitled")
NOT_SET = STATUSES.index("amount_not_set")


def _same_day(year: int, day: dt.date) -> dt.date:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February in a common year
        return dt.date(year, 2, 28)


def case_to_profile(case: Any, facts: Any, *, year: int, index: int, province: str | None,
                    today: dt.date) -> dict[str, Any]:
    """An anonymous engine profile for `case`, moved into `year`. No identity field is read:
    age comes from the age at reception (or the year of birth), never the date of birth."""
    received = _same_day(year, case.received_on)
    end_of_year = dt.date(year, 12, 31)
    age = case.age_at_reception
    if age is None and case.person.birth_year:
        age = case.received_on.year - case.person.birth_year
    # The middle of the year of birth: as close as an age in whole years allows.
    birth = dt.date(received.year - age - 1, 7, 1) if age is not None else None
    shelter = None
    if facts is not None and facts.shelter_from:
        length = ((facts.shelter_to or today) - facts.shelter_from).days
        shelter = {"from": received.isoformat(),
                   "to": min(received + dt.timedelta(days=length), end_of_year).isoformat()}
    nationality = case.person.nationality
    nationality = "stateless_resident" if nationality == "stateless" else nationality
    victim_date = received.isoformat()
    return {
        "id": index,
        "category": case.category,
        "nationality": nationality,
        "located": getattr(facts, "located", None) or "vietnam",
        "birth_date": birth.isoformat() if birth and birth <= end_of_year else None,
        "sex": case.person.sex if case.person.sex in ("female", "male") else None,
        "identified_on": victim_date if case.category == "victim" else None,
        "accompanies": victim_date if case.category == "accompanying_minor" else None,
        "province": province,
        **{name: getattr(facts, name, None) for name in (
            "poor_household", "near_poor_household", "financial_difficulty", "has_health_insurance",
            "has_relatives", "revolutionary_merit_family")},
        "shelter_stay": shelter,
    }


def amount_parameters(store: ParameterStore, on: dt.date) -> list[str]:
    """Codes of amount parameters (VND, VND/day) that have a value (set or not) on `on`."""
    out = []
    for code in store.codes():
        if store.definitions[code].unit in AMOUNT_UNITS and any(v.applies_on(on) for v in store.history(code)):
            out.append(code)
    return out


def what_if_store(store: ParameterStore, overrides: Mapping[str, int], year: int) -> ParameterStore:
    """A copy of `store` in which each overridden amount is the only value, everywhere, from 1 January
    of `year`. Nothing is stored: the copy lives as long as the computation."""
    if not overrides:
        return store
    start = dt.date(year, 1, 1)
    values: list[ParameterValue] = []
    for code in store.codes():
        if code in overrides:
            continue
        values.extend(store.history(code))
    for code, amount in overrides.items():
        definition = store.definitions.get(code)
        if definition is None or definition.unit not in AMOUNT_UNITS:
            raise ParameterError(f"{code!r} is not an amount parameter")
        values.append(ParameterValue(code=code, value=int(amount), valid_from=start, valid_to=None, scope=NATIONAL,
                                     unit=definition.unit, citation=WHAT_IF_CITATION, confidence="reported",
                                     layer=FILE_LAYER))
    return ParameterStore(store.definitions, values)


@dataclass
class ItemCost:
    code: str
    mean: int  # mean amount per person received, integer đồng (people without it count as 0)
    people_with_amount: int
    people_not_set: int  # entitled, but the amount is not set: not in the mean


@dataclass
class Excluded:
    code: str
    reason: str  # amount_not_set | no_fixed_amount
    people: int


@dataclass
class CostResult:
    year: int
    on: dt.date
    profiles: int
    per_person: np.ndarray  # integer đồng per profile, items with a number only
    items: list[ItemCost] = field(default_factory=list)
    excluded: list[Excluded] = field(default_factory=list)

    @property
    def mean(self) -> int:
        return int(round(float(self.per_person.mean()))) if self.profiles else 0


def per_person_cost(profiles: Sequence[Mapping[str, Any]], year: int, store: ParameterStore) -> CostResult:
    """Evaluate the profiles on 31 December of `year` through the batch engine."""
    on = dt.date(year, 12, 31)
    if not profiles:
        return CostResult(year=year, on=on, profiles=0, per_person=np.zeros(0, dtype=np.int64))
    parsed = [parse_profile(dict(p)) for p in profiles]
    result = evaluate_columns(profiles_to_columns(parsed), on, store=store)
    n = len(parsed)
    amounts: dict[str, np.ndarray] = {}
    entitled: dict[str, int] = {}
    not_set: dict[str, int] = {}
    for part in result.parts:
        for code, item in part.items.items():
            column = amounts.setdefault(code, np.zeros(n, dtype=np.int64))
            has = item.amount_set & (item.status == ENTITLED)
            column[part.index[has]] += item.amount[has]
            entitled[code] = entitled.get(code, 0) + int(has.sum())
            not_set[code] = not_set.get(code, 0) + int((item.status == NOT_SET).sum())
            # Entitled with no sum: at actual cost, in kind, or a fare nobody can know in advance.
            no_sum = int(((item.status == ENTITLED) & ~item.amount_set).sum())
            if no_sum:
                not_set[f"~{code}"] = not_set.get(f"~{code}", 0) + no_sum
    out = CostResult(year=year, on=on, profiles=n, per_person=np.zeros(n, dtype=np.int64))
    for code in ITEM_CODES:
        if code not in amounts:
            continue
        if entitled.get(code):
            out.per_person += amounts[code]
            out.items.append(ItemCost(code, int(round(float(amounts[code].sum()) / n)), entitled[code],
                                      not_set.get(code, 0)))
        elif not_set.get(code):
            out.excluded.append(Excluded(code, "amount_not_set", not_set[code]))
        if not entitled.get(code) and not_set.get(f"~{code}"):
            out.excluded.append(Excluded(code, "no_fixed_amount", not_set[f"~{code}"]))
    return out


@dataclass
class Budget:
    mean: int
    lo80: int
    hi80: int
    lo95: int
    hi95: int


def simulate_budget(totals: np.ndarray, per_person: np.ndarray, *, seed: int) -> Budget:
    """Budget = the people received in the year x their cost, simulated jointly.

    For each simulated annual intake N, N people are drawn (with replacement) from the recent mix,
    so the interval carries both the intake uncertainty and the variation of cost between people.
    """
    if len(totals) == 0 or len(per_person) == 0:
        return Budget(0, 0, 0, 0, 0)
    rng = np.random.default_rng(seed)
    counts = totals.astype(np.int64)
    draws = rng.integers(0, len(per_person), size=int(counts.sum()))
    sums = np.zeros(len(counts), dtype=np.int64)
    if len(draws):
        owner = np.repeat(np.arange(len(counts)), counts)
        np.add.at(sums, owner, per_person[draws])
    q = np.quantile(sums, [0.025, 0.10, 0.90, 0.975], method="inverted_cdf")
    mean = int(round(float(counts.mean()) * float(per_person.mean())))
    return Budget(mean, int(q[1]), int(q[2]), int(q[0]), int(q[3]))
