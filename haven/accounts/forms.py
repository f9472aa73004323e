"""Log-in, two-factor and API token forms. The checks that matter are in accounts.services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

TOO_LONG = {"max_length": _("Too long: at most %(limit_value)d characters.")}


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Username"), max_length=150, error_messages=TOO_LONG,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True, "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Password"), max_length=1024, strip=False, error_messages=TOO_LONG,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("6-digit code"), max_length=12, error_messages=TOO_LONG,
        widget=forms.TextInput(attrs={
            "autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "pattern": "[0-9 ]*",
            "class": "mono",
        }),
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("What the token is for"), max_length=100,
        help_text=_("For example: the provincial reporting script."),
        error_messages=TOO_LONG,
    )
