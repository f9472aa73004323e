"""Legal proceedings in which a person takes part, and what follows from them (issue 5).

Court names, case numbers and notes are identity-level data: a court and a case number find the
person, so they are sealed like a name.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from haven.core.fields import EncryptedTextField


class ProceedingKind(models.TextChoices):
    CRIMINAL = "criminal", _("Criminal")
    CIVIL = "civil", _("Civil")


class PersonRole(models.TextChoices):
    VICTIM = "victim", _("Victim")
    WITNESS = "witness", _("Witness")
    CIVIL_PLAINTIFF = "civil_plaintiff", _("Civil plaintiff")
    PERSON_WITH_RELATED_INTERESTS = "related_interests", _("Person with related rights and obligations")


class Proceeding(models.Model):
    """A criminal or civil proceeding concerning the person."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="proceedings")
    kind = models.CharField(_("kind"), max_length=16, choices=ProceedingKind.choices)
    person_role = models.CharField(_("the person's role"), max_length=24, choices=PersonRole.choices)
    court = EncryptedTextField(_("court or investigating body"), blank=True, default="")
    case_number = EncryptedTextField(_("case number"), blank=True, default="")
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ProceedingKind.values), name="proceeding_kind_valid"),
            models.CheckConstraint(condition=Q(person_role__in=PersonRole.values), name="proceeding_role_valid"),
        ]

    def __str__(self) -> str:
        return f"proceeding {self.pk} of case {self.case_id}"
