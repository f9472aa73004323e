"""Haven's entitlements engine: the support regimes for victims of trafficking as dated, cited rules.

Plain Python (no Django). Public API:

    evaluate(profile, on, *, store=None) -> dict           one person, with reasons
    evaluate_many(profiles, on, *, store=None) -> list      many people, column-wise, same output
    evaluate_columns(columns, on, *, store=None) -> BatchResult   column results for reports
    add_working_days(d, n), working_days_between(a, b), is_working_day(d), add_months(d, n)
    default_store().with_values([...])                      add dated provincial values

See docs/entitlements.md.
"""

from .batch import BatchResult, evaluate_columns, evaluate_many
from .calendar import (
    CalendarError,
    add_months,
    add_working_days,
    is_working_day,
    months_deadline,
    next_working_day,
    working_days_between,
)
from .columns import Columns, profiles_to_columns
from .evaluate import evaluate
from .parameters import Citation, ParameterError, ParameterStore, ParameterValue, default_store
from .profile import Profile, ProfileError, parse_profile, parse_profiles
from .rules.base import STATUSES

ITEM_CODES = (
    "food", "clothing_personal_items", "essential_needs", "travel", "medical", "health_insurance",
    "psychological", "interpretation", "legal_support", "legal_aid", "education", "vocational_training",
    "hardship_allowance", "loan",
)

__all__ = [
    "ITEM_CODES",
    "STATUSES",
    "BatchResult",
    "CalendarError",
    "Citation",
    "Columns",
    "ParameterError",
    "ParameterStore",
    "ParameterValue",
    "Profile",
    "ProfileError",
    "add_months",
    "add_working_days",
    "default_store",
    "evaluate",
    "evaluate_columns",
    "evaluate_many",
    "is_working_day",
    "months_deadline",
    "next_working_day",
    "parse_profile",
    "parse_profiles",
    "profiles_to_columns",
    "working_days_between",
]
