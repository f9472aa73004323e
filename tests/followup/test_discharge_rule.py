"""Decree 09/2013 Art. 21: a minor leaves a facility only after an approved safety assessment of the home."""

from __future__ import annotations

import datetime as dt

import pytest

from haven.audit.models import AuditEvent
from haven.cases.models import Person
from haven.core.errors import HavenError, PermissionDenied
from haven.followup.selectors import ASSESSMENT_VALID_DAYS, is_minor, minor_may_leave
from haven.followup.services import assessment_decide
from haven.support.models import ShelterStay
from haven.support.stays import stay_admit, stay_discharge
from tests.factories import access
from tests.followup.conftest import ADMITTED, RECEIVED, TODAY, admit, assessment, minor_case
from tests.support.conftest import identified_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():  # noqa: ANN201
    """The messages are checked in English, whatever the deployment's default language."""
    from django.utils import translation

    with translation.override("en"):
        yield


def _discharge(world, case, stay, on=TODAY):
    return stay_discharge(access=access(world.owner_caseworker, case), stay_id=stay.pk, discharged_on=on.isoformat())


def _refused(world, case, stay) -> HavenError:
    with pytest.raises(HavenError) as error:
        _discharge(world, case, stay)
    stay.refresh_from_db()
    assert stay.discharged_on is None
    assert error.value.field == "discharged_on" and error.value.code == "safety_assessment_required"
    return error.value


def test_an_adult_is_discharged_without_an_assessment(world):
    adult = identified_case(world, received_on=RECEIVED)
    stay = stay_admit(access=access(world.owner_caseworker, adult), facility_id=world.other_agency.pk,
                      admitted_on=ADMITTED.isoformat())
    assert _discharge(world, adult, stay).discharged_on == TODAY


def test_a_minor_is_refused_without_an_assessment_with_a_clear_message(world, minor, stay):
    error = _refused(world, minor, stay)
    assert "Decree 09/2013 Art. 21" in str(error.message)
    assert "No safety assessment of the home is recorded." in str(error.message)


def test_a_minor_is_refused_with_a_draft_assessment(world, minor, stay):
    assessment(world, minor, status="draft")
    assert "still a draft" in str(_refused(world, minor, stay).message)


def test_a_minor_is_refused_while_the_assessment_awaits_approval(world, minor, stay):
    assessment(world, minor, status="submitted")
    assert "waiting for a supervisor" in str(_refused(world, minor, stay).message)


def test_a_minor_is_refused_with_a_returned_assessment(world, minor, stay):
    assessment(world, minor, status="returned")
    assert "returned for changes" in str(_refused(world, minor, stay).message)


def test_a_minor_is_refused_when_the_approved_home_is_unsafe_without_another_placement(world, minor, stay):
    assessment(world, minor, outcome="unsafe")
    assert "unsafe" in str(_refused(world, minor, stay).message)


def test_an_unsafe_home_with_another_placement_allows_the_move_there(world, minor, stay):
    assessment(world, minor, outcome="unsafe", placement="Làng trẻ em SOS (hư cấu)")
    assert _discharge(world, minor, stay).discharged_on == TODAY


def test_a_minor_is_refused_when_the_approved_visit_is_too_old(world, minor, stay):
    assessment(world, minor, visited_on=TODAY - dt.timedelta(days=ASSESSMENT_VALID_DAYS + 1))
    assert "older than" in str(_refused(world, minor, stay).message)


def test_a_visit_after_the_discharge_date_does_not_count(world, minor, stay):
    assessment(world, minor, visited_on=TODAY)
    with pytest.raises(HavenError):
        _discharge(world, minor, stay, on=TODAY - dt.timedelta(days=1))


def test_a_minor_is_discharged_after_approval(world, minor, stay):
    assessment(world, minor, outcome="safe_with_conditions", conditions="Cán bộ xã thăm hằng tháng")
    assert _discharge(world, minor, stay).discharged_on == TODAY


def test_an_assessment_for_another_stay_does_not_count(world, minor, stay):
    other = ShelterStay.objects.create(case=minor, facility=world.other_agency, admitted_on=RECEIVED,
                                       discharged_on=RECEIVED, admitted_by=world.owner_caseworker)
    assessment(world, minor, stay_id=other.pk)
    _refused(world, minor, stay)


def test_unknown_age_is_treated_as_a_minor(world):
    case = minor_case(world, birth_year=None)
    assert Person.objects.get(pk=case.person_id).birth_year is None
    stay = admit(world, case)
    _refused(world, case, stay)


def test_an_accompanying_minor_is_a_minor_whatever_the_year(world, minor):
    minor.category = "accompanying_minor"
    minor.person.birth_year = TODAY.year - 30
    assert is_minor(minor, TODAY)


def test_a_year_difference_of_18_is_still_treated_as_a_minor(world, minor):
    minor.person.birth_year = TODAY.year - 18
    assert is_minor(minor, TODAY)
    minor.person.birth_year = TODAY.year - 19
    assert not is_minor(minor, TODAY)


def test_the_selector_says_why_and_the_reason_is_translated(world, minor, settings):
    from django.utils import translation

    with translation.override("en"):
        allowed, reason = minor_may_leave(minor, TODAY)
    assert not allowed and "Decree 09/2013" in reason


def test_the_author_may_not_approve_their_own_assessment(world, minor):
    made = assessment(world, minor, status="submitted")
    with pytest.raises(PermissionDenied):
        assessment_decide(access=access(world.owner_caseworker, minor), assessment_id=made.pk, approve=True)
    made.refresh_from_db()
    assert made.status == "submitted"


def test_a_supervisor_who_made_the_visit_may_not_approve_it(world, minor):
    from haven.followup.services import assessment_create, assessment_submit

    made = assessment_create(access=access(world.supervisor, minor), visited_on=TODAY.isoformat(), outcome="safe",
                             findings="Thăm nhà (thử nghiệm)")
    assessment_submit(access=access(world.supervisor, minor), assessment_id=made.pk)
    with pytest.raises(PermissionDenied):
        assessment_decide(access=access(world.supervisor, minor), assessment_id=made.pk, approve=True)
    made.refresh_from_db()
    assert made.status == "submitted" and made.decided_by is None


def test_the_facilitys_supervisor_may_approve_with_an_accepted_referral(world, minor, stay):
    from tests.followup.conftest import share

    share(world, minor)
    made = assessment(world, minor, status="submitted", stay_id=stay.pk)
    assessment_decide(access=access(world.other_supervisor, minor), assessment_id=made.pk, approve=True)
    made.refresh_from_db()
    assert made.status == "approved" and made.decided_by == world.other_supervisor


def test_returning_needs_a_reason_and_changes_nothing_without_it(world, minor):
    made = assessment(world, minor, status="submitted")
    with pytest.raises(HavenError) as error:
        assessment_decide(access=access(world.supervisor, minor), assessment_id=made.pk, approve=False)
    assert error.value.field == "reason"
    made.refresh_from_db()
    assert made.status == "submitted"


def test_the_decision_is_audited_without_the_text(world, minor):
    made = assessment(world, minor, status="returned")
    event = AuditEvent.objects.filter(object_type="home_safety_assessment", object_id=str(made.pk),
                                      action="status").order_by("-seq").first()
    assert event.changes == {"status": ["submitted", "returned"]}
    assert "Thiếu thông tin" not in str(event.changes) + str(event.fields)


def test_the_findings_are_sealed_in_the_database(world, minor):
    from django.db import connection

    made = assessment(world, minor)
    with connection.cursor() as cursor:
        cursor.execute("SELECT findings FROM followup_homesafetyassessment WHERE id = %s", [made.pk])
        stored = cursor.fetchone()[0]
    assert "bà nội" not in stored and made.findings.startswith("Gia đình")
