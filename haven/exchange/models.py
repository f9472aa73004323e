"""Background jobs (imports, exports) and the record of what each import created, for idempotent re-runs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from haven.core.fields import EncryptedTextField


class JobKind(models.TextChoices):
    IMPORT_CASES = "import_cases", _("Import of historical cases")
    EXPORT_HTCDS = "export_htcds", _("Case-level export (HTCDS vocabulary, de-identified)")
    EXPORT_CTDC = "export_ctdc", _("27-variable export (global dataset layout, de-identified)")
    EXPORT_IDENTITY = "export_identity", _("Identity-level export (encrypted ZIP)")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Finished")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


FINISHED = (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED)


class Job(models.Model):
    """One long task. `params` never holds identity data or passwords; the result file is sealed on disk."""

    kind = models.CharField(_("kind"), max_length=32, choices=JobKind.choices)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="jobs")
    status = models.CharField(_("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    params = models.JSONField(default=dict, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    # The import report (rejected rows: row number, column, reason code and message); no cell values.
    report = models.JSONField(default=dict, blank=True)
    # Identity exports hold their password only in the memory of the process that runs them.
    in_process_only = models.BooleanField(default=False)
    # Why an identity export was made: sealed like every free text; the audit records only its length.
    reason = EncryptedTextField(blank=True, default="")
    result_path = models.CharField(max_length=300, blank=True)
    result_name = models.CharField(max_length=120, blank=True)
    result_type = models.CharField(max_length=80, blank=True)
    result_expires_at = models.DateTimeField(null=True, blank=True)
    cancel_requested = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=JobKind.values), name="job_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=JobStatus.values), name="job_status_valid"),
        ]
        indexes = [models.Index(fields=["status", "created_at"]), models.Index(fields=["owner", "-created_at"])]

    def __str__(self) -> str:
        return f"job {self.pk} ({self.kind}, {self.status})"

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int:
        return min(100, int(100 * self.done / self.total)) if self.total else (100 if self.finished else 0)


class ImportedFile(models.Model):
    """A file already imported by an agency: the same bytes again create nothing."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    sha256 = models.CharField(max_length=64)
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "sha256"], name="importedfile_unique")]

    def __str__(self) -> str:
        return f"imported file {self.sha256[:12]}"


class ImportedCase(models.Model):
    """The natural key of an imported row (the source's own reference): a row seen again is skipped."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    source_ref = models.CharField(max_length=100)
    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="import_source")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "source_ref"], name="importedcase_unique")]

    def __str__(self) -> str:
        return f"imported {self.source_ref}"
