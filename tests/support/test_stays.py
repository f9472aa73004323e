"""Shelter stays: admission, discharge, the facts kept in step, and the state-paid limit per regime."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from haven.accounts.models import AgencyKind
from haven.audit.models import AuditEvent
from haven.core.errors import HavenError, NotFound
from haven.entitlements.models import EntitlementFacts
from haven.support.models import ShelterStay
from haven.support.stays import WARNING_DAYS, LimitState, stay_admit, stay_discharge, stay_limit
from tests.factories import access, agency
from tests.support.conftest import identified_case, own_access, share

pytestmark = pytest.mark.django_db


def _admit(world, case, day, user=None, facility=None):
    return stay_admit(access=own_access(world, case, user), facility_id=(facility or world.other_agency).pk,
                      admitted_on=day)


def test_admission_keeps_the_entitlement_facts_in_step(world, old_case):
    stay = _admit(world, old_case, dt.date(2023, 3, 5))
    facts = EntitlementFacts.objects.get(case=old_case)
    assert (facts.shelter_from, facts.shelter_to) == (dt.date(2023, 3, 5), None)
    stay_discharge(access=own_access(world, old_case), stay_id=stay.pk, discharged_on="2023-04-20")
    facts.refresh_from_db()
    assert facts.shelter_to == dt.date(2023, 4, 20)


def test_the_old_regime_limit_before_2020_is_60_days(world):
    case = identified_case(world, received_on=dt.date(2019, 6, 1))
    stay = _admit(world, case, dt.date(2019, 6, 3))
    assert stay.paid_item == "food"
    assert stay.paid_until == dt.date(2019, 6, 3) + dt.timedelta(days=59)
    assert stay_limit(stay, on=dt.date(2019, 7, 20)).limit_days == 60


def test_the_old_regime_limit_from_2020_is_3_months(world):
    case = identified_case(world, received_on=dt.date(2020, 1, 2))
    stay = _admit(world, case, dt.date(2020, 1, 10))
    assert (stay.paid_item, stay.paid_until) == ("food", dt.date(2020, 4, 9))


def test_a_victim_identified_before_july_2025_keeps_3_months_after_the_reform(world):
    case = identified_case(world, received_on=dt.date(2025, 6, 20), identified_on=dt.date(2025, 6, 25))
    stay = _admit(world, case, dt.date(2025, 7, 2))
    assert (stay.paid_item, stay.paid_until) == ("food", dt.date(2025, 10, 1))


def test_the_new_regime_limit_is_120_days_of_essential_needs(world):
    case = identified_case(world, received_on=dt.date(2025, 7, 3))
    stay = _admit(world, case, dt.date(2025, 7, 5))
    assert (stay.paid_item, stay.paid_until) == ("essential_needs", dt.date(2025, 7, 5) + dt.timedelta(days=119))


@pytest.mark.parametrize("left, state", [(WARNING_DAYS + 1, LimitState.OK), (WARNING_DAYS, LimitState.NEAR),
                                         (0, LimitState.NEAR), (-1, LimitState.PASSED)])
def test_the_warning_comes_when_few_days_remain_and_when_the_limit_passed(world, old_case, left, state):
    stay = _admit(world, old_case, dt.date(2023, 3, 5))
    on = stay.paid_until - dt.timedelta(days=left)
    result = stay_limit(stay, on=on)
    assert (result.state, result.days_left) == (state, left)


def test_a_discharge_after_the_limit_is_marked_as_past_it(world, old_case):
    stay = _admit(world, old_case, dt.date(2023, 3, 5))
    stay = stay_discharge(access=own_access(world, old_case), stay_id=stay.pk, discharged_on="2023-07-01")
    assert stay_limit(stay).state == LimitState.PASSED
    assert AuditEvent.objects.filter(object_type="shelter_stay", changes__past_paid_limit=True).exists()


def test_only_one_stay_is_open_at_a_time(world, old_case):
    _admit(world, old_case, dt.date(2023, 3, 5))
    with pytest.raises(HavenError) as error:
        _admit(world, old_case, dt.date(2023, 3, 9))
    assert error.value.code == "open_stay"
    assert ShelterStay.objects.filter(case=old_case).count() == 1


def test_a_stay_cannot_overlap_an_earlier_one(world, old_case):
    stay = _admit(world, old_case, dt.date(2023, 3, 5))
    stay_discharge(access=own_access(world, old_case), stay_id=stay.pk, discharged_on="2023-04-01")
    with pytest.raises(HavenError) as error:
        _admit(world, old_case, dt.date(2023, 3, 20))
    assert error.value.code == "overlap"
    second = _admit(world, old_case, dt.date(2023, 4, 1))  # moving on the same day is not an overlap
    assert EntitlementFacts.objects.get(case=old_case).shelter_from == second.admitted_on


@pytest.mark.parametrize("day, field", [
    (timezone.localdate() + dt.timedelta(days=1), "admitted_on"), ("2023-02-01", "admitted_on"), ("soon", "admitted_on"),
])
def test_bad_admission_dates_are_refused_and_nothing_is_saved(world, old_case, day, field):
    with pytest.raises(HavenError) as error:
        _admit(world, old_case, day)
    assert error.value.field == field
    assert not ShelterStay.objects.exists()
    assert not EntitlementFacts.objects.filter(case=old_case, shelter_from__isnull=False).exists()


def test_the_discharge_cannot_come_before_the_admission(world, old_case):
    stay = _admit(world, old_case, dt.date(2023, 3, 5))
    with pytest.raises(HavenError) as error:
        stay_discharge(access=own_access(world, old_case), stay_id=stay.pk, discharged_on="2023-03-04")
    assert error.value.field == "discharged_on"
    stay.refresh_from_db()
    assert stay.discharged_on is None


def test_a_facility_is_a_social_work_centre_or_an_ngo_shelter(world, old_case):
    with pytest.raises(HavenError) as error:
        _admit(world, old_case, dt.date(2023, 3, 5), facility=world.owner_agency)
    assert error.value.field == "facility"


def test_the_receiving_facility_records_a_stay_at_its_own_place_only(world, old_case):
    share(world, old_case)
    serving = access(world.other_caseworker, old_case)
    assert serving.can_serve and not serving.can_edit
    stay = stay_admit(access=serving, facility_id=world.other_agency.pk, admitted_on="2023-03-05")
    assert stay.admitted_by == world.other_caseworker
    assert EntitlementFacts.objects.get(case=old_case).shelter_from == dt.date(2023, 3, 5)
    other_facility = agency(AgencyKind.NGO_SHELTER, "Nhà tạm lánh thử nghiệm")
    stay_discharge(access=serving, stay_id=stay.pk, discharged_on="2023-03-10")
    with pytest.raises(HavenError) as error:
        stay_admit(access=serving, facility_id=other_facility.pk, admitted_on="2023-03-11")
    assert error.value.field == "facility"


def test_another_agency_without_a_referral_cannot_even_see_the_case(world, old_case):
    with pytest.raises(NotFound):
        access(world.other_caseworker, old_case)
