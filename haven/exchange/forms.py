from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))
    dry_run = forms.BooleanField(label=_("Only check the rows, save nothing"), required=False)


class ExportForm(forms.Form):
    k = forms.IntegerField(label=_("k (minimum rows per combination)"), min_value=2, max_value=100, initial=11)
    year_from = forms.IntegerField(label=_("From year"), required=False, min_value=1900, max_value=2100)
    year_to = forms.IntegerField(label=_("To year"), required=False, min_value=1900, max_value=2100)


class IdentityExportForm(forms.Form):
    password = forms.CharField(label=_("Password for the ZIP (at least 12 characters)"), max_length=200,
                               widget=forms.PasswordInput(render_value=False))
    password_again = forms.CharField(label=_("The password again"), max_length=200,
                                     widget=forms.PasswordInput(render_value=False))
    reason = forms.CharField(label=_("Why you need the identities"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data
