"""Filters of the audit view."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.audit.models import AuditAction
from haven.core.forms import choice_field, date_field


class AuditFilterForm(forms.Form):
    action = choice_field(_("Action"), AuditAction.choices, required=False, blank_label=_("Any action"))
    user = forms.CharField(label=_("User name"), required=False, max_length=150, error_messages={
        "max_length": _("Too long: at most %(limit_value)d characters."),
    })
    case = forms.CharField(
        label=_("Case"), required=False, max_length=20,
        widget=forms.TextInput(attrs={"placeholder": _("Case code or number.")}),
        error_messages={"max_length": _("Too long: at most %(limit_value)d characters.")},
    )
    date_from = date_field(_("From"))
    date_to = date_field(_("To"))

    def clean_case(self) -> str:
        value = self.cleaned_data["case"].strip().upper()
        if value and not all(ch.isalnum() or ch == "-" for ch in value):
            raise forms.ValidationError(_("Enter a case code such as HV-26-ABC234, or a case number."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data
