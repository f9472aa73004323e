"""The consent tab of the case page: what is in force by purpose, the full history, record and withdraw."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from haven.cases import page_helpers as pages
from haven.cases.forms import ConsentForm, WithdrawForm
from haven.cases.selectors import CaseAccess, Need
from haven.consent.models import Purpose
from haven.consent.selectors import consent_current, consent_history
from haven.consent.services import consent_record, consent_withdraw
from haven.core.errors import HavenError, NotFound
from haven.core.forms import apply_haven_error

# Purposes shown even before anyone asked, so "not asked yet" is visible at a glance.
_ALWAYS_SHOWN = [Purpose.SERVICES, Purpose.STATISTICS, Purpose.RESEARCH, Purpose.MEDIA]


def _tiles(access: CaseAccess, failed: WithdrawForm | None) -> list[dict[str, Any]]:
    """One tile per purpose (and per agency kind for sharing), each with its own withdrawal form."""
    current = {(s.purpose, s.agency_kind): s for s in consent_current(access.case.person_id)}
    keys = [(p.value, "") for p in _ALWAYS_SHOWN]
    keys += sorted(k for k in current if k not in keys)
    failed_key = (failed.data.get("purpose"), failed.data.get("agency_kind", "")) if failed is not None else None
    given_by = pages.default_given_by(access.case)
    tiles = []
    for i, key in enumerate(keys):
        state = current.get(key)
        form: WithdrawForm | None = None
        if access.can_edit and state is not None and state.given:
            if key == failed_key and failed is not None:
                form = failed
            else:
                form = WithdrawForm(initial={"purpose": key[0], "agency_kind": key[1], "given_by": given_by})
            form.auto_id = f"id_w{i}_%s"
        tiles.append({"purpose": key[0], "agency_kind": key[1], "state": state, "form": form,
                      "open": key == failed_key})
    return tiles


def _render(request: HttpRequest, access: CaseAccess, *, form: ConsentForm | None = None,
            withdraw_form: WithdrawForm | None = None) -> HttpResponse:
    case = access.case
    history = consent_history(case.person_id)
    show_names = access.can_edit and request.GET.get("names") == "1"
    if show_names:
        pages.consent_names_read(access, history)
    if form is None and access.can_edit:
        form = ConsentForm(initial={"given_by": pages.default_given_by(case)})
    context = {
        "access": access, "case": case, "tab": "consent", "form": form,
        "tiles": _tiles(access, withdraw_form), "history": history, "show_names": show_names,
    }
    return render(request, "cases/consent.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def consent(request: HttpRequest, code: str) -> HttpResponse:
    if request.method == "GET":
        return _render(request, pages.load_case(request.user, code))
    access = pages.load_case(request.user, code, Need.EDIT)
    form = ConsentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            consent_record(
                access=access, purpose=data["purpose"], decision=data["decision"], given_by=data["given_by"],
                method=data["method"], agency_kind=data["agency_kind"],
                guardian_name=data["guardian_name"], witness_name=data["witness_name"],
                effective_on=data["effective_on"], note=data["note"],
            )
        except NotFound:
            raise Http404() from None
        except HavenError as error:
            apply_haven_error(form, error)
        else:
            messages.success(request, _("The consent decision is recorded."))
            return redirect("cases:consent", code=access.case.code)
    return _render(request, access, form=form)


@login_required
@require_POST
def withdraw(request: HttpRequest, code: str) -> HttpResponse:
    access = pages.load_case(request.user, code, Need.EDIT)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            consent_withdraw(
                access=access, purpose=data["purpose"],
                agency_kind=data["agency_kind"],
                given_by=data["given_by"], method=data["method"], guardian_name=data["guardian_name"],
                witness_name=data["witness_name"],
            )
        except NotFound:
            raise Http404() from None
        except HavenError as error:
            apply_haven_error(form, error)
        else:
            messages.success(request, _("The consent is withdrawn. It takes effect now."))
            return redirect("cases:consent", code=access.case.code)
    return _render(request, access, withdraw_form=form)
