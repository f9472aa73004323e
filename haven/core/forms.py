"""Form plumbing shared by every page: HavenError → form errors, widgets, translated country names."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import pycountry
from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _

from haven.core.errors import HavenError, NotFound, PermissionDenied

# Django's own messages that its Vietnamese catalogue leaves untranslated: listed here so that
# makemessages puts them in ours, and Haven's catalogue (first in LOCALE_PATHS) supplies them.
DJANGO_MESSAGES = (
    _("Null characters are not allowed."),
)

# Form field names that differ from the field names services put in HavenError.field.
DEFAULT_FIELD_ALIASES: dict[str, str] = {}


def apply_haven_error(
    form: forms.Form, error: HavenError, *, aliases: dict[str, str] | None = None
) -> None:
    """Show a rejected request's message on the field it names, or above the form if no field matches."""
    name = error.field or ""
    name = (aliases or {}).get(name, DEFAULT_FIELD_ALIASES.get(name, name))
    if name in form.fields:
        form.add_error(name, str(error.message))
    else:
        form.add_error(None, str(error.message))


def form_submit(form: forms.Form, action: Callable[[dict[str, Any]], Any], *,
                aliases: dict[str, str] | None = None, denied_on_form: bool = False) -> Any:
    """Call a service with a valid form's data: what it returned (True if nothing), or None when the
    form is invalid or the service refused — the refusal is on the form and nothing is saved.

    Missing and forbidden objects are a 404; a PermissionDenied on an object the user can see goes on
    the form instead when `denied_on_form`.
    """
    if not form.is_valid():
        return None
    try:
        return action(form.cleaned_data) or True
    except PermissionDenied as error:
        if not denied_on_form:
            raise Http404() from None
        form.add_error(None, str(error.message))
        return None
    except NotFound:
        raise Http404() from None
    except HavenError as error:
        apply_haven_error(form, error, aliases=aliases)
        return None


def iso_date(value: dt.date | None) -> str | None:
    """A cleaned date as the YYYY-MM-DD text services take (None stays None)."""
    return value.isoformat() if value else None


def message_haven_error(request: HttpRequest, error: HavenError) -> None:
    """For actions without a form of their own (a button): the message goes to the top of the next page."""
    messages.error(request, str(error.message))


class DateInput(forms.DateInput):
    """The browser's date picker; it always submits YYYY-MM-DD, whatever the display language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label: Any, *, required: bool = False, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label, required=required, help_text=help_text, widget=DateInput(),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": _("Enter a date as YYYY-MM-DD.")},
    )


def text_field(label: Any, *, max_length: int = 200, required: bool = False, help_text: Any = "",
               rows: int | None = None) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(
        label=label, max_length=max_length, required=required, help_text=help_text, widget=widget,
        error_messages={"max_length": _("Too long: at most %(limit_value)d characters.")},
    )


def choice_field(label: Any, choices: Any, *, required: bool = True, blank_label: Any = "—",
                 help_text: Any = "", prompt: bool = False) -> forms.ChoiceField:
    """A select; `prompt` adds an empty first option to a required one, so nothing is chosen by default."""
    options = list(choices)
    if not required or prompt:
        options = [("", _("Choose…") if prompt else blank_label), *options]
    return forms.ChoiceField(
        label=label, choices=options, required=required, help_text=help_text,
        error_messages={"invalid_choice": _("Choose one of the listed options.")},
    )


def multi_choice_field(label: Any, choices: Any, *, help_text: Any = "") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, help_text=help_text, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose from the listed options.")},
    )


# Where people return from most often, named in current Vietnamese usage (the iso-codes catalogue
# uses old forms such as "Căm Bốt"). Other countries keep their English short name.
FREQUENT_COUNTRIES: dict[str, Any] = {
    "VN": _("Viet Nam"),
    "CN": _("China"),
    "LA": _("Laos"),
    "KH": _("Cambodia"),
    "TH": _("Thailand"),
    "MY": _("Malaysia"),
    "MM": _("Myanmar"),
    "KR": _("South Korea"),
    "JP": _("Japan"),
    "TW": _("Taiwan"),
    "SG": _("Singapore"),
    "ID": _("Indonesia"),
    "PH": _("Philippines"),
    "SA": _("Saudi Arabia"),
    "AE": _("United Arab Emirates"),
    "RU": _("Russia"),
    "GB": _("United Kingdom"),
    "DE": _("Germany"),
    "FR": _("France"),
    "PL": _("Poland"),
    "AO": _("Angola"),
}


@lru_cache(maxsize=1)
def _other_countries() -> tuple[tuple[str, str], ...]:
    rows = [
        (c.alpha_2, getattr(c, "common_name", None) or c.name)
        for c in pycountry.countries
        if c.alpha_2 not in FREQUENT_COUNTRIES
    ]
    return tuple(sorted(rows, key=lambda row: row[1]))


def country_choices() -> list[tuple[Any, Any]]:
    """Frequent countries first (translated), then every other country; grouped for a <select>."""
    return [
        (_("Frequent"), [(code, str(name)) for code, name in FREQUENT_COUNTRIES.items()]),
        (_("All countries"), list(_other_countries())),
    ]


def country_name(code: str) -> str:
    if not code:
        return ""
    if code == "stateless":
        return str(_("Stateless"))
    if code in FREQUENT_COUNTRIES:
        return str(FREQUENT_COUNTRIES[code])
    return dict(_other_countries()).get(code, code)
