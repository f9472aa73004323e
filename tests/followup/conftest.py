"""Follow-up tests: a minor in a shelter stay, assessments in each state, a plan with its visits."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from haven.accounts.models import AgencyKind
from haven.cases.models import Case
from haven.consent.services import consent_record
from haven.followup.models import HomeSafetyAssessment
from haven.followup.services import assessment_create, assessment_decide, assessment_submit
from haven.referrals.models import Referral, ReferralStatus
from haven.support.models import ShelterStay
from haven.support.stays import stay_admit
from tests.api.conftest import api, openapi_schema, schema_checker  # noqa: F401
from tests.factories import World, access
from tests.support.conftest import identified_case

TODAY = dt.date.today()
RECEIVED = TODAY - dt.timedelta(days=60)
ADMITTED = TODAY - dt.timedelta(days=50)


def minor_case(world: World, **extra: Any) -> Case:
    """A 15-year-old victim of the owning agency (year of birth only)."""
    values = {"date_of_birth": "", "birth_year": TODAY.year - 15, **extra}
    return identified_case(world, received_on=RECEIVED, **values)


def admit(world: World, case: Case) -> ShelterStay:
    """Admitted to the social work centre (the other agency) by the owning agency."""
    return stay_admit(access=access(world.owner_caseworker, case), facility_id=world.other_agency.pk,
                      admitted_on=ADMITTED.isoformat())


def assessment(world: World, case: Case, *, outcome: str = "safe", visited_on: dt.date | None = None,
               status: str = "approved", **extra: Any) -> HomeSafetyAssessment:
    """An assessment by the owning agency's caseworker, taken to `status` (approved by the supervisor)."""
    made = assessment_create(access=access(world.owner_caseworker, case),
                             visited_on=(visited_on or TODAY - dt.timedelta(days=3)).isoformat(), outcome=outcome,
                             findings="Gia đình đã được gặp; bà nội chăm sóc (dữ liệu thử nghiệm).", **extra)
    if status in ("submitted", "approved", "returned"):
        assessment_submit(access=access(world.owner_caseworker, case), assessment_id=made.pk)
    if status in ("approved", "returned"):
        assessment_decide(access=access(world.supervisor, case), assessment_id=made.pk, approve=status == "approved",
                          reason="" if status == "approved" else "Thiếu thông tin về người chăm sóc")
    made.refresh_from_db()
    return made


@pytest.fixture
def minor(world: World) -> Case:
    return minor_case(world)


@pytest.fixture
def stay(world: World, minor: Case) -> ShelterStay:
    return admit(world, minor)


def share(world: World, case: Case) -> Referral:
    """The case referred to the social work centre (the other agency), accepted; the child and the guardian
    agreed to share with social work centres."""
    referral = Referral.objects.create(
        case=case, from_agency=world.owner_agency, to_agency=world.other_agency, purpose="Tiếp nhận, theo dõi",
        fields_shared=["full_name"], status=ReferralStatus.ACCEPTED, due_on=TODAY, sent_by=world.owner_caseworker)
    consent_record(access=access(world.owner_caseworker, case, "edit"), purpose="sharing",
                   agency_kind=AgencyKind.SOCIAL_PROTECTION, decision="given", given_by="person_and_guardian", guardian_name="Vàng Thị Mỷ (hư cấu)",
                   method="signed_form")
    return referral
