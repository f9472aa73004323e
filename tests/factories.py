"""Synthetic test data built through the real services. No real person's data, ever."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

from haven.accounts.models import Agency, AgencyKind, Role, SharingProfile, User
from haven.cases.models import Case
from haven.cases.selectors import access_case
from haven.cases.services import Registration, case_register
from haven.geo.models import AdminUnit

PASSWORD = "correct-horse-battery-42"
_seq = itertools.count(1)


def province(code: str = "lao-cai", name: str = "Lào Cai") -> AdminUnit:
    unit, _ = AdminUnit.objects.get_or_create(
        code=code, defaults={"name": name, "name_ascii": name, "level": "province", "valid_from": dt.date(2004, 1, 1)}
    )
    return unit


def commune(parent: AdminUnit, code: str = "lao-cai/y-ty", name: str = "Y Tý") -> AdminUnit:
    unit, _ = AdminUnit.objects.get_or_create(
        code=code,
        defaults={"name": name, "name_ascii": name, "level": "commune", "parent": parent, "valid_from": dt.date(2004, 1, 1)},
    )
    return unit


def agency(kind: str = AgencyKind.BORDER_GUARD, name: str | None = None, jurisdiction: AdminUnit | None = None) -> Agency:
    return Agency.objects.create(
        name=name or f"Cơ quan thử nghiệm {next(_seq)}", name_en=f"Test agency {kind}", kind=kind,
        jurisdiction=jurisdiction or province(),
    )


def user(agency_: Agency | None, role: str = Role.CASEWORKER, username: str | None = None) -> User:
    return User.objects.create_user(
        username=username or f"user{next(_seq)}", password=PASSWORD, agency=agency_, role=role
    )


def registration(**overrides: Any) -> Registration:
    values: dict[str, Any] = {
        "full_name": "Đặng Thị Ngọc", "sex": "female", "category": "under_identification",
        "received_on": "2026-03-02", "reception_place": "Cửa khẩu quốc tế Lào Cai", "return_mode": "border_handover",
        "date_of_birth": "2003-05-17", "id_number": f"0{next(_seq):011d}", "phone": "0912 345 678",
        "address": "Thôn Giàng, xã Y Tý", "ethnicity": "hmong", "nationality": "VN",
        "languages": ["vi", "hmn"], "exploitation_types": ["forced_marriage"], "destination_country": "CN",
    }
    values.update(overrides)
    return Registration(**values)


def register(worker: User, **overrides: Any) -> Case:
    return case_register(acting_user=worker, data=registration(**overrides), confirm_duplicate=True)


def default_sharing_profiles() -> None:
    profiles = {
        AgencyKind.SOCIAL_PROTECTION: ["full_name", "other_names", "date_of_birth", "phone", "address", "family_contacts"],
        AgencyKind.POLICE: ["full_name", "other_names", "date_of_birth", "id_number"],
        AgencyKind.LEGAL_AID: ["full_name", "date_of_birth", "id_number", "address"],
    }
    for kind, fields in profiles.items():
        SharingProfile.objects.update_or_create(agency_kind=kind, defaults={"fields": fields})


@dataclass
class World:
    """The shared personas of every permission test."""

    owner_agency: Agency
    other_agency: Agency
    owner_caseworker: User
    other_caseworker: User
    second_caseworker: User
    supervisor: User
    other_supervisor: User
    statistician: User
    auditor: User
    system_admin: User
    case: Case

    def personas(self) -> dict[str, User | None]:
        return {
            "owner_caseworker": self.owner_caseworker,
            "other_caseworker": self.other_caseworker,
            "supervisor": self.supervisor,
            "statistician": self.statistician,
            "auditor": self.auditor,
            "anonymous": None,
        }


def build_world() -> World:
    default_sharing_profiles()
    owner = agency(AgencyKind.BORDER_GUARD, "Đồn Biên phòng Cửa khẩu Quốc tế Lào Cai")
    other = agency(AgencyKind.SOCIAL_PROTECTION, "Trung tâm Công tác xã hội tỉnh Lào Cai")
    stats_agency = agency(AgencyKind.SOCIAL_AFFAIRS, "Sở Y tế tỉnh Lào Cai")
    owner_cw = user(owner, Role.CASEWORKER, "owner_cw")
    world = World(
        owner_agency=owner, other_agency=other, owner_caseworker=owner_cw,
        other_caseworker=user(other, Role.CASEWORKER, "other_cw"),
        second_caseworker=user(owner, Role.CASEWORKER, "second_cw"),
        supervisor=user(owner, Role.SUPERVISOR, "owner_sup"),
        other_supervisor=user(other, Role.SUPERVISOR, "other_sup"),
        statistician=user(stats_agency, Role.STATISTICIAN, "stats"),
        auditor=user(stats_agency, Role.AUDITOR, "auditor"),
        system_admin=user(None, Role.SYSTEM_ADMIN, "sysadmin"),
        case=register(owner_cw),
    )
    return world


def access(user_: User, case: Case, need: str = "view") -> Any:
    return access_case(user_, case_id=case.pk, need=need)  # type: ignore[arg-type]
