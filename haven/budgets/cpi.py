"""Vietnam's consumer price index and what fixed support amounts are worth in real terms. No Django.

The shipped series (data/cpi_vietnam.yaml) is the annual average CPI's change on the previous
year. Chained, it gives an index I(y) with I(first year - 1) = 100. An amount A fixed in year s is
worth A * I(s) / I(y) in year-s money when spent in year y; it has lost 1 - I(s) / I(y) of its
purchasing power; keeping its value would take A * I(y) / I(s). Exact decimal arithmetic, rounded
to whole đồng (half up) only at the end.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from haven.entitlements.engine.parameters import CONFIDENCE_RANK, ParameterStore, ParameterValue

CPI_FILE = Path(__file__).with_name("data") / "cpi_vietnam.yaml"
AMOUNT_UNITS = ("VND", "VND/day")
HUNDRED = Decimal(100)


class CpiError(ValueError):
    """A malformed CPI file, or a year the series does not cover."""


@dataclass(frozen=True)
class CpiYear:
    year: int
    percent: Decimal
    source: str
    confidence: str


@dataclass(frozen=True)
class CpiSeries:
    code: str
    unit: str
    description: dict[str, str]
    sources: dict[str, dict[str, Any]]
    years: tuple[CpiYear, ...]

    @property
    def first_year(self) -> int:
        return self.years[0].year

    @property
    def last_year(self) -> int:
        return self.years[-1].year

    def covers(self, year: int) -> bool:
        return self.first_year - 1 <= year <= self.last_year

    def index(self, year: int) -> Decimal:
        """I(year), with I(first year - 1) = 100."""
        if not self.covers(year):
            raise CpiError(f"the CPI series covers {self.first_year - 1} to {self.last_year}, not {year}")
        level = HUNDRED
        for row in self.years:
            if row.year > year:
                break
            level = level * (HUNDRED + row.percent) / HUNDRED
        return level

    def confidence_between(self, a: int, b: int) -> str:
        """The weakest label of the yearly changes that link years a and b."""
        low, high = sorted((a, b))
        labels = [row.confidence for row in self.years if low < row.year <= high]
        return min(labels, key=CONFIDENCE_RANK.__getitem__) if labels else "confirmed"


def _parse(raw: Any) -> CpiSeries:
    if not isinstance(raw, dict) or not isinstance(raw.get("values"), list) or not raw["values"]:
        raise CpiError("the CPI file needs a list of values")
    sources = raw.get("sources") or {}
    years: list[CpiYear] = []
    for n, row in enumerate(raw["values"], start=1):
        if not isinstance(row, dict):
            raise CpiError(f"value {n}: expected a mapping")
        year, percent, source, confidence = row.get("year"), row.get("percent"), row.get("source"), row.get("confidence")
        if not isinstance(year, int) or isinstance(percent, bool) or not isinstance(percent, int | float):
            raise CpiError(f"value {n}: needs a whole year and a number of percent")
        if source not in sources or not sources[source].get("url") or not sources[source].get("retrieved"):
            raise CpiError(f"value {n}: source {source!r} is not listed with its URL and retrieval date")
        if confidence not in ("confirmed", "reported"):
            raise CpiError(f"value {n}: confidence must be confirmed or reported")
        if not -50 < percent < 1000:
            raise CpiError(f"value {n}: {percent}% is not a plausible annual change")
        if years and year != years[-1].year + 1:
            raise CpiError(f"value {n}: years must follow each other without gaps ({year} after {years[-1].year})")
        years.append(CpiYear(year, Decimal(str(percent)), str(source), confidence))
    return CpiSeries(str(raw.get("code", "")), str(raw.get("unit", "percent")), dict(raw.get("description") or {}),
                     {k: dict(v) for k, v in sources.items()}, tuple(years))


def load_series(path: Path = CPI_FILE) -> CpiSeries:
    return _parse(yaml.safe_load(path.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def default_series() -> CpiSeries:
    return load_series()


def whole_dong(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Erosion:
    """What `amount` fixed in `set_year` is worth in `in_year`."""

    amount: int
    set_year: int
    in_year: int
    worth: int  # in set_year money: what it buys in in_year, priced at set_year prices
    needed: int  # what it would take in in_year to buy what it bought in set_year
    lost_percent: Decimal  # share of purchasing power lost, in percent, 1 decimal
    confidence: str


def erosion(series: CpiSeries, amount: int, set_year: int, in_year: int) -> Erosion:
    """The officers' question: how much has an amount fixed in `set_year` lost by `in_year`?"""
    ratio = series.index(set_year) / series.index(in_year)
    return Erosion(
        amount=amount, set_year=set_year, in_year=in_year,
        worth=whole_dong(amount * ratio), needed=whole_dong(amount / ratio),
        lost_percent=((1 - ratio) * HUNDRED).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP),
        confidence=series.confidence_between(set_year, in_year),
    )


def real_series(series: CpiSeries, amount: int, from_year: int, to_year: int, base_year: int) -> list[tuple[int, int]]:
    """(year, the amount in constant base_year prices) for each year from from_year to to_year."""
    base = series.index(base_year)
    return [(y, whole_dong(amount * base / series.index(y))) for y in range(from_year, to_year + 1)]


@dataclass(frozen=True)
class AmountHistory:
    """One dated amount of the engine's parameters, and what inflation did to it."""

    value: ParameterValue
    same_since: dt.date  # the same figure was already paid before valid_from (chained values)
    end_year: int  # last year it applied (or the last CPI year if still in force)
    real: list[tuple[int, int]]  # (year, value in base-year prices)
    erosion: Erosion
    confidence: str


def _same_since(value: ParameterValue, history: list[ParameterValue]) -> dt.date:
    # A provincial value that continues an earlier national (or own) value with the same figure
    # keeps the earlier start: medicine at 50,000 đồng since 2013, not since 2020.
    start = value.valid_from
    while True:
        before = next((v for v in history if v.value == value.value and v.valid_to is not None
                       and v.valid_to == start - dt.timedelta(days=1) and v.scope in ("national", value.scope)), None)
        if before is None:
            return start
        start = before.valid_from


def amount_histories(store: ParameterStore, series: CpiSeries, base_year: int,
                     codes: Iterable[str] | None = None) -> list[AmountHistory]:
    """Every amount (VND, VND/day) with a number in the parameters, deflated by the CPI."""
    if not series.covers(base_year):
        raise CpiError(f"the base year must be between {series.first_year - 1} and {series.last_year}")
    out: list[AmountHistory] = []
    for code in codes if codes is not None else store.codes():
        definition = store.definitions.get(code)
        if definition is None or definition.unit not in AMOUNT_UNITS:
            continue
        history = store.history(code)
        for value in history:
            if value.value is None:
                continue
            since = _same_since(value, history)
            set_year = max(since.year, series.first_year - 1)
            if set_year > series.last_year:
                continue  # too recent for the annual series
            end = series.last_year if value.valid_to is None else min(value.valid_to.year, series.last_year)
            end = max(end, set_year)
            worn = erosion(series, value.value, set_year, end)
            weakest = min((worn.confidence, value.confidence), key=CONFIDENCE_RANK.__getitem__)
            out.append(AmountHistory(value=value, same_since=since, end_year=end,
                                     real=real_series(series, value.value, set_year, end, base_year),
                                     erosion=worn, confidence=weakest))
    return out
