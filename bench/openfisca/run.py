"""Time the OpenFisca subset on the benchmark population and print JSON results.

    bench/.venv-openfisca/bin/python bench/openfisca/run.py DATA.npz --records N --arrays N

DATA.npz is written by bench/entitlements.py (same people, same calendar). Two paths:
records (SimulationBuilder.build_from_entities on a dict of N persons) and arrays
(build_default_simulation + set_input on N-row arrays). Amounts come back as float32.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
from openfisca_core.simulations import SimulationBuilder

sys.path.insert(0, str(Path(__file__).parent))
from haven_subset import CALENDAR, OUTPUTS, Province, build_system  # noqa: E402

PROVINCE_NAMES = [p.name for p in Province]  # lao_cai, ha_giang, ..., unknown
DATE_INPUTS = {"birth_date": "has_birth_date", "identified_on": None, "stay_from": "has_stay",
               "stay_to": "has_stay_to", "received_on": "has_received"}
INT_INPUTS = ("category", "poor", "near_poor", "merit", "has_insurance", "has_relatives")


def inputs(data: dict[str, np.ndarray], n: int) -> dict[str, np.ndarray]:
    """OpenFisca input arrays: dates without NaT (flags say which are known), province as enum index."""
    out: dict[str, np.ndarray] = {name: data[name][:n].astype(np.int64) for name in INT_INPUTS}
    out["citizen"] = data["citizen"][:n].astype(bool)
    for name, flag in DATE_INPUTS.items():
        values = data[name][:n]
        known = ~np.isnat(values)
        out[name] = np.where(known, values, np.datetime64("1970-01-01", "D"))
        if flag:
            out[flag] = known
    province = data["province"][:n]
    out["province"] = np.where(province < 0, PROVINCE_NAMES.index("unknown"), province)
    return out


def run_records(system: object, data: dict[str, np.ndarray], n: int, on: str) -> tuple[float, dict]:
    arrays = inputs(data, n)
    persons = {}
    for i in range(n):
        person = {}
        for name, values in arrays.items():
            value = values[i]
            if name == "province":
                person[name] = {on: PROVINCE_NAMES[int(value)]}
            elif np.issubdtype(values.dtype, np.datetime64):
                person[name] = {on: str(value)}
            else:
                person[name] = {on: value.item()}
        persons[str(i)] = person
    start = time.perf_counter()
    simulation = SimulationBuilder().build_from_entities(system, {"persons": persons})
    results = {name: simulation.calculate(name, on) for name in OUTPUTS}
    return time.perf_counter() - start, results


def run_arrays(system: object, data: dict[str, np.ndarray], n: int, on: str) -> tuple[float, dict]:
    arrays = inputs(data, n)
    start = time.perf_counter()
    simulation = SimulationBuilder().build_default_simulation(system, n)
    for name, values in arrays.items():
        simulation.set_input(name, on, values)
    results = {name: simulation.calculate(name, on) for name in OUTPUTS}
    return time.perf_counter() - start, results


def summary(results: dict[str, np.ndarray]) -> dict[str, object]:
    return {
        "dtype": str(results["total_vnd"].dtype),
        "totals_float32": {name: float(np.sum(values)) for name, values in results.items()},
        "totals_float64": {name: float(np.sum(values, dtype=np.float64)) for name, values in results.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data")
    parser.add_argument("--records", type=int, default=0)
    parser.add_argument("--arrays", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--save-rows", help="write the float32 per-row amounts of the arrays run here (.npz)")
    args = parser.parse_args()
    raw = np.load(args.data)
    data = {name: raw[name] for name in raw.files}
    on = str(data["on"][0])
    CALENDAR["first"] = data["calendar_first"][0]
    CALENDAR["next_working_day"] = data["calendar_next_working_day"]
    system = build_system()
    report: dict[str, object] = {"openfisca_core": __import__("openfisca_core").__name__}
    if args.records:
        times, results = [], {}
        for _ in range(args.repeat):
            seconds, results = run_records(system, data, args.records, on)
            times.append(seconds)
        report["records"] = {"n": args.records, "seconds": sorted(times), **summary(results)}
    if args.arrays:
        times, results = [], {}
        for _ in range(args.repeat):
            seconds, results = run_arrays(system, data, args.arrays, on)
            times.append(seconds)
        report["arrays"] = {"n": args.arrays, "seconds": sorted(times), **summary(results)}
        if args.save_rows:
            np.savez(args.save_rows, **results)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
