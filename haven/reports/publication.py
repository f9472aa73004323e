"""What a table looks like once disclosure control has been applied (or not, in official mode).

A published table is a plain dict (the page, the API, the exports and the PDF all read the same):

    {"code", "title", "period", "province", "mode", "measure", "additive", "k", "epsilon", "release_id",
     "row_title", "col_title", "columns": [{"code", "label"}],
     "rows": [{"code", "label", "cells": [{"value", "status"}], "total": {"value", "status"} | None}],
     "totals": {"cells": [...], "total": {...}} | None, "legend": [{"status", "text"}], "notes": [str]}

`value` is None where a cell is hidden; `status` says why: exact, shown, primary, secondary, noisy.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from django.conf import settings
from django.utils.translation import gettext as _

from haven.core.disclosure import PRIMARY, SECONDARY, SHOWN, suppress_table
from haven.reports.statistics import Period, Table

OFFICIAL, THRESHOLD, DP = "official", "threshold", "dp"
MODES = (OFFICIAL, THRESHOLD, DP)
EXACT, NOISY = "exact", "noisy"


def default_k() -> int:
    return int(getattr(settings, "HAVEN_DISCLOSURE_K", 5))


def _cell(value: int | None, status: str) -> dict[str, Any]:
    return {"value": value, "status": status}


def _frame(table: Table, period: Period, province: Any, mode: str) -> dict[str, Any]:
    return {
        "code": table.code, "title": str(table.title), "period": period.label(),
        "date_from": period.date_from, "date_to": period.date_to,
        "province": province.code if province is not None else None,
        "province_name": province.name if province is not None else _("Whole country"),
        "mode": mode, "measure": table.measure, "additive": table.additive, "k": None, "epsilon": None,
        "release_id": None, "row_title": str(table.rows.title), "col_title": str(table.cols.title),
        "columns": [{"code": c, "label": str(label)} for c, label in table.cols.categories],
        "notes": [str(n) for n in table.notes],
    }


def _fill(frame: dict[str, Any], table: Table, values: list[list[int]], status: list[list[str]]) -> dict[str, Any]:
    n_rows = len(table.rows.categories)
    frame["rows"] = [{"code": code, "label": str(label),
                      "cells": [_cell(v if s in (SHOWN, EXACT, NOISY) else None, s) for v, s in
                                zip(values[i][:-1], status[i][:-1], strict=True)],
                      "total": _cell(values[i][-1] if status[i][-1] in (SHOWN, EXACT, NOISY) else None, status[i][-1])
                      if table.additive else None}
                     for i, (code, label) in enumerate(table.rows.categories)]
    if table.additive:
        last = values[n_rows] if n_rows < len(values) else [0] * (len(table.cols.categories) + 1)
        last_status = status[n_rows] if n_rows < len(status) else [EXACT] * len(last)
        frame["totals"] = {"cells": [_cell(v if s in (SHOWN, EXACT, NOISY) else None, s)
                                     for v, s in zip(last[:-1], last_status[:-1], strict=True)],
                           "total": _cell(last[-1] if last_status[-1] in (SHOWN, EXACT, NOISY) else None, last_status[-1])}
    else:
        frame["totals"] = None
    used = {c["status"] for r in frame["rows"] for c in r["cells"]} | {r["total"]["status"] for r in frame["rows"] if r["total"]}
    if frame["totals"]:
        used |= {c["status"] for c in frame["totals"]["cells"]} | {frame["totals"]["total"]["status"]}
    frame["legend"] = [{"status": s, "text": text} for s, text in _legend(frame).items() if s in used]
    return frame


def _legend(frame: dict[str, Any]) -> dict[str, str]:
    k, eps = frame["k"], frame["epsilon"]
    money = frame["measure"] == "dong"
    legend = {
        EXACT: _("Exact figure (official mode: restricted, every run is recorded in the audit trail)."),
        PRIMARY: (_("Hidden: fewer than %(k)d persons are behind this amount (primary suppression).") if money else
                  _("Hidden: fewer than %(k)d persons, too few to publish (primary suppression).")) % {"k": k or 0},
        SECONDARY: _("Hidden although not small, so that no hidden cell can be worked out from the totals "
                     "(secondary suppression)."),
    }
    if eps:
        scale = 1 / float(eps)
        legend[NOISY] = _("Noisy count (differential privacy, epsilon %(eps)s): random noise of scale %(scale)s was "
                          "added to each cell; 95%% of such counts are within ±%(m)d of the true number. Negative "
                          "results were set to 0; totals are the sums of the noisy cells.") % {
            "eps": f"{float(eps):g}", "scale": f"{scale:.2g}", "m": noise_margin(float(eps))}
    return legend


def noise_margin(epsilon: float, level: float = 0.95) -> int:
    """Half-width that holds `level` of discrete Laplace noise of scale 1/epsilon: P(|X| > m) = 2 a^(m+1) / (1 + a)."""
    a = math.exp(-epsilon)
    m = 0
    while 2 * a ** (m + 1) / (1 + a) > 1 - level:
        m += 1
    return m


def official(table: Table, period: Period, province: Any) -> dict[str, Any]:
    values = _margins(table)
    return _fill(_frame(table, period, province, OFFICIAL), table, values, [[EXACT] * len(r) for r in values])


def _margins(table: Table) -> list[list[int]]:
    rows = [[*r, sum(r)] for r in table.cells]
    rows.append([*table.col_totals(), table.total()])
    return rows


def threshold(table: Table, period: Period, province: Any, k: int) -> dict[str, Any]:
    frame = _frame(table, period, province, THRESHOLD)
    frame["k"] = k
    if not table.cells:
        return _fill(frame, table, [[0] * (len(table.cols.categories) + 1)], [[SHOWN] * (len(table.cols.categories) + 1)])
    if not table.additive:
        # No totals are published, so there is nothing to subtract from: small cells alone are hidden.
        values = [[*r, 0] for r in table.cells]
        status = [[PRIMARY if 0 < v < k else SHOWN for v in r] for r in values]
        return _fill(frame, table, values, status)
    primary = None
    if table.contributors is not None:
        primary = [[0 < p < k for p in row] for row in table.contributors]
    result = suppress_table(table.cells, k, primary=primary)
    return _fill(frame, table, result.values, result.status)


def noisy(table: Table, period: Period, province: Any, *, cells: list[list[int]], epsilon: float,
          release_id: int | None) -> dict[str, Any]:
    frame = _frame(table, period, province, DP)
    frame["epsilon"], frame["release_id"] = epsilon, release_id
    shaped = Table(table.code, table.title, table.rows, table.cols, cells)
    values = _margins(shaped)
    return _fill(frame, table, values, [[NOISY] * len(r) for r in values])


def laplace_counts(cells: list[list[int]], epsilon: float) -> list[list[int]]:
    """Discrete Laplace noise of scale 1/epsilon on every cell (OpenDP), then rounded at zero.

    Each person is in exactly one cell, so adding or removing a person changes the vector by 1 in
    L1 norm: the release is epsilon-DP. Clamping at 0 and summing for totals are post-processing,
    which cannot weaken the guarantee (they add a small upward bias to cells near 0).
    """
    import opendp.prelude as dp

    dp.enable_features("contrib")
    flat = [int(v) for row in cells for v in row]
    if not flat:
        return []
    measurement = dp.m.make_laplace(dp.vector_domain(dp.atom_domain(T=int)), dp.l1_distance(T=int), scale=1 / epsilon)
    assert measurement.map(1) <= epsilon + 1e-9
    released = np.maximum(np.array(measurement(flat), dtype=np.int64), 0).tolist()
    width = len(cells[0])
    return [released[i:i + width] for i in range(0, len(released), width)]
