"""Referral and transfer services: consent, overrides, answers, cancellation, transfers, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from haven.audit.models import AuditEvent
from haven.cases.models import Case
from haven.cases.selectors import Need, access_case
from haven.core.errors import HavenError, NotFound, PermissionDenied
from haven.referrals.items import default_due_on
from haven.referrals.models import CaseTransfer, Referral, ReferralStatus, TransferStatus
from haven.referrals.services import (
    referral_accept,
    referral_cancel,
    referral_complete,
    referral_decline,
)
from haven.referrals.transfers import transfer_accept, transfer_cancel, transfer_decline, transfer_request
from tests.factories import access
from tests.referrals.conftest import consent, send, sent_and_accepted

pytestmark = pytest.mark.django_db
OVERRIDE = "Đối tượng môi giới đang tìm nơi ở của người này, cần chuyển ngay tối nay."
MOVED = "Người này chuyển về sống cùng gia đình ở Nghệ An."


def test_withdrawn_consent_blocks_a_referral_and_nothing_is_written(world):
    consent(world)
    consent(world, "withdrawn")
    events = AuditEvent.objects.count()
    with pytest.raises(HavenError) as error:
        send(world)
    assert error.value.code == "no_consent" and error.value.field == "to_agency"
    with translation.override("en"):
        assert "has not consented" in str(error.value.message)
    assert not Referral.objects.exists()
    assert AuditEvent.objects.count() == events


def test_a_caseworker_cannot_override_missing_consent(world):
    with pytest.raises(PermissionDenied):
        send(world, override_reason=OVERRIDE)
    assert not Referral.objects.exists()


def test_a_supervisor_overrides_with_a_reason_and_it_is_flagged_in_the_audit_trail(world):
    referral = send(world, sender=world.supervisor, override_reason=OVERRIDE)
    assert referral.overridden and referral.consent_override_reason == OVERRIDE
    event = AuditEvent.objects.get(object_type="referral", object_id=str(referral.pk), action="create")
    assert event.changes["consent_override"] is True and event.reason == "consent override"
    assert OVERRIDE not in str(event.changes) + event.reason


def test_an_override_reason_must_say_enough(world):
    with pytest.raises(HavenError) as error:
        send(world, sender=world.supervisor, override_reason="khẩn cấp")
    assert error.value.field == "override_reason"
    assert not Referral.objects.exists()


def test_a_reason_given_with_consent_is_not_kept_as_an_override(world):
    consent(world)
    assert not send(world, sender=world.supervisor, override_reason=OVERRIDE).overridden


def test_the_fields_shared_are_the_receiving_kinds_sharing_profile(world):
    consent(world)
    referral = send(world)
    assert referral.fields_shared == sorted(["full_name", "other_names", "date_of_birth", "phone", "address",
                                             "family_contacts"])
    assert referral.items == ["essential_needs", "psychological"]


@pytest.mark.parametrize("field, value", [
    ("items", ["champagne"]), ("purpose", ""), ("due_on", "2020-01-01"), ("due_on", "not a date"),
    ("due_on", (timezone.localdate() + dt.timedelta(days=400)).isoformat()), ("to_agency_id", "999999"),
    ("to_agency_id", "abc"),
])
def test_bad_input_is_refused_with_the_field_named_and_nothing_changes(world, field, value):
    consent(world)
    with pytest.raises(HavenError) as error:
        send(world, **{field: value})
    assert error.value.field == field.removesuffix("_id")
    assert not Referral.objects.exists()


def test_a_case_is_not_referred_to_its_own_agency(world):
    with pytest.raises(HavenError) as error:
        send(world, to=world.owner_agency)
    assert error.value.field == "to_agency"


def test_one_open_referral_per_agency_and_case(world):
    consent(world)
    send(world)
    with pytest.raises(HavenError) as error:
        send(world)
    assert error.value.code == "already_open"
    assert Referral.objects.count() == 1


def test_the_default_due_date_is_three_working_days_ahead(world):
    due = default_due_on(dt.date(2026, 3, 6))  # a Friday
    assert due == dt.date(2026, 3, 11)


def test_the_receiver_accepts_then_completes_and_access_follows(world):
    referral = sent_and_accepted(world)
    assert referral.status == ReferralStatus.ACCEPTED and referral.responded_by == world.other_caseworker
    assert access_case(world.other_caseworker, code=world.case.code).relationship == "referral"
    done = referral_complete(acting_user=world.other_supervisor, referral_id=referral.pk, outcome="Đã tư vấn 3 buổi")
    assert done.status == ReferralStatus.COMPLETED and done.outcome == "Đã tư vấn 3 buổi"
    assert done.responded_by == world.other_caseworker  # the acceptance is kept for the timeline
    with pytest.raises(NotFound):
        access_case(world.other_caseworker, code=world.case.code)


def test_an_outcome_is_needed_and_only_after_acceptance(world):
    consent(world)
    referral = send(world)
    with pytest.raises(HavenError) as error:
        referral_complete(acting_user=world.other_caseworker, referral_id=referral.pk, outcome="Xong")
    assert error.value.code == "bad_transition"
    referral_accept(acting_user=world.other_caseworker, referral_id=referral.pk)
    with pytest.raises(HavenError) as error:
        referral_complete(acting_user=world.other_caseworker, referral_id=referral.pk, outcome="  ")
    assert error.value.field == "outcome"
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.ACCEPTED


def test_a_decline_needs_a_reason(world):
    consent(world)
    referral = send(world)
    with pytest.raises(HavenError):
        referral_decline(acting_user=world.other_caseworker, referral_id=referral.pk, reason="")
    declined = referral_decline(acting_user=world.other_caseworker, referral_id=referral.pk, reason="Hết chỗ")
    assert declined.status == ReferralStatus.DECLINED and declined.response_note == "Hết chỗ"


def test_the_sender_cancels_an_unanswered_referral_only(world):
    consent(world)
    referral = send(world)
    own = access(world.owner_caseworker, world.case, Need.EDIT)
    cancelled = referral_cancel(access=own, referral_id=referral.pk, reason="Người này đã chọn nơi khác")
    assert cancelled.status == ReferralStatus.CANCELLED and cancelled.cancelled_by == world.owner_caseworker
    with pytest.raises(HavenError):
        referral_accept(acting_user=world.other_caseworker, referral_id=referral.pk)
    accepted = send(world)
    referral_accept(acting_user=world.other_caseworker, referral_id=accepted.pk)
    with pytest.raises(HavenError) as error:
        referral_cancel(access=own, referral_id=accepted.pk, reason="Muộn rồi")
    assert error.value.code == "bad_transition"


def test_the_receiving_agency_cannot_cancel(world):
    referral = sent_and_accepted(world)
    with pytest.raises(NotFound):
        referral_cancel(access=access(world.other_caseworker, world.case), referral_id=referral.pk, reason="x")


def test_a_closed_case_is_not_referred(world):
    consent(world)
    Case.objects.filter(pk=world.case.pk).update(status="closed")
    with pytest.raises(HavenError) as error:
        send(world)
    assert error.value.code == "case_closed"


def test_answers_are_audited_without_their_words(world):
    consent(world)
    referral = send(world)
    referral_decline(acting_user=world.other_caseworker, referral_id=referral.pk, reason="Hết chỗ ở nhà an toàn")
    event = AuditEvent.objects.filter(object_type="referral", action="status").latest("seq")
    assert event.changes["status"] == ["sent", "declined"] and event.changes["reason_length"] == 21
    assert "Hết chỗ" not in str(event.changes)


# --- Transfers ------------------------------------------------------------------------------------


def _request(world, far, reason=MOVED):
    return transfer_request(access=access(world.supervisor, world.case, Need.SUPERVISE), to_agency_id=far.agency.pk,
                            reason=reason)


def test_a_supervisor_requests_and_the_far_supervisor_accepts(world, far):
    transfer = _request(world, far)
    assert Case.objects.get(pk=world.case.pk).owner_agency == world.owner_agency  # until accepted
    transfer_accept(acting_user=far.supervisor, transfer_id=transfer.pk)
    case = Case.objects.get(pk=world.case.pk)
    assert case.owner_agency == far.agency and case.assigned_worker is None
    assert access_case(far.supervisor, code=case.code).is_supervisor
    with pytest.raises(NotFound):
        access_case(world.supervisor, code=case.code)
    event = AuditEvent.objects.get(object_type="case", reason="transfer")
    assert event.changes["owner_agency"] == [world.owner_agency.pk, far.agency.pk]


def test_only_a_supervisor_of_the_owning_agency_requests(world, far):
    with pytest.raises(PermissionDenied):
        transfer_request(access=access(world.owner_caseworker, world.case, Need.EDIT), to_agency_id=far.agency.pk,
                         reason=MOVED)
    assert not CaseTransfer.objects.exists()


def test_a_transfer_goes_to_another_province_only(world, far):
    with pytest.raises(HavenError) as error:
        transfer_request(access=access(world.supervisor, world.case, Need.SUPERVISE),
                         to_agency_id=world.other_agency.pk, reason=MOVED)
    assert error.value.code == "same_province"


def test_one_open_transfer_per_case(world, far):
    _request(world, far)
    with pytest.raises(HavenError) as error:
        _request(world, far)
    assert error.value.code == "transfer_open"
    assert CaseTransfer.objects.count() == 1


def test_the_database_refuses_a_second_open_transfer(world, far):
    first = _request(world, far)
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseTransfer.objects.create(case=world.case, from_agency=world.owner_agency, to_agency=far.agency,
                                    reason="x", requested_by=world.supervisor)
    assert CaseTransfer.objects.get().pk == first.pk


def test_only_a_supervisor_of_the_receiving_agency_answers(world, far):
    transfer = _request(world, far)
    with pytest.raises(PermissionDenied):
        transfer_accept(acting_user=far.caseworker, transfer_id=transfer.pk)
    for outsider in (world.other_supervisor, world.supervisor, world.statistician):
        with pytest.raises(NotFound):
            transfer_accept(acting_user=outsider, transfer_id=transfer.pk)
    assert CaseTransfer.objects.get().status == TransferStatus.REQUESTED


def test_a_declined_transfer_keeps_the_case_and_needs_a_reason(world, far):
    transfer = _request(world, far)
    with pytest.raises(HavenError):
        transfer_decline(acting_user=far.supervisor, transfer_id=transfer.pk, reason="")
    declined = transfer_decline(acting_user=far.supervisor, transfer_id=transfer.pk, reason="Không đúng địa bàn")
    assert declined.status == TransferStatus.DECLINED and declined.answer_note == "Không đúng địa bàn"
    assert Case.objects.get(pk=world.case.pk).owner_agency == world.owner_agency
    _request(world, far)  # a new request may follow


def test_the_requesting_supervisor_cancels_an_open_transfer(world, far):
    transfer = _request(world, far)
    transfer_cancel(access=access(world.supervisor, world.case, Need.SUPERVISE), transfer_id=transfer.pk)
    with pytest.raises(HavenError):
        transfer_accept(acting_user=far.supervisor, transfer_id=transfer.pk)
    assert Case.objects.get(pk=world.case.pk).owner_agency == world.owner_agency
