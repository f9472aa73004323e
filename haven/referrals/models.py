"""Referrals between agency inboxes, and transfers of a case to an agency of another province.

An accepted referral is what lets another agency see a case (while the person's consent to share with
that agency kind is in force); an accepted transfer makes the receiving agency the case's owner.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from haven.core.fields import EncryptedTextField


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_REFERRAL = (ReferralStatus.SENT, ReferralStatus.ACCEPTED)


class Referral(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="referrals")
    from_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="referrals_sent")
    to_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="referrals_received")
    purpose = EncryptedTextField(_("purpose"))
    items = models.JSONField(_("support items requested"), default=list, blank=True)
    fields_shared = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.SENT)
    due_on = models.DateField(_("respond by"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)
    # The receiving agency's answer: accepted, or declined with a reason (response_note).
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    response_note = EncryptedTextField(blank=True, default="")
    consent_override_reason = EncryptedTextField(blank=True, default="")
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    outcome = EncryptedTextField(blank=True, default="")
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = EncryptedTextField(blank=True, default="")

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ReferralStatus.values), name="referral_status_valid"),
            models.CheckConstraint(condition=~Q(from_agency=models.F("to_agency")), name="referral_not_to_self"),
        ]
        indexes = [
            models.Index(fields=["to_agency", "status", "due_on"], name="referral_inbox_idx"),
            # The cases an agency may open by accepted referral (the case list's other way in), from the
            # index alone: at 7,841 accepted referrals the table read was 5,700 pages.
            models.Index(fields=["to_agency", "status", "case"], name="referral_to_agency_case_idx"),
        ]

    def __str__(self) -> str:
        return f"referral {self.pk} {self.status}"

    @property
    def overridden(self) -> bool:
        """Sent without the person's consent, by a supervisor with a written reason."""
        return bool(self.consent_override_reason)

    def is_overdue(self, today: dt.date | None = None) -> bool:
        from django.utils import timezone

        return self.status == ReferralStatus.SENT and self.due_on < (today or timezone.localdate())


class TransferStatus(models.TextChoices):
    REQUESTED = "requested", _("Awaiting acceptance")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


class CaseTransfer(models.Model):
    """Ownership of a case handed to an agency in another province (the person moved), once it accepts."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="transfers")
    from_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="transfers_out")
    to_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="transfers_in")
    reason = EncryptedTextField(_("reason"))
    status = models.CharField(max_length=16, choices=TransferStatus.choices, default=TransferStatus.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_note = EncryptedTextField(blank=True, default="")

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=TransferStatus.values), name="transfer_status_valid"),
            models.CheckConstraint(condition=~Q(from_agency=models.F("to_agency")), name="transfer_not_to_self"),
            # One open transfer per case: two agencies must never both be about to own it.
            models.UniqueConstraint(fields=["case"], condition=Q(status="requested"), name="one_open_transfer_per_case"),
        ]

    def __str__(self) -> str:
        return f"transfer {self.pk} {self.status}"
