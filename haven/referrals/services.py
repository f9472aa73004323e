"""Sending a case to another agency's inbox, that agency's answer, and the sender's cancellation.

Referrals are addressed to agencies, not to people: any caseworker or supervisor of the receiving
agency may answer. Transfers of ownership between provinces are in `transfers.py`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import Agency, Role
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases import validation as v
from haven.cases.models import Status
from haven.cases.selectors import CaseAccess, profile_fields
from haven.consent.models import Purpose
from haven.consent.selectors import consent_given
from haven.core.errors import HavenError, NotFound, PermissionDenied
from haven.referrals.items import REFERRAL_ITEMS
from haven.referrals.models import OPEN_REFERRAL, Referral, ReferralStatus

MAX_TEXT = 2000
# A consent override is an emergency measure: the reason must say what the emergency is.
MIN_OVERRIDE_REASON = 20
# How far ahead a response date may be set: a referral nobody has to answer for a year is no referral.
MAX_DUE_DAYS = 90


def works_cases(user: Any) -> bool:
    return bool(
        user is not None and user.is_authenticated and user.is_active and user.agency_id
        and user.role in (Role.CASEWORKER, Role.SUPERVISOR)
    )


def referrals_received(user: Any) -> QuerySet[Referral]:
    """The inbox of the user's agency: referrals are addressed to agencies, not people."""
    if not works_cases(user):
        return Referral.objects.none()
    return Referral.objects.filter(to_agency_id=user.agency_id).select_related("case", "from_agency", "to_agency")


def _agency_id(value: Any) -> int:
    try:
        return v.record_id(value)
    except NotFound:
        raise HavenError(_("Choose an agency from the list."), field="to_agency") from None


def referral_agency(value: Any, access: CaseAccess) -> Agency:
    """The receiving agency of a new referral: active, and not the agency that holds the case."""
    if value in (None, ""):
        raise HavenError(_("Choose an agency from the list."), field="to_agency")
    to_agency = Agency.objects.filter(pk=_agency_id(value), is_active=True).select_related("jurisdiction").first()
    if to_agency is None:
        raise HavenError(_("Choose an agency from the list."), field="to_agency")
    if to_agency.pk == access.case.owner_agency_id:
        raise HavenError(_("A case cannot be referred to the agency that holds it."), field="to_agency")
    return to_agency


def _due_on(value: Any) -> dt.date:
    day = v.date(value, "due_on", required=True, not_future=False)
    assert day is not None
    today = timezone.localdate()
    if day < today:
        raise HavenError(_("Choose a response date from today on."), field="due_on")
    if day > today + dt.timedelta(days=MAX_DUE_DAYS):
        raise HavenError(_("Choose a response date within %(n)d days.") % {"n": MAX_DUE_DAYS}, field="due_on")
    return day


@transaction.atomic
def referral_send(
    *, access: CaseAccess, to_agency_id: Any, purpose: str, due_on: Any, items: list[str] | None = None,
    override_reason: str = "", channel: str = "web",
) -> Referral:
    """Refer a case. The fields shared are the receiving kind's sharing profile, and need the person's consent.

    Without consent only a supervisor may send, with a written reason; that is flagged in the audit trail.
    Everything is checked before anything is written, so a refusal changes nothing.
    """
    if not access.can_edit:
        raise NotFound()
    if access.case.status == Status.CLOSED:
        raise HavenError(_("A closed case cannot be referred."), code="case_closed")
    to_agency = referral_agency(to_agency_id, access)
    purpose = v.text(purpose, "purpose", required=True, max_length=MAX_TEXT)
    chosen = v.choices(items, "items", REFERRAL_ITEMS)
    day = _due_on(due_on)
    override_reason = v.text(override_reason, "override_reason", max_length=MAX_TEXT)
    if Referral.objects.filter(case=access.case, to_agency=to_agency, status__in=OPEN_REFERRAL).exists():
        raise HavenError(_("This agency already has an open referral for this case."), field="to_agency",
                         code="already_open")
    consented = consent_given(access.case.person_id, Purpose.SHARING, to_agency.kind)
    if consented:
        override_reason = ""  # nothing to override: never flag a referral that had consent
    else:
        if not override_reason:
            raise HavenError(
                _("The person has not consented to sharing with this kind of agency, so the referral cannot be sent."),
                field="to_agency", code="no_consent",
            )
        if not access.is_supervisor:
            raise PermissionDenied(_("Only a supervisor may send a referral without consent."))
        if len(override_reason) < MIN_OVERRIDE_REASON:
            raise HavenError(_("Explain the emergency in at least 20 characters."), field="override_reason")
    referral = Referral.objects.create(
        case=access.case, from_agency_id=access.case.owner_agency_id, to_agency=to_agency, purpose=purpose,
        items=chosen, fields_shared=sorted(profile_fields(to_agency.kind)), due_on=day, sent_by=access.user,
        consent_override_reason=override_reason,
    )
    audit_record(
        actor=access.user, action=AuditAction.CREATE, object_type="referral", object_id=referral.pk,
        case_id=access.case.pk, fields=referral.fields_shared,
        changes={"to_agency": to_agency.pk, "fields_shared": referral.fields_shared, "items": chosen,
                 "due_on": day.isoformat(), "consent_override": bool(override_reason)},
        reason="consent override" if override_reason else "", channel=channel,
    )
    return referral


def _inbox_item(user: Any, referral_id: Any, status: str) -> Referral:
    referral = referrals_received(user).select_for_update(of=("self",)).filter(pk=v.record_id(referral_id)).first()
    if referral is None:
        raise NotFound()
    if referral.status != status:
        if status == ReferralStatus.ACCEPTED and referral.status == ReferralStatus.SENT:
            raise HavenError(_("Accept the referral before recording its outcome."), code="bad_transition")
        raise HavenError(_("This referral has already been answered."), code="bad_transition")
    return referral


def _audit_status(user: Any, referral: Referral, old: str, channel: str, **extra: Any) -> None:
    audit_record(
        actor=user, action=AuditAction.STATUS, object_type="referral", object_id=referral.pk,
        case_id=referral.case_id, changes={"status": [old, referral.status], **extra}, channel=channel,
    )


@transaction.atomic
def referral_accept(*, acting_user: Any, referral_id: Any, channel: str = "web") -> Referral:
    """The receiving agency takes the case on: from now it sees the shared fields, while consent lasts."""
    referral = _inbox_item(acting_user, referral_id, ReferralStatus.SENT)
    referral.status, referral.responded_by, referral.responded_at = ReferralStatus.ACCEPTED, acting_user, timezone.now()
    referral.save(update_fields=["status", "responded_by", "responded_at"])
    _audit_status(acting_user, referral, ReferralStatus.SENT, channel)
    return referral


@transaction.atomic
def referral_decline(*, acting_user: Any, referral_id: Any, reason: str, channel: str = "web") -> Referral:
    """Refuse a referral, saying why (the sender reads the reason and looks for another agency)."""
    reason = v.text(reason, "reason", required=True, max_length=MAX_TEXT)
    referral = _inbox_item(acting_user, referral_id, ReferralStatus.SENT)
    referral.status, referral.response_note = ReferralStatus.DECLINED, reason
    referral.responded_by, referral.responded_at = acting_user, timezone.now()
    referral.save(update_fields=["status", "response_note", "responded_by", "responded_at"])
    _audit_status(acting_user, referral, ReferralStatus.SENT, channel, reason_length=len(reason))
    return referral


@transaction.atomic
def referral_complete(*, acting_user: Any, referral_id: Any, outcome: str, channel: str = "web") -> Referral:
    """Close an accepted referral with what was done. The receiving agency's access ends with it."""
    outcome = v.text(outcome, "outcome", required=True, max_length=MAX_TEXT)
    referral = _inbox_item(acting_user, referral_id, ReferralStatus.ACCEPTED)
    referral.status, referral.outcome = ReferralStatus.COMPLETED, outcome
    referral.completed_by, referral.completed_at = acting_user, timezone.now()
    referral.save(update_fields=["status", "outcome", "completed_by", "completed_at"])
    _audit_status(acting_user, referral, ReferralStatus.ACCEPTED, channel, outcome_length=len(outcome))
    return referral


@transaction.atomic
def referral_cancel(*, access: CaseAccess, referral_id: Any, reason: str, channel: str = "web") -> Referral:
    """The agency holding the case withdraws a referral the receiver has not answered yet."""
    if not access.can_edit:
        raise NotFound()
    reason = v.text(reason, "reason", required=True, max_length=MAX_TEXT)
    referral = Referral.objects.select_for_update().filter(pk=v.record_id(referral_id), case_id=access.case.pk).first()
    if referral is None:
        raise NotFound()
    if referral.status != ReferralStatus.SENT:
        raise HavenError(_("Only a referral that has not been answered can be cancelled."), code="bad_transition")
    referral.status, referral.cancel_reason = ReferralStatus.CANCELLED, reason
    referral.cancelled_by, referral.cancelled_at = access.user, timezone.now()
    referral.save(update_fields=["status", "cancel_reason", "cancelled_by", "cancelled_at"])
    _audit_status(access.user, referral, ReferralStatus.SENT, channel, reason_length=len(reason))
    return referral


def overdue(referrals: QuerySet[Referral], today: dt.date | None = None) -> QuerySet[Referral]:
    """Referrals still unanswered after their response date."""
    return referrals.filter(status=ReferralStatus.SENT, due_on__lt=today or timezone.localdate())
