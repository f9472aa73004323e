"""The service directory: which agency offers what, to whom, in which languages, with how many places."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from haven.core.fields import EncryptedTextField

MAX_AGE = 120


class ServiceOffering(models.Model):
    """One service of one agency. Who it accepts is data: sexes, an age range (None = no limit),
    languages spoken. Its address and phone are sealed: a shelter's location is what traffickers look for."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="offerings",
                               verbose_name=_("agency"))
    name = models.CharField(_("service name"), max_length=200)
    # Need codes from haven.directory.catalogue (the engine's item ids and a few more), validated by the services.
    items = models.JSONField(_("support offered"), default=list)
    accepts_female = models.BooleanField(_("accepts women and girls"), default=True)
    accepts_male = models.BooleanField(_("accepts men and boys"), default=False)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    languages = models.JSONField(_("languages spoken"), default=list)  # ISO 639-3 codes
    capacity = models.IntegerField(_("places"), null=True, blank=True)
    address = EncryptedTextField(_("address"), blank=True, default="")
    phone = EncryptedTextField(_("phone"), blank=True, default="")
    notes = models.TextField(_("notes"), blank=True, default="")
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["agency__name", "name"]
        verbose_name = _("service offering")
        verbose_name_plural = _("service offerings")
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="offering_unique_name"),
            models.CheckConstraint(condition=~Q(name=""), name="offering_name_set"),
            models.CheckConstraint(condition=Q(accepts_female=True) | Q(accepts_male=True),
                                   name="offering_accepts_someone"),
            models.CheckConstraint(condition=Q(min_age__isnull=True) | Q(min_age__lte=MAX_AGE),
                                   name="offering_min_age_range"),
            models.CheckConstraint(condition=Q(max_age__isnull=True) | Q(max_age__lte=MAX_AGE),
                                   name="offering_max_age_range"),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True) | Q(max_age__isnull=True) | Q(max_age__gte=F("min_age")),
                name="offering_age_order",
            ),
            models.CheckConstraint(condition=Q(capacity__isnull=True) | Q(capacity__gte=0),
                                   name="offering_capacity_not_negative"),
        ]
        indexes = [models.Index(fields=["is_active", "agency"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency_id})"

    @property
    def sexes(self) -> list[str]:
        return [s for s, on in (("female", self.accepts_female), ("male", self.accepts_male)) if on]

    @property
    def is_residential(self) -> bool:
        from haven.directory.catalogue import SHELTER

        return SHELTER in (self.items or [])

    def accepts_age(self, age: int) -> bool:
        return (self.min_age is None or self.min_age <= age) and (self.max_age is None or age <= self.max_age)
