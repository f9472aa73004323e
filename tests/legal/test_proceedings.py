"""Proceedings and legal aid: eligibility taken from the engine, need to know, audited reads, writers."""

from __future__ import annotations

import datetime as dt

import pytest

from haven.accounts.models import AgencyKind, Role
from haven.audit.models import AuditEvent
from haven.core.errors import HavenError, NotFound
from haven.entitlements.services import case_entitlements
from haven.legal.access import may_write, sees_sealed
from haven.legal.models import AidStatus, LegalAid, Proceeding
from haven.legal.proceedings import legal_aid_decide, legal_aid_request, proceeding_advance, proceeding_create
from haven.legal.selectors import case_justice
from tests.factories import agency, user
from tests.legal.conftest import acc, refer

pytestmark = pytest.mark.django_db


def engine_item(access, day):
    return next(i for i in case_entitlements(access, on=day)["items"] if i["code"] == "legal_aid")


@pytest.mark.parametrize("day", [dt.date(2024, 5, 2), dt.date(2025, 8, 1)])
def test_legal_aid_eligibility_is_the_engines_answer_on_the_request_date(world, case, legal_agency, day):
    access = acc(world.owner_caseworker, case)
    aid = legal_aid_request(access=access, provider_id=legal_agency.pk, requested_on=day.isoformat())
    expected = engine_item(access, day)
    assert aid.eligibility_status == expected["status"]
    assert aid.eligibility_reasons == expected["reasons"]
    assert aid.eligibility_citations == expected["citations"]
    assert aid.eligibility_evaluated_on == day


def test_the_request_date_changes_the_answer_when_the_law_changed(world, case, legal_agency):
    # Before 2025-07-01 legal aid is free only in financial difficulty (unknown here); from then, for all victims.
    access = acc(world.owner_caseworker, case)
    before = legal_aid_request(access=access, provider_id=legal_agency.pk, requested_on="2024-05-02")
    legal_aid_decide(access=access, aid_id=before.pk, status="refused", on="2024-05-10")
    after = legal_aid_request(access=access, provider_id=legal_agency.pk, requested_on="2025-08-01")
    assert (before.eligibility_status, after.eligibility_status) == (
        engine_item(access, dt.date(2024, 5, 2))["status"], engine_item(access, dt.date(2025, 8, 1))["status"])
    assert after.eligibility_status == "entitled"


def test_the_legal_aid_agency_on_an_accepted_referral_records_and_decides(world, case, legal_cw, referred):
    access = acc(legal_cw, case)
    assert may_write(access) and sees_sealed(access)
    aid = legal_aid_request(access=access, provider_id=legal_cw.agency_id, requested_on="2025-08-01")
    legal_aid_decide(access=acc(legal_cw, case), aid_id=aid.pk, status="granted", on="2025-08-03")
    aid.refresh_from_db()
    assert (aid.status, aid.decided_on, aid.decided_by) == (AidStatus.GRANTED, dt.date(2025, 8, 3), legal_cw)


def test_a_shelter_on_a_referral_sees_the_facts_but_not_the_court_and_cannot_write(world, case, proceeding):
    refer(world, case, world.other_agency, AgencyKind.SOCIAL_PROTECTION)
    access = acc(world.other_caseworker, case)
    assert not sees_sealed(access) and not may_write(access)
    before = AuditEvent.objects.count()
    justice = case_justice(access)
    assert justice.proceedings[0].proceeding.kind == "criminal" and not justice.sealed
    assert AuditEvent.objects.count() == before
    with pytest.raises(NotFound):
        proceeding_create(access=access, kind="civil", person_role="civil_plaintiff")


def test_police_on_a_referral_see_the_sealed_details_and_the_read_is_audited(world, case, proceeding):
    police = agency(AgencyKind.POLICE, "Công an tỉnh thử nghiệm")
    officer = user(police, Role.CASEWORKER, "police_cw")
    refer(world, case, police, AgencyKind.POLICE)
    access = acc(officer, case)
    assert sees_sealed(access) and not may_write(access)
    case_justice(access)
    event = AuditEvent.objects.filter(object_type="proceeding", actor=officer).get()
    assert event.fields == ["case_number", "court"] and event.reason == "referral"
    assert "HS-77" not in str(event.changes) and "Hư Cấu" not in str(event.changes)


def test_sealed_fields_are_stored_encrypted(world, case, proceeding):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT court, case_number FROM legal_proceeding WHERE id = %s", [proceeding.pk])
        court, number = cursor.fetchone()
    assert "Hư Cấu" not in court and "HS-77" not in number


def test_stage_changes_and_closing_needs_a_date(world, case, proceeding):
    access = acc(world.owner_caseworker, case)
    proceeding_advance(access=access, proceeding_id=proceeding.pk, stage="first_instance")
    with pytest.raises(HavenError) as error:
        proceeding_advance(access=access, proceeding_id=proceeding.pk, stage="closed", status="closed")
    assert error.value.field == "on"
    proceeding_advance(access=access, proceeding_id=proceeding.pk, stage="closed", status="closed", on="2024-12-01")
    proceeding.refresh_from_db()
    assert (proceeding.stage, proceeding.closed_on) == ("closed", dt.date(2024, 12, 1))
    with pytest.raises(HavenError):
        proceeding_advance(access=access, proceeding_id=proceeding.pk, stage="appeal")


@pytest.mark.parametrize("bad, field", [
    ({"kind": "military"}, "kind"), ({"person_role": ""}, "person_role"), ({"opened_on": "2099-01-01"}, "opened_on"),
    ({"opened_on": "01/13/2024"}, "opened_on"), ({"court": "x" * 301}, "court"), ({"stage": "closed"}, "stage"),
])
def test_bad_proceeding_input_names_the_field_and_saves_nothing(world, case, bad, field):
    data = {"kind": "criminal", "person_role": "victim", **bad}
    with pytest.raises(HavenError) as error:
        proceeding_create(access=acc(world.owner_caseworker, case), **data)
    assert error.value.field == field
    assert not Proceeding.objects.exists()


def test_a_second_open_request_to_the_same_provider_is_refused(world, case, legal_agency):
    access = acc(world.owner_caseworker, case)
    legal_aid_request(access=access, provider_id=legal_agency.pk, requested_on="2025-08-01")
    with pytest.raises(HavenError):
        legal_aid_request(access=access, provider_id=legal_agency.pk, requested_on="2025-08-02")
    assert LegalAid.objects.count() == 1


def test_a_provider_that_is_not_a_legal_aid_provider_is_refused(world, case):
    with pytest.raises(HavenError) as error:
        legal_aid_request(access=acc(world.owner_caseworker, case), provider_id=world.owner_agency.pk,
                          requested_on="2025-08-01")
    assert error.value.field == "provider"


def test_closed_trial_measures_are_listed_when_the_protection_area_has_them(world, case, proceeding):
    from django.apps import apps

    justice = case_justice(acc(world.owner_caseworker, case))
    model = apps.get_model("protection", "ProtectionMeasure") if "protectionmeasure" in apps.all_models[
        "protection"] else None
    has_link = model is not None and "proceeding" in {f.name for f in model._meta.get_fields()}
    assert justice.measures_available == has_link
    assert (justice.proceedings[0].measures is None) == (not has_link)
