"""Working days and month arithmetic for Vietnamese legal deadlines.

Working days: Monday to Friday, except Vietnamese public holidays and compensatory days off
(the `holidays` package, Labour Code 2019 Art. 112), adjusted by the government's announced
day swaps in `calendar_swaps.yaml` (Saturdays made working days, weekdays given off).

Month rule (Civil Code 2015 Art. 147-148, our reading): a period of N months that starts on
day D ends on the same day number N months later; if that month has no such day (31st, or
29 February in a common year) it ends on the last day of that month. So 2024-02-29 plus 12
months is 2025-02-28, and 2024-01-31 plus 1 month is 2024-02-29.

Both a scalar API (used per person) and array versions (used by the batch path) read the same
precomputed table, so the two paths always agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import holidays
import numpy as np
import yaml

SWAPS_FILE = Path(__file__).with_name("calendar_swaps.yaml")
APPLIED_CONFIDENCE = frozenset({"confirmed", "reported"})
SWAP_KINDS = frozenset({"working_day", "day_off"})
CONFIDENCE = frozenset({"confirmed", "reported", "unverified"})
FIRST_YEAR = 2000
LAST_YEAR = 2045
NAT_INT = np.datetime64("NaT", "D").view(np.int64)


class CalendarError(ValueError):
    """A date outside the calendar's range, or a malformed swap table."""


@dataclass(frozen=True, slots=True)
class DaySwap:
    """One half of an announced swap: a weekend day worked, or a weekday given off."""

    date: dt.date
    kind: str
    replaces: dt.date | None
    confidence: str
    source: str


def load_swaps(path: Path = SWAPS_FILE) -> tuple[DaySwap, ...]:
    """Read and validate the swap table."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    swaps = []
    for n, entry in enumerate(raw.get("swaps", []), start=1):
        swap = DaySwap(
            date=entry.get("date"),
            kind=entry.get("kind"),
            replaces=entry.get("replaces"),
            confidence=entry.get("confidence"),
            source=entry.get("source") or "",
        )
        _check_swap(swap, n, path)
        swaps.append(swap)
    return tuple(swaps)


def _check_swap(swap: DaySwap, n: int, path: Path) -> None:
    where = f"{path.name} entry {n}"
    if not isinstance(swap.date, dt.date):
        raise CalendarError(f"{where}: date must be a YYYY-MM-DD date")
    if swap.kind not in SWAP_KINDS:
        raise CalendarError(f"{where}: kind must be one of {sorted(SWAP_KINDS)}")
    if swap.confidence not in CONFIDENCE:
        raise CalendarError(f"{where}: confidence must be one of {sorted(CONFIDENCE)}")
    if not swap.source:
        raise CalendarError(f"{where}: every swap needs a source")
    if swap.kind == "working_day" and swap.date.weekday() < 5:
        raise CalendarError(f"{where}: {swap.date} is already a weekday; a working_day swap is a weekend day")


class WorkingCalendar:
    """A table of working days between two years, with scalar and array lookups."""

    def __init__(
        self,
        swaps: Iterable[DaySwap] = (),
        first_year: int = FIRST_YEAR,
        last_year: int = LAST_YEAR,
    ) -> None:
        self.first = dt.date(first_year, 1, 1)
        self.last = dt.date(last_year, 12, 31)
        self._epoch = np.datetime64(self.first.isoformat(), "D")
        public = holidays.country_holidays("VN", years=range(first_year, last_year + 1))
        applied = [s for s in swaps if s.confidence in APPLIED_CONFIDENCE]
        worked = {s.date for s in applied if s.kind == "working_day"}
        off = {s.date for s in applied if s.kind == "day_off"}
        size = (self.last - self.first).days + 1
        working = np.zeros(size, dtype=bool)
        for i in range(size):
            day = self.first + dt.timedelta(days=i)
            working[i] = day in worked or (day.weekday() < 5 and day not in public and day not in off)
        self.working = working
        # cumulative[i] = number of working days from `first` up to and including day i.
        self.cumulative = np.cumsum(working, dtype=np.int64)
        self.working_index = np.flatnonzero(working)
        self.public_holidays = public

    # -- scalar -------------------------------------------------------------------------
    def _index(self, day: dt.date) -> int:
        if not self.first <= day <= self.last:
            raise CalendarError(f"{day} is outside the working-day calendar ({self.first} to {self.last})")
        return (day - self.first).days

    def _date(self, index: int) -> dt.date:
        return self.first + dt.timedelta(days=int(index))

    def is_working_day(self, day: dt.date) -> bool:
        """True if state offices work on `day`."""
        return bool(self.working[self._index(day)])

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day after `day` (`day` itself not counted); n may be negative; n=0 gives `day`."""
        if n == 0:
            return day
        i = self._index(day)
        if n > 0:
            position = int(self.cumulative[i]) + n - 1
        else:
            position = int(self.cumulative[i]) - int(self.working[i]) + n
        if not 0 <= position < len(self.working_index):
            raise CalendarError(f"{n} working days from {day} falls outside the calendar")
        return self._date(self.working_index[position])

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (negative if `end` is earlier)."""
        return int(self.cumulative[self._index(end)] - self.cumulative[self._index(start)])

    def next_working_day(self, day: dt.date) -> dt.date:
        """`day` if it is a working day, otherwise the first working day after it."""
        if self.is_working_day(day):
            return day
        return self.add_working_days(day, 1)

    # -- arrays (datetime64[D]; NaT passes through) ---------------------------------------
    def _indices(self, days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        valid = ~np.isnat(days)
        # datetime64[D] viewed as int64 is days since 1970-01-01 (NaT is the smallest int64).
        index = days.astype("datetime64[D]", copy=False).view(np.int64) - self._epoch.astype(np.int64)
        index = np.where(valid, index, 0)
        if np.any((index < 0) | (index >= len(self.working))):
            raise CalendarError(f"a date is outside the working-day calendar ({self.first} to {self.last})")
        return index, valid

    def _from_indices(self, index: np.ndarray, valid: np.ndarray) -> np.ndarray:
        raw = np.where(valid, index + self._epoch.astype(np.int64), NAT_INT)
        return raw.view("datetime64[D]")

    def add_working_days_array(self, days: np.ndarray, n: int | np.ndarray) -> np.ndarray:
        """Array version of `add_working_days` for n > 0 (`n` may be an array)."""
        index, valid = self._indices(days)
        if np.any(valid & (np.asarray(n) <= 0)):
            raise ValueError("add_working_days_array takes n > 0")
        position = np.minimum(self.cumulative[index] + n - 1, len(self.working_index) - 1)
        return self._from_indices(self.working_index[position], valid)

    def next_working_day_array(self, days: np.ndarray) -> np.ndarray:
        """Array version of `next_working_day`."""
        index, valid = self._indices(days)
        position = np.minimum(self.cumulative[index] - self.working[index], len(self.working_index) - 1)
        return self._from_indices(self.working_index[position], valid)


@lru_cache(maxsize=1)
def default_calendar() -> WorkingCalendar:
    """The calendar built from the `holidays` package and the shipped swap table."""
    return WorkingCalendar(load_swaps())


def is_working_day(day: dt.date) -> bool:
    """True if Vietnamese state offices work on `day`."""
    return default_calendar().is_working_day(day)


def add_working_days(day: dt.date, n: int) -> dt.date:
    """The n-th working day after `day`: 'within 3 working days of receipt' ends on add_working_days(receipt, 3)."""
    return default_calendar().add_working_days(day, n)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Number of working days after `start` up to and including `end`."""
    return default_calendar().working_days_between(start, end)


def next_working_day(day: dt.date) -> dt.date:
    """`day` if it is a working day, otherwise the next working day (Civil Code 2015 Art. 148)."""
    return default_calendar().next_working_day(day)


# -- months and ages ----------------------------------------------------------------------

def _month_length(year: int, month: int) -> int:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return (following - dt.timedelta(days=1)).day


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day number `months` later, clamped to the last day of a shorter month."""
    serial = day.year * 12 + (day.month - 1) + months
    year, month = divmod(serial, 12)
    return dt.date(year, month + 1, min(day.day, _month_length(year, month + 1)))


def months_deadline(start: dt.date, months: int) -> dt.date:
    """Last day to act 'within N months of `start`': add_months, moved off a non-working day."""
    return next_working_day(add_months(start, months))


def age_on(birth_date: dt.date, on: dt.date) -> int:
    """Age in whole years on `on`; a 29 February birthday falls on 1 March in common years."""
    before_birthday = (on.month, on.day) < (birth_date.month, birth_date.day)
    return on.year - birth_date.year - int(before_birthday)


def _days_from_civil(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> np.ndarray:
    # Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm, in integers).
    y = y - (m <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * np.where(m > 2, m - 3, m + 9) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _civil_from_days(z: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    # Inverse of _days_from_civil: (year, month, day) arrays.
    z = z + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = np.where(mp < 10, mp + 3, mp - 9)
    return yoe + era * 400 + (m <= 2), m, d


TABLE_FIRST = np.datetime64("1900-01-01", "D").view(np.int64)
TABLE_LAST = np.datetime64(f"{LAST_YEAR}-12-31", "D").view(np.int64)


@lru_cache(maxsize=1)
def _ymd_table() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(year, month, day) of every day from 1900 to LAST_YEAR, for fast lookups."""
    return _civil_from_days(np.arange(TABLE_FIRST, TABLE_LAST + 1, dtype=np.int64))


def _ymd(z: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(year, month, day) of days since 1970: a table lookup, or the integer algorithm outside it."""
    if len(z) and (z.min() < TABLE_FIRST or z.max() > TABLE_LAST):
        return _civil_from_days(z)
    years, months, days = _ymd_table()
    index = z - TABLE_FIRST
    return years[index], months[index], days[index]


def _as_days(days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    valid = ~np.isnat(days)
    return np.where(valid, days.astype("datetime64[D]", copy=False).view(np.int64), 0), valid


def add_months_array(days: np.ndarray, months: int | np.ndarray) -> np.ndarray:
    """Array version of `add_months` (datetime64[D]; NaT passes through); `months` may be an array."""
    z, valid = _as_days(days)
    z = np.where(valid, z, TABLE_FIRST)
    y, m, d = _ymd(z)
    serial = y * 12 + (m - 1) + months
    ty, tm = serial // 12, serial % 12 + 1
    first = _days_from_civil(ty, tm, np.ones_like(ty))
    following = _days_from_civil(ty + tm // 12, tm % 12 + 1, np.ones_like(ty))
    result = first + np.minimum(d, following - first) - 1
    return np.where(valid, result, NAT_INT).view("datetime64[D]")


def months_deadline_array(days: np.ndarray, months: int) -> np.ndarray:
    """Array version of `months_deadline`."""
    return default_calendar().next_working_day_array(add_months_array(days, months))


def age_on_array(birth_dates: np.ndarray, on: dt.date) -> np.ndarray:
    """Array version of `age_on`; -1 where the birth date is unknown."""
    z, valid = _as_days(birth_dates)
    years, months, days = _ymd(np.where(valid, z, TABLE_FIRST))
    before = (on.month * 100 + on.day) < (months * 100 + days)
    return np.where(valid, on.year - years - before, -1)
