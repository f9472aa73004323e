"""Forecast timing: 100 agencies, each with four years of monthly intake (no database needed).

    .venv/bin/python bench/budgets.py [--agencies 100] [--simulations 4000]

Prints the median and total time to fit and simulate each agency's 12-month forecast, and which
models were chosen. The series are synthetic (Poisson, some with a trend or a Tết peak).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from haven.budgets.forecast import Month, forecast_intake  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agencies", type=int, default=100)
    parser.add_argument("--simulations", type=int, default=4000)
    args = parser.parse_args()
    rng = np.random.default_rng(2026)
    histories = []
    for _agency in range(args.agencies):
        base = rng.uniform(1, 15)
        trend = rng.choice([0.0, 0.1, -0.1])
        peak = rng.choice([0.0, 0.5])
        rates = [base * np.exp(trend * i / 12) * (1 + (peak if i % 12 == 1 else 0)) for i in range(48)]
        histories.append({Month.of_index(2022 * 12 + i): int(rng.poisson(r)) for i, r in enumerate(rates)})
    forecast_intake(histories[0], 2026)  # import statsmodels outside the timing
    times, models = [], Counter()
    for history in histories:
        start = time.perf_counter()
        result = forecast_intake(history, 2026, simulations=args.simulations)
        times.append(time.perf_counter() - start)
        models[f"{result.model}/{result.family}"] += 1
    print(f"{args.agencies} agencies, {args.simulations} simulations each")
    print(f"median {statistics.median(times) * 1000:.1f} ms, total {sum(times):.2f} s")
    for name, n in models.most_common():
        print(f"  {name}: {n}")


if __name__ == "__main__":
    main()
