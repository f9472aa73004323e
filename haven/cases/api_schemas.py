"""Request and response shapes of the case API. Choices are enums, so the OpenAPI schema lists them."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import ConfigDict, StringConstraints

from haven.accounts.api import AgencyOut
from haven.accounts.models import IdentityField
from haven.cases.models import (
    Category,
    Ethnicity,
    Exploitation,
    IdentifiedAt,
    Language,
    MeansOfControl,
    ReturnMode,
    Sex,
    Status,
)
from haven.cases.selectors import Relationship
from haven.core.api_types import NO_NUL, CaseCode, Page, text

OptionalCaseCode = Annotated[str, StringConstraints(max_length=32, pattern=r"^([A-Za-z0-9][A-Za-z0-9-]{0,31})?$")]
Nationality = Annotated[str, StringConstraints(max_length=9, pattern=r"^([A-Za-z]{2}|stateless)$")]
CountryCode = Annotated[str, StringConstraints(max_length=2, pattern=r"^([A-Za-z]{2})?$")]
UnitCode = Annotated[str, StringConstraints(max_length=120, pattern=NO_NUL)]


class Input(Schema):
    # A misspelt field is an error, not silently ignored (think "fullname" on an identity change).
    model_config = ConfigDict(extra="forbid")


class Action(StrEnum):
    """What the user may do with a case now; transitions use the same names."""

    START_VERIFICATION = "start_verification"
    IDENTIFY = "identify"
    NOT_VICTIM = "not_victim"
    START_SUPPORT = "start_support"
    START_REINTEGRATION = "start_reintegration"
    CLOSE = "close"
    VIEW_IDENTITY = "view_identity"
    EDIT_IDENTITY = "edit_identity"
    RECORD_CONSENT = "record_consent"
    ASSIGN = "assign"
    VIEW_VIEWERS = "view_viewers"


class RegistrationIn(Input):
    full_name: text(200, min_length=1)  # type: ignore[valid-type]
    sex: Sex
    category: Category
    received_on: dt.date
    reception_place: text(200, min_length=1)  # type: ignore[valid-type]
    return_mode: ReturnMode
    other_names: text(400) | None = None  # type: ignore[valid-type]
    date_of_birth: dt.date | None = None
    id_number: text(40) | None = None  # type: ignore[valid-type]
    phone: text(30) | None = None  # type: ignore[valid-type]
    address: text(500) | None = None  # type: ignore[valid-type]
    family_contacts: text(1000) | None = None  # type: ignore[valid-type]
    notes: text(5000) | None = None  # type: ignore[valid-type]
    birth_year: int | None = Field(None, ge=1900, le=2100)
    ethnicity: Ethnicity = Ethnicity.UNKNOWN
    nationality: Nationality = "VN"
    home_province: UnitCode | None = Field(None, description="Administrative unit code, e.g. lao-cai")
    home_commune: UnitCode | None = None
    languages: list[Language] = Field(default_factory=list, max_length=len(Language))
    reception_unit: UnitCode | None = None
    identified_at: IdentifiedAt | None = None
    exploitation_types: list[Exploitation] = Field(default_factory=list, max_length=len(Exploitation))
    destination_country: CountryCode | None = None
    means_of_control: list[MeansOfControl] = Field(default_factory=list, max_length=len(MeansOfControl))
    accompanies: OptionalCaseCode | None = Field(None, description="Case code of the victim a minor accompanies")
    confirm_duplicate: bool = Field(False, description="Register even though a possible duplicate was reported")


class IdentityPatch(Input):
    """Only the fields sent are changed; null or "" clears a field (the full name cannot be cleared)."""

    full_name: text(200, min_length=1) | None = None  # type: ignore[valid-type]
    other_names: text(400) | None = None  # type: ignore[valid-type]
    date_of_birth: dt.date | None = None
    id_number: text(40) | None = None  # type: ignore[valid-type]
    phone: text(30) | None = None  # type: ignore[valid-type]
    address: text(500) | None = None  # type: ignore[valid-type]
    family_contacts: text(1000) | None = None  # type: ignore[valid-type]
    notes: text(5000) | None = None  # type: ignore[valid-type]


class IdentityOut(Schema):
    """The identity fields this user may see, and only those (others are absent)."""

    full_name: str | None = None
    other_names: str | None = None
    date_of_birth: str | None = None
    id_number: str | None = None
    phone: str | None = None
    address: str | None = None
    family_contacts: str | None = None
    notes: str | None = None


class IdentityChangedOut(Schema):
    changed: list[IdentityField]


class SearchFields(Schema):
    q: text(200) = Field("", description="Case code, ID number, or whole words of a name (accents optional)")  # type: ignore[valid-type]
    status: Status | None = None
    category: Category | None = None
    sex: Sex | None = None
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    names: bool = Field(True, description="Include names where you may see them (each read is audited)")
    limit: int = Field(25, ge=1, le=100)
    offset: int = Field(0, ge=0, le=1_000_000)


class SearchIn(SearchFields):
    """The same search in a request body, so names and ID numbers stay out of URLs and logs."""

    model_config = ConfigDict(extra="forbid")


class CaseListItem(Schema):
    code: str
    status: Status
    category: Category
    received_on: dt.date
    sex: Sex
    age_at_reception: int | None
    owner_agency: str
    assigned_worker: str | None
    name: str | None = Field(None, description="Full name, only where you may see it")


class CaseListOut(Page):
    total: int | None = Field(  # type: ignore[assignment]
        ..., description="How many cases match; null when more than total_cap (the cases are not all counted)")
    total_cap: int = Field(..., description="Matches are counted exactly up to this many (1,000; 200 for a search)")
    has_more: bool = Field(..., description="Whether there are cases after this page")
    items: list[CaseListItem]


class PersonOut(Schema):
    sex: Sex
    birth_year: int | None
    ethnicity: Ethnicity
    nationality: str
    home_province: str | None
    home_commune: str | None
    languages: list[Language]


class AccessOut(Schema):
    relationship: Relationship
    identity_fields: list[IdentityField] = Field(..., description="Identity fields you may read")
    actions: list[Action]


class CaseOut(Schema):
    code: str
    status: Status
    category: Category
    received_on: dt.date
    reception_place: str
    reception_unit: str | None
    return_mode: ReturnMode
    identified_at: IdentifiedAt | None
    age_at_reception: int | None
    exploitation_types: list[Exploitation]
    destination_country: str | None
    means_of_control: list[MeansOfControl]
    accompanies: str | None
    identified_on: dt.date | None
    identification_authority: str
    identification_document: str
    not_victim_reason: str | None = Field(None, description="Only for the owning agency")
    closed_on: dt.date | None
    closure_reason: str | None = Field(None, description="Only for the owning agency")
    owner_agency: AgencyOut
    receiving_agency: AgencyOut
    assigned_worker: str | None
    person: PersonOut
    access: AccessOut
    created_at: dt.datetime
    updated_at: dt.datetime


class DuplicateMatch(Schema):
    code: str
    agency: str


class DuplicateOut(Schema):
    detail: str
    code: str
    field: str | None
    matches: list[DuplicateMatch]


class StartVerificationIn(Input):
    action: Literal["start_verification"]


class IdentifyIn(Input):
    action: Literal["identify"]
    identified_on: dt.date = Field(..., description="Date of the decision; it selects the legal regime")
    authority: text(200, min_length=1)  # type: ignore[valid-type]
    document: text(100, min_length=1)  # type: ignore[valid-type]


class NotVictimIn(Input):
    action: Literal["not_victim"]
    reason: text(2000, min_length=1)  # type: ignore[valid-type]


class StartSupportIn(Input):
    action: Literal["start_support"]


class StartReintegrationIn(Input):
    action: Literal["start_reintegration"]


class CloseIn(Input):
    action: Literal["close"]
    reason: text(2000, min_length=1)  # type: ignore[valid-type]
    closed_on: dt.date | None = None


TransitionIn = Annotated[
    StartVerificationIn | IdentifyIn | NotVictimIn | StartSupportIn | StartReintegrationIn | CloseIn,
    Field(discriminator="action"),
]


class AssignIn(Input):
    worker_id: int = Field(..., ge=1, le=2**63 - 1, description="A caseworker or supervisor of the owning agency")


class SignDecision(StrEnum):
    APPROVED = "approved"
    OBJECTED = "objected"


class SignoffState(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    OBJECTED = "objected"


class SignoffOut(Schema):
    id: int
    case: str
    agency_kind: str
    due_on: dt.date
    decision: SignoffState
    overdue: bool
    agency: str | None
    signed_by: str | None
    signed_at: dt.datetime | None
    note: str | None = Field(None, description="Only for the owning agency and the signing agency")


class SignIn(Input):
    decision: SignDecision
    note: text(2000) = ""  # type: ignore[valid-type]


class BreakGlassIn(Input):
    code: CaseCode
    reason: text(2000, min_length=1) = Field(..., description="The emergency, in at least 20 characters")  # type: ignore[valid-type]


class BreakGlassOut(Schema):
    id: int
    case: str
    user: str
    reason: str
    granted_at: dt.datetime
    expires_at: dt.datetime
    reviewed_at: dt.datetime | None


class ReviewIn(Input):
    note: text(2000) = ""  # type: ignore[valid-type]
