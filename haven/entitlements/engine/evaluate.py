"""Per-person evaluation: profile + date -> regime, items, reasons, citations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from .parameters import ParameterStore, default_store
from .profile import Profile, check_against_date, parse_profile
from .regimes import LAW53, LAW66, RegimeChoice, choose_regime, items_for
from .render import Scene, render_item, render_profile, scene_values
from .rules import law53, law66
from .rules.base import Facts, Outcome

RULESETS: dict[str, tuple[Mapping[str, Callable[[Facts], Outcome]], Mapping[str, tuple[str, ...]]]] = {
    LAW66: (law66.RULES, law66.VOCAB),
    LAW53: (law53.RULES, law53.VOCAB),
}
HEAD_VOCAB = (
    "regime.old.victim", "regime.old.minor", "regime.old.under_identification",
    "regime.new.victim", "regime.new.minor", "regime.new.under_identification",
    "period.decree-09-2013", "period.circular-84-2019", "period.circular84_continued", "period.decree-162-2025",
    "new.verification@verification.initial_days",
)


def as_date(value: dt.date | str) -> dt.date:
    """Accept a date or an ISO 'YYYY-MM-DD' string."""
    if isinstance(value, dt.datetime):
        raise TypeError("pass a date, not a datetime")
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def profile_head(p: Profile, choice: RegimeChoice, store: ParameterStore) -> tuple[list[str], dict[str, dt.date]]:
    """Reasons for the regime and period, and profile-level deadlines."""
    keys = [choice.reason, choice.period_reason]
    deadlines: dict[str, dt.date] = {}
    if choice.regime == LAW53 and p.category == "under_identification" and p.reported_on is not None:
        days = store.get("verification.initial_days", choice.lookup_date, p.province)
        if days is not None and days.value is not None:
            # Law 53/2024 Art. 27: verify with the police within 3 days of the report.
            deadlines["initial_verification_by"] = p.reported_on + dt.timedelta(days=days.value)
            keys.append("new.verification@verification.initial_days")
    return keys, deadlines


def make_scene(p: Profile, on: dt.date, choice: RegimeChoice, age: int | None) -> Scene:
    return Scene(
        regime=choice.regime,
        row=choice.row,
        on=on,
        lookup_date=choice.lookup_date,
        province=p.province,
        identified_on=p.identified_on,
        accompanies=p.accompanies,
        received_on=p.application_received_on,
        reported_on=p.reported_on,
        age=age,
    )


def evaluate(profile: Profile | Mapping[str, Any], on: dt.date | str, *,
             store: ParameterStore | None = None) -> dict[str, Any]:
    """Evaluate one person's entitlements on `on`, with reasons and citations.

    `profile` is a Profile or a JSON-like mapping (see docs/entitlements.md). Raises
    ProfileError for bad input. `store` defaults to the shipped parameter files; pass
    `default_store().with_values([...])` to add provincial figures from the database.
    """
    p = profile if isinstance(profile, Profile) else parse_profile(profile)
    on = as_date(on)
    store = store or default_store()
    check_against_date(p, on)
    choice = choose_regime(p, on)
    facts = Facts.build(p, on, choice, store)
    rules, vocab = RULESETS[choice.regime]
    scene = make_scene(p, on, choice, facts.age)
    base = scene_values(scene)
    items = [
        render_item(code, rules[code](facts), scene, store, vocab[code], base)
        for code in items_for(choice.regime, choice.period)
    ]
    head_keys, deadlines = profile_head(p, choice, store)
    return render_profile(p.id, scene, choice.period, head_keys, deadlines, items, store)


def outcomes(profile: Profile, on: dt.date, *, store: ParameterStore | None = None) -> dict[str, Outcome]:
    """The raw rule outcomes for one person (before wording), keyed by item code."""
    store = store or default_store()
    check_against_date(profile, on)
    choice = choose_regime(profile, on)
    facts = Facts.build(profile, on, choice, store)
    rules, _ = RULESETS[choice.regime]
    return {code: rules[code](facts) for code in items_for(choice.regime, choice.period)}
