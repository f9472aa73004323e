"""Forms of the directory pages. They only shape input; the services and selectors validate and decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.core.forms import multi_choice_field, text_field
from haven.directory.catalogue import language_choices, need_choices, sex_choices
from haven.directory.models import MAX_AGE


def _number(label: Any, *, help_text: Any = "") -> forms.CharField:
    # Text, not IntegerField: the service says what is wrong with the number, in one wording everywhere.
    return forms.CharField(label=label, required=False, max_length=6, help_text=help_text,
                           widget=forms.TextInput(attrs={"inputmode": "numeric"}))


class SearchForm(forms.Form):
    q = text_field(_("Agency name"), max_length=100)
    item = forms.ChoiceField(label=_("Support needed"), required=False)
    sex = forms.ChoiceField(label=_("Sex"), required=False)
    age = forms.IntegerField(label=_("Age"), required=False, min_value=0, max_value=MAX_AGE)
    language = forms.ChoiceField(label=_("Language spoken"), required=False)
    province = forms.ChoiceField(label=_("Province"), required=False)

    def __init__(self, *args: Any, provinces: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        invalid = {"invalid_choice": _("Choose one of the listed options.")}
        # Formatted here, in the request's language: a lazy string formatted at import is frozen.
        age_message = _("Enter an age in whole years, from 0 to %(n)d.") % {"n": MAX_AGE}
        self.fields["age"].error_messages.update(invalid=age_message, min_value=age_message, max_value=age_message)
        for name, choices, blank in (("item", need_choices(), _("Any support")),
                                     ("sex", sex_choices(), _("Anyone")),
                                     ("language", language_choices(), _("Any language")),
                                     ("province", provinces, _("All provinces"))):
            field = self.fields[name]
            field.choices = [("", blank), *choices]  # type: ignore[attr-defined]
            field.error_messages.update(invalid)


class GapsForm(forms.Form):
    province = forms.ChoiceField(label=_("Province"), error_messages={
        "required": _("Choose a province."), "invalid_choice": _("Choose one of the listed options.")})

    def __init__(self, *args: Any, provinces: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = provinces  # type: ignore[attr-defined]


class OfferingForm(forms.Form):
    agency = forms.ChoiceField(label=_("Agency"), error_messages={
        "required": _("Choose an active agency."), "invalid_choice": _("Choose an active agency.")})
    name = text_field(_("Service name"), max_length=200, required=True,
                      help_text=_("For example: Shelter and first support."))
    items = multi_choice_field(_("Support offered"), [])
    sexes = multi_choice_field(_("Accepts"), [])
    min_age = _number(_("Minimum age"), help_text=_("Empty: no lower limit."))
    max_age = _number(_("Maximum age"), help_text=_("Empty: no upper limit."))
    languages = multi_choice_field(_("Languages spoken by the staff"), [])
    capacity = _number(_("Places"), help_text=_("Only for a service that offers shelter."))
    address = text_field(_("Address"), max_length=500,
                         help_text=_("Shown only to caseworkers, supervisors and agency administrators; every view is logged."))
    phone = text_field(_("Phone"), max_length=30)
    notes = text_field(_("Notes"), max_length=1000, rows=3,
                       help_text=_("About the service. Never write a person's name here."))

    def __init__(self, *args: Any, agencies: list[tuple[str, str]], fixed_agency: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = agencies  # type: ignore[attr-defined]
        if fixed_agency:
            del self.fields["agency"]
        self.fields["items"].choices = need_choices()  # type: ignore[attr-defined]
        self.fields["sexes"].choices = sex_choices()  # type: ignore[attr-defined]
        self.fields["languages"].choices = language_choices()  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {name: data[name] for name in ("name", "items", "sexes", "min_age", "max_age", "languages",
                                              "capacity", "address", "phone", "notes")}
