"""Forms of the Protection tab. They only shape input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.core.forms import choice_field, date_field, text_field
from haven.protection.models import (
    DOMAINS,
    Beneficiary,
    DomainLevel,
    Occasion,
    RefusalMethod,
    ReviewOutcome,
    RiskLevel,
    Severity,
    ThreatSource,
)


class AssessForm(forms.Form):
    occasion = choice_field(_("Occasion"), Occasion.choices, prompt=True)
    assessed_on = date_field(_("Assessed on"), required=True)
    level = choice_field(_("Override the level (optional)"), RiskLevel.choices, required=False,
                         blank_label=_("As the rule gives"))
    override_reason = text_field(_("Why the level differs from the rule"), max_length=2000, rows=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in DOMAINS:
            self.fields[name] = choice_field(label, DomainLevel.choices, prompt=True)
            self.fields[f"{name}_note"] = text_field(_("Note (sealed)"), max_length=2000)

    def domain_rows(self) -> list[tuple[Any, Any]]:
        return [(self[name], self[f"{name}_note"]) for name, _label in DOMAINS]


class ThreatForm(forms.Form):
    occurred_on = date_field(_("Occurred on"), required=True)
    reported_on = date_field(_("Reported on"))
    source = choice_field(_("Source"), ThreatSource.choices, prompt=True)
    severity = choice_field(_("Severity"), Severity.choices, prompt=True)
    description = text_field(_("What happened (sealed)"), max_length=2000, required=True, rows=3)
    location = text_field(_("Where (sealed)"), max_length=500)


class ReviewForm(forms.Form):
    outcome = choice_field(_("Outcome of the review"), ReviewOutcome.choices, prompt=True)
    note = text_field(_("Note (sealed)"), max_length=2000, rows=2)


class MeasureForm(forms.Form):
    kind = choice_field(_("Measure"), [], prompt=True)
    requested_on = date_field(_("Requested on"), required=True)
    beneficiary = choice_field(_("For"), Beneficiary.choices)
    relative_name = text_field(_("Relative's name (sealed)"), max_length=200)
    relative_relationship = text_field(_("Relationship to the person (sealed)"), max_length=100)
    proceeding = choice_field(_("Legal proceeding (required for a closed trial)"), [], required=False)
    note = text_field(_("Note (sealed)"), max_length=2000, rows=2)

    def __init__(self, *args: Any, kinds: list[tuple[str, str]] = (), proceedings: list[tuple[int, str]] = (),  # type: ignore[assignment]
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Choose…")), *kinds]  # type: ignore[attr-defined]
        self.fields["proceeding"].choices = [("", "—"), *((str(pk), label) for pk, label in proceedings)]  # type: ignore[attr-defined]


GRANTED = [("yes", _("Granted")), ("no", _("Rejected"))]


class DecideForm(forms.Form):
    granted = choice_field(_("Decision"), GRANTED, prompt=True)
    decided_on = date_field(_("Decided on"), required=True)
    authority_agency = choice_field(_("Deciding agency"), [], required=False)
    authority_text = text_field(_("Or name the authority (sealed)"), max_length=300)

    def __init__(self, *args: Any, agencies: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["authority_agency"].choices = [("", "—"), *((str(pk), n) for pk, n in agencies)]  # type: ignore[attr-defined]


class InForceForm(forms.Form):
    in_force_from = date_field(_("In force from"), required=True)
    in_force_to = date_field(_("In force to (optional)"))


class EndForm(forms.Form):
    ended_on = date_field(_("Ended on"), required=True)
    note = text_field(_("Why it ended (sealed)"), max_length=2000)


class RefuseForm(forms.Form):
    refused_on = date_field(_("Refused on"), required=True)
    method = choice_field(_("How the person refused"), RefusalMethod.choices, prompt=True)
    note = text_field(_("Note (sealed)"), max_length=2000)
