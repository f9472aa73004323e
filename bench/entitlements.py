"""Benchmark of Haven's entitlements engine, side by side with the same rules in OpenFisca.

    .venv/bin/python bench/entitlements.py            # full run (about 3 minutes on 2 cores)
    .venv/bin/python bench/entitlements.py --quick    # smaller sizes, for a smoke test

Prints, for Haven: the median time of one person with explanation; column-wise batches of
1,000 / 100,000 / 1,000,000 synthetic profiles with reasons (every row and item gets its reason
codes; rendering them into sentences is timed separately); and the path from JSON-like records.
For OpenFisca (bench/.venv-openfisca, never a Haven dependency): a simulation built from
records at 100,000 profiles and the array path at 1,000,000, on the same people with the same
subset of rules (food, clothing package, medicine, hardship allowance under Circular 84/2019),
and the exactness of the totals (Haven: integer đồng; OpenFisca: float32).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from haven.entitlements.engine import (  # noqa: E402
    Columns,
    evaluate,
    evaluate_columns,
    parse_profiles,
    profiles_to_columns,
)
from haven.entitlements.engine.calendar import default_calendar  # noqa: E402

PROVINCES = ("lao-cai", "ha-giang", "an-giang", "khanh-hoa", "hau-giang", "ha-noi")
ON = "2023-06-01"
SUBSET = ("food", "clothing_personal_items", "medical", "hardship_allowance")
OPENFISCA_PYTHON = ROOT / "bench" / ".venv-openfisca" / "bin" / "python"
OPENFISCA_RUN = ROOT / "bench" / "openfisca" / "run.py"


# -- synthetic people ------------------------------------------------------------------------

def population(n: int, seed: int = 2023) -> dict[str, np.ndarray]:
    """Arrays describing n people evaluated on ON (all identified 2020-2023: Law 66/2011 regime)."""
    rng = np.random.default_rng(seed)
    start, on = np.datetime64("2020-01-01", "D"), np.datetime64(ON, "D")
    category = rng.choice(np.array([0, 1, 2], dtype=np.int8), size=n, p=[0.8, 0.1, 0.1])
    key = start + rng.integers(0, int((on - start).astype(int)), n)
    has_stay = rng.random(n) < 0.7
    stay_from = np.minimum(key + rng.integers(0, 30, n), on)
    nat = np.datetime64("NaT", "D")

    def tristate(p_yes: float) -> np.ndarray:
        return rng.choice(np.array([1, 0, -1], dtype=np.int8), size=n, p=[p_yes, 0.95 - p_yes, 0.05])

    return {
        "category": category,
        "citizen": rng.random(n) < 0.9,
        "abroad": rng.random(n) < 0.05,
        "birth_date": np.datetime64("1970-01-01", "D") + rng.integers(0, 16000, n),
        "sex": rng.choice(np.array([0, 1], dtype=np.int8), size=n, p=[0.75, 0.25]),
        "identified_on": np.where(category == 0, key, nat),
        "accompanies": np.where(category == 2, key, nat),
        "province": rng.integers(-1, len(PROVINCES), n).astype(np.int32),
        "poor": tristate(0.5),
        "near_poor": tristate(0.2),
        "difficulty": tristate(0.6),
        "has_insurance": tristate(0.4),
        "has_relatives": tristate(0.8),
        "merit": tristate(0.05),
        "stay_from": np.where(has_stay, stay_from, nat),
        "stay_to": np.where(has_stay, stay_from + rng.integers(0, 150, n), nat),
        "received_on": np.where(rng.random(n) < 0.5, key + rng.integers(0, 450, n), nat),
        "reported_on": np.full(n, nat),
    }


def columns(arrays: dict[str, np.ndarray]) -> Columns:
    n = len(arrays["category"])
    return Columns(ids=np.arange(n).astype(object), provinces=PROVINCES, **arrays)


def records(arrays: dict[str, np.ndarray], n: int) -> list[dict]:
    """The first n people as JSON-like profiles (the `haven entitlements evaluate` input)."""
    def date(value: np.datetime64) -> str | None:
        return None if np.isnat(value) else str(value)

    def tri(value: int) -> bool | None:
        return None if value < 0 else bool(value)

    categories = ("victim", "under_identification", "accompanying_minor")
    out = []
    for i in range(n):
        province = int(arrays["province"][i])
        stay = None
        if not np.isnat(arrays["stay_from"][i]):
            stay = {"from": date(arrays["stay_from"][i]), "to": date(arrays["stay_to"][i])}
        out.append({
            "id": i, "category": categories[int(arrays["category"][i])],
            "nationality": "VN" if arrays["citizen"][i] else "CN",
            "located": "abroad" if arrays["abroad"][i] else "vietnam",
            "birth_date": date(arrays["birth_date"][i]), "sex": "F" if arrays["sex"][i] == 0 else "M",
            "identified_on": date(arrays["identified_on"][i]), "accompanies": date(arrays["accompanies"][i]),
            "province": None if province < 0 else PROVINCES[province],
            "poor_household": tri(arrays["poor"][i]), "near_poor_household": tri(arrays["near_poor"][i]),
            "financial_difficulty": tri(arrays["difficulty"][i]),
            "has_health_insurance": tri(arrays["has_insurance"][i]),
            "has_relatives": tri(arrays["has_relatives"][i]),
            "revolutionary_merit_family": tri(arrays["merit"][i]),
            "shelter_stay": stay, "application_received_on": date(arrays["received_on"][i]),
        })
    return out


# -- timing helpers --------------------------------------------------------------------------

def timed(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Median wall-clock seconds over `repeat` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def per_row_totals(result: object, size: int, items: tuple[str, ...]) -> np.ndarray:
    """Sum of amount_vnd over `items` for every row, in input order (int64 đồng)."""
    total = np.zeros(size, dtype=np.int64)
    for part in result.parts:
        for code in items:
            item = part.items[code]
            total[part.index] += np.where(item.amount_set, item.amount, 0)
    return total


def export_for_openfisca(arrays: dict[str, np.ndarray], path: Path) -> None:
    cal = default_calendar()
    nwd = cal.working_index[np.minimum(cal.cumulative - cal.working, len(cal.working_index) - 1)]
    np.savez(path, **arrays, on=np.array([ON]), calendar_first=np.array([np.datetime64(cal.first, "D")]),
             calendar_next_working_day=np.datetime64(cal.first, "D") + nwd)


def openfisca(path: Path, records_n: int, arrays_n: int, rows: Path, repeat: int) -> dict | None:
    """Run bench/openfisca/run.py in OpenFisca's own virtualenv; None if it is not installed."""
    if not OPENFISCA_PYTHON.exists():
        return None

    def run(*args: str) -> dict:
        done = subprocess.run([str(OPENFISCA_PYTHON), str(OPENFISCA_RUN), str(path), *args],
                              capture_output=True, text=True, check=True)
        return json.loads(done.stdout.strip().splitlines()[-1])

    # Building from records is slow in OpenFisca (see docs/benchmarks.md), so it runs once.
    report = run("--records", str(records_n), "--repeat", "1")
    report |= run("--arrays", str(arrays_n), "--repeat", str(repeat), "--save-rows", str(rows))
    return report


# -- the run ---------------------------------------------------------------------------------

def single_person(runs: int) -> tuple[float, float]:
    """Median and p95 of evaluate(dict) over `runs` different people (JSON-like input, full explanation)."""
    people = records(population(runs, seed=7), runs)
    evaluate(people[0], ON)
    times = []
    for person in people:
        start = time.perf_counter()
        evaluate(person, ON)
        times.append(time.perf_counter() - start)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (smoke test)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", help="also write the numbers to this file")
    parser.add_argument("--openfisca-records", type=int, default=100_000,
                        help="profiles for OpenFisca's records path (slow: over an hour at 100,000)")
    args = parser.parse_args()
    sizes = (1_000, 10_000, 50_000) if args.quick else (1_000, 100_000, 1_000_000)
    records_n = 5_000 if args.quick else 100_000
    of_records_n = min(records_n, args.openfisca_records)
    arrays_n = sizes[-1]
    out: dict[str, object] = {
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
                   f"Python {platform.python_version()}, numpy {np.__version__}",
        "load_average_at_start": os.getloadavg(),
    }
    print(f"Machine: {out['machine']}; load average at start {out['load_average_at_start']}")

    median, p95 = single_person(2000)
    out["one_person_ms"] = {"median": median * 1e3, "p95": p95 * 1e3}
    print(f"\nOne person with explanation (evaluate(dict), 2,000 different people): "
          f"median {median * 1e3:.3f} ms, p95 {p95 * 1e3:.3f} ms")

    big = population(max(sizes + (records_n,)))
    evaluate_columns(columns({k: v[:10] for k, v in big.items()}), ON)  # warm the calendar
    print("\nHaven, column-wise, all 11 items with reason codes for every row and item:")
    batch = {}
    for n in sizes:
        cols = columns({k: v[:n] for k, v in big.items()})
        seconds, result = timed(lambda cols=cols: evaluate_columns(cols, ON), args.repeat)
        batch[n] = seconds
        print(f"  {n:>9,} profiles: {seconds:.3f} s ({seconds / n * 1e6:.2f} µs/profile)")
    out["haven_columns_s"] = batch
    small = columns({k: v[:1000] for k, v in big.items()})
    seconds, _ = timed(lambda: evaluate_columns(small, ON).to_dicts(), args.repeat)
    out["haven_1000_rendered_s"] = seconds
    print(f"  1,000 profiles rendered into full results with sentences: {seconds:.3f} s")

    recs = records(big, records_n)
    seconds, _ = timed(lambda: evaluate_columns(profiles_to_columns(parse_profiles(recs)), ON), args.repeat)
    out["haven_records_s"] = {"n": records_n, "seconds": seconds}
    print(f"\nHaven from {records_n:,} JSON-like records (parse, validate, columns, evaluate): {seconds:.3f} s")

    cols = columns({k: v[:arrays_n] for k, v in big.items()})
    seconds, subset = timed(lambda: evaluate_columns(cols, ON, items=SUBSET), args.repeat)
    out["haven_subset_columns_s"] = {"n": arrays_n, "seconds": seconds}
    print(f"Haven, the OpenFisca subset ({', '.join(SUBSET)}) with reasons, {arrays_n:,} profiles: {seconds:.3f} s")

    with tempfile.TemporaryDirectory() as tmp:
        data, rows = Path(tmp) / "population.npz", Path(tmp) / "rows.npz"
        export_for_openfisca({k: v[:arrays_n] for k, v in big.items()}, data)
        report = openfisca(data, of_records_n, arrays_n, rows, args.repeat)
        if report is None:
            print("\nOpenFisca: bench/.venv-openfisca not found; skipped")
            return
        of_rows = np.load(rows)["total_vnd"]
    of_records = statistics.median(report["records"]["seconds"])
    of_arrays = statistics.median(report["arrays"]["seconds"])
    out["openfisca"] = report
    haven_records = out["haven_records_s"]["seconds"]
    if of_records_n != records_n:  # compare with Haven on the same number of records
        haven_records, _ = timed(lambda: evaluate_columns(profiles_to_columns(parse_profiles(recs[:of_records_n])), ON),
                                 args.repeat)
    print(f"\nOpenFisca, simulation built from {of_records_n:,} records: {of_records:.3f} s "
          f"(Haven from the same records: {haven_records:.3f} s, {of_records / haven_records:.1f}x faster)")
    print(f"OpenFisca, array path, {arrays_n:,} profiles, subset only, no reasons: {of_arrays:.3f} s "
          f"(Haven subset with reasons: {out['haven_subset_columns_s']['seconds']:.3f} s = "
          f"{out['haven_subset_columns_s']['seconds'] / of_arrays:.2f}x; Haven all items: "
          f"{batch[arrays_n]:.3f} s = {batch[arrays_n] / of_arrays:.2f}x)")

    haven_rows = per_row_totals(subset, arrays_n, SUBSET)
    exact = int(haven_rows.sum())
    f32 = report["arrays"]["totals_float32"]["total_vnd"]
    same_rows = int(np.sum(haven_rows == of_rows.astype(np.int64)))
    out["exactness"] = {"haven_total_vnd": exact, "openfisca_float32_total": f32,
                        "difference_vnd": f32 - exact, "rows_equal": same_rows, "rows": arrays_n}
    print(f"\nTotals over {arrays_n:,} profiles of the subset: Haven {exact:,} đồng (integer, exact); "
          f"OpenFisca float32 {f32:,.0f} (off by {f32 - exact:+,.0f} đồng). "
          f"Per-person amounts equal on {same_rows:,} of {arrays_n:,} rows.")
    for code, name in zip(SUBSET, ("food_vnd", "clothing_vnd", "medicine_vnd", "hardship_vnd"), strict=True):
        haven_item = sum(int(np.where(p.items[code].amount_set, p.items[code].amount, 0).sum()) for p in subset.parts)
        print(f"  {code:<24} Haven {haven_item:>20,}   OpenFisca float32 "
              f"{report['arrays']['totals_float32'][name]:>22,.0f}")
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
