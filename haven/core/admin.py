"""Django admin for configuration only. Person, case, consent and audit records are never registered here:
they are reached only through the access helpers."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from haven.audit.models import AuditAction
from haven.audit.services import audit_record

admin.site.site_header = "Haven"
admin.site.site_title = "Haven"


class AuditedAdmin(admin.ModelAdmin):
    """Every change made in the admin is written to the audit trail, with the changed field names."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit_record(actor=request.user, action=AuditAction.ADMIN, object_type=obj._meta.label_lower,
                     object_id=obj.pk, fields=list(form.changed_data), reason="change" if change else "add",
                     channel="admin")

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        pk = obj.pk
        super().delete_model(request, obj)
        audit_record(actor=request.user, action=AuditAction.ADMIN, object_type=obj._meta.label_lower,
                     object_id=pk, reason="delete", channel="admin")

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            self.delete_model(request, obj)
