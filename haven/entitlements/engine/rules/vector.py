"""Building blocks for the column-wise (batch) rules.

A column rule mirrors its per-person rule step by step: a `Decider` holds, for every row, the
status decided so far, the reason bits, the amount, limits and deadlines. `decide(mask, ...)`
settles the rows of `mask` that are still open, exactly like an early `return` in the
per-person rule; `note`, `limit`, `deadline` and `pay` touch only rows still open.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..columns import MINOR, Columns
from ..parameters import ParameterError, ParameterStore
from ..regimes import LAW66, NEW_ROWS, OLD_ROWS, covered_items
from .base import STATUSES

STATUS_CODE = {name: i for i, name in enumerate(STATUSES)}


@dataclass(slots=True)
class LimitColumn:
    """One limit of one item: values, which rows have it, and how to show a value."""

    values: np.ndarray
    present: np.ndarray
    kind: str  # int, bool, date, enum
    table: tuple[Any, ...] = ()

    def value(self, row: int) -> Any:
        raw = self.values[row]
        if self.kind == "int":
            return int(raw)
        if self.kind == "bool":
            return bool(raw)
        if self.kind == "date":
            return raw.astype(dt.date)
        item = self.table[int(raw)]
        return list(item) if isinstance(item, tuple) else item


@dataclass(slots=True)
class ItemColumns:
    """The result of one item for many rows."""

    code: str
    vocab: tuple[str, ...]
    status: np.ndarray  # int8 index into STATUSES
    reasons: np.ndarray  # uint64 bit set over vocab
    amount: np.ndarray  # int64 đồng
    amount_set: np.ndarray  # bool
    limits: dict[str, LimitColumn] = field(default_factory=dict)
    deadlines: dict[str, np.ndarray] = field(default_factory=dict)


@dataclass(slots=True)
class Param:
    """A parameter looked up for every row (by province)."""

    present: np.ndarray
    number: np.ndarray
    value: np.ndarray
    reported: np.ndarray


class VFacts:
    """Many people (of one regime) on one date, as the column rules see them."""

    def __init__(self, cols: Columns, on: dt.date, regime: str, period: str, lookup_date: dt.date,
                 store: ParameterStore, age: np.ndarray, row: np.ndarray, row_keys: tuple[str, ...]) -> None:
        self.cols = cols
        self.n = len(cols)
        self.on = on
        self.on64 = np.datetime64(on.isoformat(), "D")
        self.regime = regime
        self.period = period
        self.lookup_date = lookup_date
        self.store = store
        self.age = age  # -1 unknown
        self.row = row
        self.row_keys = row_keys
        self.has_stay = ~np.isnat(cols.stay_from)
        self.stay_last = np.where(np.isnat(cols.stay_to), self.on64, cols.stay_to)
        self.stay_days = np.where(self.has_stay, (self.stay_last - cols.stay_from).astype(np.int64) + 1, 0)
        self.minor_category = cols.category == MINOR
        self._params: dict[str, Param] = {}

    def covered(self, item: str) -> np.ndarray:
        table = np.array([item in covered_items(self.regime, key) for key in self.row_keys])
        return table[self.row]

    def param(self, code: str) -> Param:
        if code not in self._params:
            slots = [*self.cols.provinces, None]
            found = [self.store.get(code, self.lookup_date, name) for name in slots]
            index = np.where(self.cols.province >= 0, self.cols.province, len(slots) - 1)
            self._params[code] = Param(
                present=np.array([v is not None for v in found])[index],
                number=np.array([v is not None and v.value is not None for v in found])[index],
                value=np.array([v.value if v is not None and v.value is not None else 0 for v in found],
                               dtype=np.int64)[index],
                reported=np.array([v is not None and v.confidence == "reported" for v in found])[index],
            )
        return self._params[code]

    def need(self, code: str, rows: np.ndarray) -> Param:
        param = self.param(code)
        if np.any(rows & ~param.present):
            raise ParameterError(f"{code} has no value on {self.lookup_date} (national value missing)")
        return param

    def required(self, code: str, rows: np.ndarray) -> np.ndarray:
        param = self.param(code)
        if np.any(rows & ~param.number):
            raise ParameterError(f"{code} has no value on {self.lookup_date}")
        return param.value


def row_keys_for(regime: str) -> tuple[str, ...]:
    return tuple(OLD_ROWS if regime == LAW66 else NEW_ROWS)


class Decider:
    """Accumulates one item's decisions over many rows."""

    def __init__(self, v: VFacts, code: str, vocab: tuple[str, ...]) -> None:
        self.v = v
        self.code = code
        self.vocab = vocab
        self.bits = {key: np.uint64(1 << i) for i, key in enumerate(vocab)}
        n = v.n
        self.status = np.full(n, -1, dtype=np.int8)
        self.reasons = np.zeros(n, dtype=np.uint64)
        self.open = np.ones(n, dtype=bool)
        self.amount = np.zeros(n, dtype=np.int64)
        self.amount_set = np.zeros(n, dtype=bool)
        self.limits: dict[str, LimitColumn] = {}
        self.deadlines: dict[str, np.ndarray] = {}

    def _rows(self, mask: np.ndarray | bool) -> np.ndarray:
        return self.open & mask

    def note(self, mask: np.ndarray | bool, *keys: str) -> None:
        """Add reasons to the open rows of `mask`."""
        rows = self._rows(mask)
        for key in keys:
            self.reasons |= np.where(rows, self.bits[key], np.uint64(0))

    def decide(self, mask: np.ndarray | bool, status: str, *keys: str) -> np.ndarray:
        """Settle the open rows of `mask` with `status` and reasons; they take no further changes."""
        rows = self._rows(mask)
        self.note(rows, *keys)
        self.status[rows] = STATUS_CODE[status]
        self.open &= ~rows
        return rows

    def pay(self, amounts: np.ndarray, mask: np.ndarray | bool = True) -> None:
        rows = self._rows(mask)
        self.amount = np.where(rows, amounts, self.amount)
        self.amount_set |= rows

    def limit(self, name: str, values: Any, mask: np.ndarray | bool = True, kind: str = "int",
              table: tuple[Any, ...] = ()) -> None:
        rows = self._rows(mask)
        values = np.broadcast_to(values, (self.v.n,))
        column = self.limits.get(name)
        if column is None:
            column = LimitColumn(np.zeros(self.v.n, dtype=values.dtype), np.zeros(self.v.n, dtype=bool), kind, table)
            self.limits[name] = column
        column.values = np.where(rows, values, column.values)
        column.present |= rows

    def deadline(self, name: str, values: np.ndarray, mask: np.ndarray | bool = True) -> None:
        rows = self._rows(mask)
        current = self.deadlines.get(name, np.full(self.v.n, np.datetime64("NaT", "D")))
        self.deadlines[name] = np.where(rows, values, current)

    def result(self) -> ItemColumns:
        if np.any(self.open):
            raise AssertionError(f"{self.code}: {int(self.open.sum())} rows left undecided")
        return ItemColumns(self.code, self.vocab, self.status, self.reasons, self.amount, self.amount_set,
                           self.limits, self.deadlines)


def gate(v: VFacts, d: Decider, item: str) -> None:
    """Column version of base.gate."""
    prefix = "old" if v.regime == LAW66 else "new"
    d.decide(~v.covered(item), "not_entitled", f"{prefix}.category")
    minor_gate(v, d, prefix)


def minor_gate(v: VFacts, d: Decider, prefix: str) -> None:
    """Column version of base.minor_gate."""
    d.decide(v.minor_category & (v.age < 0), "needs_information", f"{prefix}.minor_age_unknown")
    d.decide(v.minor_category & (v.age >= 18), "not_entitled", f"{prefix}.minor_adult")


def reported_note(d: Decider, param: Param, code: str) -> None:
    """Column version of base.with_reported's warning."""
    d.note(param.reported, f"amount.reported@{code}")
