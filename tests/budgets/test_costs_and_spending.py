"""Spending from approved entries, per-person cost from the rules, the budget and the what-if."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from haven.budgets.costs import per_person_cost, simulate_budget, what_if_store
from haven.budgets.forecast import Month
from haven.budgets.models import IntakeHistory
from haven.budgets.planning import budget_plan
from haven.budgets.selectors import monthly_intake, spending
from haven.budgets.services import intake_import
from haven.entitlements.engine import default_store
from haven.entitlements.models import ParameterValue
from haven.referrals.services import referral_accept
from tests.budgets.conftest import ledger

pytestmark = pytest.mark.django_db
YEAR = 2026


def test_spent_is_the_sum_of_approved_entries_only(world, source):
    first = ledger(world, source, 300_000, dt.date(YEAR, 2, 3))
    ledger(world, source, 120_000, dt.date(YEAR, 2, 9), item="travel")
    ledger(world, source, 999_000, dt.date(YEAR, 3, 1), approved=False)  # rejected
    ledger(world, source, 888_000, dt.date(YEAR, 3, 2), approved=None)  # waiting for approval
    ledger(world, source, -300_000, dt.date(YEAR, 4, 1), reverses=first)  # approved reversal
    ledger(world, source, 50_000, dt.date(YEAR - 1, 12, 31))  # another year
    spent = spending(world.owner_agency, YEAR)
    assert spent.total == 300_000 + 120_000 - 300_000
    assert spent.by_item_month["food"][1] == 300_000 and spent.by_item_month["food"][3] == -300_000
    assert spent.by_item_month["travel"][1] == 120_000
    assert spent.by_source == {source.pk: 120_000}
    assert spent.cumulative()[-1] == spent.total


def test_another_agencys_sources_are_not_in_the_spending(world, source, other_source):
    ledger(world, other_source, 700_000, dt.date(YEAR, 5, 5))
    assert spending(world.owner_agency, YEAR).total == 0


def _profile(i: int, *, days: int, province: str = "lao-cai", category: str = "victim") -> dict:
    return {"id": i, "category": category, "nationality": "VN", "located": "vietnam", "birth_date": "2000-07-01",
            "identified_on": "2024-03-01" if category == "victim" else None, "province": province,
            "poor_household": True, "shelter_stay": {"from": "2024-03-01", "to": (dt.date(2024, 3, 1) + dt.timedelta(days=days - 1)).isoformat()}}


def test_cost_per_person_applies_the_rules_and_lists_what_has_no_amount():
    # Old regime in Lao Cai (Circular 84/2019): food 30,000 a day, clothing 400,000, hardship 1,000,000.
    cost = per_person_cost([_profile(1, days=10), _profile(2, days=30)], 2024, default_store())
    food = next(i for i in cost.items if i.code == "food")
    assert food.mean == (10 + 30) * 30_000 // 2
    assert {i.code for i in cost.items} >= {"food", "clothing_personal_items", "hardship_allowance"}
    assert int(cost.per_person[0]) == 10 * 30_000 + 400_000 + 1_000_000  # medicine is a limit, not a sum
    excluded = {(e.code, e.reason) for e in cost.excluded}
    assert ("travel", "amount_not_set") not in excluded  # travel has a rate but no fixed sum
    assert any(reason == "no_fixed_amount" for _code, reason in excluded)


def test_amounts_not_set_are_excluded_with_their_reason_never_given_a_number():
    # Under Law 53/2024 (identified in 2027) Decree 162/2025 amounts are not confirmed.
    profile = _profile(1, days=20) | {"identified_on": "2027-03-01",
                                      "shelter_stay": {"from": "2027-03-01", "to": "2027-03-20"}}
    cost = per_person_cost([profile], 2027, default_store())
    excluded = {e.code: e.reason for e in cost.excluded}
    assert excluded["essential_needs"] == "amount_not_set"
    assert excluded["hardship_allowance"] == "amount_not_set"
    assert "essential_needs" not in {i.code for i in cost.items}
    assert cost.mean == 0


def test_the_what_if_changes_the_computation_and_nothing_else():
    profile = _profile(1, days=20) | {"identified_on": "2027-03-01",
                                      "shelter_stay": {"from": "2027-03-01", "to": "2027-03-20"}}
    store = default_store()
    cost = per_person_cost([profile], 2027, what_if_store(store, {"essential_needs.daily_rate": 60_000}, 2027))
    assert next(i for i in cost.items if i.code == "essential_needs").mean == 20 * 60_000
    assert store.get("essential_needs.daily_rate", dt.date(2027, 6, 1)).value is None  # the real store is untouched
    assert per_person_cost([profile], 2027, store).mean == 0


def test_the_budget_is_intake_times_cost_with_the_same_intervals():
    totals = np.array([10] * 1000)
    budget = simulate_budget(totals, np.array([200_000]), seed=1)
    assert budget.mean == budget.lo95 == budget.hi95 == 2_000_000
    spread = simulate_budget(np.random.default_rng(2).poisson(100, size=4000), np.array([100_000, 300_000]), seed=1)
    assert spread.mean == pytest.approx(100 * 200_000, rel=0.02)
    assert spread.lo95 < spread.lo80 < spread.mean < spread.hi80 < spread.hi95


def test_a_plan_with_a_what_if_stores_nothing(world, supervisor_of_owner_with_history):
    before = (ParameterValue.objects.count(), IntakeHistory.objects.count())
    plan = budget_plan(world.owner_agency, year=YEAR + 1, overrides={"essential_needs.daily_rate": "45000"},
                       today=dt.date(YEAR, 11, 20))
    assert plan.what_if is not None and plan.what_if.overrides == {"essential_needs.daily_rate": 45_000}
    assert plan.forecast.available
    assert (ParameterValue.objects.count(), IntakeHistory.objects.count()) == before


@pytest.fixture
def supervisor_of_owner_with_history(world):
    rows = [{"year": 2024 + i // 12, "month": i % 12 + 1, "count": 3 + i % 4} for i in range(24)]
    intake_import(acting_user=world.supervisor, agency_id=world.owner_agency.pk, rows=rows,
                  today=dt.date(YEAR, 11, 20))
    return world.supervisor


def test_imported_months_replace_haven_counts_and_earlier_unknown_months_stay_unknown(world):
    # The world's case was received on 2026-03-02: from March 2026 Haven counts.
    intake_import(acting_user=world.supervisor, agency_id=world.owner_agency.pk, today=dt.date(YEAR, 11, 20),
                  rows=[{"year": 2025, "month": 12, "count": 4}, {"year": 2026, "month": 3, "count": 9}])
    history = monthly_intake(world.owner_agency, until=dt.date(YEAR, 11, 20))
    assert history[Month(2025, 12)] == 4
    assert history[Month(2026, 1)] is None  # before Haven, no paper count: not known
    assert history[Month(2026, 3)] == 9  # the paper register wins; the case is not added
    assert history[Month(2026, 4)] == 0
    assert max(history) == Month(2026, 10)  # the current month is not complete


def test_a_corrected_month_uses_the_latest_import(world):
    for count in (5, 7):
        intake_import(acting_user=world.supervisor, agency_id=world.owner_agency.pk, today=dt.date(YEAR, 11, 20),
                      rows=[{"year": 2025, "month": 6, "count": count}])
    assert monthly_intake(world.owner_agency, until=dt.date(YEAR, 11, 20))[Month(2025, 6)] == 7
    assert IntakeHistory.objects.count() == 2


def test_an_agency_receives_the_people_referred_to_it_once_it_accepts(world):
    from tests.referrals.conftest import consent, send

    month = Month(world.case.received_on.year, world.case.received_on.month)
    until = dt.date(YEAR, 11, 20)
    consent(world)
    referral = send(world)
    assert monthly_intake(world.other_agency, until=until) == {}  # sent, not yet accepted
    referral_accept(acting_user=world.other_caseworker, referral_id=referral.pk)
    assert monthly_intake(world.other_agency, until=until)[month] == 1
    assert monthly_intake(world.owner_agency, until=until)[month] == 1  # still the owner's too
