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
NAT_INT = np.datetime64("NaT", "D").view(np.int64)


def nat_array(n: int) -> np.ndarray:
    """n empty dates (NaT)."""
    return np.full(n, NAT_INT, dtype=np.int64).view("datetime64[D]")


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
    flags: dict[str, np.ndarray]  # reason key -> rows that give this reason
    amount: np.ndarray  # int64 đồng
    amount_set: np.ndarray  # bool
    limits: dict[str, LimitColumn] = field(default_factory=dict)
    deadlines: dict[str, np.ndarray] = field(default_factory=dict)

    def reasons_at(self, row: int) -> list[str]:
        """Reason keys of one row, in vocabulary order."""
        return [key for key in self.vocab if key in self.flags and self.flags[key][row]]

    def reason_codes(self) -> np.ndarray:
        """Reasons as a uint32 bit set per row (bit i = vocab[i]), for compact storage."""
        codes = np.zeros(len(self.status), dtype=np.uint32)
        for i, key in enumerate(self.vocab):
            if key in self.flags:
                codes |= self.flags[key].astype(np.uint32) << np.uint32(i)
        return codes


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
        self.cache: dict[str, Any] = {}  # values several items share (e.g. application deadlines)
        # Position of each row's province in [*provinces, None], for per-province parameters.
        self._slot_index = np.where(cols.province >= 0, cols.province, len(cols.provinces))

    def covered(self, item: str) -> np.ndarray:
        table = np.array([item in covered_items(self.regime, key) for key in self.row_keys])
        return table[self.row]

    def param(self, code: str) -> Param:
        if code not in self._params:
            slots = [*self.cols.provinces, None]
            found = [self.store.get(code, self.lookup_date, name) for name in slots]
            self._params[code] = Param(
                present=self._spread([v is not None for v in found], bool),
                number=self._spread([v is not None and v.value is not None for v in found], bool),
                value=self._spread([v.value if v is not None and v.value is not None else 0 for v in found],
                                   np.int64),
                reported=self._spread([v is not None and v.confidence == "reported" for v in found], bool),
            )
        return self._params[code]

    def _spread(self, per_slot: list[Any], dtype: Any) -> np.ndarray:
        """Per-province values as a column (read-only; a constant costs nothing)."""
        if all(x == per_slot[0] for x in per_slot):
            return np.broadcast_to(np.asarray(per_slot[0], dtype=dtype), (self.n,))
        return np.take(np.asarray(per_slot, dtype=dtype), self._slot_index)

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
        assert len(vocab) <= 32, f"{code}: more than 32 reasons"
        self.known = frozenset(vocab)
        n = v.n
        self.status = np.full(n, -1, dtype=np.int8)
        self.flags: dict[str, np.ndarray] = {}
        self.open = np.ones(n, dtype=bool)
        self.amount: np.ndarray | None = None  # allocated by the first pay()
        self.amount_set = np.zeros(n, dtype=bool)
        self.limits: dict[str, LimitColumn] = {}
        self.deadlines: dict[str, np.ndarray] = {}

    def _rows(self, mask: np.ndarray | bool) -> np.ndarray:
        return self.open & mask

    def note(self, mask: np.ndarray | bool, *keys: str) -> None:
        """Add reasons to the open rows of `mask`."""
        rows = self._rows(mask)
        for key in keys:
            if key not in self.known:
                raise KeyError(f"{self.code}: reason {key} is not in the vocabulary")
            if key in self.flags:
                self.flags[key] |= rows
            else:
                self.flags[key] = rows

    def decide(self, mask: np.ndarray | bool, status: str, *keys: str) -> np.ndarray:
        """Settle the open rows of `mask` with `status` and reasons; they take no further changes."""
        rows = self._rows(mask)
        self.note(rows, *keys)
        np.copyto(self.status, STATUS_CODE[status], where=rows)
        self.open &= ~rows
        return rows

    def pay(self, amounts: np.ndarray, mask: np.ndarray | bool = True) -> None:
        rows = self._rows(mask)
        if self.amount is None:
            self.amount = np.zeros(self.v.n, dtype=np.int64)
        np.copyto(self.amount, amounts, where=rows)
        self.amount_set |= rows

    def limit(self, name: str, values: Any, mask: np.ndarray | bool = True, kind: str = "int",
              table: tuple[Any, ...] = ()) -> None:
        rows = self._rows(mask)
        values = np.asarray(values)
        column = self.limits.get(name)
        if column is None:
            column = LimitColumn(np.zeros(self.v.n, dtype=values.dtype), np.zeros(self.v.n, dtype=bool), kind, table)
            self.limits[name] = column
        np.copyto(column.values, values, where=rows)
        column.present |= rows

    def deadline(self, name: str, values: np.ndarray, mask: np.ndarray | bool = True) -> None:
        rows = self._rows(mask)
        if name not in self.deadlines:
            self.deadlines[name] = nat_array(self.v.n)
        np.copyto(self.deadlines[name], values, where=rows)

    def result(self) -> ItemColumns:
        if np.any(self.open):
            raise AssertionError(f"{self.code}: {int(self.open.sum())} rows left undecided")
        amount = self.amount if self.amount is not None else np.zeros(self.v.n, dtype=np.int64)
        return ItemColumns(self.code, self.vocab, self.status, self.flags, amount, self.amount_set,
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
