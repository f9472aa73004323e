"""Request and response shapes of the protection API. Component names carry the app's prefix.

Sealed text (threat description and location, notes, relatives' names, the authority's free text) is
`null` for users outside the need-to-know rule (see docs/protection.md); every value shown is audited.
"""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema
from pydantic import StrictBool

from haven.cases.api_schemas import Input
from haven.core.api_types import MAX_DB_ID, text
from haven.protection.models import (
    Beneficiary,
    DomainLevel,
    MeasureStatus,
    Occasion,
    RefusalMethod,
    ReviewOutcome,
    RiskLevel,
    Severity,
    ThreatSource,
)

Note = text(2000)


class ProtectionDomainsIn(Input):
    traffickers: DomainLevel
    family_community: DomainLevel
    retrafficking: DomainLevel
    health: DomainLevel
    stigma: DomainLevel


class ProtectionDomainNotesIn(Input):
    traffickers: Note | None = None  # type: ignore[valid-type]
    family_community: Note | None = None  # type: ignore[valid-type]
    retrafficking: Note | None = None  # type: ignore[valid-type]
    health: Note | None = None  # type: ignore[valid-type]
    stigma: Note | None = None  # type: ignore[valid-type]


class RiskAssessmentIn(Input):
    occasion: Occasion
    assessed_on: dt.date
    levels: ProtectionDomainsIn
    notes: ProtectionDomainNotesIn | None = Field(None, description="Optional sealed note per domain")
    level: RiskLevel | None = Field(None, description="Override of the rule's level; needs override_reason")
    override_reason: Note | None = None  # type: ignore[valid-type]


class RiskAssessmentOut(Schema):
    id: int
    occasion: Occasion
    assessed_on: dt.date
    traffickers: DomainLevel
    family_community: DomainLevel
    retrafficking: DomainLevel
    health: DomainLevel
    stigma: DomainLevel
    computed_level: RiskLevel = Field(..., description="The level the documented rule gives")
    level: RiskLevel
    overridden: bool
    assessed_by: str
    agency_id: int
    notes: dict[str, str] | None = Field(None, description="Sealed notes per domain; need-to-know only")
    override_reason: str | None = Field(None, description="Need-to-know only")


class ThreatIn(Input):
    occurred_on: dt.date
    reported_on: dt.date | None = Field(None, description="Default: the day it occurred")
    source: ThreatSource
    severity: Severity
    description: text(2000, min_length=1)  # type: ignore[valid-type]
    location: text(500) | None = None  # type: ignore[valid-type]


class ThreatOut(Schema):
    id: int
    occurred_on: dt.date
    reported_on: dt.date
    source: ThreatSource
    severity: Severity
    review_needed: bool
    review_id: int | None
    reported_by: str
    agency_id: int
    description: str | None = Field(None, description="Sealed; need-to-know only")
    location: str | None = Field(None, description="Sealed; need-to-know only")


class MeasureReviewIn(Input):
    outcome: ReviewOutcome
    note: Note | None = None  # type: ignore[valid-type]


class MeasureReviewOut(Schema):
    id: int
    outcome: ReviewOutcome
    reviewed_by: str
    reviewed_at: dt.datetime
    threats: list[int]
    note: str | None = Field(None, description="Need-to-know only")


class MeasureIn(Input):
    kind: text(40, min_length=1) = Field(..., description="A code of the catalogue in force on requested_on")  # type: ignore[valid-type]
    requested_on: dt.date
    beneficiary: Beneficiary = Beneficiary.PERSON
    relative_name: text(200) | None = Field(None, description="Sealed; required for a relative")  # type: ignore[valid-type]
    relative_relationship: text(100) | None = None  # type: ignore[valid-type]
    proceeding_id: int | None = Field(None, ge=1, le=MAX_DB_ID, description="Required for closed_trial")
    note: Note | None = None  # type: ignore[valid-type]


class MeasureDecisionIn(Input):
    granted: StrictBool
    decided_on: dt.date
    authority_agency_id: int | None = Field(None, ge=1, le=MAX_DB_ID)
    authority_text: text(300) | None = Field(None, description="Sealed; when the authority is not a listed agency")  # type: ignore[valid-type]


class MeasureInForceIn(Input):
    in_force_from: dt.date
    in_force_to: dt.date | None = None


class MeasureEndIn(Input):
    ended_on: dt.date
    note: Note | None = None  # type: ignore[valid-type]


class MeasureRefusalIn(Input):
    refused_on: dt.date
    method: RefusalMethod
    note: Note | None = None  # type: ignore[valid-type]


class MeasureOut(Schema):
    id: int
    case: str = Field(..., description="Case code")
    kind: str
    name: str
    catalogue: str
    citation: str
    confidence: str
    beneficiary: Beneficiary
    status: MeasureStatus
    in_force_now: bool
    requested_on: dt.date
    decided_on: dt.date | None
    authority_agency_id: int | None
    in_force_from: dt.date | None
    in_force_to: dt.date | None
    refused_on: dt.date | None
    refusal_method: RefusalMethod | None
    ended_on: dt.date | None
    proceeding_id: int | None
    relative_name: str | None = Field(None, description="Sealed; need-to-know only")
    relative_relationship: str | None = Field(None, description="Sealed; need-to-know only")
    authority_text: str | None = Field(None, description="Sealed; need-to-know only")
    request_note: str | None = None
    refusal_note: str | None = None
    end_note: str | None = None


class MeasureKindOut(Schema):
    code: str
    clause: int
    name: str


class MeasureCatalogueOut(Schema):
    code: str
    instrument: str
    article: str
    valid_from: dt.date
    valid_to: dt.date | None
    confidence: str = Field(..., description="confirmed, reported or unverified")
    note: str
    measures: list[MeasureKindOut]


class ProtectionSummaryOut(Schema):
    case: str
    level: RiskLevel | None = Field(..., description="Of the latest assessment; null when none")
    assessed_on: dt.date | None
    threats_awaiting_review: int
    measures_in_force: list[MeasureOut]
    sees_details: bool = Field(..., description="Whether this user may read sealed protection text")


class ThreatQueueOut(Schema):
    id: int
    case: str
    occurred_on: dt.date
    reported_on: dt.date
    source: ThreatSource
    severity: Severity


class MeasureEndingOut(Schema):
    id: int
    case: str
    kind: str
    name: str
    in_force_to: dt.date
