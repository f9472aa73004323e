"""Administrative units with validity dates: the 2025 reform merged provinces and ended districts."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")


class AdminUnitQuerySet(models.QuerySet["AdminUnit"]):
    def valid_on(self, day: dt.date) -> AdminUnitQuerySet:
        return self.filter(valid_from__lte=day).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class AdminUnit(models.Model):
    code = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=120)
    name_ascii = models.CharField(max_length=120, db_index=True)
    level = models.CharField(max_length=16, choices=UnitLevel.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    successor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="predecessors"
    )

    objects = AdminUnitQuerySet.as_manager()

    class Meta:
        ordering = ["level", "name_ascii"]
        constraints = [
            models.CheckConstraint(condition=Q(level__in=UnitLevel.values), name="adminunit_level_valid"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="adminunit_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def province(self) -> AdminUnit:
        unit = self
        while unit.parent_id is not None and unit.level != UnitLevel.PROVINCE:
            unit = unit.parent  # type: ignore[assignment]
        return unit
