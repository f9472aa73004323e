from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from haven.accounts.models import Agency, SharingProfile, User
from haven.core.admin import AuditedAdmin


@admin.register(Agency)
class AgencyAdmin(AuditedAdmin):
    list_display = ("name", "kind", "jurisdiction", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "name_en")


@admin.register(SharingProfile)
class SharingProfileAdmin(AuditedAdmin):
    list_display = ("agency_kind", "fields")


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    list_display = ("username", "agency", "role", "is_active", "totp_confirmed_at", "locked_until")
    list_filter = ("role", "agency", "is_active")
    # The TOTP secret is sealed and never shown; an administrator can only reset enrolment.
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Haven", {"fields": ("agency", "role", "preferred_language", "is_active", "locked_until", "failed_logins")}),
        ("Admin", {"fields": ("is_staff", "is_superuser")}),
    )
    add_fieldsets = ((None, {"fields": ("username", "password1", "password2", "agency", "role")}),)
    actions = ["reset_two_factor"]

    @admin.action(description="Reset two-factor enrolment")
    def reset_two_factor(self, request, queryset):  # type: ignore[no-untyped-def]
        for user in queryset:
            user.totp_secret, user.totp_confirmed_at, user.totp_last_step = None, None, None
            user.save(update_fields=["totp_secret", "totp_confirmed_at", "totp_last_step"])
            from haven.audit.services import audit_record

            audit_record(actor=request.user, action="admin", object_type="accounts.user", object_id=user.pk,
                         reason="reset two-factor", channel="admin")
