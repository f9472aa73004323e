"""Case, registration, workflow and consent forms. They shape input; the services decide what is valid."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import AgencyKind
from haven.cases import page_helpers as pages
from haven.cases.models import (
    Category,
    Ethnicity,
    Exploitation,
    IdentifiedAt,
    Language,
    MeansOfControl,
    ReturnMode,
    Sex,
    Status,
)
from haven.cases.services import Registration
from haven.consent.models import Decision, GivenBy, Method, Purpose
from haven.core.forms import choice_field, country_choices, date_field, multi_choice_field, text_field

SORTS = [
    ("-received", _("Newest reception first")),
    ("received", _("Oldest reception first")),
    ("name", _("Name (A–Z)")),
]


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, max_length=200,
        help_text=_("Case code, ID number, or whole words of a name (with or without accents)."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        error_messages={"max_length": _("Too long: at most %(limit_value)d characters.")},
    )
    status = choice_field(_("Status"), Status.choices, required=False, blank_label=_("Any status"))
    category = choice_field(_("Category"), Category.choices, required=False, blank_label=_("Any category"))
    sex = choice_field(_("Sex"), Sex.choices, required=False, blank_label=_("Any"))
    received_from = date_field(_("Received from"))
    received_to = date_field(_("Received to"))
    sort = forms.ChoiceField(choices=SORTS, required=False, error_messages={
        "invalid_choice": _("Choose one of the listed options."),
    })

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", _("The end date is before the start date."))
        return data

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "status": data.get("status") or "",
            "category": data.get("category") or "",
            "sex": data.get("sex") or "",
            "received_from": data.get("received_from"),
            "received_to": data.get("received_to"),
        }


def _set_choices(form: forms.Form, name: str, choices: list[tuple[Any, Any]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def _unit_choices(units: list[Any], *, with_parent: bool = False) -> list[tuple[Any, Any]]:
    rows = []
    for unit in units:
        name = unit.name
        if with_parent and unit.parent_id:
            name = f"{unit.name} ({unit.province().name})" if unit.level == "commune" else unit.name
        rows.append((unit.code, name))
    return rows


class RegistrationForm(forms.Form):
    """Every field of `cases.services.Registration`, in the order a reception officer fills them."""

    # Reception
    received_on = date_field(_("Date of reception"), required=True)
    reception_place = text_field(_("Place of reception"), required=True,
                                 help_text=_("For example: Lào Cai international border gate."))
    reception_unit = choice_field(_("Administrative unit of reception"), [], required=False)
    return_mode = choice_field(_("How the person came back"), ReturnMode.choices, prompt=True)
    identified_at = choice_field(_("Where identified"), IdentifiedAt.choices, required=False)
    category = choice_field(_("Category"), Category.choices, prompt=True)
    accompanies = text_field(_("Accompanies the victim of case"), max_length=20,
                             help_text=_("Only for an accompanying minor: the case code of the adult."))
    # Identity: sealed at rest
    full_name = text_field(_("Full name"), required=True)
    other_names = text_field(_("Other names"), max_length=400, help_text=_("Aliases, names used abroad."))
    date_of_birth = date_field(_("Date of birth"))
    id_number = text_field(_("ID document number"), max_length=40)
    phone = text_field(_("Phone"), max_length=30)
    address = text_field(_("Address"), max_length=500, rows=2)
    family_contacts = text_field(_("Family contacts"), max_length=1000, rows=2)
    notes = text_field(_("Notes"), max_length=5000, rows=3)
    # Non-identifying attributes
    sex = choice_field(_("Sex"), Sex.choices, prompt=True)
    birth_year = forms.IntegerField(
        label=_("Year of birth"), required=False, min_value=1900, max_value=2100,
        help_text=_("If the exact date is not known."),
        error_messages={"invalid": _("Enter a year such as 1998."),
                        "min_value": _("Enter a year between 1900 and this year."),
                        "max_value": _("Enter a year between 1900 and this year.")},
    )
    ethnicity = choice_field(_("Ethnicity"), Ethnicity.choices)
    nationality = choice_field(_("Nationality"), [])
    home_province = choice_field(_("Home province"), [], required=False)
    home_commune = choice_field(_("Home commune"), [], required=False)
    languages = multi_choice_field(_("Languages spoken"), Language.choices)
    # Trafficking facts
    exploitation_types = multi_choice_field(_("Types of exploitation"), Exploitation.choices)
    destination_country = choice_field(_("Destination country"), [], required=False)
    means_of_control = multi_choice_field(_("Means of control"), MeansOfControl.choices)
    confirm_duplicate = forms.BooleanField(
        label=_("I have checked these cases: this is a different person (or a new episode), register anyway."),
        required=False,
    )

    RECEPTION = ("received_on", "reception_place", "reception_unit", "return_mode", "identified_at", "category",
                 "accompanies")
    IDENTITY = ("full_name", "other_names", "date_of_birth", "id_number", "phone", "address", "family_contacts",
                "notes")
    ATTRIBUTES = ("sex", "birth_year", "ethnicity", "nationality", "home_province", "home_commune", "languages")
    FACTS = ("exploitation_types", "destination_country", "means_of_control")

    def __init__(self, *args: Any, today: dt.date | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        today = today or timezone.localdate()
        kwargs["initial"] = {"received_on": today, "nationality": "VN", "ethnicity": Ethnicity.UNKNOWN,
                             "languages": ["vi"], **kwargs["initial"]}
        super().__init__(*args, **kwargs)
        blank: list[tuple[Any, Any]] = [("", "—")]
        countries = country_choices()
        _set_choices(self, "reception_unit", blank + _unit_choices(pages.reception_units_on(today)))
        _set_choices(self, "home_province", blank + _unit_choices(pages.provinces_on(today)))
        _set_choices(self, "home_commune", blank + _unit_choices(pages.communes_on(today), with_parent=True))
        _set_choices(self, "nationality", [*countries, ("stateless", _("Stateless"))])
        _set_choices(self, "destination_country", blank + countries)
        self.fields["home_province"].widget.attrs.update({
            "hx-get": reverse("cases:communes"), "hx-target": "#id_home_commune", "hx-trigger": "change",
            "hx-swap": "innerHTML", "hx-include": "this",
        })
        for name in self.IDENTITY:
            self.fields[name].widget.attrs["autocomplete"] = "off"

    def groups(self) -> list[tuple[Any, Any, list[forms.BoundField], str]]:
        return [
            (_("Reception"), "", [self[n] for n in self.RECEPTION], ""),
            (_("Identity (confidential)"),
             _("Encrypted at rest. Only staff entitled to this case see these fields, and every view is logged."),
             [self[n] for n in self.IDENTITY], "confidential"),
            (_("Non-identifying attributes"), _("Used for statistics; they do not name the person."),
             [self[n] for n in self.ATTRIBUTES], ""),
            (_("Trafficking facts"), "", [self[n] for n in self.FACTS], ""),
        ]

    def registration(self) -> Registration:
        data = dict(self.cleaned_data)
        data.pop("confirm_duplicate", None)
        data["accompanies"] = data["accompanies"].upper()
        return Registration(**data)


class IdentityForm(forms.Form):
    full_name = RegistrationForm.base_fields["full_name"]
    other_names = RegistrationForm.base_fields["other_names"]
    date_of_birth = RegistrationForm.base_fields["date_of_birth"]
    id_number = RegistrationForm.base_fields["id_number"]
    phone = RegistrationForm.base_fields["phone"]
    address = RegistrationForm.base_fields["address"]
    family_contacts = RegistrationForm.base_fields["family_contacts"]
    notes = RegistrationForm.base_fields["notes"]

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["date_of_birth"] = data["date_of_birth"].isoformat() if data.get("date_of_birth") else ""
        return data


# Workflow steps ------------------------------------------------------------------------------

class EmptyForm(forms.Form):
    pass


class IdentifyForm(forms.Form):
    identified_on = date_field(_("Date of identification"), required=True,
                               help_text=_("This date selects the legal regime of support."))
    authority = text_field(_("Competent authority"), required=True)
    document = text_field(_("Decision document number"), max_length=100, required=True)


class NotVictimForm(forms.Form):
    reason = text_field(_("Reason"), max_length=2000, required=True, rows=2)


class CloseForm(forms.Form):
    reason = text_field(_("Reason for closing"), max_length=2000, required=True, rows=2)
    closed_on = date_field(_("Closed on"), help_text=_("Today if left empty."))


class AssignForm(forms.Form):
    worker = forms.ChoiceField(label=_("Caseworker"), error_messages={
        "invalid_choice": _("Choose a worker of this agency."), "required": _("Choose a worker of this agency."),
    })

    def __init__(self, *args: Any, workers: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "worker", [("", "—")] + [
            (str(w.pk), f"{w.get_full_name() or w.username} · {w.get_role_display()}") for w in workers
        ])


class BreakGlassForm(forms.Form):
    code = forms.CharField(
        label=_("Case code"), max_length=20, widget=forms.TextInput(attrs={"class": "mono", "autocomplete": "off"}),
        error_messages={"max_length": _("Too long: at most %(limit_value)d characters.")},
    )
    reason = text_field(_("Why you need this case now"), max_length=2000, required=True, rows=4,
                        help_text=_("At least 20 characters. Your supervisor and the auditors will read it."))


class SignoffForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approved", _("Approve")), ("objected", _("Object"))], error_messages={
        "invalid_choice": _("Choose one of the listed options."),
    })
    note = text_field(_("Note"), max_length=2000)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "objected" and not data.get("note"):
            self.add_error("note", _("Explain the objection in the note."))
        return data


class ReviewForm(forms.Form):
    note = text_field(_("Review note"), max_length=2000)


# Consent -------------------------------------------------------------------------------------

RECORDABLE_DECISIONS = [(Decision.GIVEN, Decision.GIVEN.label), (Decision.REFUSED, Decision.REFUSED.label)]


class ConsentForm(forms.Form):
    purpose = choice_field(_("Purpose"), Purpose.choices)
    agency_kind = choice_field(_("Agency kind"), AgencyKind.choices, required=False,
                               help_text=_("Only for sharing: which kind of agency may see the case."))
    decision = choice_field(_("Decision"), RECORDABLE_DECISIONS)
    given_by = choice_field(_("Given by"), GivenBy.choices)
    method = choice_field(_("How"), Method.choices)
    guardian_name = text_field(_("Guardian's name"), help_text=_("When a guardian takes part."))
    witness_name = text_field(_("Witness's name"), help_text=_("For verbal consent."))
    effective_on = date_field(_("Date"), help_text=_("Today if left empty."))
    note = text_field(_("Note"), max_length=2000, rows=2)


class WithdrawForm(forms.Form):
    purpose = choice_field(_("Purpose"), Purpose.choices, required=True)
    agency_kind = choice_field(_("Agency kind"), AgencyKind.choices, required=False)
    given_by = choice_field(_("Withdrawn by"), GivenBy.choices)
    method = choice_field(_("How"), Method.choices)
    guardian_name = text_field(_("Guardian's name"))
    witness_name = text_field(_("Witness's name"))
