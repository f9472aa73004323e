"""What the rules need to know about a case, official figures entered later, and support applications."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from haven.core.fields import EncryptedTextField


class Confidence(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    REPORTED = "reported", _("Reported")
    UNVERIFIED = "unverified", _("Unverified")


class EntitlementFacts(models.Model):
    """The circumstances that decide eligibility. None means 'not known yet' and the engine asks for it."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="entitlement_facts")
    poor_household = models.BooleanField(_("poor household"), null=True, blank=True)
    near_poor_household = models.BooleanField(_("near-poor household"), null=True, blank=True)
    financial_difficulty = models.BooleanField(_("in financial difficulty"), null=True, blank=True)
    has_health_insurance = models.BooleanField(_("has a health insurance card"), null=True, blank=True)
    has_relatives = models.BooleanField(_("has relatives"), null=True, blank=True)
    revolutionary_merit_family = models.BooleanField(_("family with revolutionary merit"), null=True, blank=True)
    located = models.CharField(_("where the person is"), max_length=10, default="vietnam")
    shelter_from = models.DateField(_("shelter stay from"), null=True, blank=True)
    shelter_to = models.DateField(_("shelter stay to"), null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(located__in=["vietnam", "abroad"]), name="facts_located_valid"),
            models.CheckConstraint(
                condition=Q(shelter_to__isnull=True) | Q(shelter_from__isnull=False, shelter_to__gte=models.F("shelter_from")),
                name="facts_shelter_range",
            ),
        ]

    def __str__(self) -> str:
        return f"facts of case {self.case_id}"


class ParameterValue(models.Model):
    """An official figure entered by an administrator, with its date and source. Never edited: a new
    figure is a new row with a later `valid_from`."""

    parameter = models.CharField(_("parameter"), max_length=80)
    scope = models.CharField(_("scope"), max_length=60, help_text=_("national, or a province slug such as lao-cai"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    amount = models.PositiveBigIntegerField(_("amount"))
    unit = models.CharField(_("unit"), max_length=20)
    instrument = models.CharField(_("legal instrument"), max_length=200)
    article = models.CharField(_("article"), max_length=100, blank=True)
    confidence = models.CharField(_("confidence"), max_length=12, choices=Confidence.choices)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["parameter", "scope", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["parameter", "scope", "valid_from"], name="parametervalue_unique"),
            models.CheckConstraint(condition=Q(confidence__in=Confidence.values), name="parametervalue_confidence"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="parametervalue_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.parameter} [{self.scope}] from {self.valid_from}: {self.amount} {self.unit}"


class ApplicationItem(models.TextChoices):
    EDUCATION = "education", _("Education support")
    VOCATIONAL_TRAINING = "vocational_training", _("Vocational training support")
    HARDSHIP_ALLOWANCE = "hardship_allowance", _("Initial hardship allowance")


class ApplicationStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("Being processed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class SupportApplication(models.Model):
    """A dossier for an item that needs an application (Decree 09/2013 Art. 23)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="support_applications")
    item = models.CharField(_("item"), max_length=32, choices=ApplicationItem.choices)
    received_on = models.DateField(_("received on"))
    regime = models.CharField(max_length=20)
    status = models.CharField(max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.IN_PROGRESS)
    decided_on = models.DateField(null=True, blank=True)
    decision_note = EncryptedTextField(blank=True, default="")
    amount_vnd = models.PositiveBigIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(item__in=ApplicationItem.values), name="application_item_valid"),
            models.CheckConstraint(condition=Q(status__in=ApplicationStatus.values), name="application_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.item} application {self.pk}"


class ApplicationStep(models.Model):
    """One processing step with its responsible body and due date in working days."""

    application = models.ForeignKey(SupportApplication, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=40)
    body_vi = models.CharField(max_length=200)
    body_en = models.CharField(max_length=200)
    working_days = models.PositiveSmallIntegerField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    note = EncryptedTextField(blank=True, default="")
    citation = models.CharField(max_length=200, blank=True)
    confidence = models.CharField(max_length=12, choices=Confidence.choices, default=Confidence.REPORTED)

    class Meta:
        ordering = ["application", "order"]
        constraints = [models.UniqueConstraint(fields=["application", "order"], name="step_unique_order")]

    def __str__(self) -> str:
        return f"step {self.order} of application {self.application_id}"
