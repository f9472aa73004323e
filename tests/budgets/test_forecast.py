"""The intake forecast on synthetic series with known rates (fixed seeds, fast)."""

from __future__ import annotations

import math

import numpy as np

from haven.budgets.forecast import Month, forecast_intake


def _history(rates, *, seed: int, start_year: int = 2022) -> dict[Month, int | None]:
    rng = np.random.default_rng(seed)
    return {Month.of_index(start_year * 12 + i): int(rng.poisson(rate)) for i, rate in enumerate(rates)}


def test_a_constant_rate_of_twelve_is_forecast_as_about_twelve_a_month():
    forecast = forecast_intake(_history([12] * 48, seed=1), 2026)
    assert forecast.model in ("constant", "trend", "seasonal", "trend_seasonal")
    assert all(abs(m.mean - 12) < 2.0 for m in forecast.monthly)
    assert abs(forecast.total.mean - 144) < 15
    assert forecast.total.lo95 <= forecast.total.lo80 <= forecast.total.mean <= forecast.total.hi80 <= forecast.total.hi95


def test_the_intervals_cover_simulated_futures_at_their_nominal_rate():
    rng = np.random.default_rng(99)
    inside80 = inside95 = months = 0
    for replication in range(40):
        forecast = forecast_intake(_history([12] * 48, seed=1000 + replication), 2026, simulations=1000,
                                   seed=replication)
        # The history ends in December 2025, so 2026 is the first year ahead.
        future = rng.poisson(12, size=12)
        for interval, actual in zip(forecast.monthly, future, strict=True):
            months += 1
            inside80 += interval.lo80 <= actual <= interval.hi80
            inside95 += interval.lo95 <= actual <= interval.hi95
    assert 0.74 <= inside80 / months <= 0.93
    assert 0.91 <= inside95 / months <= 0.995


def test_a_known_trend_is_recovered():
    growth = 0.2  # log scale per year: x1.22 a year
    rates = [10 * math.exp(growth * i / 12) for i in range(48)]
    forecast = forecast_intake(_history(rates, seed=7), 2026)
    assert forecast.model in ("trend", "trend_seasonal")
    assert abs(math.log(forecast.trend_per_year) - growth) < 0.08
    expected_2026 = sum(10 * math.exp(growth * i / 12) for i in range(48, 60))
    assert forecast.total.lo80 <= expected_2026 <= forecast.total.hi80


def test_a_month_of_year_pattern_is_found_with_two_years_of_history():
    rates = [4 + (12 if i % 12 == 1 else 0) for i in range(36)]  # February: after Tết
    forecast = forecast_intake(_history(rates, seed=3, start_year=2023), 2026)
    assert forecast.model in ("seasonal", "trend_seasonal")
    assert forecast.monthly[1].mean > 2 * forecast.monthly[5].mean


def test_over_dispersed_arrivals_use_a_negative_binomial_with_wider_intervals():
    rng = np.random.default_rng(5)
    counts = rng.negative_binomial(2, 2 / (2 + 12), size=48)
    history = {Month.of_index(2022 * 12 + i): int(c) for i, c in enumerate(counts)}
    forecast = forecast_intake(history, 2026)
    poisson = forecast_intake(_history([12] * 48, seed=1), 2026)
    assert forecast.family == "negative_binomial"
    assert forecast.alpha is not None and forecast.alpha > 0.1
    assert (forecast.total.hi80 - forecast.total.lo80) > (poisson.total.hi80 - poisson.total.lo80)


def test_a_short_history_falls_back_to_a_constant_rate_with_its_uncertainty():
    forecast = forecast_intake(_history([3] * 5, seed=2, start_year=2025), 2027)
    assert forecast.model == "gamma_poisson"
    assert "short_history" in forecast.notes
    assert 1 <= forecast.monthly[0].mean <= 6


def test_unknown_months_are_left_out_not_counted_as_zero():
    # A flat series, so that only the handling of the gap matters: zeros would pull the level to 8.
    with_gap = {Month.of_index(2022 * 12 + i): (None if 12 <= i < 24 else 12) for i in range(36)}
    forecast = forecast_intake(with_gap, 2025)
    assert forecast.observed_months == 24
    assert forecast.model in ("constant", "gamma_poisson")  # a perfect fit may stop the GLM
    assert abs(forecast.monthly[0].mean - 12) < 1.5


def test_no_history_gives_no_forecast():
    forecast = forecast_intake({}, 2027)
    assert not forecast.available
    assert forecast.notes == ["no_history"]


def test_the_same_history_always_gives_the_same_forecast():
    history = _history([6] * 30, seed=8)
    first, second = forecast_intake(history, 2026), forecast_intake(history, 2026)
    assert first.total == second.total
    assert np.array_equal(first.totals, second.totals)
