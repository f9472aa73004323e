"""Synthetic profiles for the entitlements benchmark, as numpy columns and as JSON-like records.

Deterministic (seeded). Shared by bench/entitlements.py (Haven) and bench/openfisca/run.py
(OpenFisca, which reads the same arrays from an .npz file), so both engines see the same people.
"""

from __future__ import annotations

import numpy as np

PROVINCES = ("lao-cai", "ha-giang", "an-giang", "khanh-hoa", "hau-giang", "ha-noi")
ON = "2023-06-01"


def population(n: int, seed: int = 2023) -> dict[str, np.ndarray]:
    """Arrays describing n people evaluated on ON (all under the Law 66/2011 regime)."""
    rng = np.random.default_rng(seed)
    day = lambda s: np.datetime64(s, "D")  # noqa: E731
    category = rng.choice(np.array([0, 1, 2], dtype=np.int8), size=n, p=[0.8, 0.1, 0.1])
    key = day("2020-01-01") + rng.integers(0, (day(ON) - day("2020-01-01")).astype(int), n)
    has_stay = rng.random(n) < 0.7
    stay_from = key + rng.integers(0, 30, n)
    stay_from = np.where(stay_from > day(ON), day(ON), stay_from)
    stay_to = stay_from + rng.integers(0, 150, n)
    received = key + rng.integers(0, 450, n)

    def tristate(p_yes: float) -> np.ndarray:
        return rng.choice(np.array([1, 0, -1], dtype=np.int8), size=n, p=[p_yes, 0.95 - p_yes, 0.05])

    nat = np.datetime64("NaT", "D")
    return {
        "category": category,
        "citizen": rng.random(n) < 0.9,
        "abroad": rng.random(n) < 0.05,
        "birth_date": day("1970-01-01") + rng.integers(0, 16000, n),
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
        "stay_to": np.where(has_stay, stay_to, nat),
        "received_on": np.where(rng.random(n) < 0.5, received, nat),
        "reported_on": np.full(n, nat),
    }


def to_records(arrays: dict[str, np.ndarray]) -> list[dict]:
    """The same people as JSON-like profile dicts (the `evaluate --input` format)."""
    def date(value: np.datetime64) -> str | None:
        return None if np.isnat(value) else str(value)

    def tri(value: int) -> bool | None:
        return None if value < 0 else bool(value)

    categories = ("victim", "under_identification", "accompanying_minor")
    records = []
    for i in range(len(arrays["category"])):
        province = int(arrays["province"][i])
        stay = None
        if not np.isnat(arrays["stay_from"][i]):
            stay = {"from": date(arrays["stay_from"][i]), "to": date(arrays["stay_to"][i])}
        records.append({
            "id": i,
            "category": categories[int(arrays["category"][i])],
            "nationality": "VN" if arrays["citizen"][i] else "CN",
            "located": "abroad" if arrays["abroad"][i] else "vietnam",
            "birth_date": date(arrays["birth_date"][i]),
            "sex": "F" if arrays["sex"][i] == 0 else "M",
            "identified_on": date(arrays["identified_on"][i]),
            "accompanies": date(arrays["accompanies"][i]),
            "province": None if province < 0 else PROVINCES[province],
            "poor_household": tri(arrays["poor"][i]),
            "near_poor_household": tri(arrays["near_poor"][i]),
            "financial_difficulty": tri(arrays["difficulty"][i]),
            "has_health_insurance": tri(arrays["has_insurance"][i]),
            "has_relatives": tri(arrays["has_relatives"][i]),
            "revolutionary_merit_family": tri(arrays["merit"][i]),
            "shelter_stay": stay,
            "application_received_on": date(arrays["received_on"][i]),
        })
    return records
