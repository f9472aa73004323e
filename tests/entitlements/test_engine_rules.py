"""Rule behaviour that scenarios do not show well: wording integrity, no invented figures, runtime values."""

from __future__ import annotations

import datetime as dt
import string

import pytest

from haven.entitlements.engine import default_store, evaluate, parse_profile
from haven.entitlements.engine.render import texts
from haven.entitlements.engine.rules import law53, law66

D = dt.date
VICTIM = {"id": "V", "category": "victim", "nationality": "VN", "located": "vietnam", "identified_on": "2023-03-01",
          "province": "lao-cai", "poor_household": True, "shelter_stay": {"from": "2023-03-01", "to": "2023-03-20"}}


def all_vocab() -> set[str]:
    return {key for vocab in (*law66.VOCAB.values(), *law53.VOCAB.values()) for key in vocab}


def test_every_reason_key_has_words_in_both_languages() -> None:
    reasons = texts().reasons
    missing = {key.partition("@")[0] for key in all_vocab()} - set(reasons)
    assert not missing
    for key, template in reasons.items():
        assert template.vi.strip() and template.en.strip(), key


def test_both_languages_of_a_reason_use_the_same_placeholders() -> None:
    for key, template in texts().reasons.items():
        vi = {f for _, f, _, _ in string.Formatter().parse(template.vi) if f}
        en = {f for _, f, _, _ in string.Formatter().parse(template.en) if f}
        assert vi == en, key


def test_every_shipped_instrument_has_a_vietnamese_name() -> None:
    store = default_store()
    instruments = {v.citation.instrument for code in store.codes() for v in store.history(code)}
    instruments |= {c.instrument for t in texts().reasons.values() for c in t.cite}
    assert instruments <= set(texts().instruments_vi)


def test_every_item_has_a_name_in_both_languages() -> None:
    for code in (*law66.RULES, *law53.RULES):
        assert set(texts().items[code]) == {"vi", "en"}


def test_why_not_is_answered_in_the_words_of_the_issue() -> None:
    result = evaluate({**VICTIM, "poor_household": False}, D(2023, 6, 1))
    hardship = next(i for i in result["items"] if i["code"] == "hardship_allowance")
    assert hardship["reasons"][0]["en"] == (
        "Initial hardship allowance: not entitled — the household is not on the commune's poor list "
        "(Decree 09/2013/ND-CP Art. 23)")


@pytest.mark.parametrize("on", [D(2019, 6, 1), D(2023, 6, 1), D(2025, 9, 1)])
@pytest.mark.parametrize("province", [None, "ha-noi", "lao-cai"])
def test_amounts_are_integers_only_when_entitled_and_never_for_unverified_values(on: dt.date, province: str) -> None:
    start = (on - dt.timedelta(days=40)).isoformat()
    profile = {**VICTIM, "province": province, "identified_on": start, "shelter_stay": {"from": start, "to": None}}
    for item in evaluate(profile, on)["items"]:
        if item["amount_vnd"] is not None:
            assert isinstance(item["amount_vnd"], int) and item["status"] == "entitled", item["code"]
        if item["status"] == "amount_not_set":
            assert item["amount_vnd"] is None
            assert any("not yet entered" in r["en"] for r in item["reasons"])


def test_an_official_provincial_figure_entered_at_runtime_replaces_the_reported_one() -> None:
    store = default_store().with_values([{
        "code": "hardship.amount", "valid_from": "2023-01-01", "valid_to": "2025-06-30", "scope": "lao-cai",
        "value": 1500000, "citation": {"instrument": "Lao Cai People's Council Resolution 10/2022", "article": "Art. 3"},
        "confidence": "confirmed"}])
    hardship = next(i for i in evaluate(VICTIM, D(2023, 6, 1), store=store)["items"]
                    if i["code"] == "hardship_allowance")
    assert hardship["amount_vnd"] == 1500000
    assert {"instrument": "Lao Cai People's Council Resolution 10/2022", "article": "Art. 3"} in hardship["citations"]
    assert not any("reported" in r["en"] for r in hardship["reasons"])


def test_a_figure_entered_for_the_new_law_turns_amount_not_set_into_an_amount() -> None:
    profile = {**VICTIM, "identified_on": "2025-07-10", "shelter_stay": {"from": "2025-07-10", "to": "2025-07-29"}}
    store = default_store().with_values([{
        "code": "essential_needs.daily_rate", "valid_from": "2025-07-01", "scope": "national", "value": 50000,
        "citation": {"instrument": "Decree 162/2025/ND-CP", "article": "Art. 17"}, "confidence": "confirmed"}])
    before = next(i for i in evaluate(profile, D(2025, 9, 1))["items"] if i["code"] == "essential_needs")
    after = next(i for i in evaluate(profile, D(2025, 9, 1), store=store)["items"] if i["code"] == "essential_needs")
    assert (before["status"], before["amount_vnd"]) == ("amount_not_set", None)
    assert (after["status"], after["amount_vnd"]) == ("entitled", 20 * 50000)


def test_evaluate_accepts_a_parsed_profile_and_an_iso_date() -> None:
    assert evaluate(parse_profile(VICTIM), "2023-06-01") == evaluate(VICTIM, D(2023, 6, 1))


def test_reasons_for_a_vietnamese_reader_contain_no_english_instrument_names() -> None:
    result = evaluate(VICTIM, D(2023, 6, 1))
    for item in result["items"]:
        for reason in item["reasons"]:
            assert "Decree" not in reason["vi"] and "Circular" not in reason["vi"], reason["vi"]
