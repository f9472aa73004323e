"""Which regime, which period, and which items a person's category allows.

Regime (Law 53/2024 Art. 63): a person identified as a victim before 2025-07-01, and a minor
accompanying them, keep the Law 66/2011 regime; so the regime follows the identification date
(for a minor, the victim's date in `accompanies`), not the date of the service. A person not yet
identified falls under the law in force on the evaluation date.

Period (amounts and limits inside the old regime) follows the evaluation date: Decree 09/2013
with Joint Circular 134/2013 to 2019-12-31, Circular 84/2019 from 2020-01-01. After 2025-06-30
the old regime's last amounts (Circular 84/2019) keep being used for people it still covers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .profile import Profile

LAW66 = "law-66-2011"
LAW53 = "law-53-2024"
DECREE09 = "decree-09-2013"
CIRCULAR84 = "circular-84-2019"
DECREE162 = "decree-162-2025"

ENGINE_FROM = dt.date(2013, 4, 15)  # Decree 09/2013 in force
CIRCULAR84_FROM = dt.date(2020, 1, 1)
LAW53_FROM = dt.date(2025, 7, 1)  # Law 53/2024 and Decree 162/2025 in force
OLD_LAST_DAY = dt.date(2025, 6, 30)
LEGAL_AID_FREE_FROM = dt.date(2025, 7, 1)  # Legal Aid Law Art. 7 cl. 6a, added by Law 53/2024

# Item letters of Law 66/2011 Art. 32 / Decree 09/2013 Art. 19.
OLD_LETTERS = {
    "a": ("food", "clothing_personal_items", "travel"),
    "b": ("medical", "health_insurance"),
    "c": ("psychological",),
    "d": ("legal_aid",),
    "đ": ("education", "vocational_training"),
    "e": ("hardship_allowance", "loan"),
}
# Item letters of Law 53/2024 Art. 37. The health-insurance premium (Decree 188/2025) belongs
# with medical support (b) and is limited to victims by its own rule.
NEW_LETTERS = {
    "a": ("essential_needs",),
    "b": ("medical", "health_insurance"),
    "c": ("interpretation",),
    "d": ("legal_support",),
    "đ": ("legal_aid",),
    "e": ("travel",),
    "g": ("psychological",),
    "h": ("education",),
    "i": ("vocational_training",),
    "k": ("hardship_allowance", "loan"),
}

# Rows of the legal reference's tables (section 2). Where two rows apply to one person (a
# foreign child, a foreign person under identification) the person gets the items both allow.
OLD_ROWS = {
    "victim_citizen": "a b c d đ e",
    "victim_foreign": "a b c d",
    "minor": "a b c",
    "under_identification": "a",
}
NEW_ROWS = {
    "victim_citizen": "a b c d đ e g h i k",
    "victim_foreign": "a b c d đ g",
    "minor_citizen": "a b c d đ e g h",
    "minor_foreign": "a b c d đ g",
    "under_identification_abroad": "a b c d",
    "under_identification_vietnam": "a b c d đ e g",
    "under_identification_foreign": "a b c d đ g",
}

OLD_ITEMS_DECREE09 = (
    "food", "clothing_personal_items", "travel", "medical", "psychological", "legal_aid",
    "education", "vocational_training", "hardship_allowance", "loan",
)
OLD_ITEMS_CIRCULAR84 = (
    "food", "clothing_personal_items", "travel", "medical", "health_insurance", "psychological",
    "legal_aid", "education", "vocational_training", "hardship_allowance", "loan",
)
NEW_ITEMS = (
    "essential_needs", "medical", "health_insurance", "interpretation", "legal_support", "legal_aid",
    "travel", "psychological", "education", "vocational_training", "hardship_allowance", "loan",
)


@dataclass(frozen=True, slots=True)
class RegimeChoice:
    """The regime and period for one person on one date, and why."""

    regime: str
    period: str
    lookup_date: dt.date  # the date parameters are read at
    row: str
    reason: str  # key of the regime reason
    period_reason: str


def regime_for_date(key_date: dt.date) -> str:
    """Law 53/2024 from 2025-07-01, Law 66/2011 before (Law 53/2024 Art. 63)."""
    return LAW53 if key_date >= LAW53_FROM else LAW66


def period_for(regime: str, on: dt.date) -> str:
    if regime == LAW53:
        return DECREE162
    return DECREE09 if on < CIRCULAR84_FROM else CIRCULAR84


def lookup_date_for(regime: str, on: dt.date) -> dt.date:
    # The old regime's values end on 2025-06-30; people it still covers keep its last values.
    return min(on, OLD_LAST_DAY) if regime == LAW66 else on


def items_for(regime: str, period: str) -> tuple[str, ...]:
    if regime == LAW53:
        return NEW_ITEMS
    return OLD_ITEMS_DECREE09 if period == DECREE09 else OLD_ITEMS_CIRCULAR84


def row_for(regime: str, category: str, citizen: bool, abroad: bool) -> str:
    """Key of the table row that lists this person's items."""
    if regime == LAW66:
        if category == "victim":
            return "victim_citizen" if citizen else "victim_foreign"
        return "minor" if category == "accompanying_minor" else "under_identification"
    if category == "victim":
        return "victim_citizen" if citizen else "victim_foreign"
    if category == "accompanying_minor":
        return "minor_citizen" if citizen else "minor_foreign"
    if abroad:
        return "under_identification_abroad"
    return "under_identification_vietnam" if citizen else "under_identification_foreign"


def covered_items(regime: str, row: str) -> frozenset[str]:
    letters, rows = (OLD_LETTERS, OLD_ROWS) if regime == LAW66 else (NEW_LETTERS, NEW_ROWS)
    return frozenset(item for letter in rows[row].split() for item in letters[letter])


def _regime_reason(regime: str, category: str) -> str:
    kind = {"victim": "victim", "accompanying_minor": "minor", "under_identification": "under_identification"}
    return f"regime.{'old' if regime == LAW66 else 'new'}.{kind[category]}"


def _period_reason(regime: str, period: str, on: dt.date) -> str:
    if regime == LAW66 and on > OLD_LAST_DAY:
        return "period.circular84_continued"
    return f"period.{period}"


def choose_regime(p: Profile, on: dt.date) -> RegimeChoice:
    """Regime by identification date (Law 53/2024 Art. 63), period by evaluation date."""
    if on < ENGINE_FROM:
        raise ValueError(f"evaluation date {on} is before {ENGINE_FROM} (Decree 09/2013), which Haven does not encode")
    key_date = p.identified_on or p.accompanies or on
    regime = regime_for_date(key_date)
    period = period_for(regime, on)
    return RegimeChoice(
        regime=regime,
        period=period,
        lookup_date=lookup_date_for(regime, on),
        row=row_for(regime, p.category, p.is_citizen, p.located == "abroad"),
        reason=_regime_reason(regime, p.category),
        period_reason=_period_reason(regime, period, on),
    )
