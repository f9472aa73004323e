"""Sending a case to another agency's inbox, and that agency's answer. Issue 4 extends this."""

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
from haven.cases.selectors import CaseAccess, profile_fields
from haven.consent.models import Purpose
from haven.consent.selectors import consent_given
from haven.core.errors import HavenError, NotFound, PermissionDenied
from haven.referrals.models import Referral, ReferralStatus


def referrals_received(user: Any) -> QuerySet[Referral]:
    """The inbox of the user's agency: referrals are addressed to agencies, not people."""
    if not (user.is_authenticated and user.agency_id and user.role in (Role.CASEWORKER, Role.SUPERVISOR)):
        return Referral.objects.none()
    return Referral.objects.filter(to_agency_id=user.agency_id).select_related("case", "from_agency")


@transaction.atomic
def referral_send(
    *, access: CaseAccess, to_agency_id: Any, purpose: str, due_on: Any, items: list[str] | None = None,
    override_reason: str = "", channel: str = "web",
) -> Referral:
    """Refer a case. The fields shared are the receiving kind's sharing profile, and need the person's consent.

    Without consent only a supervisor may send, with a written reason; that is flagged in the audit trail.
    """
    if not access.can_edit:
        raise NotFound()
    to_agency = Agency.objects.filter(pk=_agency_id(to_agency_id), is_active=True).first()
    if to_agency is None:
        raise HavenError(_("Choose an agency from the list."), field="to_agency")
    if to_agency.pk == access.case.owner_agency_id:
        raise HavenError(_("A case cannot be referred to the agency that holds it."), field="to_agency")
    day = v.date(due_on, "due_on", not_future=False)
    if day is None or day < timezone.localdate():
        raise HavenError(_("Choose a response date from today on."), field="due_on")
    override_reason = v.text(override_reason, "override_reason", max_length=2000)
    if not consent_given(access.case.person_id, Purpose.SHARING, to_agency.kind):
        if not override_reason:
            raise HavenError(
                _("The person has not consented to sharing with this kind of agency, so the referral cannot be sent."),
                field="to_agency", code="no_consent",
            )
        if not access.is_supervisor:
            raise PermissionDenied(_("Only a supervisor may send a referral without consent."))
        if len(override_reason) < 20:
            raise HavenError(_("Explain the emergency in at least 20 characters."), field="override_reason")
    referral = Referral.objects.create(
        case=access.case, from_agency_id=access.case.owner_agency_id, to_agency=to_agency,
        purpose=v.text(purpose, "purpose", required=True, max_length=2000), items=items or [],
        fields_shared=sorted(profile_fields(to_agency.kind)), due_on=day, sent_by=access.user,
        consent_override_reason=override_reason,
    )
    audit_record(
        actor=access.user, action=AuditAction.CREATE, object_type="referral", object_id=referral.pk,
        case_id=access.case.pk, changes={"to_agency": to_agency.pk, "fields_shared": referral.fields_shared,
                                         "consent_override": bool(override_reason)},
        reason="consent override" if override_reason else "", channel=channel,
    )
    return referral


def _agency_id(value: Any) -> int:
    try:
        return v.record_id(value)
    except NotFound:
        raise HavenError(_("Choose an agency from the list."), field="to_agency") from None


def _inbox_item(user: Any, referral_id: Any, status: str) -> Referral:
    referral = referrals_received(user).select_for_update().filter(
        pk=v.record_id(referral_id)
    ).first()
    if referral is None:
        raise NotFound()
    if referral.status != status:
        raise HavenError(_("This referral has already been answered."), code="bad_transition")
    return referral


def _answer(user: Any, referral: Referral, status: str, note: str, channel: str) -> Referral:
    old = referral.status
    referral.status, referral.response_note = status, note
    referral.responded_by, referral.responded_at = user, timezone.now()
    referral.save(update_fields=["status", "response_note", "responded_by", "responded_at"])
    audit_record(
        actor=user, action=AuditAction.STATUS, object_type="referral", object_id=referral.pk,
        case_id=referral.case_id, changes={"status": [old, status]}, channel=channel,
    )
    return referral


@transaction.atomic
def referral_accept(*, acting_user: Any, referral_id: Any, channel: str = "web") -> Referral:
    referral = _inbox_item(acting_user, referral_id, ReferralStatus.SENT)
    return _answer(acting_user, referral, ReferralStatus.ACCEPTED, "", channel)


@transaction.atomic
def referral_decline(*, acting_user: Any, referral_id: Any, reason: str, channel: str = "web") -> Referral:
    referral = _inbox_item(acting_user, referral_id, ReferralStatus.SENT)
    reason = v.text(reason, "reason", required=True, max_length=2000)
    return _answer(acting_user, referral, ReferralStatus.DECLINED, reason, channel)


@transaction.atomic
def referral_complete(*, acting_user: Any, referral_id: Any, outcome: str, channel: str = "web") -> Referral:
    referral = _inbox_item(acting_user, referral_id, ReferralStatus.ACCEPTED)
    outcome = v.text(outcome, "outcome", required=True, max_length=2000)
    return _answer(acting_user, referral, ReferralStatus.COMPLETED, outcome, channel)


def overdue(referrals: QuerySet[Referral], today: dt.date | None = None) -> QuerySet[Referral]:
    return referrals.filter(status=ReferralStatus.SENT, due_on__lt=today or timezone.localdate())
