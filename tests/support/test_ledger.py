"""The ledger: the engine's proposal, reasons for a different amount, the legal limit and its override,
funding sources, evidence, four-eyes approval and reversals."""

from __future__ import annotations

import datetime as dt

import pytest

from haven.audit.models import AuditEvent
from haven.core.errors import HavenError, NotFound, PermissionDenied
from haven.support.ledger import ledger_decide, ledger_propose, ledger_record, ledger_reverse
from haven.support.models import LedgerApproval, LedgerEntry
from haven.support.stays import stay_admit, stay_discharge
from tests.factories import access
from tests.support.conftest import own_access, share

pytestmark = pytest.mark.django_db
RATE = 30_000  # Lào Cai's reported food rate (seed study)


@pytest.fixture
def stayed(world, old_case):
    """40 days at the social work centre in 2023: 40 x 30,000 = 1,200,000 đồng of food."""
    stay = stay_admit(access=own_access(world, old_case), facility_id=world.other_agency.pk, admitted_on="2023-03-05")
    stay_discharge(access=own_access(world, old_case), stay_id=stay.pk, discharged_on="2023-04-13")
    return old_case


def record(world, case, user=None, **values):
    data = {"item": "food", "kind": "payment", "provided_on": "2023-04-13", "amount": 40 * RATE,
            "funding_source_id": values.pop("fund").pk, "evidence_kind": "signature_list",
            "evidence_ref": "DS-2023-04", **values}
    return ledger_record(access=access(user or world.owner_caseworker, case), **data)


def test_the_engine_proposes_rate_times_paid_days(world, stayed):
    proposal = ledger_propose(own_access(world, stayed), item="food", provided_on="2023-04-13")
    assert (proposal.status, proposal.entitled_amount, proposal.already, proposal.proposed) == (
        "entitled", 40 * RATE, 0, 40 * RATE)


def test_the_proposal_is_what_is_still_owed(world, stayed, owner_fund):
    record(world, stayed, amount=10 * RATE, amount_reason="Tạm ứng 10 ngày đầu tiên", fund=owner_fund)
    assert ledger_propose(own_access(world, stayed), item="food", provided_on="2023-04-13").proposed == 30 * RATE


def test_an_entry_at_the_proposed_amount_needs_no_reason(world, stayed, owner_fund):
    entry = record(world, stayed, fund=owner_fund)
    assert (entry.amount, entry.proposed_amount, entry.legal_limit, entry.overrides_limit) == (
        40 * RATE, 40 * RATE, 40 * RATE, False)
    assert entry.agency == world.owner_agency
    assert not hasattr(entry, "approval") or LedgerApproval.objects.filter(entry=entry).count() == 0


def test_a_different_amount_needs_a_reason(world, stayed, owner_fund):
    with pytest.raises(HavenError) as error:
        record(world, stayed, amount=35 * RATE, fund=owner_fund)
    assert error.value.field == "amount_reason"
    assert not LedgerEntry.objects.exists()
    entry = record(world, stayed, amount=35 * RATE, amount_reason="Người được hỗ trợ về nhà sớm 5 ngày",
                   fund=owner_fund)
    assert entry.amount_reason.startswith("Người")


def test_above_the_legal_limit_a_caseworker_is_refused(world, stayed, owner_fund):
    with pytest.raises(HavenError) as error:
        record(world, stayed, amount=50 * RATE, amount_reason="Chi phí thực tế cao hơn", fund=owner_fund,
               over_limit_reason="Giá thực phẩm tăng trong mùa lũ")
    assert (error.value.code, error.value.field) == ("over_limit", "amount")
    assert not LedgerEntry.objects.exists()


def test_a_supervisor_overrides_the_limit_with_a_reason_and_it_is_flagged(world, stayed, owner_fund):
    with pytest.raises(HavenError) as error:
        record(world, stayed, world.supervisor, amount=50 * RATE, amount_reason="Chi phí thực tế cao hơn",
               fund=owner_fund)
    assert error.value.field == "over_limit_reason"
    entry = record(world, stayed, world.supervisor, amount=50 * RATE, amount_reason="Chi phí thực tế cao hơn",
                   over_limit_reason="Giá thực phẩm tăng trong mùa lũ", fund=owner_fund)
    assert entry.overrides_limit
    event = AuditEvent.objects.get(object_type="ledger_entry", object_id=str(entry.pk))
    assert event.reason == "over limit override" and event.changes["over_limit"] is True
    assert "Giá" not in str(event.changes)  # never free text in the audit trail


def test_an_item_the_person_is_not_entitled_to_needs_an_override(world, old_case, owner_fund):
    # No stay: no food. Any amount is above the limit.
    with pytest.raises(HavenError) as error:
        record(world, old_case, amount=RATE, fund=owner_fund, provided_on="2023-03-10")
    assert error.value.code == "over_limit"


def test_an_unknown_item_is_refused(world, stayed, owner_fund):
    with pytest.raises(HavenError) as error:
        record(world, stayed, item="caviar", fund=owner_fund)
    assert error.value.field == "item"


@pytest.mark.parametrize("amount", [0, -5, "abc", True, "1" * 14, None, 1.5])
def test_a_bad_amount_is_refused(world, stayed, owner_fund, amount):
    with pytest.raises(HavenError) as error:
        record(world, stayed, amount=amount, fund=owner_fund)
    assert error.value.field == "amount"
    assert not LedgerEntry.objects.exists()


def test_the_funding_source_must_be_the_recording_agencys_and_active(world, stayed, owner_fund, facility_fund):
    with pytest.raises(HavenError) as error:
        record(world, stayed, fund=facility_fund)
    assert error.value.field == "funding_source"
    from haven.support.funding import funding_source_deactivate
    funding_source_deactivate(acting_user=world.supervisor, source_id=owner_fund.pk)
    with pytest.raises(HavenError):
        record(world, stayed, fund=owner_fund)
    assert not LedgerEntry.objects.exists()


def test_evidence_is_required(world, stayed, owner_fund):
    with pytest.raises(HavenError) as error:
        record(world, stayed, evidence_ref="  ", fund=owner_fund)
    assert error.value.field == "evidence_ref"
    with pytest.raises(HavenError) as error:
        record(world, stayed, evidence_kind="photo", fund=owner_fund)
    assert error.value.field == "evidence_kind"


def test_the_receiving_agency_records_with_its_own_funding(world, stayed, facility_fund):
    share(world, stayed)
    entry = record(world, stayed, world.other_caseworker, fund=facility_fund, evidence_kind="invoice",
                   evidence_ref="HĐ 0001234")
    assert entry.agency == world.other_agency


def test_approval_is_by_another_supervisor_of_the_entrys_agency(world, stayed, owner_fund):
    entry = record(world, stayed, fund=owner_fund)
    with pytest.raises(NotFound):
        ledger_decide(acting_user=world.owner_caseworker, entry_id=entry.pk, approved=True)
    with pytest.raises(NotFound):
        ledger_decide(acting_user=world.other_supervisor, entry_id=entry.pk, approved=True)
    decision = ledger_decide(acting_user=world.supervisor, entry_id=entry.pk, approved=True)
    assert decision.approved and decision.decided_by == world.supervisor
    with pytest.raises(HavenError) as error:
        ledger_decide(acting_user=world.supervisor, entry_id=entry.pk, approved=False, note="Sai số tiền ghi nhận")
    assert error.value.code == "bad_transition"


def test_a_supervisor_never_approves_their_own_entry(world, stayed, owner_fund):
    entry = record(world, stayed, world.supervisor, fund=owner_fund)
    with pytest.raises(PermissionDenied):
        ledger_decide(acting_user=world.supervisor, entry_id=entry.pk, approved=True)
    assert not LedgerApproval.objects.exists()


def test_a_rejection_says_why(world, stayed, owner_fund):
    entry = record(world, stayed, fund=owner_fund)
    with pytest.raises(HavenError) as error:
        ledger_decide(acting_user=world.supervisor, entry_id=entry.pk, approved=False)
    assert error.value.field == "note"
    assert ledger_decide(acting_user=world.supervisor, entry_id=entry.pk, approved=False,
                         note="Danh sách ký nhận thiếu chữ ký").approved is False


def test_a_reversal_is_a_new_negative_entry_and_the_original_is_untouched(world, stayed, owner_fund):
    entry = record(world, stayed, fund=owner_fund)
    ledger_decide(acting_user=world.supervisor, entry_id=entry.pk, approved=True)
    before = LedgerEntry.objects.filter(pk=entry.pk).values().get()
    reversal = ledger_reverse(access=own_access(world, stayed), entry_id=entry.pk,
                              reason="Ghi trùng với phiếu chi tháng 4")
    assert (reversal.amount, reversal.reverses_id, reversal.item) == (-entry.amount, entry.pk, "food")
    assert LedgerEntry.objects.filter(pk=entry.pk).values().get() == before
    with pytest.raises(HavenError):
        ledger_reverse(access=own_access(world, stayed), entry_id=entry.pk, reason="Ghi trùng lần thứ hai")
    with pytest.raises(HavenError):
        ledger_reverse(access=own_access(world, stayed), entry_id=reversal.pk, reason="Đảo ngược bút toán đảo")
    assert LedgerEntry.objects.count() == 2


def test_only_an_approved_entry_is_reversed(world, stayed, owner_fund):
    entry = record(world, stayed, fund=owner_fund)
    with pytest.raises(HavenError) as error:
        ledger_reverse(access=own_access(world, stayed), entry_id=entry.pk, reason="Ghi nhầm hạng mục hỗ trợ")
    assert error.value.code == "bad_transition"


def test_a_reversal_needs_a_reason(world, stayed, owner_fund):
    entry = record(world, stayed, fund=owner_fund)
    ledger_decide(acting_user=world.supervisor, entry_id=entry.pk, approved=True)
    with pytest.raises(HavenError) as error:
        ledger_reverse(access=own_access(world, stayed), entry_id=entry.pk, reason="")
    assert error.value.field == "reason"


def test_another_agency_cannot_reverse_an_entry_it_did_not_record(world, stayed, owner_fund):
    share(world, stayed)
    entry = record(world, stayed, fund=owner_fund)
    ledger_decide(acting_user=world.supervisor, entry_id=entry.pk, approved=True)
    with pytest.raises(NotFound):
        ledger_reverse(access=access(world.other_caseworker, stayed), entry_id=entry.pk,
                       reason="Không phải khoản của chúng tôi")


def test_a_payment_date_before_reception_is_refused(world, stayed, owner_fund):
    with pytest.raises(HavenError) as error:
        record(world, stayed, provided_on="2023-01-01", fund=owner_fund)
    assert error.value.field == "provided_on"


def test_the_new_regime_without_a_provincial_rate_proposes_nothing(world, owner_fund):
    from tests.support.conftest import identified_case
    case = identified_case(world, received_on=dt.date(2025, 8, 1))
    stay_admit(access=own_access(world, case), facility_id=world.other_agency.pk, admitted_on="2025-08-02")
    proposal = ledger_propose(own_access(world, case), item="essential_needs", provided_on="2025-09-01")
    assert (proposal.status, proposal.proposed) == ("amount_not_set", None)
    entry = record(world, case, item="essential_needs", provided_on="2025-09-01", amount=1_500_000, fund=owner_fund)
    assert entry.proposed_amount is None and not entry.overrides_limit
