"""Protection of the person: risk assessments, threats and incidents, reviews of measures after a threat,
and protection measures (Decree 62/2012/NĐ-CP Art. 7; Law 53/2024/QH15 Art. 34 from 2025-07-01).

Threat descriptions and locations, relatives' names, authorities' free text and every note are
identity-level data: a place and a date find the person. They are sealed like a name and shown only
on a need-to-know basis (see `haven.protection.selectors.sees_details`), each display audited.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from haven.core.fields import EncryptedTextField


class Occasion(models.TextChoices):
    RECEPTION = "reception", _("At reception")
    BEFORE_DISCHARGE = "before_discharge", _("Before discharge")
    FOLLOW_UP = "follow_up", _("Follow-up")
    OTHER = "other", _("Other")


class DomainLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


RISK_ORDER = {RiskLevel.LOW: 0, RiskLevel.MEDIUM: 1, RiskLevel.HIGH: 2, RiskLevel.CRITICAL: 3}

# The five domains of an assessment: (field name, label).
DOMAINS: tuple[tuple[str, object], ...] = (
    ("traffickers", _("Threat from traffickers")),
    ("family_community", _("Threat from family or community")),
    ("retrafficking", _("Risk of being trafficked again")),
    ("health", _("Health")),
    ("stigma", _("Stigma")),
)
DOMAIN_NAMES = tuple(name for name, _label in DOMAINS)


def _domain(label: object) -> models.CharField:
    return models.CharField(label, max_length=8, choices=DomainLevel.choices)  # type: ignore[arg-type]


def _domain_checks() -> list[models.CheckConstraint]:
    return [models.CheckConstraint(condition=Q(**{f"{name}__in": DomainLevel.values}), name=f"risk_{name}_valid")
            for name in DOMAIN_NAMES]


class RiskAssessment(models.Model):
    """A structured assessment of the risks the person faces, on a day, for an occasion."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="risk_assessments")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    occasion = models.CharField(_("occasion"), max_length=20, choices=Occasion.choices)
    assessed_on = models.DateField(_("assessed on"))
    traffickers = _domain(_("threat from traffickers"))
    family_community = _domain(_("threat from family or community"))
    retrafficking = _domain(_("risk of being trafficked again"))
    health = _domain(_("health"))
    stigma = _domain(_("stigma"))
    traffickers_note = EncryptedTextField(blank=True, default="")
    family_community_note = EncryptedTextField(blank=True, default="")
    retrafficking_note = EncryptedTextField(blank=True, default="")
    health_note = EncryptedTextField(blank=True, default="")
    stigma_note = EncryptedTextField(blank=True, default="")
    computed_level = models.CharField(_("level by the rule"), max_length=8, choices=RiskLevel.choices)
    level = models.CharField(_("level"), max_length=8, choices=RiskLevel.choices)
    override_reason = EncryptedTextField(_("why the level differs from the rule"), blank=True, default="")
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        indexes = [models.Index(fields=["case", "-assessed_on", "-id"], name="risk_case_latest")]
        constraints = [
            models.CheckConstraint(condition=Q(occasion__in=Occasion.values), name="risk_occasion_valid"),
            models.CheckConstraint(condition=Q(level__in=RiskLevel.values), name="risk_level_valid"),
            models.CheckConstraint(condition=Q(computed_level__in=RiskLevel.values), name="risk_computed_valid"),
            *_domain_checks(),
        ]

    def __str__(self) -> str:
        return f"risk assessment {self.pk} of case {self.case_id}"

    @property
    def overridden(self) -> bool:
        return self.level != self.computed_level


class ThreatSource(models.TextChoices):
    TRAFFICKER = "trafficker", _("Trafficker")
    FAMILY = "family", _("Family")
    COMMUNITY = "community", _("Community")
    OTHER = "other", _("Other")


class Severity(models.TextChoices):
    MINOR = "minor", _("Minor")
    SERIOUS = "serious", _("Serious")
    SEVERE = "severe", _("Severe")


class ReviewOutcome(models.TextChoices):
    SUFFICIENT = "sufficient", _("The measures in force are sufficient")
    NEW_MEASURES = "new_measures", _("New or changed measures are needed")
    REFERRED = "referred", _("Referred to the police or another authority")


class MeasureReview(models.Model):
    """A supervisor of the owning agency reviews the protection measures after one or more threats."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="measure_reviews")
    outcome = models.CharField(_("outcome"), max_length=16, choices=ReviewOutcome.choices)
    note = EncryptedTextField(_("note"), blank=True, default="")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(outcome__in=ReviewOutcome.values), name="review_outcome_valid"),
        ]

    def __str__(self) -> str:
        return f"measure review {self.pk} of case {self.case_id}"


class ThreatIncident(models.Model):
    """A threat or an incident against the person or their relatives. A new one asks for a review."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="threats")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    occurred_on = models.DateField(_("occurred on"))
    reported_on = models.DateField(_("reported on"))
    source = models.CharField(_("source"), max_length=12, choices=ThreatSource.choices)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    description = EncryptedTextField(_("description"))
    location = EncryptedTextField(_("location"), blank=True, default="")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    review_needed = models.BooleanField(_("review of measures needed"), default=True)
    # RESTRICT: a review is never deleted while its threats remain, but both go when the case is deleted.
    review = models.ForeignKey(MeasureReview, null=True, blank=True, on_delete=models.RESTRICT, related_name="threats")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(source__in=ThreatSource.values), name="threat_source_valid"),
            models.CheckConstraint(condition=Q(severity__in=Severity.values), name="threat_severity_valid"),
            models.CheckConstraint(condition=Q(reported_on__gte=F("occurred_on")), name="threat_reported_after"),
            # Cleared only by a review.
            models.CheckConstraint(condition=Q(review_needed=True) | Q(review__isnull=False),
                                   name="threat_cleared_by_review"),
        ]

    def __str__(self) -> str:
        return f"threat {self.pk} of case {self.case_id}"


class Beneficiary(models.TextChoices):
    PERSON = "person", _("The person")
    RELATIVE = "relative", _("A named relative")


class MeasureStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    DECIDED = "decided", _("Decided")
    IN_FORCE = "in_force", _("In force")
    REFUSED = "refused", _("Refused by the person")
    REJECTED = "rejected", _("Rejected by the authority")
    ENDED = "ended", _("Ended")


class RefusalMethod(models.TextChoices):
    WRITTEN = "written", _("In writing")
    ORAL = "oral", _("Orally, recorded by the worker")
    GUARDIAN = "guardian", _("By the guardian of a minor")


CLOSED_TRIAL = "closed_trial"


class ProtectionMeasure(models.Model):
    """One protection measure for the person or a named relative, from request to its end."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="protection_measures")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("measure"), max_length=40)
    catalogue = models.CharField(_("catalogue"), max_length=40)
    beneficiary = models.CharField(_("for"), max_length=10, choices=Beneficiary.choices)
    relative_name = EncryptedTextField(_("relative's name"), blank=True, default="")
    relative_relationship = EncryptedTextField(_("relationship to the person"), blank=True, default="")
    requested_on = models.DateField(_("requested on"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    request_note = EncryptedTextField(_("request note"), blank=True, default="")
    status = models.CharField(_("status"), max_length=10, choices=MeasureStatus.choices,
                              default=MeasureStatus.REQUESTED)
    authority_agency = models.ForeignKey("accounts.Agency", null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="+")
    authority_text = EncryptedTextField(_("deciding authority"), blank=True, default="")
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    in_force_from = models.DateField(_("in force from"), null=True, blank=True)
    in_force_to = models.DateField(_("in force to"), null=True, blank=True)
    refused_on = models.DateField(_("refused on"), null=True, blank=True)
    refusal_method = models.CharField(_("how the person refused"), max_length=10, choices=RefusalMethod.choices,
                                      blank=True, default="")
    refusal_note = EncryptedTextField(_("refusal note"), blank=True, default="")
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_note = EncryptedTextField(_("why it ended"), blank=True, default="")
    # RESTRICT: a proceeding a measure names is not deleted alone; both go with the case.
    proceeding = models.ForeignKey("legal.Proceeding", null=True, blank=True, on_delete=models.RESTRICT,
                                   related_name="protection_measures")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["requested_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=MeasureStatus.values), name="measure_status_valid"),
            models.CheckConstraint(condition=Q(beneficiary__in=Beneficiary.values), name="measure_beneficiary_valid"),
            models.CheckConstraint(condition=Q(refusal_method__in=["", *RefusalMethod.values]),
                                   name="measure_refusal_method_valid"),
            models.CheckConstraint(condition=Q(in_force_to__isnull=True) | Q(in_force_from__isnull=False,
                                                                             in_force_to__gte=F("in_force_from")),
                                   name="measure_dates_ordered"),
            models.CheckConstraint(condition=~Q(status=MeasureStatus.IN_FORCE) | Q(in_force_from__isnull=False),
                                   name="measure_in_force_has_start"),
            # Decree 62/2012 Art. 3: a refusal is recorded with its date and how it was made.
            models.CheckConstraint(condition=~Q(status=MeasureStatus.REFUSED)
                                   | (Q(refused_on__isnull=False) & ~Q(refusal_method="")),
                                   name="measure_refusal_recorded"),
            models.CheckConstraint(condition=~Q(kind=CLOSED_TRIAL) | Q(proceeding__isnull=False),
                                   name="measure_closed_trial_has_proceeding"),
        ]

    def __str__(self) -> str:
        return f"measure {self.pk} ({self.kind}) of case {self.case_id}"
