"""The directory's personas and offerings, and the schema-checked API client of tests/api."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from haven.accounts.models import Agency, AgencyKind, Role, User
from haven.directory.models import ServiceOffering
from haven.directory.services import offering_create
from tests.api.conftest import api, openapi_schema, schema_checker  # noqa: F401 (fixtures)
from tests.factories import World, agency, province, user

ADDRESS = "Số 12 đường Thử Nghiệm, phường Lào Cai"
PHONE = "0214 000 0202"


@dataclass
class Directory:
    """World's personas plus an NGO shelter with its administrator, and another agency's administrator."""

    world: World
    shelter: Agency
    shelter_admin: User
    other_admin: User
    women_shelter: ServiceOffering  # the shelter's residential offering (women and girls)
    counselling: ServiceOffering  # the social work centre's offering for everyone

    def personas(self) -> dict[str, User | None]:
        w = self.world
        return {
            "caseworker": w.owner_caseworker, "supervisor": w.supervisor, "own_admin": self.shelter_admin,
            "other_admin": self.other_admin, "system_admin": w.system_admin, "statistician": w.statistician,
            "auditor": w.auditor, "anonymous": None,
        }


PERSONAS = ["caseworker", "supervisor", "own_admin", "other_admin", "system_admin", "statistician", "auditor",
            "anonymous"]


def add(acting_user: User, agency_: Agency, **values: Any) -> ServiceOffering:
    data: dict[str, Any] = {"name": "Dịch vụ thử", "items": ["psychological"], "sexes": ["female"],
                            "languages": ["vie"]}
    data.update(values)
    return offering_create(acting_user=acting_user, agency_id=agency_.pk, **data)


@pytest.fixture
def directory(world: World) -> Directory:
    shelter = agency(AgencyKind.NGO_SHELTER, "Nhà an toàn Sương Sớm", jurisdiction=province())
    shelter_admin = user(shelter, Role.AGENCY_ADMIN, "shelter_admin")
    other_admin = user(world.owner_agency, Role.AGENCY_ADMIN, "border_admin")
    women = add(shelter_admin, shelter, name="Nhà tạm lánh", items=["shelter", "psychological", "medical"],
                sexes=["female"], min_age=11, languages=["vie", "hmn", "ium"], capacity=10, address=ADDRESS,
                phone=PHONE)
    counselling = add(world.system_admin, world.other_agency, name="Tư vấn tâm lý", items=["psychological"],
                      sexes=["female", "male"], languages=["vie", "hmn"], address="Số 1 đường Mẫu", phone="0214 000 0101")
    return Directory(world, shelter, shelter_admin, other_admin, women, counselling)
