"""Runs the lawyer-readable scenarios in tests/entitlements/scenarios/*.yaml.

Each file has `defaults` (profile fields shared by its scenarios) and `scenarios`, each with a
`name`, the evaluation date `evaluated_on`, the `profile` (merged over the defaults) and `expect`:
  regime, period, deadlines     compared exactly / as a subset
  statuses: {item: status}      short form
  items: {item: {status, amount_vnd, limits, deadlines, reason, reason_vi}}
         limits/deadlines are compared as subsets; reason/reason_vi must appear in one reason
  absent: [item, ...]           items that must not be listed in this regime
Every scenario is also run through the batch path, which must give the same result.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from haven.entitlements.engine import evaluate, evaluate_many

SCENARIOS = Path(__file__).with_name("scenarios")


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _cases() -> list[Any]:
    cases = []
    for path in sorted(SCENARIOS.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        defaults = data.get("defaults") or {}
        for scenario in data["scenarios"]:
            cases.append(pytest.param(defaults, scenario, id=f"{path.stem}: {scenario['name']}"))
    return cases


def _check_item(code: str, got: dict[str, Any], want: dict[str, Any]) -> None:
    for key in ("status", "amount_vnd"):
        if key in want:
            assert got[key] == want[key], f"{code}.{key}"
    for key in ("limits", "deadlines"):
        for name, value in _plain(want.get(key) or {}).items():
            assert got[key].get(name) == value, f"{code}.{key}.{name}"
    for key, lang in (("reason", "en"), ("reason_vi", "vi")):
        if key in want:
            assert any(want[key] in r[lang] for r in got["reasons"]), f"{code}: no reason contains {want[key]!r}"


@pytest.mark.parametrize(("defaults", "scenario"), _cases())
def test_scenario(defaults: dict[str, Any], scenario: dict[str, Any]) -> None:
    profile = _plain({"id": scenario["name"], **defaults, **scenario["profile"]})
    on = scenario["evaluated_on"]
    result = evaluate(profile, on)
    expect = scenario["expect"]
    for key in ("regime", "period"):
        if key in expect:
            assert result[key] == expect[key]
    for name, value in _plain(expect.get("deadlines") or {}).items():
        assert result["deadlines"].get(name) == value
    items = {item["code"]: item for item in result["items"]}
    for code, status in (expect.get("statuses") or {}).items():
        assert items[code]["status"] == status, code
    for code, want in (expect.get("items") or {}).items():
        _check_item(code, items[code], want)
    for code in expect.get("absent") or []:
        assert code not in items
    assert evaluate_many([profile], on) == [result]


def test_scenarios_cover_every_item_in_every_regime() -> None:
    seen: dict[str, set[str]] = {"law-66-2011": set(), "law-53-2024": set()}
    for param in _cases():
        defaults, scenario = param.values
        profile = _plain({"id": "x", **defaults, **scenario["profile"]})
        result = evaluate(profile, scenario["evaluated_on"])
        expect = scenario["expect"]
        seen[result["regime"]] |= set(expect.get("statuses") or {}) | set(expect.get("items") or {})
    assert seen["law-66-2011"] == {"food", "clothing_personal_items", "travel", "medical", "health_insurance",
                                   "psychological", "legal_aid", "education", "vocational_training",
                                   "hardship_allowance", "loan"}
    assert seen["law-53-2024"] == {"essential_needs", "medical", "health_insurance", "interpretation",
                                   "legal_support", "legal_aid", "travel", "psychological", "education",
                                   "vocational_training", "hardship_allowance", "loan"}
