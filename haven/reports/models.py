"""The privacy budget ledger and the differentially private releases it paid for.

Official (exact) statistics are a permission, not a model of their own: `view_official_statistics`
is declared on `PrivacyRelease` so that an administrator grants it in the admin like any other.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

DATASET_IDENTIFIED = "identified_persons"


class Dataset(models.TextChoices):
    IDENTIFIED = DATASET_IDENTIFIED, _("Identified persons")


class PrivacyBudget(models.Model):
    """The epsilon a dataset may spend on public releases about one year, nationally or for one province.

    A person counted in a province is also counted nationally, so a province's releases and the
    national ones add up for that person: both must fit in the province's budget (see services).
    """

    dataset = models.CharField(_("dataset"), max_length=40, choices=Dataset.choices, default=Dataset.IDENTIFIED)
    year = models.PositiveSmallIntegerField(_("year of the data"))
    province = models.ForeignKey(
        "geo.AdminUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("province (empty: national)"),
    )
    epsilon = models.DecimalField(_("yearly epsilon"), max_digits=6, decimal_places=3)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dataset", "year", "province"], name="privacybudget_unique"),
            models.UniqueConstraint(fields=["dataset", "year"], condition=Q(province__isnull=True),
                                    name="privacybudget_unique_national"),
            models.CheckConstraint(condition=Q(epsilon__gt=0), name="privacybudget_positive"),
            models.CheckConstraint(condition=Q(dataset__in=Dataset.values), name="privacybudget_dataset_valid"),
        ]

    def __str__(self) -> str:
        return f"privacy budget {self.dataset} {self.year} {self.province_id or 'national'}"


class PrivacyRelease(models.Model):
    """One differentially private table, stored: viewing it again spends nothing."""

    budget = models.ForeignKey(PrivacyBudget, on_delete=models.PROTECT, related_name="releases")
    table = models.CharField(_("table"), max_length=40)
    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("to"))
    epsilon = models.DecimalField(_("epsilon"), max_digits=6, decimal_places=3)
    # The noisy, post-processed cells only (never the exact counts): rows × columns of integers.
    cells = models.JSONField(default=list)
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    released_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-released_at", "-pk"]
        permissions = [("view_official_statistics", "Can run official (exact) statistics")]
        constraints = [models.CheckConstraint(condition=Q(epsilon__gt=0), name="privacyrelease_positive")]

    def __str__(self) -> str:
        return f"release {self.pk} of {self.table}"
