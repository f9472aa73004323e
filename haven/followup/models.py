"""Safe return of minors and follow-up after return (issue 5, parts 4 and 5).

- `HomeSafetyAssessment`: before a minor leaves a facility, the home is visited and assessed, and a
  supervisor who is not the author approves it (Decree 09/2013 Art. 21; four eyes).
- `FollowUpPlan` / `FollowUpVisit`: visits by the commune officer or social worker after return, each with
  the status observed (stable, at risk, contact lost, trafficked again) and sealed notes.
- `ReceptionLink`: when a person is trafficked again, the new reception's case points at the previous one.

Findings, risks, conditions, placements and visit notes are identity-level data: sealed at rest, shown
only on a need-to-know basis, every display audited.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from haven.core.fields import EncryptedTextField


class AssessmentOutcome(models.TextChoices):
    SAFE = "safe", _("Safe")
    SAFE_WITH_CONDITIONS = "safe_with_conditions", _("Safe with conditions")
    UNSAFE = "unsafe", _("Unsafe")


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for approval")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for changes")


class HomeSafetyAssessment(models.Model):
    """A visit to a minor's home and the judgement whether the child may go back there."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="safety_assessments")
    stay = models.ForeignKey("support.ShelterStay", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="safety_assessments", verbose_name=_("stay"))
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("agency"))
    visited_on = models.DateField(_("home visited on"))
    visited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("visited by"))
    family_situation = EncryptedTextField(_("the family's situation"), blank=True, default="")
    findings = EncryptedTextField(_("findings"), blank=True, default="")
    risks = EncryptedTextField(_("risks"), blank=True, default="")
    outcome = models.CharField(_("outcome"), max_length=24, choices=AssessmentOutcome.choices)
    conditions = EncryptedTextField(_("conditions"), blank=True, default="")
    # Where the child goes instead when the home is unsafe (another facility, a relative, foster care).
    placement = EncryptedTextField(_("other placement"), blank=True, default="")
    status = models.CharField(_("status"), max_length=12, choices=AssessmentStatus.choices,
                              default=AssessmentStatus.DRAFT)
    return_reason = EncryptedTextField(_("reason for returning"), blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-visited_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(outcome__in=AssessmentOutcome.values), name="assessment_outcome_valid"),
            models.CheckConstraint(condition=Q(status__in=AssessmentStatus.values), name="assessment_status_valid"),
            # Four eyes: a decision is someone else's than the author's.
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted"], decided_by__isnull=True)
                | (Q(status__in=["approved", "returned"], decided_by__isnull=False) & ~Q(decided_by=F("created_by"))),
                name="assessment_decided_by_another",
            ),
        ]

    def __str__(self) -> str:
        return f"home safety assessment {self.pk} of case {self.case_id}"


class VisitMode(models.TextChoices):
    HOME = "home", _("Home visit")
    PHONE = "phone", _("Phone call")
    OTHER = "other", _("Other")


class FollowUpStatus(models.TextChoices):
    STABLE = "stable", _("Stable")
    AT_RISK = "at_risk", _("At risk")
    CONTACT_LOST = "contact_lost", _("Contact lost")
    TRAFFICKED_AGAIN = "trafficked_again", _("Trafficked again")


class FollowUpPlan(models.Model):
    """Who visits the person after return, how often, from when to when."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="followup_plans")
    responsible_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+",
                                           verbose_name=_("responsible agency"))
    every_days = models.PositiveSmallIntegerField(_("visit every (days)"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    retrafficked = models.BooleanField(_("trafficked again"), default=False)
    retrafficked_on = models.DateField(_("trafficked again, reported on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="followup_plan_ends_after_start"),
            models.CheckConstraint(condition=Q(every_days__gte=1), name="followup_plan_every_positive"),
            models.CheckConstraint(condition=Q(retrafficked=False) | Q(retrafficked_on__isnull=False),
                                   name="followup_plan_retrafficked_has_date"),
        ]

    def __str__(self) -> str:
        return f"follow-up plan {self.pk} of case {self.case_id}"


class FollowUpVisit(models.Model):
    """One visit: due on a day; once done, how it was made, the status observed and sealed notes."""

    plan = models.ForeignKey(FollowUpPlan, on_delete=models.CASCADE, related_name="visits")
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    visited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("visited by"))
    mode = models.CharField(_("how"), max_length=8, choices=VisitMode.choices, blank=True, default="")
    observed = models.CharField(_("status observed"), max_length=20, choices=FollowUpStatus.choices, blank=True,
                                default="")
    notes = EncryptedTextField(_("visit notes"), blank=True, default="")
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_on__isnull=True, mode="", observed="", visited_by__isnull=True)
                | (Q(done_on__isnull=False, visited_by__isnull=False, mode__in=VisitMode.values,
                     observed__in=FollowUpStatus.values)),
                name="followup_visit_done_is_complete",
            ),
        ]
        indexes = [models.Index(fields=["done_on", "due_on"])]

    def __str__(self) -> str:
        return f"follow-up visit {self.pk} of plan {self.plan_id}"


class ReceptionLink(models.Model):
    """A new reception of a person who was trafficked again, linked to the case of the earlier return."""

    previous_case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="later_receptions")
    new_case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="previous_reception")
    plan = models.ForeignKey(FollowUpPlan, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(previous_case=F("new_case")), name="reception_link_not_itself"),
        ]

    def __str__(self) -> str:
        return f"case {self.new_case_id} follows case {self.previous_case_id}"
