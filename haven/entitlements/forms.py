"""Forms of the Entitlements tab. They only shape input; the services validate and decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.core.forms import choice_field, date_field, text_field
from haven.entitlements.models import ApplicationItem, ApplicationStatus

# The six circumstances the rules ask about, in the order an officer asks them.
FACT_QUESTIONS: dict[str, Any] = {
    "poor_household": _("Is the household on the commune's poor list?"),
    "near_poor_household": _("Is the household on the near-poor list?"),
    "financial_difficulty": _("Is the person in financial difficulty?"),
    "has_health_insurance": _("Does the person have a health insurance card?"),
    "has_relatives": _("Does the person have relatives to return to?"),
    "revolutionary_merit_family": _("Is it a family with revolutionary merit?"),
}
ANSWERS = [("yes", _("Yes")), ("no", _("No")), ("unknown", _("Not known"))]
_TO_VALUE = {"yes": True, "no": False, "unknown": None}


def answer_of(value: bool | None) -> str:
    return {True: "yes", False: "no"}.get(value, "unknown")  # type: ignore[arg-type]


class EvaluateForm(forms.Form):
    on = date_field(_("Evaluate on date"))


class FactsForm(forms.Form):
    located = choice_field(_("Where the person is"), [("vietnam", _("In Viet Nam")), ("abroad", _("Abroad"))])
    shelter_from = date_field(_("Shelter stay from"))
    shelter_to = date_field(_("Shelter stay to"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        questions = {name: forms.ChoiceField(label=label, choices=ANSWERS, widget=forms.RadioSelect,
                                             error_messages={"invalid_choice": _("Answer yes, no or not known."),
                                                             "required": _("Answer yes, no or not known.")})
                     for name, label in FACT_QUESTIONS.items()}
        self.fields = {**questions, **self.fields}

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        changes: dict[str, Any] = {name: _TO_VALUE[data[name]] for name in FACT_QUESTIONS}
        changes["located"] = data["located"]
        for name in ("shelter_from", "shelter_to"):
            changes[name] = data[name].isoformat() if data[name] else None
        return changes


class ApplicationForm(forms.Form):
    item = choice_field(_("Support"), ApplicationItem.choices, prompt=True)
    received_on = date_field(_("Application received on"), required=True)


class StepForm(forms.Form):
    completed_on = date_field(_("Completed on"), required=True)
    note = text_field(_("Note"), max_length=2000)


DECISIONS = [(s.value, s.label) for s in (ApplicationStatus.APPROVED, ApplicationStatus.REJECTED,
                                          ApplicationStatus.WITHDRAWN)]


class DecideForm(forms.Form):
    decision = choice_field(_("Decision"), DECISIONS, prompt=True)
    decided_on = date_field(_("Decided on"), required=True)
    note = text_field(_("Note (required for a refusal: the person must be told why)"), max_length=2000, rows=2)
    amount_vnd = forms.CharField(label=_("Amount granted (đồng)"), required=False, max_length=16,
                                 widget=forms.TextInput(attrs={"inputmode": "numeric"}))
