from django.contrib import admin

from haven.core.admin import AuditedAdmin
from haven.geo.models import AdminUnit


@admin.register(AdminUnit)
class AdminUnitAdmin(AuditedAdmin):
    list_display = ("code", "name", "level", "valid_from", "valid_to")
    list_filter = ("level",)
    search_fields = ("code", "name", "name_ascii")
