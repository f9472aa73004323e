"""Justice records in the Django admin: to look at, never to change.

No add, change or delete permission for anyone, superusers included: payments and enforcement steps are
append-only (corrected by a reversing payment through the services). Sealed fields (court, case number,
sentence, debtor, bodies, notes) are left out: the admin does not audit reads.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from haven.legal.models import CompensationPayment, EnforcementStep, LegalAid, Proceeding, Verdict


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        return {}


@admin.register(Proceeding)
class ProceedingAdmin(ReadOnlyAdmin):
    list_display = ("pk", "case", "kind", "person_role", "stage", "status")
    fields = ("case", "kind", "person_role", "stage", "status", "opened_on", "closed_on", "recorded_by")


@admin.register(LegalAid)
class LegalAidAdmin(ReadOnlyAdmin):
    list_display = ("pk", "case", "provider", "requested_on", "status", "eligibility_status")
    fields = ("case", "proceeding", "provider", "requested_on", "status", "decided_on", "ended_on",
              "eligibility_status", "eligibility_evaluated_on", "recorded_by")


@admin.register(Verdict)
class VerdictAdmin(ReadOnlyAdmin):
    list_display = ("pk", "proceeding", "decided_on", "court_level", "outcome", "compensation_awarded")
    fields = ("proceeding", "decided_on", "court_level", "outcome", "compensation_awarded", "recorded_by")


@admin.register(CompensationPayment)
class CompensationPaymentAdmin(ReadOnlyAdmin):
    list_display = ("pk", "award", "received_on", "amount", "method", "reverses")
    fields = ("award", "received_on", "amount", "method", "evidence_ref", "reverses", "recorded_by")


@admin.register(EnforcementStep)
class EnforcementStepAdmin(ReadOnlyAdmin):
    list_display = ("pk", "award", "kind", "taken_on")
    fields = ("award", "kind", "taken_on", "recorded_by")
