"""The append-only, hash-chained audit trail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    VIEW_IDENTITY = "view_identity", _("Viewed identity fields")
    VIEW_CASE = "view_case", _("Viewed case")
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    STATUS = "status", _("Changed status")
    CONSENT = "consent", _("Recorded consent")
    BREAK_GLASS = "break_glass", _("Emergency access")
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOCKED_OUT = "locked_out", _("Account locked")
    TWO_FACTOR = "two_factor", _("Two-factor authentication")
    EXPORT = "export", _("Exported")
    KEY_ROTATION = "key_rotation", _("Rotated encryption keys")
    ADMIN = "admin", _("Administration")


class AuditEvent(models.Model):
    """One event. Never holds plaintext identity values: only which fields were touched."""

    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_username = models.CharField(max_length=150, blank=True)
    agency_id_at_time = models.BigIntegerField(null=True, blank=True)
    role = models.CharField(max_length=32, blank=True)
    action = models.CharField(max_length=32, choices=AuditAction.choices)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    case_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    fields = models.JSONField(default=list, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)
    channel = models.CharField(max_length=16, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["actor", "at"]), models.Index(fields=["action", "at"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        if self.pk is not None:
            raise RuntimeError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("audit events are append-only")


class AuditChainHead(models.Model):
    """A single row: the last sequence number and hash. Locked while an event is appended."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"audit head at {self.last_seq}"
