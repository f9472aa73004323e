"""Request and response shapes of the directory API. Codes are enums, so the OpenAPI schema lists them.

Component names are global in the schema: every enum here is prefixed `Directory` (cases already has Sex).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from ninja import Field, Schema
from pydantic import StrictBool

from haven.cases.api_schemas import Input
from haven.core.api_types import MAX_DB_ID, Page, text
from haven.directory.catalogue import GROUP_CODES, LANGUAGE_CODES, NEED_CODES, SEXES
from haven.directory.models import MAX_AGE
from haven.directory.services import MAX_CAPACITY

DirectoryNeed = StrEnum("DirectoryNeed", {code.upper(): code for code in NEED_CODES})  # type: ignore[misc]
DirectoryLanguage = StrEnum("DirectoryLanguage", {code.upper(): code for code in LANGUAGE_CODES})  # type: ignore[misc]
DirectorySex = StrEnum("DirectorySex", {code.upper(): code for code in SEXES})  # type: ignore[misc]
DirectoryGroup = StrEnum("DirectoryGroup", {code.upper(): code for code in GROUP_CODES})  # type: ignore[misc]

Age = Annotated[int, Field(ge=0, le=MAX_AGE)]
Capacity = Annotated[int, Field(ge=0, le=MAX_CAPACITY)]
AgencyId = Annotated[int, Field(ge=1, le=MAX_DB_ID)]


class Names(Schema):
    vi: str
    en: str


class AgencyRef(Schema):
    id: int
    name: str
    name_en: str
    kind: str
    province: str | None = Field(..., description="Code of the agency's province as it is today")


class OfferingOut(Schema):
    id: int
    agency: AgencyRef
    name: str
    items: list[DirectoryNeed]  # type: ignore[valid-type]
    sexes: list[DirectorySex]  # type: ignore[valid-type]
    min_age: int | None = Field(..., description="Null: no lower limit")
    max_age: int | None = Field(..., description="Null: no upper limit")
    languages: list[DirectoryLanguage] = Field(..., description="ISO 639-3 codes")  # type: ignore[valid-type]
    capacity: int | None = Field(..., description="Places, for a service that offers shelter")
    residential: bool
    occupied: int | None = Field(..., description="People staying at the agency now (residential services)")
    places_free: int | None = Field(..., description="The agency's residential places minus people staying now")
    notes: str
    is_active: bool
    contact_visible: bool = Field(..., description="Whether your role may read the address and phone")
    address: str | None = Field(..., description="Only for caseworkers, supervisors and agency administrators, "
                                                 "when asked for; each read is audited")
    phone: str | None
    updated_at: dt.datetime


class OfferingPage(Page):
    results: list[OfferingOut]


class OfferingIn(Input):
    agency_id: AgencyId
    name: text(200, min_length=1)  # type: ignore[valid-type]
    items: list[DirectoryNeed] = Field(..., max_length=40)  # type: ignore[valid-type]
    sexes: list[DirectorySex] = Field(..., max_length=2)  # type: ignore[valid-type]
    languages: list[DirectoryLanguage] = Field(..., max_length=40)  # type: ignore[valid-type]
    min_age: Age | None = None
    max_age: Age | None = None
    capacity: Capacity | None = None
    address: text(500) = ""  # type: ignore[valid-type]
    phone: text(30) = ""  # type: ignore[valid-type]
    notes: text(1000) = ""  # type: ignore[valid-type]


class OfferingPatch(Input):
    """Only the fields sent are changed. `is_active: false` deactivates, `true` reactivates."""

    name: text(200, min_length=1) | None = None  # type: ignore[valid-type]
    items: list[DirectoryNeed] | None = Field(None, max_length=40)  # type: ignore[valid-type]
    sexes: list[DirectorySex] | None = Field(None, max_length=2)  # type: ignore[valid-type]
    languages: list[DirectoryLanguage] | None = Field(None, max_length=40)  # type: ignore[valid-type]
    min_age: Age | None = None
    max_age: Age | None = None
    capacity: Capacity | None = None
    address: text(500) | None = None  # type: ignore[valid-type]
    phone: text(30) | None = None  # type: ignore[valid-type]
    notes: text(1000) | None = None  # type: ignore[valid-type]
    is_active: StrictBool | None = None


class ProvinceOut(Schema):
    code: str
    name: str


class GroupOut(Schema):
    code: DirectoryGroup  # type: ignore[valid-type]
    sex: DirectorySex  # type: ignore[valid-type]
    min_age: int
    max_age: int | None
    name: str


class NeedRow(Schema):
    need: DirectoryNeed  # type: ignore[valid-type]
    name: Names
    groups: dict[str, int | None] = Field(
        ..., description="Group code -> active services serving someone of the group; null where not applicable")


class LanguageRow(Schema):
    code: DirectoryLanguage  # type: ignore[valid-type]
    name: Names
    offerings: int


class GapOut(Schema):
    need: DirectoryNeed | None  # type: ignore[valid-type]
    group: DirectoryGroup | None = Field(..., description="Null: the need is not met for anyone")  # type: ignore[valid-type]
    language: DirectoryLanguage | None = Field(..., description="Set for a language no service speaks")  # type: ignore[valid-type]
    sentence: str


class GapsOut(Schema):
    province: ProvinceOut
    on: dt.date
    offerings: int = Field(..., description="Active services counted")
    groups: list[GroupOut]
    matrix: list[NeedRow]
    languages: list[LanguageRow]
    gaps: list[GapOut]
