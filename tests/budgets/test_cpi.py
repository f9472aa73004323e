"""CPI deflation against hand-computed values, and the shipped series' provenance."""

from __future__ import annotations

from decimal import Decimal

import pytest

from haven.budgets.cpi import CpiError, _parse, amount_histories, default_series, erosion, real_series
from haven.entitlements.engine import default_store

SOURCES = {"s": {"name": "test", "url": "https://example.org", "retrieved": "2026-01-01"}}


def _series(*percents: float, first: int = 2020):
    return _parse({"code": "t", "sources": SOURCES, "values": [
        {"year": first + i, "percent": p, "source": "s", "confidence": "confirmed"} for i, p in enumerate(percents)]})


def test_the_index_chains_the_yearly_changes():
    series = _series(10, 20)
    assert series.index(2019) == 100
    assert series.index(2020) == Decimal(110)
    assert series.index(2021) == Decimal(132)


def test_an_amount_loses_what_prices_gained_by_hand():
    # 100,000 fixed in 2019; prices +10% then +20%: worth 100,000 / 1.32 = 75,757.58 in 2021.
    worn = erosion(_series(10, 20), 100_000, 2019, 2021)
    assert worn.worth == 75_758
    assert worn.needed == 132_000
    assert worn.lost_percent == Decimal("24.2")


def test_real_values_in_constant_prices_of_a_base_year():
    assert real_series(_series(10, 20), 100_000, 2019, 2021, 2019) == [(2019, 100_000), (2020, 90_909), (2021, 75_758)]
    assert real_series(_series(10, 20), 100_000, 2019, 2021, 2021)[0] == (2019, 132_000)


def test_the_officers_2013_food_rate_has_lost_about_thirty_percent_by_2025():
    series = default_series()
    worn = erosion(series, 30_000, 2013, 2025)
    # By hand: 1.0408455 * 1.0063120 * 1.0266825 * 1.0352026 * 1.0353963 * 1.0279582 * 1.0322093 * 1.0183472
    #          * 1.0315651 * 1.0325 * 1.0363 * 1.0331 = 1.42019 ; 30,000 / 1.42019 = 21,124
    assert worn.worth == 21_124
    assert worn.lost_percent == Decimal("29.6")
    assert worn.confidence == "reported"  # 2023-2025 are the statistics office's announcements


def test_every_cpi_year_has_a_source_with_url_and_retrieval_date():
    series = default_series()
    assert series.first_year <= 2013 and series.last_year >= 2024
    for row in series.years:
        source = series.sources[row.source]
        assert source["url"].startswith("https://") and source["retrieved"]
        assert row.confidence in ("confirmed", "reported")


def test_medicine_fixed_at_fifty_thousand_since_2013_is_traced_back_through_the_provincial_value():
    rows = [h for h in amount_histories(default_store(), default_series(), 2013)
            if h.value.code == "medical.medicine" and h.value.scope == "lao-cai"]
    assert len(rows) == 1
    assert rows[0].same_since.year == 2013
    assert rows[0].erosion.set_year == 2013


def test_unset_amounts_are_never_deflated():
    codes = {(h.value.code, h.value.scope) for h in amount_histories(default_store(), default_series(), 2013)}
    assert ("essential_needs.daily_rate", "national") not in codes


@pytest.mark.parametrize("bad", [
    {"values": []},
    {"sources": SOURCES, "values": [{"year": 2020, "percent": 3, "source": "nowhere", "confidence": "confirmed"}]},
    {"sources": SOURCES, "values": [{"year": 2020, "percent": 3, "source": "s", "confidence": "guess"}]},
    {"sources": SOURCES, "values": [{"year": 2020, "percent": 3, "source": "s", "confidence": "confirmed"},
                                    {"year": 2022, "percent": 3, "source": "s", "confidence": "confirmed"}]},
])
def test_a_malformed_series_is_refused(bad):
    with pytest.raises(CpiError):
        _parse(bad)


def test_a_year_outside_the_series_is_a_clear_error():
    with pytest.raises(CpiError, match="covers"):
        _series(10).index(2030)
