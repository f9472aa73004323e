"""Forms of the Shelter & payments tab and the support page. They only shape input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.core.forms import choice_field, date_field, text_field
from haven.support.models import EntryKind, EvidenceKind, FundingKind


class AdmitForm(forms.Form):
    facility = choice_field(_("Facility"), [], prompt=True)
    admitted_on = date_field(_("Admitted on"), required=True)

    def __init__(self, *args: Any, facilities: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["facility"].choices = [("", _("Choose…")), *((str(pk), name) for pk, name in facilities)]  # type: ignore[attr-defined]


class DischargeForm(forms.Form):
    discharged_on = date_field(_("Discharged on"), required=True)
    note = text_field(_("Note (where the person went; kept sealed)"), max_length=2000, rows=2)


class EntryForm(forms.Form):
    item = choice_field(_("Entitlement item"), [], prompt=True)
    kind = choice_field(_("Kind"), EntryKind.choices)
    provided_on = date_field(_("Date given or paid"), required=True)
    amount = forms.CharField(label=_("Amount (đồng)"), max_length=20,
                             widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
                             error_messages={"required": _("This field is required.")})
    amount_reason = text_field(_("Why the amount differs from the proposed one"), max_length=2000, rows=2)
    funding_source = choice_field(_("Funding source"), [], prompt=True)
    evidence_kind = choice_field(_("Evidence"), EvidenceKind.choices,
                                 help_text=_("An invoice, or a list signed by the recipients when no invoice can be had."))
    evidence_ref = text_field(_("Invoice number or signature list reference"), max_length=80, required=True)
    over_limit_reason = text_field(_("Override: why the legal limit is exceeded (supervisors)"), max_length=2000,
                                   rows=2)
    note = text_field(_("Note"), max_length=2000, rows=2)

    def __init__(self, *args: Any, items: list[tuple[str, str]] = (), sources: list[tuple[int, str]] = (),  # type: ignore[assignment]
                 supervisor: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", _("Choose…")), *items]  # type: ignore[attr-defined]
        self.fields["funding_source"].choices = [("", _("Choose…")), *((str(pk), n) for pk, n in sources)]  # type: ignore[attr-defined]
        if not supervisor:
            del self.fields["over_limit_reason"]


class ReverseForm(forms.Form):
    reason = text_field(_("Why this entry is reversed"), max_length=2000, required=True, rows=2)


DECISIONS = [("approve", _("Approve")), ("reject", _("Reject"))]


class DecideForm(forms.Form):
    decision = choice_field(_("Decision"), DECISIONS)
    note = text_field(_("Note (required for a rejection)"), max_length=2000)


class FundingForm(forms.Form):
    kind = choice_field(_("Kind"), FundingKind.choices, prompt=True)
    name = text_field(_("Name"), max_length=200, required=True)
    code = text_field(_("Budget line or grant code"), max_length=60)
