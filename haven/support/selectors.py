"""Reads of the support area: a case's stays and entries, balances computed in the database, the
approvals queue, stays near their paid limit, and occupancy per facility.

A case's rows are read only after `access_case` opened the case; the agency-wide lists show case
codes, never names, and only for the user's own agency.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from haven.accounts.models import Agency, Role
from haven.support.models import FundingSource, LedgerEntry, ShelterStay
from haven.support.stays import WARNING_DAYS, facilities

APPROVED = Q(approval__approved=True)
PENDING = Q(approval__isnull=True)
REJECTED = Q(approval__approved=False)


def _sums() -> dict[str, Any]:
    """recorded = approved + pending (rejected entries never count); each a SUM in the database."""
    zero = Value(0)
    return {
        "recorded": Coalesce(Sum("amount", filter=~REJECTED), zero),
        "approved": Coalesce(Sum("amount", filter=APPROVED), zero),
        "pending": Coalesce(Sum("amount", filter=PENDING), zero),
        "rejected": Coalesce(Sum("amount", filter=REJECTED), zero),
        "entries": Count("pk"),
    }


def stays_of_case(case: Any) -> list[ShelterStay]:
    return list(ShelterStay.objects.filter(case=case).select_related("facility", "admitted_by", "discharged_by"))


def entries_of_case(case: Any) -> list[LedgerEntry]:
    return list(
        LedgerEntry.objects.filter(case=case).select_related(
            "funding_source", "recorded_by", "agency", "approval", "approval__decided_by", "reversed_by",
        ).order_by("provided_on", "pk")
    )


def case_balances(case: Any) -> list[dict[str, Any]]:
    """Per item: recorded, approved, pending, rejected and the number of entries."""
    return [dict(row) for row in LedgerEntry.objects.filter(case=case).values("item").annotate(**_sums()).order_by("item")]


def funding_balances(agency_id: int | None) -> list[dict[str, Any]]:
    """Per funding source of the agency, every source listed (an unused one shows zeros)."""
    if not agency_id:
        return []
    sums = {row["funding_source"]: row for row in LedgerEntry.objects.filter(agency_id=agency_id)
            .values("funding_source").annotate(**_sums()).order_by()}
    empty = {"recorded": 0, "approved": 0, "pending": 0, "rejected": 0, "entries": 0}
    rows = []
    for source in FundingSource.objects.filter(agency_id=agency_id).order_by("-is_active", "name"):
        row = {k: v for k, v in sums.get(source.pk, empty).items() if k != "funding_source"}
        rows.append({"source": source, **row})
    return rows


def approvals_waiting(user: Any) -> QuerySet[LedgerEntry]:
    """Entries of the supervisor's agency that wait for a decision, oldest first (their own included:
    the page says another supervisor must decide them)."""
    if not (user.is_authenticated and user.role == Role.SUPERVISOR and user.agency_id):
        return LedgerEntry.objects.none()
    return (LedgerEntry.objects.filter(PENDING, agency_id=user.agency_id)
            .select_related("case", "funding_source", "recorded_by").order_by("recorded_at", "pk"))


def stays_near_limit(user: Any, today: dt.date | None = None) -> QuerySet[ShelterStay]:
    """Open stays at the user's facility or of the user's agency's cases whose paid limit is near or past."""
    if not (user.is_authenticated and user.role in (Role.CASEWORKER, Role.SUPERVISOR) and user.agency_id):
        return ShelterStay.objects.none()
    today = today or timezone.localdate()
    return (ShelterStay.objects.filter(Q(facility_id=user.agency_id) | Q(case__owner_agency_id=user.agency_id),
                                       discharged_on__isnull=True, paid_until__isnull=False,
                                       paid_until__lte=today + dt.timedelta(days=WARNING_DAYS))
            .select_related("case", "facility").order_by("paid_until", "pk"))


@dataclass(frozen=True)
class Occupancy:
    facility: Agency
    staying: int
    capacity: int | None

    @property
    def free(self) -> int | None:
        return None if self.capacity is None else self.capacity - self.staying


def _capacities(agency_ids: Iterable[int]) -> dict[int, int] | None:
    """Beds per facility from the service directory, if it offers them (haven.directory.selectors)."""
    try:
        module = importlib.import_module("haven.directory.selectors")
    except ImportError:
        return None
    capacity_by_agency = getattr(module, "capacity_by_agency", None)
    if capacity_by_agency is None:
        return None
    return dict(capacity_by_agency(list(agency_ids)))


def occupancy() -> tuple[list[Occupancy], bool]:
    """People staying now per facility (counted in the database), with capacity when the directory has it.
    The second value says whether capacities are known at all."""
    places = list(facilities())
    counts = dict(ShelterStay.objects.filter(discharged_on__isnull=True).values("facility")
                  .annotate(n=Count("pk")).values_list("facility", "n"))
    capacities = _capacities(p.pk for p in places)
    rows = [Occupancy(p, counts.get(p.pk, 0), (capacities or {}).get(p.pk)) for p in places]
    return rows, capacities is not None
