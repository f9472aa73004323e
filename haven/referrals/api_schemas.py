"""Request and response shapes of the referrals API. Statuses and items are enums in the schema.

Component names are global in the OpenAPI schema, so these carry the app's prefix.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from ninja import Field, Schema

from haven.accounts.api import AgencyOut
from haven.accounts.models import IdentityField
from haven.cases.api_schemas import Input
from haven.core.api_types import MAX_DB_ID, text
from haven.referrals.items import MAX_ITEMS, REFERRAL_ITEMS
from haven.referrals.models import ReferralStatus, TransferStatus
from haven.referrals.services import MAX_TEXT

ReferralItem = StrEnum("ReferralItem", {code.upper(): code for code in REFERRAL_ITEMS})  # type: ignore[misc]


class ReferralIn(Input):
    to_agency_id: int = Field(..., ge=1, le=MAX_DB_ID, description="The receiving agency (GET /api/referrals/agencies)")
    purpose: text(MAX_TEXT, min_length=1) = Field(..., description="What the agency is asked to do; sealed")  # type: ignore[valid-type]
    items: list[ReferralItem] = Field(default_factory=list, max_length=MAX_ITEMS,  # type: ignore[valid-type]
                                      description="Support requested: entitlement items, or follow_up")
    due_on: dt.date | None = Field(None, description="Answer requested by; default three working days from today")
    override_reason: text(MAX_TEXT) = Field(  # type: ignore[valid-type]
        "", description="Supervisors only, without consent: the emergency, at least 20 characters; flagged")


class ReasonIn(Input):
    reason: text(MAX_TEXT, min_length=1)  # type: ignore[valid-type]


class OutcomeIn(Input):
    outcome: text(MAX_TEXT, min_length=1)  # type: ignore[valid-type]


class TransferIn(Input):
    to_agency_id: int = Field(..., ge=1, le=MAX_DB_ID, description="An agency of another province")
    reason: text(MAX_TEXT, min_length=1)  # type: ignore[valid-type]


class ReferralOut(Schema):
    id: int
    case: str = Field(..., description="Case code; never a name")
    from_agency: AgencyOut
    to_agency: AgencyOut
    status: ReferralStatus
    items: list[str]
    fields_shared: list[IdentityField]
    due_on: dt.date
    overdue: bool
    consent_overridden: bool = Field(..., description="Sent without consent by a supervisor with a written reason")
    sent_at: dt.datetime
    sent_by: str | None
    responded_at: dt.datetime | None
    completed_at: dt.datetime | None
    cancelled_at: dt.datetime | None
    # Sealed free text: only for the agency holding the case and the receiving agency (null otherwise).
    purpose: str | None
    decline_reason: str | None
    outcome: str | None
    cancel_reason: str | None


class TransferOut(Schema):
    id: int
    case: str
    from_agency: AgencyOut
    to_agency: AgencyOut
    status: TransferStatus
    requested_at: dt.datetime
    requested_by: str | None
    answered_at: dt.datetime | None
    reason: str | None
    answer_note: str | None


class CaseReferralsOut(Schema):
    case: str
    referrals: list[ReferralOut]
    transfers: list[TransferOut] = Field(..., description="Only for the agency holding the case")


class SharePreviewOut(Schema):
    agency: AgencyOut
    fields_shared: list[IdentityField]
    consent: bool = Field(..., description="Whether the person's consent to share with this agency kind is in force")
    default_due_on: dt.date


__all__ = ["CaseReferralsOut", "OutcomeIn", "ReasonIn", "ReferralIn", "ReferralOut", "SharePreviewOut",
           "TransferIn", "TransferOut"]
