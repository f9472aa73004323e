"""Working days against the real 2024-2026 Vietnamese holidays and announced swaps; month arithmetic."""

from __future__ import annotations

import datetime as dt
import re

import holidays
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from haven.entitlements.engine.calendar import (
    CalendarError,
    WorkingCalendar,
    add_months,
    add_months_array,
    add_working_days,
    age_on,
    age_on_array,
    default_calendar,
    is_working_day,
    load_swaps,
    months_deadline,
    months_deadline_array,
    next_working_day,
    working_days_between,
)

D = dt.date

DAYS_OFF = {
    2024: ["2024-01-01", "2024-02-08", "2024-02-09", "2024-02-12", "2024-02-13", "2024-02-14", "2024-04-18",
           "2024-04-29", "2024-04-30", "2024-05-01", "2024-09-02", "2024-09-03"],
    2025: ["2025-01-01", "2025-01-27", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-04-07",
           "2025-04-30", "2025-05-01", "2025-05-02", "2025-09-01", "2025-09-02"],
    2026: ["2026-01-01", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-04-27",
           "2026-04-30", "2026-05-01", "2026-08-31", "2026-09-01", "2026-09-02", "2026-11-24"],
}
WORKED_SATURDAYS = ["2024-05-04", "2025-04-26", "2026-08-22"]


@pytest.mark.parametrize("year", sorted(DAYS_OFF))
def test_weekday_holidays_of_the_year_are_exactly_the_announced_days_off(year: int) -> None:
    weekdays = [D(year, 1, 1) + dt.timedelta(days=i) for i in range(366 if year % 4 == 0 else 365)]
    off = [d.isoformat() for d in weekdays if d.weekday() < 5 and not is_working_day(d)]
    assert off == DAYS_OFF[year]


@pytest.mark.parametrize("day", WORKED_SATURDAYS)
def test_make_up_saturdays_are_working_days(day: str) -> None:
    assert is_working_day(D.fromisoformat(day))


def test_ordinary_weekends_are_not_working_days() -> None:
    assert not is_working_day(D(2025, 2, 1))  # Saturday in Tết
    assert not is_working_day(D(2025, 3, 9))  # Sunday


def test_unverified_swap_is_recorded_but_not_applied() -> None:
    unverified = [s for s in load_swaps() if s.confidence == "unverified"]
    assert [s.date for s in unverified] == [D(2025, 2, 8)]
    assert not is_working_day(D(2025, 2, 8))


def test_every_substituted_day_off_in_the_holidays_package_has_its_make_up_day_in_the_swap_table() -> None:
    swaps = {(s.date, s.kind) for s in load_swaps() if s.confidence != "unverified"}
    package = holidays.country_holidays("VN", years=range(2010, 2027), language="en_US")
    pattern = re.compile(r"substituted from (\d\d)/(\d\d)/(\d{4})")
    found = 0
    for day, name in package.items():
        match = pattern.search(name)
        if match:
            month, dom, year = (int(x) for x in match.groups())
            assert (day, "day_off") in swaps
            assert (D(year, month, dom), "working_day") in swaps
            found += 1
    assert found == len([s for s in swaps if s[1] == "day_off"])


def test_tet_2024_three_working_days_after_the_eve() -> None:
    assert add_working_days(D(2024, 2, 7), 1) == D(2024, 2, 15)
    assert add_working_days(D(2024, 2, 7), 3) == D(2024, 2, 19)


def test_tet_2025_nine_day_break_is_skipped() -> None:
    assert add_working_days(D(2025, 1, 24), 3) == D(2025, 2, 5)
    assert working_days_between(D(2025, 1, 24), D(2025, 2, 5)) == 3


def test_tet_2026_break_is_skipped() -> None:
    assert add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 23)


def test_make_up_saturday_counts_as_a_working_day() -> None:
    assert add_working_days(D(2025, 4, 25), 1) == D(2025, 4, 26)
    assert add_working_days(D(2024, 5, 3), 1) == D(2024, 5, 4)


def test_a_deadline_counted_from_a_weekend_starts_on_monday() -> None:
    assert add_working_days(D(2025, 3, 8), 3) == D(2025, 3, 12)


def test_negative_and_zero_working_days() -> None:
    assert add_working_days(D(2025, 2, 3), -1) == D(2025, 1, 24)
    assert add_working_days(D(2025, 2, 1), 0) == D(2025, 2, 1)


def test_working_days_between_is_negative_backwards() -> None:
    assert working_days_between(D(2025, 2, 5), D(2025, 1, 24)) == -3


def test_next_working_day_moves_off_tet() -> None:
    assert next_working_day(D(2025, 1, 29)) == D(2025, 2, 3)
    assert next_working_day(D(2025, 2, 3)) == D(2025, 2, 3)


def test_dates_outside_the_calendar_are_refused_clearly() -> None:
    with pytest.raises(CalendarError, match="outside the working-day calendar"):
        is_working_day(D(1999, 12, 31))


def test_a_swap_table_with_a_weekday_marked_as_working_day_is_refused(tmp_path) -> None:  # noqa: ANN001
    bad = tmp_path / "swaps.yaml"
    bad.write_text("swaps:\n  - {date: 2025-03-04, kind: working_day, confidence: reported, source: x}\n")
    with pytest.raises(CalendarError, match="already a weekday"):
        load_swaps(bad)


def test_a_swap_without_a_source_is_refused(tmp_path) -> None:  # noqa: ANN001
    bad = tmp_path / "swaps.yaml"
    bad.write_text("swaps:\n  - {date: 2025-03-08, kind: working_day, confidence: reported}\n")
    with pytest.raises(CalendarError, match="source"):
        load_swaps(bad)


def test_calendar_without_swaps_misses_the_make_up_saturday() -> None:
    plain = WorkingCalendar(first_year=2025, last_year=2025)
    assert not plain.is_working_day(D(2025, 4, 26))


# -- months ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("start", "months", "expected"), [
    ("2024-02-29", 12, "2025-02-28"),
    ("2024-02-29", 48, "2028-02-29"),
    ("2024-01-31", 1, "2024-02-29"),
    ("2023-01-31", 1, "2023-02-28"),
    ("2019-11-30", 3, "2020-02-29"),
    ("2024-03-10", 12, "2025-03-10"),
    ("2024-08-31", -6, "2024-02-29"),
])
def test_add_months_keeps_the_day_or_clamps_to_the_month_end(start: str, months: int, expected: str) -> None:
    assert add_months(D.fromisoformat(start), months) == D.fromisoformat(expected)


def test_months_deadline_moves_a_tet_end_to_the_next_working_day() -> None:
    assert months_deadline(D(2024, 1, 29), 12) == D(2025, 2, 3)
    assert months_deadline(D(2024, 2, 29), 12) == D(2025, 2, 28)


def test_age_with_a_29_february_birthday() -> None:
    assert age_on(D(2008, 2, 29), D(2026, 2, 28)) == 17
    assert age_on(D(2008, 2, 29), D(2026, 3, 1)) == 18
    assert age_on(D(2008, 2, 29), D(2028, 2, 29)) == 20


dates = st.dates(min_value=D(2005, 1, 1), max_value=D(2035, 12, 31))


@given(st.lists(dates, min_size=1, max_size=30), st.integers(min_value=-60, max_value=60))
def test_add_months_array_matches_the_scalar_rule(days: list[dt.date], months: int) -> None:
    arr = np.array(days, dtype="datetime64[D]")
    assert [d.astype(dt.date) for d in add_months_array(arr, months)] == [add_months(d, months) for d in days]


@given(st.lists(dates, min_size=1, max_size=30))
def test_months_deadline_array_matches_the_scalar_rule(days: list[dt.date]) -> None:
    arr = np.array(days, dtype="datetime64[D]")
    assert [d.astype(dt.date) for d in months_deadline_array(arr, 12)] == [months_deadline(d, 12) for d in days]


@given(st.lists(dates, min_size=1, max_size=30), st.integers(min_value=1, max_value=40))
def test_add_working_days_array_matches_the_scalar_rule(days: list[dt.date], n: int) -> None:
    arr = np.array(days, dtype="datetime64[D]")
    got = [d.astype(dt.date) for d in default_calendar().add_working_days_array(arr, n)]
    assert got == [add_working_days(d, n) for d in days]


@given(dates, st.integers(min_value=1, max_value=40))
def test_add_working_days_lands_on_a_working_day_n_working_days_later(day: dt.date, n: int) -> None:
    result = add_working_days(day, n)
    assert is_working_day(result)
    assert working_days_between(day, result) == n


@given(st.lists(st.one_of(st.none(), dates), min_size=1, max_size=30), dates)
def test_age_array_matches_the_scalar_rule(births: list[dt.date | None], on: dt.date) -> None:
    arr = np.array([np.datetime64("NaT") if b is None else b for b in births], dtype="datetime64[D]")
    expected = [-1 if b is None else age_on(b, on) for b in births]
    assert age_on_array(arr, on).tolist() == expected
