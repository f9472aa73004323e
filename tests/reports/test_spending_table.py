"""The money table: approved spending by item and funding source, reversals included."""

from __future__ import annotations

import datetime as dt

from haven.reports.statistics import Period, compute
from haven.support.models import FundingKind
from tests.budgets.conftest import ledger, other_source, source  # noqa: F401

DAY = dt.date(2026, 4, 10)


def test_the_money_table_sums_approved_entries_by_item_and_funding_kind(world, source, other_source):  # noqa: F811
    ledger(world, source, 600_000, DAY, item="food")
    ledger(world, source, 250_000, DAY, item="food", approved=None)  # waiting: not spent
    ledger(world, other_source, 300_000, DAY, item="travel")
    wrong = ledger(world, source, 100_000, DAY, item="travel")
    ledger(world, source, -100_000, DAY, item="travel", reverses=wrong)
    table = compute("spending", Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31)))
    kinds = [k for k, _label in table.cols.categories]
    cells = {item: dict(zip(kinds, row, strict=True)) for (item, _l), row in zip(table.rows.categories, table.cells,
                                                                                 strict=True)}
    assert cells["food"][FundingKind.STATE_BUDGET] == 600_000
    assert cells["travel"][FundingKind.NGO_DONOR] == 300_000
    assert cells["travel"][FundingKind.STATE_BUDGET] == 0  # paid and reversed
    assert table.total() == 900_000
