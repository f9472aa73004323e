"""Budget estimates per agency and funding source, and monthly intake counts from before Haven.

Both are append-only: a revised estimate or a corrected monthly count is a new row, the latest row
counts and the earlier ones stay as history (who entered what, when). Money is integer đồng.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

FIRST_YEAR = 2000
LAST_YEAR = 2100


class BudgetEstimate(models.Model):
    """An agency's annual estimate for one funding source; the latest row of (agency, source, year) counts."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="budget_estimates")
    funding_source = models.ForeignKey(
        "support.FundingSource", on_delete=models.PROTECT, related_name="budget_estimates",
        verbose_name=_("funding source"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.BigIntegerField(_("amount (đồng)"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-entered_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="estimate_amount_not_negative"),
            models.CheckConstraint(condition=Q(year__gte=FIRST_YEAR, year__lte=LAST_YEAR), name="estimate_year_range"),
        ]
        indexes = [models.Index(fields=["agency", "year"])]

    def __str__(self) -> str:
        return f"estimate {self.pk} {self.year} {self.amount}"


class BudgetEstimateLine(models.Model):
    """An optional split of an estimate by entitlement item; the lines need not add up to the whole."""

    estimate = models.ForeignKey(BudgetEstimate, on_delete=models.CASCADE, related_name="lines")
    item = models.CharField(_("entitlement item"), max_length=40)
    amount = models.BigIntegerField(_("amount (đồng)"))

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="estimate_line_amount_not_negative"),
            models.UniqueConstraint(fields=["estimate", "item"], name="estimate_line_item_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.amount}"


class IntakeHistory(models.Model):
    """How many people an agency received in one month, from its paper records before Haven.

    For a month with a row here, the latest row is the month's count and cases registered in Haven
    that month are not added (no double counting); see docs/budgets.md.
    """

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="intake_history")
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    count = models.PositiveIntegerField(_("people received"))
    source = models.CharField(_("source"), max_length=200, blank=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agency_id", "year", "month", "-pk"]
        verbose_name_plural = _("intake history")
        constraints = [
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="intake_month_range"),
            models.CheckConstraint(condition=Q(year__gte=FIRST_YEAR, year__lte=LAST_YEAR), name="intake_year_range"),
            models.CheckConstraint(condition=Q(count__lte=100000), name="intake_count_plausible"),
        ]
        indexes = [models.Index(fields=["agency", "year", "month"])]

    def __str__(self) -> str:
        return f"intake {self.agency_id} {self.year}-{self.month:02d}: {self.count}"
