"""Referrals between agency inboxes. An accepted referral is what lets another agency see a case."""

from __future__ import annotations

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
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    response_note = EncryptedTextField(blank=True, default="")
    consent_override_reason = EncryptedTextField(blank=True, default="")

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ReferralStatus.values), name="referral_status_valid"),
            models.CheckConstraint(condition=~Q(from_agency=models.F("to_agency")), name="referral_not_to_self"),
        ]

    def __str__(self) -> str:
        return f"referral {self.pk} {self.status}"
