"""What a rule receives (Facts) and returns (Outcome), and the checks every item shares."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..calendar import age_on
from ..parameters import ParameterError, ParameterStore, ParameterValue
from ..profile import Profile
from ..regimes import RegimeChoice, covered_items

ENTITLED = "entitled"
NOT_ENTITLED = "not_entitled"
NEEDS_INFORMATION = "needs_information"
DEADLINE_PASSED = "deadline_passed"
AMOUNT_NOT_SET = "amount_not_set"
STATUSES = (ENTITLED, NOT_ENTITLED, NEEDS_INFORMATION, DEADLINE_PASSED, AMOUNT_NOT_SET)


@dataclass(slots=True)
class Outcome:
    """A rule's decision for one item, before it is put into words.

    `reasons` are keys of `texts.yaml`; a key written `key@param` also cites that parameter.
    """

    status: str
    reasons: list[str]
    amount_vnd: int | None = None
    limits: dict[str, Any] = field(default_factory=dict)
    deadlines: dict[str, dt.date] = field(default_factory=dict)


@dataclass(slots=True)
class Facts:
    """One person on one date, as the rules see them."""

    profile: Profile
    on: dt.date
    choice: RegimeChoice
    store: ParameterStore
    covered: frozenset[str] = frozenset()
    age: int | None = None

    @classmethod
    def build(cls, profile: Profile, on: dt.date, choice: RegimeChoice, store: ParameterStore) -> Facts:
        age = age_on(profile.birth_date, on) if profile.birth_date else None
        return cls(profile, on, choice, store, covered_items(choice.regime, choice.row), age)

    @property
    def minor(self) -> bool | None:
        """Under 18 on the evaluation date (the trafficking laws' age), None if unknown."""
        return None if self.age is None else self.age < 18

    def param(self, code: str) -> ParameterValue | None:
        return self.store.get(code, self.choice.lookup_date, self.profile.province)

    def required(self, code: str) -> ParameterValue:
        """A parameter the rule cannot work without; a gap in the files is a bug, not a 'no'."""
        value = self.param(code)
        if value is None or value.value is None:
            raise ParameterError(f"{code} has no value on {self.choice.lookup_date}")
        return value

    def stay_days(self) -> int:
        stay = self.profile.shelter_stay
        return stay.days(self.on) if stay else 0


def gate(f: Facts, item: str) -> Outcome | None:
    """The checks before any item rule: is the item in the person's row, is the child under 18."""
    prefix = "old" if f.choice.regime == "law-66-2011" else "new"
    if item not in f.covered:
        return Outcome(NOT_ENTITLED, [f"{prefix}.category"])
    return minor_gate(f, prefix)


def minor_gate(f: Facts, prefix: str) -> Outcome | None:
    """An accompanying minor must be under 18 (Law 66/2011 Art. 32; Law 53/2024 Art. 37)."""
    if f.profile.category != "accompanying_minor":
        return None
    if f.age is None:
        return Outcome(NEEDS_INFORMATION, [f"{prefix}.minor_age_unknown"])
    if f.age >= 18:
        return Outcome(NOT_ENTITLED, [f"{prefix}.minor_adult"])
    return None


def with_reported(value: ParameterValue, key: str) -> list[str]:
    """The reason for an amount, plus a warning when the figure is only reported."""
    reasons = [f"{key}@{value.code}"]
    if value.confidence == "reported":
        reasons.append(f"amount.reported@{value.code}")
    return reasons


def need_param(f: Facts, code: str) -> ParameterValue:
    """A parameter the rule cannot do without: a missing national value is a broken parameter file."""
    value = f.param(code)
    if value is None:
        raise ParameterError(f"{code} has no value on {f.choice.lookup_date} (national value missing)")
    return value
