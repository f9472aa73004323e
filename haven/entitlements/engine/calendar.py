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
        index = np.where(valid, (days - self._epoch).astype(np.int64), 0)
        if np.any(valid & ((index < 0) | (index >= len(self.working)))):
            raise CalendarError(f"a date is outside the working-day calendar ({self.first} to {self.last})")
        return index, valid

    def add_working_days_array(self, days: np.ndarray, n: int) -> np.ndarray:
        """Array version of `add_working_days` for n > 0."""
        if n <= 0:
            raise ValueError("add_working_days_array takes n > 0")
        index, valid = self._indices(days)
        position = self.cumulative[index] + n - 1
        result = self._epoch + self.working_index[np.minimum(position, len(self.working_index) - 1)]
        return np.where(valid, result, np.datetime64("NaT", "D"))

    def next_working_day_array(self, days: np.ndarray) -> np.ndarray:
        """Array version of `next_working_day`."""
        index, valid = self._indices(days)
        rolled = self.add_working_days_array(days, 1)
        return np.where(valid & self.working[index], days, rolled)


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


def add_months_array(days: np.ndarray, months: int) -> np.ndarray:
    """Array version of `add_months` (datetime64[D]; NaT passes through)."""
    valid = ~np.isnat(days)
    safe = np.where(valid, days, np.datetime64("2000-01-01", "D"))
    month_start = safe.astype("datetime64[M]")
    day_of_month = (safe - month_start.astype("datetime64[D]")).astype(np.int64)
    target = month_start + months
    last_day = (target + 1).astype("datetime64[D]") - 1
    result = np.minimum(target.astype("datetime64[D]") + day_of_month, last_day)
    return np.where(valid, result, np.datetime64("NaT", "D"))


def months_deadline_array(days: np.ndarray, months: int) -> np.ndarray:
    """Array version of `months_deadline`."""
    return default_calendar().next_working_day_array(add_months_array(days, months))


def age_on_array(birth_dates: np.ndarray, on: dt.date) -> np.ndarray:
    """Array version of `age_on`; -1 where the birth date is unknown."""
    valid = ~np.isnat(birth_dates)
    safe = np.where(valid, birth_dates, np.datetime64("2000-01-01", "D"))
    years = safe.astype("datetime64[Y]").astype(np.int64) + 1970
    month_start = safe.astype("datetime64[M]")
    months = month_start.astype(np.int64) % 12 + 1
    days = (safe - month_start.astype("datetime64[D]")).astype(np.int64) + 1
    before = (on.month * 100 + on.day) < (months * 100 + days)
    return np.where(valid, on.year - years - before.astype(np.int64), -1)
