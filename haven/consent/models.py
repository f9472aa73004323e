"""Consent by purpose: an append-only history; the latest record for a purpose is in force."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from haven.core.fields import EncryptedTextField


class Purpose(models.TextChoices):
    SERVICES = "services", _("Receiving services")
    SHARING = "sharing", _("Sharing with an agency kind")
    STATISTICS = "statistics", _("Statistics")
    RESEARCH = "research", _("Research interviews")
    MEDIA = "media", _("Photos and recordings")


class Decision(models.TextChoices):
    GIVEN = "given", _("Given")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REFUSED = "refused", _("Refused")


class GivenBy(models.TextChoices):
    PERSON = "person", _("The person")
    PERSON_AND_GUARDIAN = "person_and_guardian", _("The child and the guardian")
    GUARDIAN = "guardian", _("The guardian")


class Method(models.TextChoices):
    SIGNED_FORM = "signed_form", _("Signed form")
    VERBAL_WITNESSED = "verbal_witnessed", _("Verbal, with a witness")


class ConsentRecord(models.Model):
    person = models.ForeignKey("cases.Person", on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    agency_kind = models.CharField(_("agency kind"), max_length=32, blank=True)
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices)
    given_by = models.CharField(_("given by"), max_length=24, choices=GivenBy.choices)
    method = models.CharField(_("how"), max_length=24, choices=Method.choices)
    guardian_name = EncryptedTextField(blank=True, default="")
    witness_name = EncryptedTextField(blank=True, default="")
    note = EncryptedTextField(blank=True, default="")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    effective_on = models.DateField(_("date"))

    class Meta:
        ordering = ["-recorded_at", "-id"]
        # A person's latest decision for a purpose (and agency kind) is the first entry of this index: the case
        # list asks it once for every case referred to the user's agency.
        indexes = [models.Index(fields=["person", "purpose", "agency_kind", "-recorded_at", "-id"],
                                name="consent_latest_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(purpose__in=Purpose.values), name="consent_purpose_valid"),
            models.CheckConstraint(condition=Q(decision__in=Decision.values), name="consent_decision_valid"),
            models.CheckConstraint(
                condition=Q(purpose="sharing", agency_kind__gt="") | (~Q(purpose="sharing") & Q(agency_kind="")),
                name="consent_sharing_names_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.purpose}:{self.agency_kind} {self.decision}"
