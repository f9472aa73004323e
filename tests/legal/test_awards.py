"""Awards: received, outstanding and state computed in the database; payments append-only."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from haven.core.errors import HavenError, NotFound
from haven.legal.awards import enforcement_record, payment_record, payment_reverse, verdict_record
from haven.legal.models import AppendOnlyError, CompensationPayment, EnforcementStep
from haven.legal.selectors import PaymentState, awards, received_on_award, summarise
from tests.legal.conftest import acc

pytestmark = pytest.mark.django_db


def pay(world, case, award, amount, on="2024-10-01", ref="BL-01"):
    return payment_record(access=acc(world.owner_caseworker, case), award_id=award.pk, received_on=on,
                          amount=amount, method="enforcement_office", evidence_ref=ref)


def state(award):
    return awards().get(pk=award.pk)


def test_an_award_with_nothing_received_is_not_paid(world, case, award):
    row = state(award)
    assert (row.received, row.outstanding, row.payment_state) == (0, 50_000_000, PaymentState.NONE)


def test_a_partial_payment_makes_it_paid_in_part(world, case, award):
    pay(world, case, award, 20_000_000)
    row = state(award)
    assert (row.received, row.outstanding, row.payment_state) == (20_000_000, 30_000_000, PaymentState.PART)


def test_payments_adding_up_to_the_award_make_it_paid_in_full(world, case, award):
    pay(world, case, award, "20.000.000")
    pay(world, case, award, 30_000_000, ref="BL-02")
    assert state(award).payment_state == PaymentState.FULL


def test_more_than_the_outstanding_amount_is_refused_and_nothing_is_saved(world, case, award):
    pay(world, case, award, 40_000_000)
    with pytest.raises(HavenError) as error:
        pay(world, case, award, 10_000_001, ref="BL-02")
    assert error.value.field == "amount"
    assert CompensationPayment.objects.count() == 1


def test_a_reversal_takes_the_payment_back_out_of_the_total(world, case, award):
    first = pay(world, case, award, 20_000_000)
    reversal = payment_reverse(access=acc(world.owner_caseworker, case), payment_id=first.pk,
                               reason="Biên lai ghi nhầm số tiền")
    assert reversal.amount == -20_000_000 and reversal.reverses_id == first.pk
    assert state(award).payment_state == PaymentState.NONE
    with pytest.raises(HavenError):
        payment_reverse(access=acc(world.owner_caseworker, case), payment_id=first.pk, reason="Lần thứ hai đảo")
    with pytest.raises(HavenError):
        payment_reverse(access=acc(world.owner_caseworker, case), payment_id=reversal.pk, reason="Đảo bút toán đảo")


def test_a_payment_is_never_changed_or_deleted(world, case, award):
    payment = pay(world, case, award, 1_000_000)
    payment.amount = 2_000_000
    with pytest.raises(AppendOnlyError):
        payment.save()
    with pytest.raises(AppendOnlyError):
        payment.delete()
    step = enforcement_record(access=acc(world.owner_caseworker, case), award_id=award.pk, kind="request_filed",
                              taken_on="2024-10-02")
    with pytest.raises(AppendOnlyError):
        step.delete()
    assert received_on_award(award.pk) == 1_000_000 and EnforcementStep.objects.count() == 1


def test_a_verdict_without_compensation_takes_no_payment(world, case, proceeding):
    verdict = verdict_record(access=acc(world.owner_caseworker, case), proceeding_id=proceeding.pk,
                             decided_on="2024-09-10", court_level="first_instance", outcome="acquitted")
    with pytest.raises(NotFound):
        pay(world, case, verdict, 1)


def test_compensation_without_a_debtor_is_refused(world, case, proceeding):
    with pytest.raises(HavenError) as error:
        verdict_record(access=acc(world.owner_caseworker, case), proceeding_id=proceeding.pk,
                       decided_on="2024-09-10", court_level="first_instance", outcome="convicted",
                       compensation_awarded=1_000_000)
    assert error.value.field == "debtor"


@pytest.mark.parametrize("amount", ["0", "-5", "abc", "1e6", True, 10**13])
def test_bad_amounts_are_refused_with_the_field_named(world, case, award, amount):
    with pytest.raises(HavenError) as error:
        pay(world, case, award, amount)
    assert error.value.field == "amount"
    assert not CompensationPayment.objects.exists()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(amounts=st.lists(st.integers(min_value=1, max_value=20_000_000), min_size=0, max_size=4))
def test_state_and_totals_always_follow_the_sum_of_payments(world, case, award, amounts):
    CompensationPayment.objects.filter(award=award).update(reverses=None)
    CompensationPayment.objects.filter(award=award)._raw_delete(CompensationPayment.objects.db)
    taken = 0
    for i, amount in enumerate(amounts):
        if taken + amount <= award.compensation_awarded:
            pay(world, case, award, amount, ref=f"BL-{i}")
            taken += amount
    row = state(award)
    assert row.received == taken and row.outstanding == award.compensation_awarded - taken
    expected = PaymentState.NONE if taken == 0 else (
        PaymentState.FULL if taken == award.compensation_awarded else PaymentState.PART)
    assert row.payment_state == expected
    summary = summarise(awards())
    assert summary.counts[expected] == 1 and summary.received == taken


def test_statisticians_get_suppressed_counts_and_no_amounts(world, case, award):
    summary = summarise(awards(), suppress=True)
    assert summary.counts[PaymentState.NONE] is None and summary.total is None
    assert summary.awarded is None and summary.received is None
