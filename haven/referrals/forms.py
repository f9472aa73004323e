"""Forms of the referral pages. They only shape input; the services validate and decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.core.forms import choice_field, date_field, multi_choice_field, text_field
from haven.referrals.items import item_choices
from haven.referrals.services import MAX_TEXT


class SendForm(forms.Form):
    to_agency = choice_field(_("Receiving agency"), [], prompt=True)
    purpose = text_field(_("Purpose of the referral"), max_length=MAX_TEXT, required=True, rows=3,
                         help_text=_("What the agency is asked to do. Do not write the person's name here."))
    items = multi_choice_field(_("Support requested"), [])
    due_on = date_field(_("Answer requested by"), required=True,
                        help_text=_("Three working days by default."))
    override_reason = text_field(
        _("Reason to send without consent (supervisors only)"), max_length=MAX_TEXT, rows=2,
        help_text=_("Only in an emergency, at least 20 characters. The referral is flagged for review."))

    def __init__(self, *args: Any, agency_choices: list[Any], supervisor: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_agency"].choices = [("", _("Choose…")), *agency_choices]  # type: ignore[attr-defined]
        self.fields["items"].choices = item_choices()  # type: ignore[attr-defined]
        if not supervisor:
            del self.fields["override_reason"]


class ReasonForm(forms.Form):
    reason = text_field(_("Reason"), max_length=MAX_TEXT, required=True, rows=2)


class OutcomeForm(forms.Form):
    outcome = text_field(_("Outcome"), max_length=MAX_TEXT, required=True, rows=2,
                         help_text=_("What was done for the person, and what remains."))


class TransferForm(forms.Form):
    to_agency = choice_field(_("Agency of the other province"), [], prompt=True)
    reason = text_field(_("Why the case moves"), max_length=MAX_TEXT, required=True, rows=2)

    def __init__(self, *args: Any, agency_choices: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_agency"].choices = [("", _("Choose…")), *agency_choices]  # type: ignore[attr-defined]
