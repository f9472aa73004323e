"""Request and response shapes of the entitlements API.

Statuses, item codes, regimes and periods are enums, so the OpenAPI schema lists them. The engine's
output is documented field by field in docs/entitlements.md; these classes say the same in OpenAPI.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import BaseModel, ConfigDict, SkipValidation, StrictBool, StrictInt, StringConstraints

from haven.cases.api_schemas import Input
from haven.core.api_types import MAX_DB_ID, text
from haven.entitlements.engine.regimes import CIRCULAR84, DECREE09, DECREE162, LAW53, LAW66
from haven.entitlements.models import ApplicationItem, ApplicationStatus, Confidence

# Per request: about 12 kB of answer per profile, so 1,000 profiles is already ~12 MB.
MAX_PROFILES = 1000
MAX_VND = 10**12
Slug = Annotated[str, StringConstraints(max_length=60, pattern=r"^[a-z]+(-[a-z]+)*$")]
Amount = Annotated[StrictInt, Field(ge=0, le=MAX_VND)]


# Component names are global in the OpenAPI schema: these must not reuse a name from another app
# (cases already has Category, Sex and consent has Decision).


class ItemStatus(StrEnum):
    ENTITLED = "entitled"
    NOT_ENTITLED = "not_entitled"
    NEEDS_INFORMATION = "needs_information"
    DEADLINE_PASSED = "deadline_passed"
    AMOUNT_NOT_SET = "amount_not_set"


class ItemCode(StrEnum):
    FOOD = "food"
    CLOTHING_PERSONAL_ITEMS = "clothing_personal_items"
    ESSENTIAL_NEEDS = "essential_needs"
    TRAVEL = "travel"
    MEDICAL = "medical"
    HEALTH_INSURANCE = "health_insurance"
    PSYCHOLOGICAL = "psychological"
    INTERPRETATION = "interpretation"
    LEGAL_SUPPORT = "legal_support"
    LEGAL_AID = "legal_aid"
    EDUCATION = "education"
    VOCATIONAL_TRAINING = "vocational_training"
    HARDSHIP_ALLOWANCE = "hardship_allowance"
    LOAN = "loan"


class Regime(StrEnum):
    LAW_66_2011 = LAW66
    LAW_53_2024 = LAW53


class Period(StrEnum):
    DECREE_09_2013 = DECREE09
    CIRCULAR_84_2019 = CIRCULAR84
    DECREE_162_2025 = DECREE162


class Located(StrEnum):
    VIETNAM = "vietnam"
    ABROAD = "abroad"


class ApplicationDecision(StrEnum):
    APPROVED = ApplicationStatus.APPROVED.value
    REJECTED = ApplicationStatus.REJECTED.value
    WITHDRAWN = ApplicationStatus.WITHDRAWN.value


class Unit(StrEnum):
    VND = "VND"
    VND_PER_DAY = "VND/day"
    DAYS = "days"
    MONTHS = "months"
    WORKING_DAYS = "working_days"
    PERCENT = "percent"


class OfficialConfidence(StrEnum):
    """An entered figure has a number, so it cannot be `unverified`."""

    CONFIRMED = Confidence.CONFIRMED.value
    REPORTED = Confidence.REPORTED.value


class Source(StrEnum):
    FILE = "file"
    DATABASE = "database"


# --- The engine's answer ---------------------------------------------------------------------------


class Bilingual(Schema):
    vi: str
    en: str


class CitationOut(Schema):
    instrument: str
    article: str | None = Field(..., description="Null where the source gives no article")


class ItemOut(Schema):
    code: ItemCode
    name: Bilingual
    status: ItemStatus
    confidence: Literal["confirmed", "reported", "unverified"] = Field(
        ..., description="The weakest confidence of the figures and rules the item cites")
    amount_vnd: int | None = Field(
        ..., description="Integer đồng; null when in kind, at actual cost, not a fixed sum, or not set")
    limits: dict[str, int | bool | str | list[str]] = Field(
        ..., description="max_days, paid_days, rate_vnd_per_day, … (docs/entitlements.md)")
    deadlines: dict[str, dt.date] = Field(..., description="apply_by, commune_forwards_by, support_ends, …")
    reasons: list[Bilingual] = Field(..., description="The first says the status and why; each ends with its citation")
    citations: list[CitationOut]


class CaseEntitlementsOut(Schema):
    case: str = Field(..., description="Case code")
    on: dt.date = Field(..., description="The evaluation date")
    regime: Regime | None = Field(..., description="Null for a victim's relative (no support regime)")
    period: Period | None = None
    deadlines: dict[str, dt.date] = Field(default_factory=dict, description="e.g. initial_verification_by")
    reasons: list[Bilingual] = Field(default_factory=list, description="Why this regime and period")
    citations: list[CitationOut] = Field(default_factory=list)
    items: list[ItemOut]
    not_applicable: Bilingual | None = Field(None, description="Why no regime applies, when none does")


class ProfileResultOut(Schema):
    id: str | int
    regime: Regime
    period: Period
    deadlines: dict[str, dt.date]
    reasons: list[Bilingual]
    citations: list[CitationOut]
    items: list[ItemOut]


class EvaluationOut(Schema):
    on: dt.date
    results: list[ProfileResultOut] = Field(..., description="One per profile, in input order")


# --- Facts -----------------------------------------------------------------------------------------


class FactsOut(Schema):
    """The circumstances that decide eligibility. Null means not known: the engine asks for it."""

    poor_household: bool | None
    near_poor_household: bool | None
    financial_difficulty: bool | None
    has_health_insurance: bool | None
    has_relatives: bool | None
    revolutionary_merit_family: bool | None
    located: Located
    shelter_from: dt.date | None
    shelter_to: dt.date | None
    updated_at: dt.datetime | None
    updated_by: str | None


class FactsPatch(Input):
    """Only the fields sent change; null makes a yes/no fact 'not known' again and clears a date."""

    poor_household: StrictBool | None = None
    near_poor_household: StrictBool | None = None
    financial_difficulty: StrictBool | None = None
    has_health_insurance: StrictBool | None = None
    has_relatives: StrictBool | None = None
    revolutionary_merit_family: StrictBool | None = None
    located: Located = Field(None, description="vietnam or abroad; cannot be cleared")  # type: ignore[assignment]
    shelter_from: dt.date | None = None
    shelter_to: dt.date | None = Field(None, description="Null while the stay goes on")


# --- Applications ----------------------------------------------------------------------------------


class StepOut(Schema):
    order: int
    code: str
    body: Bilingual = Field(..., description="The responsible body on the due date")
    working_days: int | None
    due_on: dt.date | None = Field(..., description="Null where the law gives no confirmed time limit")
    completed_on: dt.date | None
    confidence: Confidence
    citation: str
    overdue: bool = Field(..., description="Not done and past its due date while the application is open")
    note: str | None = Field(None, description="Only for the owning agency")


class ApplicationOut(Schema):
    id: int
    item: ApplicationItem
    received_on: dt.date
    regime: Regime
    status: ApplicationStatus
    decided_on: dt.date | None
    amount_vnd: int | None = Field(..., description="Integer đồng granted")
    decision_note: str | None = Field(None, description="Only for the owning agency")
    created_at: dt.datetime
    steps: list[StepOut]


class ApplicationIn(Input):
    item: ApplicationItem
    received_on: dt.date = Field(..., description="The day the commune received the application")


class StepCompleteIn(Input):
    completed_on: dt.date
    note: text(2000) | None = None  # type: ignore[valid-type]


class DecisionIn(Input):
    decision: ApplicationDecision
    decided_on: dt.date
    note: text(2000) | None = Field(None, description="Required for a refusal: the person must be told why")  # type: ignore[valid-type]
    amount_vnd: Amount | None = Field(None, description="Integer đồng granted")


class OverdueStepOut(Schema):
    case: str = Field(..., description="Case code")
    application_id: int
    item: ApplicationItem
    order: int
    code: str
    body: Bilingual
    due_on: dt.date


# --- Parameters ------------------------------------------------------------------------------------


class ParameterValueOut(Schema):
    code: str
    scope: str = Field(..., description="national, or a province slug such as lao-cai")
    valid_from: dt.date
    valid_to: dt.date | None = Field(..., description="Inclusive; null while in force")
    value: int | None = Field(..., description="Null where unverified: no figure is ever invented")
    unit: Unit
    citation: CitationOut
    confidence: Confidence
    note: str
    source: Source = Field(..., description="Shipped with Haven (file) or entered by an administrator (database)")


class ParameterValueIn(Input):
    """An official dated figure. It never replaces a value: a later figure is a new row."""

    parameter: text(80, min_length=1) = Field(..., description="Parameter code, e.g. hardship.amount")  # type: ignore[valid-type]
    scope: Slug = Field(..., description="national, or a province slug such as lao-cai")
    valid_from: dt.date
    valid_to: dt.date | None = None
    amount: Amount = Field(..., description="A whole number in the parameter's unit (đồng for VND)")
    unit: Unit
    instrument: text(200, min_length=1) = Field(..., description="e.g. Nghị quyết 12/2024/NQ-HĐND")  # type: ignore[valid-type]
    article: text(100) | None = None  # type: ignore[valid-type]
    confidence: OfficialConfidence = OfficialConfidence.CONFIRMED


# --- Anonymous profiles ----------------------------------------------------------------------------


class ProfileCategory(StrEnum):
    VICTIM = "victim"
    UNDER_IDENTIFICATION = "under_identification"
    ACCOMPANYING_MINOR = "accompanying_minor"


class ProfileSex(StrEnum):
    F = "F"
    M = "M"
    X = "X"
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"


# Plain pydantic models, validated strictly from JSON by the endpoint: "yes" is not true and 1 is not a
# date, as for the command line. (ninja's Schema validates in Python mode, where strict dates refuse text.)


class ShelterStayIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True)

    start: dt.date = Field(..., alias="from")
    to: dt.date | None = Field(None, description="Null while the stay goes on")


class ProfileIn(BaseModel):
    """The engine's profile (docs/entitlements.md). No case data: ids are whatever you choose."""

    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True)

    id: text(100, min_length=1) | Annotated[int, Field(ge=-MAX_DB_ID, le=MAX_DB_ID)]  # type: ignore[valid-type]
    category: ProfileCategory
    nationality: Annotated[str, StringConstraints(max_length=18, pattern=r"^([A-Z]{2}|stateless_resident)$")] = Field(
        ..., description="VN, stateless_resident, or an ISO 3166 alpha-2 code")
    located: Located
    birth_date: dt.date | None = None
    sex: ProfileSex | None = None
    identified_on: dt.date | None = Field(None, description="Required for a victim, null otherwise")
    accompanies: dt.date | None = Field(None, description="The victim's identified_on, for an accompanying minor")
    province: Slug | None = None
    poor_household: bool | None = None
    near_poor_household: bool | None = None
    financial_difficulty: bool | None = None
    has_health_insurance: bool | None = None
    has_relatives: bool | None = None
    revolutionary_merit_family: bool | None = None
    shelter_stay: ShelterStayIn | None = None
    application_received_on: dt.date | None = None
    reported_on: dt.date | None = None


class EvaluateIn(Input):
    on: dt.date = Field(..., description="The evaluation date, from 2013-04-15 (Decree 09/2013)")
    # Each profile is checked by the endpoint, so an error can name the profile as well as the field.
    profiles: list[Annotated[ProfileIn, SkipValidation]] = Field(..., max_length=MAX_PROFILES)
