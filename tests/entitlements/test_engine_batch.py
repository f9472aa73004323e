"""The column-wise batch path gives exactly the per-person results."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from haven.entitlements.engine import (
    default_store,
    evaluate,
    evaluate_columns,
    evaluate_many,
    profiles_to_columns,
)
from haven.entitlements.engine.profile import parse_profile

D = dt.date
PROVINCES = [None, "lao-cai", "an-giang", "ha-giang", "hau-giang", "khanh-hoa", "ha-noi"]
NATIONALITIES = ["VN", "stateless_resident", "CN", "LA", "KH"]
tristate = st.sampled_from([True, False, None])
# Dates that matter: the period and regime boundaries, Tết, and ordinary days.
on_dates = st.one_of(
    st.sampled_from([D(2019, 12, 31), D(2020, 1, 1), D(2025, 6, 30), D(2025, 7, 1), D(2025, 8, 15),
                     D(2025, 2, 3), D(2025, 2, 4)]),
    st.dates(min_value=D(2013, 4, 15), max_value=D(2027, 12, 31)),
)


def iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


@st.composite
def profile(draw: st.DrawFn, on: dt.date, pid: int) -> dict:
    category = draw(st.sampled_from(["victim", "under_identification", "accompanying_minor"]))
    past = st.dates(min_value=D(2011, 1, 1), max_value=on)
    key = draw(past)
    stay = None
    if draw(st.booleans()):
        start = draw(st.dates(min_value=D(2012, 1, 1), max_value=on))
        end = draw(st.one_of(st.none(), st.dates(min_value=start, max_value=start + dt.timedelta(days=400))))
        stay = {"from": iso(start), "to": iso(end)}
    received = draw(st.one_of(st.none(), st.dates(min_value=key, max_value=key + dt.timedelta(days=500))))
    return {
        "id": f"p{pid}",
        "category": category,
        "nationality": draw(st.sampled_from(NATIONALITIES)),
        "located": draw(st.sampled_from(["vietnam", "abroad"])),
        "birth_date": iso(draw(st.one_of(st.none(), st.dates(min_value=D(1960, 1, 1), max_value=on)))),
        "sex": draw(st.sampled_from(["F", "M", "X", None])),
        "identified_on": iso(key) if category == "victim" else None,
        "accompanies": iso(key) if category == "accompanying_minor" else None,
        "province": draw(st.sampled_from(PROVINCES)),
        "poor_household": draw(tristate),
        "near_poor_household": draw(tristate),
        "financial_difficulty": draw(tristate),
        "has_health_insurance": draw(tristate),
        "has_relatives": draw(tristate),
        "revolutionary_merit_family": draw(tristate),
        "shelter_stay": stay,
        "application_received_on": iso(received),
        "reported_on": iso(draw(st.one_of(st.none(), past))),
    }


@st.composite
def batch(draw: st.DrawFn) -> tuple[dt.date, list[dict]]:
    on = draw(on_dates)
    size = draw(st.integers(min_value=1, max_value=12))
    return on, [draw(profile(on, i)) for i in range(size)]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batch())
def test_batch_and_per_person_results_are_identical(case: tuple[dt.date, list[dict]]) -> None:
    on, profiles = case
    assert evaluate_many(profiles, on) == [evaluate(p, on) for p in profiles]


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batch())
def test_batch_and_per_person_agree_with_runtime_provincial_values(case: tuple[dt.date, list[dict]]) -> None:
    on, profiles = case
    store = default_store().with_values([
        {"code": "essential_needs.daily_rate", "valid_from": "2025-07-01", "scope": "lao-cai", "value": 80000,
         "citation": {"instrument": "Resolution", "article": None}, "confidence": "confirmed"},
        {"code": "hardship.amount", "valid_from": "2015-01-01", "valid_to": "2019-12-31", "scope": "ha-noi",
         "value": 1200000, "citation": {"instrument": "Resolution", "article": None}, "confidence": "reported"},
    ])
    assert evaluate_many(profiles, on, store=store) == [evaluate(p, on, store=store) for p in profiles]


STATUS_WORDS = {
    "en": {"entitled": "entitled", "not_entitled": "not entitled", "needs_information": "needs information",
           "deadline_passed": "deadline passed", "amount_not_set": "amount not set"},
    "vi": {"entitled": "được hưởng", "not_entitled": "không được hưởng", "needs_information": "cần thêm thông tin",
           "deadline_passed": "quá thời hạn", "amount_not_set": "chưa có mức hỗ trợ"},
}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batch())
def test_the_first_reason_of_every_item_states_its_status_and_cites_the_law(case: tuple[dt.date, list[dict]]) -> None:
    on, profiles = case
    for result in evaluate_many(profiles, on):
        for item in result["items"]:
            for lang in ("en", "vi"):
                headline = f"{item['name'][lang]}: {STATUS_WORDS[lang][item['status']]}"
                assert item["reasons"][0][lang].startswith(headline), (item["code"], item["reasons"][0][lang])
            assert item["citations"]
            if item["amount_vnd"] is not None:
                assert isinstance(item["amount_vnd"], int) and item["status"] == "entitled"


def test_every_item_answers_why_with_reasons_in_both_languages_and_citations() -> None:
    on = D(2024, 5, 1)
    profiles = [
        {"id": "a", "category": "victim", "nationality": "CN", "located": "vietnam", "identified_on": "2024-01-01"},
        {"id": "b", "category": "under_identification", "nationality": "VN", "located": "abroad"},
    ]
    for result in evaluate_many(profiles, on):
        for item in result["items"]:
            assert item["reasons"] and item["citations"]
            assert all(r["vi"] and r["en"] for r in item["reasons"])


def test_batch_totals_are_exact_integer_dong() -> None:
    base = {"category": "victim", "nationality": "VN", "located": "vietnam", "identified_on": "2023-03-01",
            "province": "lao-cai", "poor_household": True, "shelter_stay": {"from": "2023-03-01", "to": "2023-03-10"}}
    profiles = [parse_profile({**base, "id": i}) for i in range(1000)]
    result = evaluate_columns(profiles_to_columns(profiles), D(2023, 6, 1))
    totals = result.totals()
    assert totals["food"] == 1000 * 10 * 30000
    assert totals["hardship_allowance"] == 1000 * 1000000
    assert result.status_counts()["food"]["entitled"] == 1000
    assert result.row(7) == evaluate(profiles[7], D(2023, 6, 1))
