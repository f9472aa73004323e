"""Protection tests: a case of the owning agency shared with a social protection facility on an accepted referral."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from haven.accounts.models import AgencyKind, Role
from haven.cases.models import Case
from haven.legal.models import Proceeding
from haven.protection.assessments import threat_record
from haven.protection.measures import measure_decide, measure_put_in_force, measure_request
from tests.api.conftest import api, openapi_schema, schema_checker  # noqa: F401
from tests.factories import World, access, agency, user
from tests.support.conftest import identified_case, share
from tests.web.conftest import compiled_translations  # noqa: F401

LEVELS = {"traffickers": "medium", "family_community": "low", "retrafficking": "low", "health": "low",
          "stigma": "medium"}


@pytest.fixture
def case(world: World) -> Case:
    found = identified_case(world, received_on=dt.date(2025, 8, 1))
    share(world, found)
    return found


@pytest.fixture
def outsider(world: World) -> Any:
    return user(agency(AgencyKind.WOMENS_UNION, "Hội Phụ nữ xã (thử nghiệm)"), Role.CASEWORKER, "far_cw")


@pytest.fixture
def threat(world: World, case: Case) -> Any:
    return threat_record(access=access(world.owner_caseworker, case), occurred_on="2025-08-10", source="trafficker",
                         severity="severe", description="Kẻ môi giới gọi điện đe dọa gia đình",
                         location="Chợ phiên Bắc Hà")


@pytest.fixture
def proceeding(world: World, case: Case) -> Proceeding:
    return Proceeding.objects.create(case=case, kind="criminal", person_role="victim", court="TAND tỉnh Lào Cai",
                                     recorded_by=world.owner_caseworker)


@pytest.fixture
def measure_in_force(world: World, case: Case) -> Any:
    own = access(world.owner_caseworker, case)
    m = measure_request(access=own, kind="identity_secrecy", requested_on="2025-08-05", beneficiary="relative",
                        relative_name="Giàng Thị Mai", relative_relationship="mẹ")
    measure_decide(access=own, measure_id=m.pk, granted=True, decided_on="2025-08-06",
                   authority_text="Công an tỉnh Lào Cai")
    return measure_put_in_force(access=own, measure_id=m.pk, in_force_from="2025-08-06")
