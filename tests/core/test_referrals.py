import datetime as dt

import pytest
from django.utils import timezone, translation

from haven.audit.models import AuditEvent
from haven.cases.selectors import access_case
from haven.consent.services import consent_record
from haven.core.errors import HavenError, NotFound, PermissionDenied
from haven.referrals.models import Referral
from haven.referrals.services import (
    overdue,
    referral_accept,
    referral_complete,
    referral_decline,
    referral_send,
    referrals_received,
)
from tests.factories import access

pytestmark = pytest.mark.django_db
DUE = (timezone.localdate() + dt.timedelta(days=3)).isoformat()


def _consent(world, decision="given"):
    consent_record(access=access(world.owner_caseworker, world.case), purpose="sharing",
                   agency_kind=world.other_agency.kind, decision=decision, given_by="person", method="signed_form")


def test_without_consent_the_referral_cannot_be_sent_and_says_why(world):
    with pytest.raises(HavenError) as error:
        referral_send(access=access(world.owner_caseworker, world.case), to_agency_id=world.other_agency.pk,
                      purpose="Tạm lánh", due_on=DUE)
    assert error.value.code == "no_consent"
    with translation.override("en"):
        assert "not consented" in str(error.value.message)
    with translation.override("vi"):
        assert "đồng ý" in str(error.value.message)
    assert not Referral.objects.exists()


def test_withdrawn_consent_blocks_a_referral(world):
    _consent(world)
    _consent(world, "withdrawn")
    with pytest.raises(HavenError):
        referral_send(access=access(world.owner_caseworker, world.case), to_agency_id=world.other_agency.pk,
                      purpose="Tạm lánh", due_on=DUE)


def test_only_a_supervisor_overrides_missing_consent_with_a_reason(world):
    reason = "Nguy cơ bị đe dọa tính mạng, cần nơi tạm lánh ngay"
    with pytest.raises(PermissionDenied):
        referral_send(access=access(world.owner_caseworker, world.case), to_agency_id=world.other_agency.pk,
                      purpose="Tạm lánh", due_on=DUE, override_reason=reason)
    referral = referral_send(access=access(world.supervisor, world.case), to_agency_id=world.other_agency.pk,
                             purpose="Tạm lánh", due_on=DUE, override_reason=reason)
    event = AuditEvent.objects.get(object_type="referral", object_id=str(referral.pk))
    assert event.changes["consent_override"] is True and event.reason == "consent override"
    assert reason not in str(event.changes) + event.reason
    assert referral.consent_override_reason == reason


def test_the_receiving_agency_accepts_and_then_sees_the_case(world):
    _consent(world)
    referral = referral_send(access=access(world.owner_caseworker, world.case), to_agency_id=world.other_agency.pk,
                             purpose="Tạm lánh", due_on=DUE)
    assert referral.fields_shared == sorted(["full_name", "other_names", "date_of_birth", "phone", "address",
                                             "family_contacts"])
    with pytest.raises(NotFound):
        access_case(world.other_caseworker, code=world.case.code)
    assert list(referrals_received(world.other_caseworker)) == [referral]
    referral_accept(acting_user=world.other_caseworker, referral_id=referral.pk)
    assert access_case(world.other_caseworker, code=world.case.code).relationship == "referral"
    referral_complete(acting_user=world.other_caseworker, referral_id=referral.pk, outcome="Đã hỗ trợ 30 ngày")
    with pytest.raises(NotFound):
        access_case(world.other_caseworker, code=world.case.code)


def test_a_declined_referral_needs_a_reason_and_gives_no_access(world):
    _consent(world)
    referral = referral_send(access=access(world.owner_caseworker, world.case), to_agency_id=world.other_agency.pk,
                             purpose="Tạm lánh", due_on=DUE)
    with pytest.raises(HavenError):
        referral_decline(acting_user=world.other_caseworker, referral_id=referral.pk, reason="")
    referral_decline(acting_user=world.other_caseworker, referral_id=referral.pk, reason="Hết chỗ")
    with pytest.raises(HavenError):
        referral_accept(acting_user=world.other_caseworker, referral_id=referral.pk)
    with pytest.raises(NotFound):
        access_case(world.other_caseworker, code=world.case.code)


def test_other_agencies_cannot_answer_someone_elses_referral(world):
    _consent(world)
    referral = referral_send(access=access(world.owner_caseworker, world.case), to_agency_id=world.other_agency.pk,
                             purpose="Tạm lánh", due_on=DUE)
    for outsider in (world.second_caseworker, world.statistician):
        with pytest.raises(NotFound):
            referral_accept(acting_user=outsider, referral_id=referral.pk)


def test_overdue_referrals_are_those_unanswered_past_their_date(world):
    _consent(world)
    referral = referral_send(access=access(world.owner_caseworker, world.case), to_agency_id=world.other_agency.pk,
                             purpose="Tạm lánh", due_on=DUE)
    assert not overdue(Referral.objects.all()).exists()
    assert list(overdue(Referral.objects.all(), timezone.localdate() + dt.timedelta(days=4))) == [referral]
