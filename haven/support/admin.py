"""The ledger and funding sources in the Django admin: to look at, never to change.

No add, change or delete permission for anyone, superusers included: entries are corrected by a
reversing entry through the services, and funding sources are managed on the support page. Free-text
fields (reasons, notes) are left out: they may name people. Shelter stays are not registered at all:
where a named person stays must never leave the case record.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from haven.support.models import FundingSource, LedgerApproval, LedgerEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        return {}


@admin.register(FundingSource)
class FundingSourceAdmin(ReadOnlyAdmin):
    list_display = ("name", "agency", "kind", "code", "is_active")
    list_filter = ("kind", "is_active")
    fields = ("agency", "kind", "name", "code", "is_active")


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ("pk", "agency", "item", "kind", "provided_on", "amount", "overrides_limit", "reverses")
    list_filter = ("kind", "item", "overrides_limit")
    fields = ("case", "agency", "item", "kind", "provided_on", "amount", "proposed_amount", "legal_limit",
              "overrides_limit", "funding_source", "evidence_kind", "evidence_ref", "reverses", "recorded_by",
              "recorded_at")


@admin.register(LedgerApproval)
class LedgerApprovalAdmin(ReadOnlyAdmin):
    list_display = ("entry", "approved", "decided_by", "decided_at")
    fields = ("entry", "approved", "decided_by", "decided_at")
