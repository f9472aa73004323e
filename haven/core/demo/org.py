"""The demo's agencies, users, sharing profiles and sign-off rules. All fictional or generic.

The NGO shelter's name is invented: it must never be mistaken for a real organisation.
"""

from __future__ import annotations

from dataclasses import dataclass

from haven.accounts.models import AgencyKind, IdentityField, Role

# One password for every demo login, listed in docs/demo.md. Demo only: never on a real server.
DEMO_PASSWORD = "haven-demo-2026"


@dataclass(frozen=True)
class AgencySpec:
    key: str
    name: str
    name_en: str
    kind: str
    jurisdiction: str  # an AdminUnit code from haven/geo/data


AGENCIES: tuple[AgencySpec, ...] = (
    AgencySpec("border", "Đồn Biên phòng Cửa khẩu Quốc tế Lào Cai", "Lào Cai International Border Gate Border Guard Post",
               AgencyKind.BORDER_GUARD, "lao-cai-2025/lao-cai"),
    AgencySpec("police", "Công an tỉnh Lào Cai", "Lào Cai Provincial Police", AgencyKind.POLICE, "lao-cai-2025"),
    AgencySpec("swc", "Trung tâm Công tác xã hội tỉnh Lào Cai", "Lào Cai Provincial Social Work Centre",
               AgencyKind.SOCIAL_PROTECTION, "lao-cai-2025"),
    AgencySpec("shelter", "Nhà an toàn Sương Sớm", "Morning Dew Safe House (fictional NGO)",
               AgencyKind.NGO_SHELTER, "lao-cai-2025/lao-cai"),
    AgencySpec("yty", "Ủy ban nhân dân xã Y Tý", "Y Tý Commune People's Committee",
               AgencyKind.COMMUNE_COMMITTEE, "lao-cai-2025/y-ty"),
    AgencySpec("phalong", "Ủy ban nhân dân xã Pha Long", "Pha Long Commune People's Committee",
               AgencyKind.COMMUNE_COMMITTEE, "lao-cai-2025/pha-long"),
    AgencySpec("women", "Hội Liên hiệp Phụ nữ tỉnh Lào Cai", "Lào Cai Provincial Women's Union",
               AgencyKind.WOMENS_UNION, "lao-cai-2025"),
    AgencySpec("legalaid", "Trung tâm Trợ giúp pháp lý nhà nước tỉnh Lào Cai", "Lào Cai State Legal Aid Centre",
               AgencyKind.LEGAL_AID, "lao-cai-2025"),
    # Since 2025 victim support sits with the health sector (Decree 162/2025): the statisticians'
    # agency, and the second sign-off on identifications.
    AgencySpec("health", "Sở Y tế tỉnh Lào Cai", "Lào Cai Department of Health",
               AgencyKind.SOCIAL_AFFAIRS, "lao-cai-2025"),
    # In another province: a person who moved home there is transferred to it (see demo/referrals.py).
    AgencySpec("tqswc", "Trung tâm Công tác xã hội tỉnh Tuyên Quang", "Tuyên Quang Provincial Social Work Centre",
               AgencyKind.SOCIAL_PROTECTION, "tuyen-quang-2025"),
)


@dataclass(frozen=True)
class UserSpec:
    username: str
    role: str
    agency: str | None  # an AgencySpec key


USERS: tuple[UserSpec, ...] = (
    UserSpec("border.worker", Role.CASEWORKER, "border"),
    UserSpec("border.worker2", Role.CASEWORKER, "border"),
    UserSpec("border.supervisor", Role.SUPERVISOR, "border"),
    UserSpec("border.admin", Role.AGENCY_ADMIN, "border"),
    UserSpec("police.worker", Role.CASEWORKER, "police"),
    UserSpec("police.supervisor", Role.SUPERVISOR, "police"),
    UserSpec("swc.worker", Role.CASEWORKER, "swc"),
    UserSpec("swc.supervisor", Role.SUPERVISOR, "swc"),
    UserSpec("shelter.worker", Role.CASEWORKER, "shelter"),
    UserSpec("shelter.supervisor", Role.SUPERVISOR, "shelter"),
    UserSpec("yty.worker", Role.CASEWORKER, "yty"),
    UserSpec("phalong.worker", Role.CASEWORKER, "phalong"),
    UserSpec("women.worker", Role.CASEWORKER, "women"),
    UserSpec("legalaid.worker", Role.CASEWORKER, "legalaid"),
    UserSpec("legalaid.supervisor", Role.SUPERVISOR, "legalaid"),
    UserSpec("health.supervisor", Role.SUPERVISOR, "health"),
    UserSpec("health.statistician", Role.STATISTICIAN, "health"),
    UserSpec("health.auditor", Role.AUDITOR, "health"),
    UserSpec("tq.supervisor", Role.SUPERVISOR, "tqswc"),
    UserSpec("sysadmin", Role.SYSTEM_ADMIN, None),
)

DEMO_USERNAMES = frozenset(u.username for u in USERS)

_F = IdentityField
# Need to know: which identity fields each agency kind sees on a case referred to it and accepted.
# Free-text notes are never shared; ID numbers only where the agency deals with documents.
SHARING_PROFILES: dict[str, list[str]] = {
    AgencyKind.BORDER_GUARD: [_F.FULL_NAME, _F.OTHER_NAMES, _F.DATE_OF_BIRTH, _F.ID_NUMBER],
    AgencyKind.POLICE: [_F.FULL_NAME, _F.OTHER_NAMES, _F.DATE_OF_BIRTH, _F.ID_NUMBER],
    AgencyKind.COAST_GUARD: [_F.FULL_NAME, _F.DATE_OF_BIRTH],
    AgencyKind.PROCURACY: [_F.FULL_NAME, _F.OTHER_NAMES, _F.DATE_OF_BIRTH, _F.ID_NUMBER],
    AgencyKind.COURT: [_F.FULL_NAME, _F.OTHER_NAMES, _F.DATE_OF_BIRTH, _F.ID_NUMBER],
    AgencyKind.COMMUNE_COMMITTEE: [_F.FULL_NAME, _F.DATE_OF_BIRTH, _F.ADDRESS, _F.FAMILY_CONTACTS],
    AgencyKind.SOCIAL_AFFAIRS: [_F.FULL_NAME, _F.DATE_OF_BIRTH, _F.ID_NUMBER, _F.ADDRESS],
    AgencyKind.SOCIAL_PROTECTION: [_F.FULL_NAME, _F.OTHER_NAMES, _F.DATE_OF_BIRTH, _F.PHONE, _F.ADDRESS,
                                   _F.FAMILY_CONTACTS],
    AgencyKind.NGO_SHELTER: [_F.FULL_NAME, _F.DATE_OF_BIRTH, _F.PHONE, _F.FAMILY_CONTACTS],
    AgencyKind.LEGAL_AID: [_F.FULL_NAME, _F.DATE_OF_BIRTH, _F.ID_NUMBER, _F.ADDRESS],
    AgencyKind.WOMENS_UNION: [_F.FULL_NAME, _F.PHONE, _F.ADDRESS],
    AgencyKind.DIPLOMATIC_MISSION: [_F.FULL_NAME, _F.DATE_OF_BIRTH, _F.ID_NUMBER],
}

# Agency kinds that must sign an identification, and within how many days.
SIGNOFF_RULES: dict[str, int] = {
    AgencyKind.POLICE: 5,
    AgencyKind.SOCIAL_AFFAIRS: 10,
}
