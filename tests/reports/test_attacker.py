"""The attacker: knowing every published cell and total, can they pin down a hidden cell?

They solve their own linear programme (written here, independent of haven.core.disclosure): for each
hidden cell, the least and greatest value consistent with the published cells, the row and column
equations, and hidden cells being ≥ 0. A hidden cell whose interval has width 0 is disclosed.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from haven.core.disclosure import SHOWN, suppress_table
from haven.reports import publication
from haven.reports.statistics import Period, compute


def attack(published: list[list[int | None]]) -> dict[tuple[int, int], tuple[float, float]]:
    rows, cols = len(published) - 1, len(published[0]) - 1
    unknown = [(i, j) for i in range(rows + 1) for j in range(cols + 1) if published[i][j] is None]
    where = {cell: n for n, cell in enumerate(unknown)}
    equations, rhs = [], []

    def add(cells: list[tuple[int, int]], total: tuple[int, int]) -> None:
        row, value = np.zeros(len(unknown)), 0.0
        for cell, sign in [*((c, 1) for c in cells), (total, -1)]:
            if cell in where:
                row[where[cell]] += sign
            else:
                value -= sign * published[cell[0]][cell[1]]
        equations.append(row)
        rhs.append(value)

    for i in range(rows + 1):
        add([(i, j) for j in range(cols)], (i, cols))
    for j in range(cols + 1):
        add([(i, j) for i in range(rows)], (rows, j))
    found = {}
    for cell, n in where.items():
        c = np.zeros(len(unknown))
        c[n] = 1
        lo = linprog(c, A_eq=equations, b_eq=rhs, bounds=[(0, None)] * len(unknown), method="highs")
        hi = linprog(-c, A_eq=equations, b_eq=rhs, bounds=[(0, None)] * len(unknown), method="highs")
        assert lo.status == 0  # the true table is always a solution
        found[cell] = (lo.fun, -hi.fun if hi.status == 0 else float("inf"))
    return found


def assert_safe(cells: list[list[int]], k: int) -> None:
    result = suppress_table(cells, k)
    published = result.published()
    for i, row in enumerate(result.values):
        for j, value in enumerate(row):
            status = result.status[i][j]
            assert status != SHOWN or not 0 < value < k, "a small count was published"
    for cell, (lo, hi) in attack(published).items():
        assert hi - lo >= 1 - 1e-6, f"hidden cell {cell} is exactly {lo}"


small_tables = st.integers(1, 5).flatmap(lambda r: st.integers(1, 5).flatmap(lambda c: st.lists(
    st.lists(st.sampled_from([0, 0, 1, 2, 3, 4, 5, 6, 9, 11, 14, 30, 60]), min_size=c, max_size=c),
    min_size=r, max_size=r)))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_tables, st.sampled_from([3, 5, 11]))
def test_no_hidden_cell_of_a_random_table_can_be_recovered(cells, k):
    assert_safe(cells, k)


def test_a_lone_small_cell_takes_a_rectangle_of_complements_with_it():
    result = suppress_table([[4, 60, 3], [10, 20, 24]], 5)
    assert result.status[0][:3] == ["primary", "shown", "primary"]
    assert result.status[1][0] == "secondary" and result.status[1][2] == "secondary"


@pytest.mark.django_db
@pytest.mark.parametrize("k", [5, 11])
@pytest.mark.parametrize("code", ["sex_age", "identified_at_exploitation", "referred_age", "services_sex", "year_sex"])
def test_the_2020_tables_resist_the_attacker(figures2020, code, k):
    table = compute(code, Period.year(2020))
    assert_safe(table.cells, k)


@pytest.mark.django_db
def test_public_2020_table_shows_which_cells_are_hidden_and_why(figures2020):
    year = Period.year(2020)
    published = publication.threshold(compute("sex_age", year), year, None, 11)
    male = next(r for r in published["rows"] if r["code"] == "male")
    assert male["total"] == {"value": None, "status": "primary"}  # 9 men < 11
    assert published["totals"]["total"] == {"value": 121, "status": "shown"}
    statuses = {e["status"] for e in published["legend"]}
    assert {"primary", "secondary"} <= statuses
