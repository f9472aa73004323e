"""A small synthetic data set for the scorecard tests, written straight to the tables (like the reports'
2020 fixture): identified persons in Lào Cai in 2025 and the records behind each indicator. No real person."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from haven.cases.models import Case, Category, Person, ReturnMode, Status
from haven.research import scorecard as sc
from haven.research.models import Scorecard
from haven.support.models import FundingKind, FundingSource, LedgerEntry
from tests.factories import World, province

IDENTIFIED = dt.date(2025, 3, 10)


@dataclass
class Data:
    cases: list[Case]
    study_access: Any
    scorecard: Scorecard


def persons(world: World, n: int, *, sex: list[str] | None = None, on: dt.date = IDENTIFIED, prefix: str = "SC",
            age: int = 24, ethnicity: str = "kinh", agency: Any = None) -> list[Case]:
    """`n` persons identified as victims on `on`, received by the world's border post (Lào Cai)."""
    sexes = sex or ["female"] * n
    owner = agency or world.owner_agency
    people = Person.objects.bulk_create([Person(sex=sexes[i], birth_year=on.year - age, nationality="VN",
                                                ethnicity=ethnicity) for i in range(n)])
    start = Case.objects.filter(code__startswith=prefix).count()
    return Case.objects.bulk_create([
        Case(code=f"{prefix}-{start + i + 1:04d}", person=people[i], category=Category.VICTIM, status=Status.SUPPORT,
             owner_agency=owner, receiving_agency=owner, received_on=on - dt.timedelta(days=5),
             reception_place="(tổng hợp)", return_mode=ReturnMode.BORDER_HANDOVER, age_at_reception=age,
             identified_on=on, created_by=world.owner_caseworker) for i in range(n)])


def given(world: World, cases: list[Case], item: str) -> None:
    source = FundingSource.objects.get_or_create(agency=world.owner_agency, kind=FundingKind.STATE_BUDGET,
                                                 name="Ngân sách (tổng hợp)")[0]
    LedgerEntry.objects.bulk_create([
        LedgerEntry(case=c, agency=world.owner_agency, item=item, kind="payment", provided_on=IDENTIFIED,
                    amount=100_000, funding_source=source, evidence_kind="signature_list", evidence_ref=f"DS-{c.pk}",
                    recorded_by=world.owner_caseworker) for c in cases])


def scorecard(access: Any, *, start: str = "2025-01-01", end: str = "2025-06-30", lao_cai: bool = True) -> Scorecard:
    return sc.scorecard_create(access=access, title="Thẻ điểm quyền (thử nghiệm)", period_start=start,
                               period_end=end, province=province().pk if lao_cai else None)


def value(view: sc.ScorecardView, code: str) -> sc.IndicatorValue:
    return next(v for v in view.values() if v.indicator.code == code)
