"""Official figures are added as new dated rows through the audited service; never edited in place."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from haven.core.errors import HavenError
from haven.entitlements.models import ParameterValue
from haven.entitlements.services import parameter_value_add, parameter_value_check

FIELDS = ("parameter", "scope", "valid_from", "valid_to", "amount", "unit", "instrument", "article", "confidence")


class ParameterValueForm(forms.ModelForm):
    amount = forms.CharField()
    acting_user: Any = None

    class Meta:
        model = ParameterValue
        fields = FIELDS

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            try:
                parameter_value_check(acting_user=self.acting_user, **{k: data.get(k) for k in FIELDS})  # type: ignore[arg-type]
            except HavenError as exc:
                raise forms.ValidationError(str(exc.message)) from exc
        return data


@admin.register(ParameterValue)
class ParameterValueAdmin(admin.ModelAdmin):
    form = ParameterValueForm
    list_display = ("parameter", "scope", "valid_from", "valid_to", "amount", "unit", "confidence", "instrument",
                    "entered_by")
    list_filter = ("parameter", "scope", "confidence")

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        form.acting_user = request.user  # type: ignore[attr-defined]
        return form

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a law change adds a dated value; it never edits one

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        saved = parameter_value_add(acting_user=request.user, channel="admin",
                                    **{k: form.cleaned_data.get(k) for k in FIELDS})
        obj.pk = saved.pk
