import pytest

from haven.audit.models import AuditAction, AuditEvent
from haven.consent.models import ConsentRecord
from haven.consent.selectors import consent_current, consent_given, consent_history
from haven.consent.services import consent_record, consent_withdraw
from haven.core.errors import HavenError, NotFound
from tests.factories import access, register

pytestmark = pytest.mark.django_db


def _child(world, birth_year: int):
    return register(world.owner_caseworker, full_name="Giàng A Páo", date_of_birth=f"{birth_year}-06-01",
                    category="accompanying_minor", accompanies=world.case.code)


def test_an_adult_gives_consent_alone(world):
    record = consent_record(access=access(world.owner_caseworker, world.case), purpose="statistics",
                            decision="given", given_by="person", method="signed_form")
    assert consent_given(world.case.person_id, "statistics")
    assert AuditEvent.objects.filter(action=AuditAction.CONSENT, object_id=str(record.pk)).exists()


def test_a_child_of_seven_or_more_consents_with_the_guardian(world):
    child = access(world.owner_caseworker, _child(world, 2014))
    with pytest.raises(HavenError) as error:
        consent_record(access=child, purpose="services", decision="given", given_by="person", method="signed_form")
    assert error.value.field == "given_by"
    with pytest.raises(HavenError) as error:
        consent_record(access=child, purpose="services", decision="given", given_by="guardian",
                       guardian_name="Giàng Thị Mỷ", method="signed_form")
    with pytest.raises(HavenError) as error:
        consent_record(access=child, purpose="services", decision="given", given_by="person_and_guardian",
                       method="signed_form")
    assert error.value.field == "guardian_name"
    consent_record(access=child, purpose="services", decision="given", given_by="person_and_guardian",
                   guardian_name="Giàng Thị Mỷ", method="signed_form")
    assert consent_given(child.case.person_id, "services")


def test_a_young_child_consents_through_the_guardian(world):
    child = access(world.owner_caseworker, _child(world, 2022))
    with pytest.raises(HavenError):
        consent_record(access=child, purpose="services", decision="given", given_by="person_and_guardian",
                       guardian_name="Giàng Thị Mỷ", method="signed_form")
    consent_record(access=child, purpose="services", decision="given", given_by="guardian",
                   guardian_name="Giàng Thị Mỷ", method="signed_form")


def test_verbal_consent_needs_a_witness(world):
    with pytest.raises(HavenError) as error:
        consent_record(access=access(world.owner_caseworker, world.case), purpose="research", decision="given",
                       given_by="person", method="verbal_witnessed")
    assert error.value.field == "witness_name"
    assert not ConsentRecord.objects.exists()


def test_sharing_names_an_agency_kind_and_other_purposes_do_not(world):
    got = access(world.owner_caseworker, world.case)
    with pytest.raises(HavenError):
        consent_record(access=got, purpose="sharing", decision="given", given_by="person", method="signed_form")
    with pytest.raises(HavenError):
        consent_record(access=got, purpose="media", agency_kind="police", decision="given", given_by="person",
                       method="signed_form")


def test_withdrawal_takes_effect_at_once_and_the_history_stays(world):
    got = access(world.owner_caseworker, world.case)
    consent_record(access=got, purpose="research", decision="given", given_by="person", method="signed_form")
    consent_withdraw(access=got, purpose="research", given_by="person", method="verbal_witnessed",
                     witness_name="Lò Văn Hùng")
    assert not consent_given(world.case.person_id, "research")
    assert [s.decision for s in consent_current(world.case.person_id)] == ["withdrawn"]
    assert [r.decision for r in consent_history(world.case.person_id)] == ["withdrawn", "given"]


def test_witness_and_guardian_names_are_sealed(world):
    from django.db import connection

    consent_record(access=access(world.owner_caseworker, world.case), purpose="media", decision="refused",
                   given_by="person", method="verbal_witnessed", witness_name="Vàng Thị Dính")
    with connection.cursor() as cursor:
        cursor.execute("SELECT witness_name FROM consent_consentrecord")
        (raw,) = cursor.fetchone()
    assert raw.startswith("hv1:") and "Dính" not in raw


def test_a_referred_agency_cannot_record_consent(world):
    with pytest.raises(NotFound):
        from haven.cases.selectors import CaseAccess, Relationship

        consent_record(access=CaseAccess(world.case, world.other_caseworker, Relationship.REFERRAL, frozenset()),
                       purpose="research", decision="given", given_by="person", method="signed_form")
