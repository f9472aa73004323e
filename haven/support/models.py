"""Shelter stays, and the ledger of services given and payments made, with their funding sources.

The ledger is append-only: an entry is never edited or deleted; a correction is a new entry that
reverses the old one (same item, opposite amount, `reverses` pointing at it). Supervisor approval is
a separate row, so approving does not edit the entry either.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from haven.core.fields import EncryptedTextField


class AppendOnlyError(Exception):
    """A programming error: something tried to change or delete a ledger row."""


class FundingKind(models.TextChoices):
    STATE_BUDGET = "state_budget", _("State budget line")
    NGO_DONOR = "ngo_donor", _("NGO donor")
    OTHER = "other", _("Other")


class FundingSource(models.Model):
    """Where an agency's money for support comes from: a state budget line, a donor grant, other."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="funding_sources")
    kind = models.CharField(_("kind"), max_length=16, choices=FundingKind.choices)
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("budget line or grant code"), max_length=60, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["agency_id", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=FundingKind.values), name="funding_kind_valid"),
            models.UniqueConstraint(fields=["agency", "name"], name="funding_name_unique_per_agency"),
        ]

    def __str__(self) -> str:
        return self.name


class ShelterStay(models.Model):
    """A person's stay at a facility (a social work centre or an NGO shelter)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="shelter_stays")
    facility = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="shelter_stays")
    admitted_on = models.DateField(_("admitted on"))
    discharged_on = models.DateField(_("discharged on"), null=True, blank=True)
    discharge_note = EncryptedTextField(_("discharge note"), blank=True, default="")
    admitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    discharged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The state-paid food (or essential-needs) limit, from the entitlements engine when the stay was
    # admitted: which item, and the last day the state pays. Empty when the engine gives no limit.
    paid_item = models.CharField(_("state-paid item"), max_length=40, blank=True, default="")
    paid_until = models.DateField(_("state pays until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-admitted_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(discharged_on__isnull=True),
                                    name="stay_one_open_per_case"),
            models.CheckConstraint(
                condition=Q(discharged_on__isnull=True) | Q(discharged_on__gte=models.F("admitted_on")),
                name="stay_discharge_after_admission",
            ),
        ]

    def __str__(self) -> str:
        return f"stay {self.pk} of case {self.case_id}"


class EntryKind(models.TextChoices):
    SERVICE = "service", _("Service given")
    PAYMENT = "payment", _("Payment made")


class EvidenceKind(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    SIGNATURE_LIST = "signature_list", _("Recipient signature list")


class LedgerEntry(models.Model):
    """One service given or payment made for one entitlement item, in integer đồng. Append-only."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="ledger_entries")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="ledger_entries")
    item = models.CharField(_("entitlement item"), max_length=40)
    kind = models.CharField(_("kind"), max_length=10, choices=EntryKind.choices)
    provided_on = models.DateField(_("date given or paid"))
    amount = models.BigIntegerField(_("amount (đồng)"))
    proposed_amount = models.BigIntegerField(_("amount proposed by the rules"), null=True, blank=True)
    amount_reason = EncryptedTextField(_("why the amount differs"), blank=True, default="")
    legal_limit = models.BigIntegerField(_("legal limit"), null=True, blank=True)
    over_limit_reason = EncryptedTextField(_("why the legal limit is exceeded"), blank=True, default="")
    # Set when a supervisor recorded the entry above the legal limit (or for an item the person is not
    # entitled to) with a reason: shown on every list and flagged in the audit trail.
    overrides_limit = models.BooleanField(_("overrides the legal limit"), default=False)
    funding_source = models.ForeignKey(FundingSource, on_delete=models.PROTECT, related_name="entries")
    evidence_kind = models.CharField(_("evidence"), max_length=16, choices=EvidenceKind.choices)
    evidence_ref = models.CharField(_("invoice number or signature list reference"), max_length=80)
    # CASCADE, not PROTECT, only so that `haven demo --reset` can wipe synthetic rows with a queryset
    # delete; the application never deletes an entry (delete() below refuses, and no path calls it).
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="reversed_by"
    )
    note = EncryptedTextField(_("note"), blank=True, default="")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["provided_on", "pk"]
        verbose_name_plural = _("ledger entries")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EntryKind.values), name="entry_kind_valid"),
            models.CheckConstraint(condition=Q(evidence_kind__in=EvidenceKind.values), name="entry_evidence_valid"),
            # An original entry is positive; only a reversal is negative.
            models.CheckConstraint(
                condition=Q(reverses__isnull=True, amount__gt=0) | Q(reverses__isnull=False, amount__lt=0),
                name="entry_sign_matches_reversal",
            ),
            models.CheckConstraint(condition=~Q(evidence_ref=""), name="entry_evidence_required"),
        ]

    def __str__(self) -> str:
        return f"entry {self.pk} {self.item} {self.amount}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("a ledger entry is never changed: record a reversing entry")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("a ledger entry is never deleted: record a reversing entry")


class LedgerApproval(models.Model):
    """A supervisor's approval (or rejection) of one ledger entry; the entry itself is never edited."""

    entry = models.OneToOneField(LedgerEntry, on_delete=models.CASCADE, related_name="approval")
    approved = models.BooleanField()
    note = EncryptedTextField(blank=True, default="")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"approval of entry {self.entry_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("a decision on a ledger entry is never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("a decision on a ledger entry is never deleted")
