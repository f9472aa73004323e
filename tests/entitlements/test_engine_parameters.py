"""Parameter files: validation, dated lookup by province, runtime values."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from haven.entitlements.engine.parameters import (
    PARAMS_DIR,
    ParameterError,
    ParameterStore,
    default_store,
)

D = dt.date


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "p.yaml").write_text(text, encoding="utf-8")
    return tmp_path


GOOD = """
x.rate:
  unit: VND/day
  values:
    - {valid_from: 2020-01-01, valid_to: 2020-12-31, scope: national, value: 100,
       citation: {instrument: Decree 1, article: Art. 1}, confidence: confirmed}
    - {valid_from: 2021-01-01, scope: national, value: 120,
       citation: {instrument: Decree 2, article: Art. 1}, confidence: confirmed}
    - {valid_from: 2020-06-01, scope: lao-cai, value: 90,
       citation: {instrument: Study, article: null}, confidence: reported}
"""


def test_every_shipped_value_has_a_date_scope_unit_citation_and_confidence() -> None:
    store = default_store()
    for code in store.codes():
        for value in store.history(code):
            assert value.valid_from and value.scope and value.unit and value.citation.instrument
            assert value.confidence in ("confirmed", "reported", "unverified")


def test_no_shipped_unverified_value_has_a_number() -> None:
    store = default_store()
    values = [v for code in store.codes() for v in store.history(code)]
    assert all(v.value is None for v in values if v.confidence == "unverified")
    assert any(v.confidence == "unverified" for v in values)


def test_lao_cai_seed_study_values_are_loaded_as_reported() -> None:
    store = default_store()
    on = D(2023, 6, 1)
    found = {code: store.get(code, on, "lao-cai") for code in
             ("food.daily_rate", "clothing.package", "medical.medicine", "hardship.amount")}
    assert {code: v.value for code, v in found.items()} == {
        "food.daily_rate": 30000, "clothing.package": 400000, "medical.medicine": 50000, "hardship.amount": 1000000}
    assert all(v.confidence == "reported" and v.citation.instrument.startswith("Seed study") for v in found.values())


def test_lookup_follows_dates_and_prefers_the_province(tmp_path: Path) -> None:
    store = ParameterStore.from_directory(write(tmp_path, GOOD))
    assert store.get("x.rate", D(2020, 3, 1), "lao-cai").value == 100
    assert store.get("x.rate", D(2020, 7, 1), "lao-cai").value == 90
    assert store.get("x.rate", D(2020, 7, 1), "ha-noi").value == 100
    assert store.get("x.rate", D(2021, 7, 1), None).value == 120
    assert store.get("x.rate", D(2019, 7, 1), None) is None


@pytest.mark.parametrize(("change", "message"), [
    ("value: 100,\n       citation: {instrument: Decree 1, article: Art. 1}, confidence: confirmed}",
     None),
    ("value: 5,\n       citation: {instrument: Decree 1, article: Art. 1}, confidence: unverified}",
     "unverified value must have no number"),
    ("value: null,\n       citation: {instrument: Decree 1, article: Art. 1}, confidence: confirmed}",
     "must be a whole number"),
    ("value: 1.5,\n       citation: {instrument: Decree 1, article: Art. 1}, confidence: confirmed}",
     "must be a whole number"),
    ("value: 100,\n       citation: {article: Art. 1}, confidence: confirmed}", "citation"),
    ("value: 100,\n       citation: {instrument: Decree 1, article: Art. 1}, confidence: sure}", "confidence"),
])
def test_value_validation(tmp_path: Path, change: str, message: str | None) -> None:
    text = f"""
x.rate:
  unit: VND
  values:
    - {{valid_from: 2020-01-01, scope: national, {change}
"""
    if message is None:
        ParameterStore.from_directory(write(tmp_path, text))
        return
    with pytest.raises(ParameterError, match=message):
        ParameterStore.from_directory(write(tmp_path, text))


def test_bad_scope_and_unit_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ParameterError, match="scope"):
        ParameterStore.from_directory(write(tmp_path, GOOD.replace("lao-cai", "Lào Cai")))
    with pytest.raises(ParameterError, match="unit"):
        ParameterStore.from_directory(write(tmp_path, GOOD.replace("VND/day", "dollars")))


def test_overlapping_file_values_are_refused_so_laws_change_by_new_dated_values(tmp_path: Path) -> None:
    with pytest.raises(ParameterError, match="overlap"):
        ParameterStore.from_directory(write(tmp_path, GOOD.replace("valid_to: 2020-12-31", "valid_to: 2021-03-31")))


def test_runtime_value_adds_an_official_figure_without_touching_the_files() -> None:
    base = default_store()
    store = base.with_values([{
        "code": "food.daily_rate", "valid_from": "2024-01-01", "scope": "lao-cai", "value": 45000,
        "citation": {"instrument": "Lao Cai People's Council Resolution 1/2024", "article": "Art. 2"},
        "confidence": "confirmed",
    }])
    assert store.get("food.daily_rate", D(2024, 5, 1), "lao-cai").value == 45000
    assert store.get("food.daily_rate", D(2023, 5, 1), "lao-cai").value == 30000
    assert base.get("food.daily_rate", D(2024, 5, 1), "lao-cai").value == 30000


def test_later_runtime_value_supersedes_an_earlier_open_ended_one() -> None:
    def entry(day: str, value: int) -> dict:
        return {"code": "hardship.amount", "valid_from": day, "scope": "lao-cai", "value": value,
                "citation": {"instrument": "Resolution", "article": None}, "confidence": "confirmed"}
    store = default_store().with_values([entry("2021-01-01", 1500000), entry("2023-01-01", 2000000)])
    assert store.get("hardship.amount", D(2022, 1, 1), "lao-cai").value == 1500000
    assert store.get("hardship.amount", D(2024, 1, 1), "lao-cai").value == 2000000
    with pytest.raises(ParameterError, match="start on"):
        default_store().with_values([entry("2021-01-01", 1), entry("2021-01-01", 2)])


def test_runtime_values_are_validated_like_files() -> None:
    with pytest.raises(ParameterError, match="unknown parameter"):
        default_store().with_values([{"code": "nope"}])
    with pytest.raises(ParameterError, match="no number"):
        default_store().with_values([{
            "code": "hardship.amount", "valid_from": "2024-01-01", "scope": "lao-cai", "value": 5,
            "citation": {"instrument": "x", "article": None}, "confidence": "unverified"}])
    with pytest.raises(ParameterError, match="differs"):
        default_store().with_values([{
            "code": "hardship.amount", "valid_from": "2024-01-01", "scope": "lao-cai", "value": 5, "unit": "days",
            "citation": {"instrument": "x", "article": None}, "confidence": "confirmed"}])


def test_shipped_files_are_where_the_docs_say() -> None:
    assert sorted(p.name for p in PARAMS_DIR.glob("*.yaml")) == ["law-53-2024.yaml", "law-66-2011.yaml",
                                                                "provinces.yaml"]
