"""Demo data for budgets: this year's estimates for the funding sources of the social work centre and
the NGO shelter, and about three years of monthly intake from (synthetic) paper records.

Everything goes through the services, so it is validated and audited like real work. Funding sources
are created by the support demo (haven/core/demo/support.py); where an agency has none yet, no
estimate is made for it.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from typing import Any

from haven.budgets.selectors import intake_cases
from haven.budgets.services import estimate_add, intake_import
from haven.support.models import FundingKind, FundingSource

CHANNEL = "demo"
# Synthetic: a state budget line is larger than a donor grant; neither is a real figure.
ESTIMATES: dict[str, int] = {FundingKind.STATE_BUDGET: 420_000_000, FundingKind.NGO_DONOR: 180_000_000, FundingKind.OTHER: 60_000_000}
NOTES: dict[str, str] = {FundingKind.STATE_BUDGET: "Dự toán đầu năm theo số người tiếp nhận năm trước.",
         FundingKind.NGO_DONOR: "Theo thỏa thuận tài trợ năm nay.", FundingKind.OTHER: ""}
# Mean people received per month, and how strongly arrivals rise after Tết (Jan/Feb) each year.
INTAKE = {"border": (5.0, 0.35), "police": (1.5, 0.2), "swc": (3.0, 0.3), "shelter": (2.0, 0.25)}
HISTORY_MONTHS = 36


def load(loader: Any) -> None:
    """Add this app's demo rows. `loader` has today, units, agencies, users, specs and cases (by spec key)."""
    today: dt.date = loader.today
    rng = random.Random(2013)
    for key, (rate, season) in INTAKE.items():
        agency = loader.agencies[key]
        supervisor = loader.users[f"{key}.supervisor"]
        first_case = intake_cases(agency).order_by("received_on").values_list("received_on", flat=True).first()
        # Paper records cover the months before the agency's first case in Haven.
        end = dt.date(first_case.year, first_case.month, 1) if first_case else dt.date(today.year, today.month, 1)
        start_index = end.year * 12 + end.month - 1 - HISTORY_MONTHS
        rows = []
        for i in range(start_index, end.year * 12 + end.month - 1):
            year, month = divmod(i, 12)
            mean = rate * (1 + season * math.cos(2 * math.pi * (month - 2) / 12)) * (1 + 0.04 * (i - start_index) / 12)
            rows.append({"year": year, "month": month + 1, "count": _poisson(rng, mean)})
        if rows:
            intake_import(acting_user=supervisor, agency_id=agency.pk, rows=rows, channel=CHANNEL, today=today,
                          source="Sổ tiếp nhận giấy (dữ liệu tổng hợp cho bản demo)")
    for key in ("swc", "shelter"):
        agency = loader.agencies[key]
        supervisor = loader.users[f"{key}.supervisor"]
        for source in FundingSource.objects.filter(agency=agency, is_active=True).order_by("pk"):
            estimate_add(acting_user=supervisor, agency_id=agency.pk, funding_source_id=source.pk, year=today.year,
                         amount=ESTIMATES.get(source.kind, 60_000_000), note=NOTES.get(source.kind, ""),
                         channel=CHANNEL)


def _poisson(rng: random.Random, mean: float) -> int:
    # Knuth's method: small means only, and reproducible with the demo's own seeded generator.
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1
