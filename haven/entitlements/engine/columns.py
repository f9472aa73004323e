"""Profiles as columns (numpy arrays) for batch evaluation.

Encodings: dates are datetime64[D] with NaT for null; yes/no facts are int8 with -1 for
unknown, 0 for no, 1 for yes; category and sex are small integer codes; province is an index
into `provinces` (-1 for none).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, fields

import numpy as np

from .profile import CATEGORIES, Profile

VICTIM, UNDER_IDENTIFICATION, MINOR = (CATEGORIES.index(c) for c in CATEGORIES)
SEX_CODES = {"F": 0, "M": 1, "X": 2}
UNKNOWN, NO, YES = -1, 0, 1
NAT = np.datetime64("NaT", "D")
TRISTATE = ("poor", "near_poor", "difficulty", "has_insurance", "has_relatives", "merit")
TRISTATE_FIELDS = dict(zip(TRISTATE, (
    "poor_household", "near_poor_household", "financial_difficulty", "has_health_insurance",
    "has_relatives", "revolutionary_merit_family",
), strict=True))


@dataclass(slots=True)
class Columns:
    """Many profiles, one array per field."""

    ids: np.ndarray  # object
    category: np.ndarray  # int8
    citizen: np.ndarray  # bool
    abroad: np.ndarray  # bool
    birth_date: np.ndarray
    sex: np.ndarray  # int8, -1 unknown
    identified_on: np.ndarray
    accompanies: np.ndarray
    province: np.ndarray  # int32, -1 none
    poor: np.ndarray
    near_poor: np.ndarray
    difficulty: np.ndarray
    has_insurance: np.ndarray
    has_relatives: np.ndarray
    merit: np.ndarray
    stay_from: np.ndarray
    stay_to: np.ndarray
    received_on: np.ndarray
    reported_on: np.ndarray
    provinces: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.category)

    def take(self, index: np.ndarray) -> Columns:
        """The rows at `index`, as new columns."""
        arrays = {f.name: getattr(self, f.name)[index] for f in fields(self) if f.name != "provinces"}
        return Columns(**arrays, provinces=self.provinces)

    def province_name(self, row: int) -> str | None:
        code = int(self.province[row])
        return None if code < 0 else self.provinces[code]


EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
NAT_INT = int(NAT.view(np.int64))


def _dates(values: Sequence[dt.date | None]) -> np.ndarray:
    # Days since 1970 from date ordinals, much faster than one np.datetime64 per value.
    days = [NAT_INT if v is None else v.toordinal() - EPOCH_ORDINAL for v in values]
    return np.array(days, dtype=np.int64).view("datetime64[D]")


def _tristate(values: Sequence[bool | None]) -> np.ndarray:
    return np.array([UNKNOWN if v is None else int(v) for v in values], dtype=np.int8)


def profiles_to_columns(profiles: Sequence[Profile]) -> Columns:
    """Turn parsed profiles into columns (one pass per field)."""
    provinces = tuple(sorted({p.province for p in profiles if p.province}))
    province_index = {name: i for i, name in enumerate(provinces)}
    stays = [p.shelter_stay for p in profiles]
    ids = np.empty(len(profiles), dtype=object)
    ids[:] = [p.id for p in profiles]
    return Columns(
        ids=ids,
        category=np.array([CATEGORIES.index(p.category) for p in profiles], dtype=np.int8),
        citizen=np.array([p.is_citizen for p in profiles], dtype=bool),
        abroad=np.array([p.located == "abroad" for p in profiles], dtype=bool),
        birth_date=_dates([p.birth_date for p in profiles]),
        sex=np.array([SEX_CODES.get(p.sex or "", -1) for p in profiles], dtype=np.int8),
        identified_on=_dates([p.identified_on for p in profiles]),
        accompanies=_dates([p.accompanies for p in profiles]),
        province=np.array([province_index.get(p.province or "", -1) for p in profiles], dtype=np.int32),
        stay_from=_dates([s.start if s else None for s in stays]),
        stay_to=_dates([s.end if s else None for s in stays]),
        received_on=_dates([p.application_received_on for p in profiles]),
        reported_on=_dates([p.reported_on for p in profiles]),
        provinces=provinces,
        **{name: _tristate([getattr(p, TRISTATE_FIELDS[name]) for p in profiles]) for name in TRISTATE},
    )
