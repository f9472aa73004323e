"""Forms of the Justice tab. They only shape input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.core.forms import choice_field, date_field, text_field
from haven.legal.models import (
    AidStatus,
    CourtLevel,
    Outcome,
    PaymentMethod,
    PersonRole,
    ProceedingKind,
    ProceedingStatus,
    Stage,
    StepKind,
)

OPEN_STAGES = [(v, label) for v, label in Stage.choices if v != Stage.CLOSED]


def _amount(label: Any, *, required: bool = True) -> forms.CharField:
    return forms.CharField(label=label, max_length=20, required=required,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
                           error_messages={"required": _("This field is required.")})


def _choose(form: forms.Form, name: str, options: list[tuple[Any, str]]) -> None:
    form.fields[name].choices = [("", _("Choose…")), *((str(k), v) for k, v in options)]  # type: ignore[attr-defined]


class ProceedingForm(forms.Form):
    kind = choice_field(_("Kind"), ProceedingKind.choices, prompt=True)
    person_role = choice_field(_("The person's role"), PersonRole.choices, prompt=True)
    stage = choice_field(_("Stage"), OPEN_STAGES)
    court = text_field(_("Court or investigating body (sealed)"), max_length=300)
    case_number = text_field(_("Case number (sealed)"), max_length=100)
    opened_on = date_field(_("Opened on"))


class AdvanceForm(forms.Form):
    stage = choice_field(_("Stage"), Stage.choices)
    status = choice_field(_("Status"), ProceedingStatus.choices)
    on = date_field(_("Closed on (when closing)"))


class AidForm(forms.Form):
    provider = choice_field(_("Legal aid provider"), [], prompt=True)
    proceeding = choice_field(_("Proceeding"), [], required=False)
    requested_on = date_field(_("Requested on"), required=True)

    def __init__(self, *args: Any, providers: list[tuple[int, str]] = (), proceedings: list[tuple[int, str]] = (),  # type: ignore[assignment]
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choose(self, "provider", list(providers))
        self.fields["proceeding"].choices = [("", _("Not tied to a proceeding")),  # type: ignore[attr-defined]
                                             *((str(k), v) for k, v in proceedings)]


AID_DECISIONS = [(AidStatus.GRANTED, AidStatus.GRANTED.label), (AidStatus.REFUSED, AidStatus.REFUSED.label),
                 (AidStatus.ENDED, AidStatus.ENDED.label)]


class AidDecisionForm(forms.Form):
    status = choice_field(_("Decision"), AID_DECISIONS, prompt=True)
    on = date_field(_("Date"), required=True)


class VerdictForm(forms.Form):
    proceeding = choice_field(_("Proceeding"), [], prompt=True)
    decided_on = date_field(_("Decided on"), required=True)
    court_level = choice_field(_("Court level"), CourtLevel.choices, prompt=True)
    outcome = choice_field(_("Outcome"), Outcome.choices, prompt=True)
    sentence_summary = text_field(_("Sentence (sealed)"), max_length=2000, rows=2)
    compensation_awarded = _amount(_("Compensation awarded to the person (đồng)"), required=False)
    debtor = text_field(_("Who must pay (sealed)"), max_length=300)

    def __init__(self, *args: Any, proceedings: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        _choose(self, "proceeding", list(proceedings))


class PaymentForm(forms.Form):
    received_on = date_field(_("Received on"), required=True)
    amount = _amount(_("Amount received (đồng)"))
    method = choice_field(_("How"), PaymentMethod.choices, prompt=True)
    evidence_ref = text_field(_("Evidence reference (receipt, transfer slip)"), max_length=80, required=True)


class ReversePaymentForm(forms.Form):
    reason = text_field(_("Why this payment is reversed"), max_length=2000, required=True, rows=2)


class StepForm(forms.Form):
    kind = choice_field(_("Step"), StepKind.choices, prompt=True)
    taken_on = date_field(_("Date"), required=True)
    body = text_field(_("Enforcement body (sealed)"), max_length=300)
    note = text_field(_("Note (sealed)"), max_length=2000, rows=2)
