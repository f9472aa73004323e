"""Disclosure control for counts shown to people who must not learn about individuals.

Two tools:

* `suppress_counts` — one-way tables with a total (dashboards). A count of 1 to k-1 is hidden
  (primary suppression); if that leaves a single hidden cell, the smallest other non-zero cell is
  hidden too, so the hidden one cannot be worked out from the total (secondary suppression).
* `suppress_table` — two-way tables with row, column and grand totals (the annual statistics).
  Primary suppression hides every cell and margin in 1..k-1 (or flagged by the caller, e.g. a sum
  of money with fewer than k contributors). Secondary suppression then works in two stages:

  1. *Lines*: in every row and column of the table-with-margins, a single hidden cell could be
     recovered by subtraction, so the smallest non-zero shown cell of that line is hidden too
     (zeros are never used as complements: a zero cannot move down, so it protects nothing).
     Repeated until no line has exactly one hidden cell.
  2. *Audit*: the attacker's own linear programme. For each hidden cell we minimise and maximise
     its value subject to every published cell and every line equation, with hidden cells ≥ 0.
     If any hidden cell's interval has width 0 it is exact, so one more complement (the smallest
     non-zero shown cell in its row or column) is hidden and both stages run again.

  The loop adds a cell each round, so it ends; when it ends no hidden cell is determined by the
  published numbers. A two-way table's constraint matrix is totally unimodular, so a positive
  width is at least 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.optimize import linprog

DEFAULT_K = 5

SHOWN, PRIMARY, SECONDARY = "shown", "primary", "secondary"


def suppress_counts(counts: list[int], k: int = DEFAULT_K) -> tuple[list[int | None], int | None]:
    """The counts with hidden cells as None, and the total (None if the total itself is small)."""
    total = sum(counts)
    shown: list[int | None] = [None if 0 < n < k else n for n in counts]
    hidden = [i for i, n in enumerate(shown) if n is None]
    if len(hidden) == 1:
        others = [(n, i) for i, n in enumerate(counts) if i not in hidden and n > 0]
        if others:
            shown[min(others)[1]] = None
    return shown, (None if 0 < total < k else total)


@dataclass(frozen=True)
class Suppressed:
    """A table with margins: `values[i][j]` for i <= rows (the last row is the column totals) and
    j <= cols (the last column is the row totals); `status[i][j]` is shown, primary or secondary."""

    values: list[list[int]]
    status: list[list[str]]

    def published(self) -> list[list[int | None]]:
        return [[v if s == SHOWN else None for v, s in zip(row, srow, strict=True)]
                for row, srow in zip(self.values, self.status, strict=True)]

    def hidden_count(self) -> int:
        return sum(s != SHOWN for row in self.status for s in row)


def with_margins(cells: Sequence[Sequence[int]]) -> list[list[int]]:
    rows = [list(r) + [sum(r)] for r in cells]
    width = len(rows[0]) if rows else 1
    rows.append([sum(r[j] for r in rows) for j in range(width)])
    return rows


def _lines(n_rows: int, n_cols: int) -> list[list[tuple[int, int]]]:
    """Each line of the extended table: its cells, the margin cell last."""
    lines = [[(i, j) for j in range(n_cols + 1)] for i in range(n_rows + 1)]
    lines += [[(i, j) for i in range(n_rows + 1)] for j in range(n_cols + 1)]
    return lines


def _hide_complements(values: list[list[int]], status: list[list[str]], lines: list[list[tuple[int, int]]]) -> None:
    changed = True
    while changed:
        changed = False
        for line in lines:
            hidden = [c for c in line if status[c[0]][c[1]] != SHOWN]
            if len(hidden) != 1:
                continue
            candidates = [(values[i][j], (i, j)) for i, j in line if status[i][j] == SHOWN and values[i][j] > 0]
            if not candidates:
                continue  # every other cell is zero: then the hidden cell is zero too, and zeros are shown
            _v, (i, j) = min(candidates)
            status[i][j] = SECONDARY
            changed = True


def _system(published: list[list[int | None]]) -> tuple[list[tuple[int, int]], Any, list[float]]:
    """The hidden cells and the line equations (rows and columns with their margins) they obey."""
    n_rows, n_cols = len(published) - 1, len(published[0]) - 1
    hidden = [(i, j) for i in range(n_rows + 1) for j in range(n_cols + 1) if published[i][j] is None]
    index = {cell: n for n, cell in enumerate(hidden)}
    a_eq, b_eq = [], []
    for line in _lines(n_rows, n_cols):
        *parts, margin = line
        row = np.zeros(len(hidden))
        rhs = 0.0
        for cell, sign in [*((p, 1.0) for p in parts), (margin, -1.0)]:
            value = published[cell[0]][cell[1]]
            if value is None:
                row[index[cell]] += sign
            else:
                rhs -= sign * value
        if row.any():
            a_eq.append(row)
            b_eq.append(rhs)
    return hidden, np.array(a_eq), b_eq


def _interval(n: int, size: int, a_eq: Any, b_eq: list[float]) -> tuple[float, float]:
    objective = np.zeros(size)
    objective[n] = 1.0
    bounds = [(0, None)] * size
    low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    lo = float(low.fun) if low.status == 0 else 0.0
    hi = float(-high.fun) if high.status == 0 else float("inf")
    return lo, hi


def cell_intervals(published: list[list[int | None]]) -> dict[tuple[int, int], tuple[float, float]]:
    """The attacker: for each hidden cell (None), the least and greatest value consistent with the
    published cells and the line equations of the table-with-margins, hidden cells ≥ 0."""
    hidden, a_eq, b_eq = _system(published)
    return {cell: _interval(n, len(hidden), a_eq, b_eq) for n, cell in enumerate(hidden)} if hidden else {}


def first_exact_cell(published: list[list[int | None]]) -> tuple[int, int] | None:
    """The first hidden cell an attacker could pin to one value, or None. Stops at the first: the
    suppression loop hides one more complement and asks again."""
    hidden, a_eq, b_eq = _system(published)
    for n, cell in enumerate(hidden):
        lo, hi = _interval(n, len(hidden), a_eq, b_eq)
        if hi - lo < 0.5:
            return cell
    return None


def suppress_table(cells: Sequence[Sequence[int]], k: int = DEFAULT_K, *,
                   primary: Sequence[Sequence[bool]] | None = None) -> Suppressed:
    """Hide small cells and enough complements that none can be recovered from the totals.

    `cells` is the table without margins (rows × columns of non-negative integers). `primary`, if
    given, flags the cells and margins (same shape as the table *with* margins) that must be hidden
    instead of the count rule 0 < n < k — used for sums of money with too few contributors.
    """
    values = with_margins(cells)
    n_rows, n_cols = len(values) - 1, len(values[0]) - 1
    status = [[SHOWN] * (n_cols + 1) for _ in range(n_rows + 1)]
    for i in range(n_rows + 1):
        for j in range(n_cols + 1):
            small = primary[i][j] if primary is not None else 0 < values[i][j] < k
            if small and values[i][j] != 0:
                status[i][j] = PRIMARY
    lines = _lines(n_rows, n_cols)
    while True:
        _hide_complements(values, status, lines)
        table = Suppressed(values, status)
        exact = first_exact_cell(table.published())
        if exact is None:
            return table
        i, j = exact
        around = [(values[a][b], (a, b)) for a, b in [*((i, c) for c in range(n_cols + 1)), *((r, j) for r in range(n_rows + 1))]
                  if status[a][b] == SHOWN and values[a][b] > 0]
        if not around:
            # Nothing non-zero left beside it: hide the whole row and column rather than publish it.
            around = [(0, (i, c)) for c in range(n_cols + 1) if status[i][c] == SHOWN]
            around += [(0, (r, j)) for r in range(n_rows + 1) if status[r][j] == SHOWN]
            if not around:
                return table
        _v, (a, b) = min(around)
        status[a][b] = SECONDARY
