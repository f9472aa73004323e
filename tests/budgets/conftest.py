"""Budget fixtures: funding sources of the owner agency, approved ledger entries, an agency admin."""

from __future__ import annotations

import datetime as dt

import pytest

from haven.accounts.models import Role
from haven.support.models import FundingKind, FundingSource, LedgerApproval, LedgerEntry
from tests.factories import user


@pytest.fixture
def source(world) -> FundingSource:
    return FundingSource.objects.create(agency=world.owner_agency, kind=FundingKind.STATE_BUDGET, name="Ngân sách tỉnh")


@pytest.fixture
def other_source(world) -> FundingSource:
    return FundingSource.objects.create(agency=world.other_agency, kind=FundingKind.NGO_DONOR, name="Quỹ tài trợ")


@pytest.fixture
def agency_admin(world):  # noqa: ANN201
    return user(world.owner_agency, Role.AGENCY_ADMIN, "owner_admin")


def ledger(world, source, amount: int, day: dt.date, *, item: str = "food", approved: bool | None = True,
           reverses: LedgerEntry | None = None) -> LedgerEntry:
    entry = LedgerEntry.objects.create(
        case=world.case, agency=source.agency, item=item, kind="payment", provided_on=day, amount=amount,
        funding_source=source, evidence_kind="invoice", evidence_ref="HD-001", recorded_by=world.owner_caseworker,
        reverses=reverses)
    if approved is not None:
        LedgerApproval.objects.create(entry=entry, approved=approved, decided_by=world.supervisor)
    return entry
