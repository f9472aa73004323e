from django.contrib import admin

from haven.cases.models import SignoffRule
from haven.core.admin import AuditedAdmin


@admin.register(SignoffRule)
class SignoffRuleAdmin(AuditedAdmin):
    list_display = ("agency_kind", "due_days")
