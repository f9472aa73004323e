"""Batch evaluation: the same rules over many profiles at once, column by column.

`evaluate_columns` computes, for every row and item, the status, amount, limits, deadlines
and reason codes with numpy operations over whole columns (no per-person loop). The reasons
are kept as bit sets over each item's reason vocabulary; `BatchResult.to_dicts()` (or
`.row(i)`) puts them into words through the same renderer as the per-person path, so the
output is identical.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .calendar import age_on_array
from .columns import MINOR, UNDER_IDENTIFICATION, VICTIM, Columns, profiles_to_columns
from .evaluate import HEAD_VOCAB, as_date
from .parameters import ParameterStore, default_store
from .profile import Profile, ProfileError, check_against_date, parse_profile
from .regimes import (
    ENGINE_FROM,
    LAW53,
    LAW53_FROM,
    LAW66,
    OLD_LAST_DAY,
    items_for,
    lookup_date_for,
    period_for,
)
from .render import Scene, render_item, render_profile, render_reasons, scene_values
from .rules import law53_columns, law66_columns
from .rules.base import STATUSES, Outcome
from .rules.vector import ItemColumns, VFacts, nat_array, row_keys_for

COLUMN_RULES = {LAW66: law66_columns.COLUMN_RULES, LAW53: law53_columns.COLUMN_RULES}
CATEGORY_KIND = {VICTIM: "victim", MINOR: "minor", UNDER_IDENTIFICATION: "under_identification"}


@dataclass(slots=True)
class RegimePart:
    """The rows of one regime and their item columns."""

    regime: str
    period: str
    lookup_date: dt.date
    index: np.ndarray  # positions in the input
    cols: Columns
    age: np.ndarray
    row: np.ndarray
    row_keys: tuple[str, ...]
    items: dict[str, ItemColumns]
    verification_by: np.ndarray  # datetime64, NaT where none


@dataclass(slots=True)
class BatchResult:
    """Column results for many profiles, in input order when rendered."""

    on: dt.date
    size: int
    parts: list[RegimePart]
    store: ParameterStore

    def regimes(self) -> np.ndarray:
        out = np.empty(self.size, dtype=object)
        for part in self.parts:
            out[part.index] = part.regime
        return out

    def totals(self) -> dict[str, int]:
        """Exact total of amount_vnd per item over all rows (integer đồng)."""
        totals: dict[str, int] = {}
        for part in self.parts:
            for code, item in part.items.items():
                totals[code] = totals.get(code, 0) + int(item.amount[item.amount_set].sum(dtype=np.int64))
        return totals

    def status_counts(self) -> dict[str, dict[str, int]]:
        """How many rows have each status, per item."""
        counts: dict[str, dict[str, int]] = {}
        for part in self.parts:
            for code, item in part.items.items():
                per = counts.setdefault(code, dict.fromkeys(STATUSES, 0))
                for i, n in enumerate(np.bincount(item.status, minlength=len(STATUSES))):
                    per[STATUSES[i]] += int(n)
        return counts

    def row(self, position: int) -> dict[str, Any]:
        """The full result (with reasons in words) for the profile at `position`."""
        if not 0 <= position < self.size:
            raise IndexError(position)
        for part in self.parts:
            # part.index is sorted (np.flatnonzero), so a binary search finds the row.
            i = int(np.searchsorted(part.index, position))
            if i < len(part.index) and part.index[i] == position:
                return _render_row(part, i, self.on, self.store)
        raise IndexError(position)

    def to_dicts(self) -> list[dict[str, Any]]:
        """Every profile's result, in input order."""
        out: list[dict[str, Any] | None] = [None] * self.size
        for part in self.parts:
            lists = _PartLists(part)
            for i, position in enumerate(part.index.tolist()):
                out[position] = lists.render(i, self.on, self.store)
        return [r for r in out if r is not None]


def _check(cols: Columns, on: dt.date, on64: np.datetime64) -> None:
    """Column version of profile.check_against_date."""
    if on < ENGINE_FROM:
        raise ValueError(f"evaluation date {on} is before {ENGINE_FROM} (Decree 09/2013), which Haven does not encode")
    key = np.where(np.isnat(cols.identified_on), cols.accompanies, cols.identified_on)
    bad = ~np.isnat(key) & (key > on64)
    bad |= ~np.isnat(cols.stay_from) & np.isnat(cols.stay_to) & (cols.stay_from > on64)
    if np.any(bad):
        first = int(np.flatnonzero(bad)[0])
        raise ProfileError(f"profile {cols.ids[first]!r}: a date is after the evaluation date {on} "
                           "(identified_on, accompanies, or an open shelter_stay)")


def _rows(regime: str, cols: Columns) -> np.ndarray:
    """Index into row_keys_for(regime) for every row (column version of regimes.row_for)."""
    keys = row_keys_for(regime)
    victim = cols.category == VICTIM
    minor = cols.category == MINOR
    if regime == LAW66:
        choice = np.select([victim & cols.citizen, victim, minor],
                           [keys.index("victim_citizen"), keys.index("victim_foreign"), keys.index("minor")],
                           keys.index("under_identification"))
    else:
        choice = np.select(
            [victim & cols.citizen, victim, minor & cols.citizen, minor, cols.abroad, cols.citizen],
            [keys.index(k) for k in ("victim_citizen", "victim_foreign", "minor_citizen", "minor_foreign",
                                     "under_identification_abroad", "under_identification_vietnam")],
            keys.index("under_identification_foreign"),
        )
    return choice.astype(np.int8)


def _part(regime: str, index: np.ndarray, cols: Columns, on: dt.date, store: ParameterStore,
          only: frozenset[str] | None) -> RegimePart:
    sub = cols if len(index) == len(cols) else cols.take(index)
    period = period_for(regime, on)
    lookup = lookup_date_for(regime, on)
    age = age_on_array(sub.birth_date, on)
    row = _rows(regime, sub)
    keys = row_keys_for(regime)
    v = VFacts(sub, on, regime, period, lookup, store, age, row, keys)
    codes = [code for code in items_for(regime, period) if only is None or code in only]
    items = {code: COLUMN_RULES[regime][code](v) for code in codes}
    verification = nat_array(len(sub))
    days = store.get("verification.initial_days", lookup, None)
    if regime == LAW53 and days is not None and days.value is not None:
        # Law 53/2024 Art. 27. Read per province like the per-person path.
        per_province = v.param("verification.initial_days")
        wanted = (sub.category == UNDER_IDENTIFICATION) & ~np.isnat(sub.reported_on) & per_province.number
        verification = np.where(wanted, sub.reported_on + per_province.value.astype("timedelta64[D]"), verification)
    return RegimePart(regime, period, lookup, index, sub, age, row, keys, items, verification)


def evaluate_columns(cols: Columns, on: dt.date | str, *, store: ParameterStore | None = None,
                     items: Iterable[str] | None = None) -> BatchResult:
    """Evaluate many profiles given as columns; see BatchResult for the output.

    `items` limits the evaluation to some item codes (e.g. the money items of a budget).
    """
    on = as_date(on)
    store = store or default_store()
    on64 = np.datetime64(on.isoformat(), "D")
    _check(cols, on, on64)
    key = np.where(cols.category == VICTIM, cols.identified_on,
                   np.where(cols.category == MINOR, cols.accompanies, on64))
    new = key >= np.datetime64(LAW53_FROM.isoformat(), "D")
    parts = []
    for regime, mask in ((LAW66, ~new), (LAW53, new)):
        index = np.flatnonzero(mask)
        if len(index):
            parts.append(_part(regime, index, cols, on, store, None if items is None else frozenset(items)))
    return BatchResult(on, len(cols), parts, store)


def evaluate_many(profiles: Iterable[Profile | Mapping[str, Any]], on: dt.date | str, *,
                  store: ParameterStore | None = None) -> list[dict[str, Any]]:
    """Evaluate many profiles column-wise; same output as calling `evaluate` on each."""
    on = as_date(on)
    parsed = [p if isinstance(p, Profile) else parse_profile(p) for p in profiles]
    for p in parsed:
        check_against_date(p, on)  # the per-field message; evaluate_columns checks again column-wise
    return evaluate_columns(profiles_to_columns(parsed), on, store=store).to_dicts()


# -- rendering one row --------------------------------------------------------------------

def _date(value: np.datetime64) -> dt.date | None:
    return None if np.isnat(value) else value.astype(dt.date)


def _outcome(item: ItemColumns, i: int) -> Outcome:
    return Outcome(
        status=STATUSES[int(item.status[i])],
        reasons=item.reasons_at(i),
        amount_vnd=int(item.amount[i]) if item.amount_set[i] else None,
        limits={name: column.value(i) for name, column in item.limits.items() if column.present[i]},
        deadlines={name: d for name, arr in item.deadlines.items() if (d := _date(arr[i])) is not None},
    )


def _scene(part: RegimePart, i: int, on: dt.date) -> Scene:
    c = part.cols
    age = int(part.age[i])
    return Scene(
        regime=part.regime,
        row=part.row_keys[int(part.row[i])],
        on=on,
        lookup_date=part.lookup_date,
        province=c.province_name(i),
        identified_on=_date(c.identified_on[i]),
        accompanies=_date(c.accompanies[i]),
        received_on=_date(c.received_on[i]),
        reported_on=_date(c.reported_on[i]),
        age=None if age < 0 else age,
    )


def _head_keys(part: RegimePart, i: int, on: dt.date) -> tuple[list[str], dict[str, dt.date]]:
    return _head(part, int(part.cols.category[i]), _date(part.verification_by[i]), on)


def _head(part: RegimePart, category: int, verification: dt.date | None,
          on: dt.date) -> tuple[list[str], dict[str, dt.date]]:
    """Column version of evaluate.profile_head."""
    prefix = "old" if part.regime == LAW66 else "new"
    keys = [f"regime.{prefix}.{CATEGORY_KIND[category]}"]
    continued = part.regime == LAW66 and on > OLD_LAST_DAY
    keys.append("period.circular84_continued" if continued else f"period.{part.period}")
    deadlines: dict[str, dt.date] = {}
    if verification is not None:
        deadlines["initial_verification_by"] = verification
        keys.append("new.verification@verification.initial_days")
    assert all(k in HEAD_VOCAB for k in keys)
    return keys, deadlines


def _render_row(part: RegimePart, i: int, on: dt.date, store: ParameterStore) -> dict[str, Any]:
    scene = _scene(part, i, on)
    base = scene_values(scene)
    items = [render_item(code, _outcome(item, i), scene, store, item.vocab, base)
             for code, item in part.items.items()]
    keys, deadlines = _head_keys(part, i, on)
    return render_profile(part.cols.ids[i], scene, part.period, keys, deadlines, items, store)


class _ItemLists:
    """One item's columns as Python lists, for rendering many rows quickly."""

    def __init__(self, item: ItemColumns) -> None:
        self.code = item.code
        self.vocab = item.vocab
        self.status = item.status.tolist()
        self.amount = item.amount.tolist()
        self.amount_set = item.amount_set.tolist()
        self.flags = [(key, item.flags[key].tolist()) for key in item.vocab if key in item.flags]
        self.limits = [(name, c.values.tolist(), c.present.tolist(), c.kind, c.table) for name, c in item.limits.items()]
        self.deadlines = [(name, values.tolist()) for name, values in item.deadlines.items()]

    def outcome(self, i: int) -> Outcome:
        limits: dict[str, Any] = {}
        for name, values, present, kind, table in self.limits:
            if present[i]:
                value = values[i]
                if kind == "enum":
                    value = table[value]
                    value = list(value) if isinstance(value, tuple) else value
                limits[name] = value
        return Outcome(
            status=STATUSES[self.status[i]],
            reasons=[key for key, rows in self.flags if rows[i]],
            amount_vnd=self.amount[i] if self.amount_set[i] else None,
            limits=limits,
            deadlines={name: values[i] for name, values in self.deadlines if values[i] is not None},
        )


class _PartLists:
    """A regime part as Python lists (datetime64 lists give dates, NaT gives None)."""

    def __init__(self, part: RegimePart) -> None:
        c = part.cols
        self.part = part
        self.ids = c.ids.tolist()
        self.category = c.category.tolist()
        self.province = c.province.tolist()
        self.identified_on = c.identified_on.tolist()
        self.accompanies = c.accompanies.tolist()
        self.received_on = c.received_on.tolist()
        self.reported_on = c.reported_on.tolist()
        self.age = part.age.tolist()
        self.row = part.row.tolist()
        self.verification = part.verification_by.tolist()
        self.items = [_ItemLists(item) for item in part.items.values()]

    def render(self, i: int, on: dt.date, store: ParameterStore) -> dict[str, Any]:
        part = self.part
        province = self.province[i]
        scene = Scene(
            regime=part.regime,
            row=part.row_keys[self.row[i]],
            on=on,
            lookup_date=part.lookup_date,
            province=None if province < 0 else part.cols.provinces[province],
            identified_on=self.identified_on[i],
            accompanies=self.accompanies[i],
            received_on=self.received_on[i],
            reported_on=self.reported_on[i],
            age=None if self.age[i] < 0 else self.age[i],
        )
        base = scene_values(scene)
        items = [render_item(item.code, item.outcome(i), scene, store, item.vocab, base) for item in self.items]
        keys, deadlines = _head(part, self.category[i], self.verification[i], on)
        return render_profile(self.ids[i], scene, part.period, keys, deadlines, items, store)


def reason_texts(item: ItemColumns, i: int, scene: Scene, store: ParameterStore) -> list[dict[str, str]]:
    """The reasons of one row of one item, in words (for reports that show only some rows)."""
    outcome = _outcome(item, i)
    values = {**scene_values(scene), "amount": outcome.amount_vnd, **outcome.limits, **outcome.deadlines}
    return render_reasons(outcome.reasons, values, scene, store)[0]


__all__: Sequence[str] = ("BatchResult", "evaluate_columns", "evaluate_many", "profiles_to_columns")
