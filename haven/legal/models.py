"""Legal proceedings in which a person takes part, and what follows from them (issue 5): legal aid,
verdicts, the compensation a court awards, what the person actually received, and the enforcement steps.

Court names, case numbers, sentence summaries, debtors and enforcement notes are identity-level data: a
court and a case number find the person, so they are sealed like a name and shown only on a need-to-know
basis (haven.legal.access). Payments and enforcement steps are append-only: a correction is a reversing
entry, as in the support ledger.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from haven.core.fields import EncryptedTextField


class AppendOnlyError(Exception):
    """A programming error: something tried to change or delete a payment or an enforcement step."""


class ProceedingKind(models.TextChoices):
    CRIMINAL = "criminal", _("Criminal")
    CIVIL = "civil", _("Civil")


class PersonRole(models.TextChoices):
    VICTIM = "victim", _("Victim")
    WITNESS = "witness", _("Witness")
    CIVIL_PLAINTIFF = "civil_plaintiff", _("Civil plaintiff")
    PERSON_WITH_RELATED_INTERESTS = "related_interests", _("Person with related rights and obligations")


class Stage(models.TextChoices):
    INVESTIGATION = "investigation", _("Investigation")
    PROSECUTION = "prosecution", _("Prosecution")
    FIRST_INSTANCE = "first_instance", _("First-instance trial")
    APPEAL = "appeal", _("Appeal")
    CLOSED = "closed", _("Closed")


class ProceedingStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")


class Proceeding(models.Model):
    """A criminal or civil proceeding concerning the person."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="proceedings")
    kind = models.CharField(_("kind"), max_length=16, choices=ProceedingKind.choices)
    person_role = models.CharField(_("the person's role"), max_length=24, choices=PersonRole.choices)
    court = EncryptedTextField(_("court or investigating body"), blank=True, default="")
    case_number = EncryptedTextField(_("case number"), blank=True, default="")
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.INVESTIGATION)
    status = models.CharField(_("status"), max_length=12, choices=ProceedingStatus.choices,
                              default=ProceedingStatus.ACTIVE)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ProceedingKind.values), name="proceeding_kind_valid"),
            models.CheckConstraint(condition=Q(person_role__in=PersonRole.values), name="proceeding_role_valid"),
            models.CheckConstraint(condition=Q(stage__in=Stage.values), name="proceeding_stage_valid"),
            models.CheckConstraint(condition=Q(status__in=ProceedingStatus.values), name="proceeding_status_valid"),
            # A closed proceeding says when; an open one has no closing date.
            models.CheckConstraint(
                condition=Q(status=ProceedingStatus.CLOSED, closed_on__isnull=False)
                | (~Q(status=ProceedingStatus.CLOSED) & Q(closed_on__isnull=True)),
                name="proceeding_closed_on_matches_status",
            ),
        ]

    def __str__(self) -> str:
        return f"proceeding {self.pk} of case {self.case_id}"


class AidStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")
    ENDED = "ended", _("Ended")


class Eligibility(models.TextChoices):
    """The engine's item statuses (haven/entitlements/engine/texts.yaml), plus "no such item in the regime"."""

    ENTITLED = "entitled", _("Entitled")
    NOT_ENTITLED = "not_entitled", _("Not entitled")
    NEEDS_INFORMATION = "needs_information", _("Needs information")
    DEADLINE_PASSED = "deadline_passed", _("Deadline passed")
    AMOUNT_NOT_SET = "amount_not_set", _("Amount not set")
    NOT_IN_REGIME = "not_in_regime", _("Not an item of this person's regime")


class LegalAid(models.Model):
    """A request for legal aid to a provider, with the entitlements engine's answer on the request date."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="legal_aid")
    proceeding = models.ForeignKey(Proceeding, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="legal_aid")
    provider = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="legal_aid_given")
    requested_on = models.DateField(_("requested on"))
    status = models.CharField(_("status"), max_length=12, choices=AidStatus.choices, default=AidStatus.REQUESTED)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    # The engine's legal-aid item for this person on the request date, as the engine gave it.
    eligibility_status = models.CharField(_("eligibility"), max_length=24)
    eligibility_reasons = models.JSONField(default=list, blank=True)
    eligibility_citations = models.JSONField(default=list, blank=True)
    eligibility_confidence = models.CharField(max_length=12, blank=True, default="")
    eligibility_regime = models.CharField(max_length=24, blank=True, default="")
    eligibility_evaluated_on = models.DateField(_("eligibility evaluated on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["-requested_on", "-pk"]
        verbose_name_plural = _("legal aid")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=AidStatus.values), name="legal_aid_status_valid"),
            models.CheckConstraint(
                condition=Q(status=AidStatus.REQUESTED) | Q(decided_on__isnull=False),
                name="legal_aid_decision_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"legal aid {self.pk} of case {self.case_id}"

    @property
    def eligibility_label(self) -> Any:
        # Stored as the engine gave it: a status the engine adds later shows as its code.
        return Eligibility(self.eligibility_status).label if self.eligibility_status in Eligibility.values \
            else self.eligibility_status


class CourtLevel(models.TextChoices):
    FIRST_INSTANCE = "first_instance", _("First instance")
    APPEAL = "appeal", _("Appeal")
    CASSATION = "cassation", _("Cassation or reopening")


class Outcome(models.TextChoices):
    CONVICTED = "convicted", _("Convicted")
    ACQUITTED = "acquitted", _("Acquitted")
    PARTLY_CONVICTED = "partly_convicted", _("Some defendants convicted")
    CIVIL_CLAIM_UPHELD = "claim_upheld", _("Civil claim upheld")
    CIVIL_CLAIM_DISMISSED = "claim_dismissed", _("Civil claim dismissed")
    RETURNED = "returned", _("Returned for further investigation")
    OTHER = "other", _("Other")


class Verdict(models.Model):
    """A court's decision in a proceeding; with compensation to the person it is an award."""

    proceeding = models.ForeignKey(Proceeding, on_delete=models.CASCADE, related_name="verdicts")
    decided_on = models.DateField(_("decided on"))
    court_level = models.CharField(_("court level"), max_length=16, choices=CourtLevel.choices)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    sentence_summary = EncryptedTextField(_("sentence"), blank=True, default="")
    compensation_awarded = models.BigIntegerField(_("compensation awarded to the person (đồng)"), default=0)
    debtor = EncryptedTextField(_("who must pay"), blank=True, default="")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decided_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(court_level__in=CourtLevel.values), name="verdict_level_valid"),
            models.CheckConstraint(condition=Q(outcome__in=Outcome.values), name="verdict_outcome_valid"),
            models.CheckConstraint(condition=Q(compensation_awarded__gte=0), name="verdict_award_not_negative"),
        ]

    def __str__(self) -> str:
        return f"verdict {self.pk} of proceeding {self.proceeding_id}"


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash to the person")
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    ENFORCEMENT_OFFICE = "enforcement_office", _("Through the civil judgment enforcement office")
    OTHER = "other", _("Other")


class CompensationPayment(models.Model):
    """Money the person actually received on an award. Append-only: a mistake is corrected by a reversing
    (negative) payment pointing at the one it corrects."""

    award = models.ForeignKey(Verdict, on_delete=models.CASCADE, related_name="payments")
    received_on = models.DateField(_("received on"))
    amount = models.BigIntegerField(_("amount (đồng)"))
    method = models.CharField(_("how"), max_length=20, choices=PaymentMethod.choices)
    evidence_ref = models.CharField(_("evidence reference"), max_length=80)
    # CASCADE only so that `haven demo --reset` can wipe synthetic rows; the application never deletes one.
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="reversed_by")
    note = EncryptedTextField(_("note"), blank=True, default="")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(method__in=PaymentMethod.values), name="compensation_method_valid"),
            models.CheckConstraint(
                condition=Q(reverses__isnull=True, amount__gt=0) | Q(reverses__isnull=False, amount__lt=0),
                name="compensation_sign_matches_reversal",
            ),
            models.CheckConstraint(condition=~Q(evidence_ref=""), name="compensation_evidence_required"),
        ]

    def __str__(self) -> str:
        return f"payment {self.pk} on award {self.award_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("a compensation payment is never changed: record a reversing payment")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("a compensation payment is never deleted: record a reversing payment")


class StepKind(models.TextChoices):
    REQUEST_FILED = "request_filed", _("Request for enforcement filed")
    DECISION = "decision", _("Enforcement decision issued")
    IN_PROGRESS = "in_progress", _("Enforcement in progress")
    SUSPENDED = "suspended", _("Enforcement suspended")
    UNABLE = "unable", _("Unable to enforce")
    COMPLETED = "completed", _("Enforcement completed")


class EnforcementStep(models.Model):
    """One step in enforcing an award (Law on Civil Judgment Enforcement). Append-only timeline."""

    award = models.ForeignKey(Verdict, on_delete=models.CASCADE, related_name="enforcement_steps")
    kind = models.CharField(_("step"), max_length=16, choices=StepKind.choices)
    taken_on = models.DateField(_("date"))
    body = EncryptedTextField(_("enforcement body"), blank=True, default="")
    note = EncryptedTextField(_("note"), blank=True, default="")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["taken_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=StepKind.values), name="enforcement_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"enforcement step {self.pk} on award {self.award_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("an enforcement step is never changed: record the next step")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("an enforcement step is never deleted: record the next step")
