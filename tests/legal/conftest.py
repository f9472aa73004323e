"""Justice tests: an identified victim of the owning agency, a legal aid centre on an accepted referral."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from haven.accounts.models import Agency, AgencyKind, Role, User
from haven.cases.models import Case
from haven.cases.selectors import Need, access_case
from haven.consent.services import consent_record
from haven.legal.awards import verdict_record
from haven.legal.models import Proceeding, Verdict
from haven.legal.proceedings import proceeding_create
from haven.referrals.models import Referral, ReferralStatus
from tests.api.conftest import api, openapi_schema, schema_checker  # noqa: F401
from tests.factories import World, agency, user
from tests.support.conftest import identified_case
from tests.web.conftest import compiled_translations  # noqa: F401


def acc(person: Any, case: Case) -> Any:
    return access_case(person, case_id=case.pk)


def refer(world: World, case: Case, to: Agency, kind: str) -> Referral:
    """The case referred to `to`, accepted, with the person's consent to share with that kind of agency."""
    referral = Referral.objects.create(
        case=case, from_agency=world.owner_agency, to_agency=to, purpose="Trợ giúp pháp lý",
        fields_shared=["full_name"], status=ReferralStatus.ACCEPTED, due_on=dt.date.today(),
        sent_by=world.owner_caseworker,
    )
    consent_record(access=access_case(world.owner_caseworker, case_id=case.pk, need=Need.EDIT), purpose="sharing",
                   agency_kind=kind, decision="given", given_by="person", method="signed_form")
    return referral


@pytest.fixture
def case(world: World) -> Case:
    return identified_case(world, received_on=dt.date(2024, 3, 1))


@pytest.fixture
def legal_agency(world: World) -> Agency:
    return agency(AgencyKind.LEGAL_AID, "Trung tâm Trợ giúp pháp lý thử nghiệm")


@pytest.fixture
def legal_cw(legal_agency: Agency) -> User:
    return user(legal_agency, Role.CASEWORKER, "legal_cw")


@pytest.fixture
def referred(world: World, case: Case, legal_agency: Agency) -> Referral:
    return refer(world, case, legal_agency, AgencyKind.LEGAL_AID)


@pytest.fixture
def proceeding(world: World, case: Case) -> Proceeding:
    return proceeding_create(access=acc(world.owner_caseworker, case), kind="criminal", person_role="victim",
                             court="Tòa án nhân dân tỉnh Hư Cấu", case_number="HS-77/2024", opened_on="2024-04-01")


@pytest.fixture
def award(world: World, case: Case, proceeding: Proceeding) -> Verdict:
    return verdict_record(access=acc(world.owner_caseworker, case), proceeding_id=proceeding.pk,
                          decided_on="2024-09-10", court_level="first_instance", outcome="convicted",
                          sentence_summary="9 năm tù", compensation_awarded=50_000_000, debtor="Bị cáo Hư Cấu A")
