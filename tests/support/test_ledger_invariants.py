"""The ledger's invariants: balances equal the sum of their entries; no edit or delete path exists
in the services, the pages, the API or the admin."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from haven.support import ledger as ledger_module
from haven.support import selectors
from haven.support import services as services_module
from haven.support.ledger import ledger_decide, ledger_record, ledger_reverse
from haven.support.models import FundingSource, LedgerEntry
from tests.conftest import login
from tests.factories import access
from tests.support.conftest import identified_case

pytestmark = pytest.mark.django_db

ITEMS = ["clothing_personal_items", "travel", "psychological"]


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.tuples(st.sampled_from(ITEMS), st.integers(1, 5_000_000), st.sampled_from(["approve", "reject",
                                                                                            "pending", "reverse"])),
                min_size=1, max_size=8))
def test_balances_equal_the_sum_of_entries(django_db_blocker, world_for_hypothesis, steps):
    world, case, fund = world_for_hypothesis
    for item, amount, fate in steps:
        entry = ledger_record(access=access(world.supervisor, case), item=item, kind="payment",
                              provided_on="2023-03-10", amount=amount, funding_source_id=fund.pk,
                              evidence_kind="invoice", evidence_ref="HĐ", amount_reason="Chi phí thực tế khác",
                              over_limit_reason="Vượt định mức do chi phí thực tế")
        if fate in ("approve", "reverse"):
            ledger_decide(acting_user=world.second_supervisor, entry_id=entry.pk, approved=True)
        if fate == "reject":
            ledger_decide(acting_user=world.second_supervisor, entry_id=entry.pk, approved=False,
                          note="Thiếu chứng từ hợp lệ")
        if fate == "reverse":
            ledger_reverse(access=access(world.supervisor, case), entry_id=entry.pk, reason="Ghi nhầm số tiền chi")
    entries = list(LedgerEntry.objects.filter(case=case).select_related("approval"))

    def status(e: LedgerEntry) -> str:
        decision = getattr(e, "approval", None)
        return "pending" if decision is None else ("approved" if decision.approved else "rejected")

    for row in selectors.case_balances(case):
        mine = [e for e in entries if e.item == row["item"]]
        assert row["approved"] == sum(e.amount for e in mine if status(e) == "approved")
        assert row["pending"] == sum(e.amount for e in mine if status(e) == "pending")
        assert row["rejected"] == sum(e.amount for e in mine if status(e) == "rejected")
        assert row["recorded"] == row["approved"] + row["pending"]
        assert row["entries"] == len(mine)
    by_source = {r["source"].pk: r for r in selectors.funding_balances(world.owner_agency.pk)}
    assert by_source[fund.pk]["approved"] == sum(e.amount for e in entries if status(e) == "approved")


@pytest.fixture
def world_for_hypothesis(world):
    from haven.accounts.models import Role
    from tests.factories import user
    world.second_supervisor = user(world.owner_agency, Role.SUPERVISOR, "owner_sup2")
    case = identified_case(world, received_on=dt.date(2023, 3, 1))
    fund = FundingSource.objects.create(agency=world.owner_agency, kind="state_budget", name="Ngân sách")
    return world, case, fund


def test_no_service_edits_or_deletes_an_entry():
    names = [n for n in dir(services_module) + dir(ledger_module) if n.startswith("ledger_")]
    assert not [n for n in names if any(w in n for w in ("update", "edit", "delete", "change", "remove"))]


def test_no_page_route_edits_or_deletes_an_entry():
    routes = []
    for pattern in get_resolver().url_patterns:
        if getattr(pattern, "namespace", "") in ("support", "case_support"):
            routes += [p.name for p in pattern.url_patterns]
    assert set(routes) == {"index", "decide", "funding_add", "funding_deactivate", "tab", "admit", "discharge",
                           "record", "reverse", "proposal"}


@pytest.fixture
def admin(world):
    world.system_admin.is_staff = world.system_admin.is_superuser = True
    world.system_admin.save()
    return login(Client(), world.system_admin)


def _entry(world):
    case = identified_case(world, received_on=dt.date(2023, 3, 1))
    fund = FundingSource.objects.create(agency=world.owner_agency, kind="state_budget", name="Ngân sách")
    entry = ledger_record(access=access(world.owner_caseworker, case), item="travel",
                          kind="service", provided_on="2023-03-10", amount=400_000, funding_source_id=fund.pk,
                          evidence_kind="invoice", evidence_ref="HĐ 9", note="Ghi chú kín")
    ledger_decide(acting_user=world.supervisor, entry_id=entry.pk, approved=True)
    return entry


@pytest.mark.parametrize("model", ["ledgerentry", "ledgerapproval", "fundingsource"])
def test_the_admin_has_no_add_change_or_delete(world, admin, model):
    entry = _entry(world)
    pk = {"ledgerentry": entry.pk, "ledgerapproval": entry.approval.pk, "fundingsource": entry.funding_source_id}[model]
    assert admin.get(f"/admin/support/{model}/").status_code == 200
    assert admin.get(f"/admin/support/{model}/add/").status_code == 403
    assert admin.post(f"/admin/support/{model}/add/", {}).status_code == 403
    assert admin.get(f"/admin/support/{model}/{pk}/delete/").status_code == 403
    assert admin.post(f"/admin/support/{model}/{pk}/delete/", {"post": "yes"}).status_code == 403
    assert admin.get(f"/admin/support/{model}/{pk}/change/").status_code == 200  # to look at only
    admin.post(f"/admin/support/{model}/{pk}/change/", {"amount": "1", "name": "x", "approved": ""})
    assert LedgerEntry.objects.get(pk=entry.pk).amount == 400_000
    assert FundingSource.objects.get(pk=entry.funding_source_id).name == "Ngân sách"
    assert LedgerEntry.objects.get(pk=entry.pk).approval.approved is True


def test_the_admin_never_shows_free_text(world, admin):
    entry = _entry(world)
    assert "Ghi chú kín" not in admin.get(f"/admin/support/ledgerentry/{entry.pk}/change/").content.decode()


def test_shelter_stays_are_not_in_the_admin(admin):
    assert admin.get("/admin/support/shelterstay/").status_code == 404


def test_the_database_refuses_a_positive_reversal_and_a_missing_evidence(world):
    from django.db import IntegrityError, transaction
    entry = _entry(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(case=entry.case, agency=entry.agency, item=entry.item, kind=entry.kind,
                                   provided_on=entry.provided_on, amount=5, funding_source=entry.funding_source,
                                   evidence_kind="invoice", evidence_ref="HĐ", reverses=entry,
                                   recorded_by=entry.recorded_by)
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(case=entry.case, agency=entry.agency, item=entry.item, kind=entry.kind,
                                   provided_on=entry.provided_on, amount=5, funding_source=entry.funding_source,
                                   evidence_kind="invoice", evidence_ref="", recorded_by=entry.recorded_by)


def test_the_model_refuses_to_change_or_delete_a_row(world):
    from haven.support.models import AppendOnlyError
    entry = _entry(world)
    entry.amount = 1
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        entry.approval.save()
    assert LedgerEntry.objects.get(pk=entry.pk).amount == 400_000
