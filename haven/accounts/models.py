"""Agencies, users, roles, API tokens and the per-agency-kind sharing profiles."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.core.fields import EncryptedTextField


class AgencyKind(models.TextChoices):
    BORDER_GUARD = "border_guard", _("Border guard")
    POLICE = "police", _("Police")
    COAST_GUARD = "coast_guard", _("Coast guard")
    PROCURACY = "procuracy", _("People's procuracy")
    COURT = "court", _("Court")
    COMMUNE_COMMITTEE = "commune_committee", _("Commune People's Committee")
    SOCIAL_AFFAIRS = "social_affairs", _("Department of social affairs / health")
    SOCIAL_PROTECTION = "social_protection", _("Social protection facility / social work centre")
    NGO_SHELTER = "ngo_shelter", _("NGO victim support facility")
    LEGAL_AID = "legal_aid", _("State legal aid centre")
    WOMENS_UNION = "womens_union", _("Women's Union")
    DIPLOMATIC_MISSION = "diplomatic_mission", _("Diplomatic mission")


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("Caseworker")
    SUPERVISOR = "supervisor", _("Supervisor")
    AGENCY_ADMIN = "agency_admin", _("Agency administrator")
    STATISTICIAN = "statistician", _("Statistician")
    AUDITOR = "auditor", _("Auditor")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


# Roles that may see identity fields.
IDENTITY_ROLES = frozenset({Role.CASEWORKER, Role.SUPERVISOR})
# Two-factor authentication is enforced for them, and for the roles that administer accounts or read
# the audit trail (which says who looked at which person). Statisticians see aggregates only.
TWO_FACTOR_ROLES = IDENTITY_ROLES | {Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN, Role.AUDITOR}


class IdentityField(models.TextChoices):
    FULL_NAME = "full_name", _("Full name")
    OTHER_NAMES = "other_names", _("Other names")
    DATE_OF_BIRTH = "date_of_birth", _("Date of birth")
    ID_NUMBER = "id_number", _("ID document number")
    PHONE = "phone", _("Phone")
    ADDRESS = "address", _("Address")
    FAMILY_CONTACTS = "family_contacts", _("Family contacts")
    NOTES = "notes", _("Notes")


class Agency(models.Model):
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=AgencyKind.choices)
    jurisdiction = models.ForeignKey(
        "geo.AdminUnit", on_delete=models.PROTECT, related_name="agencies", verbose_name=_("jurisdiction")
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [models.CheckConstraint(condition=Q(kind__in=AgencyKind.values), name="agency_kind_valid")]

    def __str__(self) -> str:
        return self.name

    def display_name(self, language: str) -> str:
        return self.name_en if language == "en" and self.name_en else self.name

    def province(self):  # type: ignore[no-untyped-def]
        return self.jurisdiction.province()


class SharingProfile(models.Model):
    """Which identity fields an agency kind sees on a case shared with it (by accepted referral)."""

    agency_kind = models.CharField(max_length=32, choices=AgencyKind.choices, unique=True)
    fields = models.JSONField(default=list)

    def __str__(self) -> str:
        return self.get_agency_kind_display()


class User(AbstractUser):
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="users")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.CASEWORKER)
    preferred_language = models.CharField(max_length=8, default="vi")
    totp_secret = EncryptedTextField(null=True, blank=True)
    totp_confirmed_at = models.DateTimeField(null=True, blank=True)
    totp_last_step = models.BigIntegerField(null=True, blank=True)
    failed_logins = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(role__in=Role.values), name="user_role_valid")]

    @property
    def sees_identity(self) -> bool:
        return self.role in IDENTITY_ROLES

    @property
    def has_2fa(self) -> bool:
        return self.totp_confirmed_at is not None

    def is_locked(self, now: dt.datetime | None = None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or timezone.now())


class ApiToken(models.Model):
    """Bearer tokens for the API. Only a hash is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    def is_usable(self, now: dt.datetime | None = None) -> bool:
        return self.revoked_at is None and self.expires_at > (now or timezone.now())
