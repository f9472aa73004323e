"""Forms of the Follow-up tab. They only shape input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.cases.models import ReturnMode
from haven.core.forms import choice_field, date_field, text_field
from haven.followup.models import AssessmentOutcome, FollowUpStatus, VisitMode


class AssessmentForm(forms.Form):
    stay = choice_field(_("For the stay"), [], required=False)
    visited_on = date_field(_("Home visited on"), required=True)
    family_situation = text_field(_("The family's situation (kept sealed)"), max_length=4000, rows=3)
    findings = text_field(_("What the visit found (kept sealed)"), max_length=4000, rows=3, required=True)
    risks = text_field(_("Risks (kept sealed)"), max_length=4000, rows=2)
    outcome = choice_field(_("Outcome"), AssessmentOutcome.choices, prompt=True)
    conditions = text_field(_("Conditions of the return (kept sealed)"), max_length=4000, rows=2,
                            help_text=_("Required when the home is safe with conditions."))
    placement = text_field(_("Other placement if the home is unsafe (kept sealed)"), max_length=4000, rows=2,
                           help_text=_("Where the child goes instead of home: another facility, a relative."))

    def __init__(self, *args: Any, stays: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["stay"].choices = [("", "—"), *((str(pk), name) for pk, name in stays)]  # type: ignore[attr-defined]


class DecideForm(forms.Form):
    decision = choice_field(_("Decision"), [("approve", _("Approve")), ("return", _("Return for changes"))])
    reason = text_field(_("Reason (required to return it)"), max_length=4000, rows=2)


class PlanForm(forms.Form):
    responsible_agency = choice_field(_("Responsible agency"), [], prompt=True,
                                      help_text=_("Usually the People's Committee of the home commune or the "
                                                  "social work centre."))
    every_days = forms.IntegerField(label=_("Visit every (days)"), min_value=7, max_value=183, initial=30,
                                    error_messages={"required": _("This field is required."),
                                                    "invalid": _("Enter a whole number of days.")})
    starts_on = date_field(_("Starts on"), required=True)
    ends_on = date_field(_("Ends on"), required=True)

    def __init__(self, *args: Any, agencies: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["responsible_agency"].choices = [("", _("Choose…")), *((str(pk), n) for pk, n in agencies)]  # type: ignore[attr-defined]


class VisitForm(forms.Form):
    visit = forms.CharField(required=False, widget=forms.HiddenInput())
    done_on = date_field(_("Visited on"), required=True)
    mode = choice_field(_("How"), VisitMode.choices)
    observed = choice_field(_("Status observed"), FollowUpStatus.choices, prompt=True)
    notes = text_field(_("Visit notes (kept sealed)"), max_length=4000, rows=3,
                       help_text=_("Required when the person is at risk or trafficked again."))


class ReceptionForm(forms.Form):
    received_on = date_field(_("Received on"), required=True)
    reception_place = text_field(_("Place of reception"), max_length=200, required=True)
    return_mode = choice_field(_("How the person came back"), ReturnMode.choices, prompt=True)
