"""Regime choice (Law 53/2024 Art. 63) and the items each person may receive (legal reference section 2)."""

from __future__ import annotations

import datetime as dt

import pytest

from haven.entitlements.engine import evaluate
from haven.entitlements.engine.regimes import covered_items, row_for

D = dt.date
OLD_A = {"food", "clothing_personal_items", "travel"}
OLD_B = {"medical", "health_insurance"}
OLD_C = {"psychological"}
OLD_D = {"legal_aid"}
OLD_DD = {"education", "vocational_training"}
OLD_E = {"hardship_allowance", "loan"}


@pytest.mark.parametrize(("category", "citizen", "expected"), [
    ("victim", True, OLD_A | OLD_B | OLD_C | OLD_D | OLD_DD | OLD_E),
    ("victim", False, OLD_A | OLD_B | OLD_C | OLD_D),
    ("accompanying_minor", True, OLD_A | OLD_B | OLD_C),
    ("accompanying_minor", False, OLD_A | OLD_B | OLD_C),
    ("under_identification", True, OLD_A),
    ("under_identification", False, OLD_A),
])
def test_old_regime_items_follow_law_66_art_32(category: str, citizen: bool, expected: set[str]) -> None:
    for abroad in (False, True):
        assert covered_items("law-66-2011", row_for("law-66-2011", category, citizen, abroad)) == expected


NEW = {"a": {"essential_needs"}, "b": {"medical", "health_insurance"}, "c": {"interpretation"},
       "d": {"legal_support"}, "đ": {"legal_aid"}, "e": {"travel"}, "g": {"psychological"}, "h": {"education"},
       "i": {"vocational_training"}, "k": {"hardship_allowance", "loan"}}


def letters(text: str) -> set[str]:
    return set().union(*(NEW[x] for x in text.split()))


@pytest.mark.parametrize(("category", "citizen", "abroad", "expected"), [
    ("victim", True, False, "a b c d đ e g h i k"),
    ("victim", True, True, "a b c d đ e g h i k"),
    ("victim", False, False, "a b c d đ g"),
    ("accompanying_minor", True, False, "a b c d đ e g h"),
    ("accompanying_minor", False, False, "a b c d đ g"),
    ("under_identification", True, True, "a b c d"),
    ("under_identification", True, False, "a b c d đ e g"),
    ("under_identification", False, False, "a b c d đ g"),
    ("under_identification", False, True, "a b c d"),
])
def test_new_regime_items_follow_law_53_art_37(category: str, citizen: bool, abroad: bool, expected: str) -> None:
    assert covered_items("law-53-2024", row_for("law-53-2024", category, citizen, abroad)) == letters(expected)


def victim(identified_on: str, **extra: object) -> dict:
    return {"id": "V", "category": "victim", "nationality": "VN", "located": "vietnam",
            "identified_on": identified_on, **extra}


def test_victim_identified_on_30_june_2025_keeps_the_old_regime_after_the_new_law() -> None:
    result = evaluate(victim("2025-06-30"), D(2025, 7, 15))
    assert result["regime"] == "law-66-2011"
    assert result["period"] == "circular-84-2019"
    assert "Law 53/2024/QH15 Art. 63" in result["reasons"][0]["en"]


def test_victim_identified_on_1_july_2025_gets_the_new_regime() -> None:
    result = evaluate(victim("2025-07-01"), D(2025, 7, 1))
    assert (result["regime"], result["period"]) == ("law-53-2024", "decree-162-2025")


def test_accompanying_minor_follows_the_victims_identification_date_not_the_evaluation_date() -> None:
    minor = {"id": "M", "category": "accompanying_minor", "nationality": "VN", "located": "vietnam",
             "birth_date": "2015-01-01", "accompanies": "2025-06-20"}
    assert evaluate(minor, D(2025, 9, 1))["regime"] == "law-66-2011"
    assert evaluate({**minor, "accompanies": "2025-07-02"}, D(2025, 9, 1))["regime"] == "law-53-2024"


def test_person_under_identification_falls_under_the_law_in_force_on_the_date() -> None:
    person = {"id": "U", "category": "under_identification", "nationality": "VN", "located": "vietnam"}
    assert evaluate(person, D(2025, 6, 30))["regime"] == "law-66-2011"
    assert evaluate(person, D(2025, 7, 1))["regime"] == "law-53-2024"


@pytest.mark.parametrize(("on", "period"), [
    ("2019-12-31", "decree-09-2013"), ("2020-01-01", "circular-84-2019"), ("2025-06-30", "circular-84-2019"),
])
def test_old_regime_period_follows_the_evaluation_date(on: str, period: str) -> None:
    assert evaluate(victim("2019-06-01"), D.fromisoformat(on))["period"] == period


def test_items_listed_are_those_of_the_regime_and_period() -> None:
    codes = [i["code"] for i in evaluate(victim("2019-06-01"), D(2019, 12, 31))["items"]]
    assert "health_insurance" not in codes and "essential_needs" not in codes
    codes = [i["code"] for i in evaluate(victim("2019-06-01"), D(2020, 1, 1))["items"]]
    assert "health_insurance" in codes
    codes = [i["code"] for i in evaluate(victim("2025-07-01"), D(2025, 7, 1))["items"]]
    assert codes == ["essential_needs", "medical", "health_insurance", "interpretation", "legal_support",
                     "legal_aid", "travel", "psychological", "education", "vocational_training",
                     "hardship_allowance", "loan"]
