"""Support tests: identified cases on chosen dates, funding sources, and an accepted referral to the facility."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from haven.accounts.models import AgencyKind
from haven.cases.models import Case
from haven.cases.selectors import Need, access_case
from haven.cases.services import case_identify, case_start_verification
from haven.consent.services import consent_record
from haven.referrals.models import Referral, ReferralStatus
from haven.support.funding import funding_source_create
from haven.support.models import FundingSource
from tests.api.conftest import api, openapi_schema, schema_checker  # noqa: F401
from tests.factories import World, register
from tests.web.conftest import compiled_translations, outsider, owner, supervisor  # noqa: F401


def identified_case(world: World, *, received_on: dt.date, identified_on: dt.date | None = None, **extra: Any) -> Case:
    """A victim of the owning agency, from Lào Cai (the reported food rate of 30,000 đồng a day applies)."""
    case = register(world.owner_caseworker, received_on=received_on.isoformat(), home_province="lao-cai", **extra)
    own = access_case(world.owner_caseworker, case_id=case.pk, need=Need.EDIT)
    case_start_verification(access=own)
    case_identify(access=access_case(world.owner_caseworker, case_id=case.pk, need=Need.EDIT),
                  identified_on=(identified_on or received_on).isoformat(), authority="Công an tỉnh Lào Cai",
                  document="12/QĐ")
    return Case.objects.get(pk=case.pk)


def own_access(world: World, case: Case, user: Any = None) -> Any:
    return access_case(user or world.owner_caseworker, case_id=case.pk)


@pytest.fixture
def old_case(world: World) -> Case:
    """Identified in 2023: Law 66/2011, Circular 84/2019 limits (3 months of food)."""
    return identified_case(world, received_on=dt.date(2023, 3, 1))


@pytest.fixture
def owner_fund(world: World) -> FundingSource:
    return funding_source_create(acting_user=world.supervisor, kind="state_budget",
                                 name="Ngân sách tỉnh — hỗ trợ nạn nhân", code="LC-BTXH-01")


@pytest.fixture
def facility_fund(world: World) -> FundingSource:
    return funding_source_create(acting_user=world.other_supervisor, kind="ngo_donor",
                                 name="Quỹ tài trợ Hạt Giống (hư cấu)", code="HG-2026")


def share(world: World, case: Case) -> Referral:
    """The case referred to the social work centre (the other agency), accepted, with consent to share."""
    referral = Referral.objects.create(
        case=case, from_agency=world.owner_agency, to_agency=world.other_agency, purpose="Tiếp nhận vào Trung tâm",
        fields_shared=["full_name"], status=ReferralStatus.ACCEPTED, due_on=dt.date.today(),
        sent_by=world.owner_caseworker,
    )
    consent_record(access=access_case(world.owner_caseworker, case_id=case.pk, need=Need.EDIT), purpose="sharing",
                   agency_kind=AgencyKind.SOCIAL_PROTECTION, decision="given", given_by="person",
                   method="signed_form")
    return referral
