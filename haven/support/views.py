"""Pages: the case's Shelter & payments tab, and the support page (occupancy, approvals, stays near their
paid limit, funding sources).

Every case view opens the case with `page_helpers.load_case` (missing and forbidden: the same 404); the
services decide who may change what. There is no page that edits or deletes a ledger entry.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from haven.accounts.models import Role
from haven.cases import page_helpers as pages
from haven.cases.selectors import CaseAccess
from haven.core.errors import HavenError, NotFound, PermissionDenied
from haven.core.forms import form_submit, iso_date
from haven.core.text import current_language
from haven.support import selectors
from haven.support.forms import AdmitForm, DecideForm, DischargeForm, EntryForm, FundingForm, ReverseForm
from haven.support.funding import (
    funding_source_create,
    funding_source_deactivate,
    funding_sources_of,
    manages_funding,
)
from haven.support.ledger import (
    ledger_decide,
    ledger_items,
    ledger_propose,
    ledger_record,
    ledger_reverse,
    may_decide,
)
from haven.support.stays import LimitState, facilities, stay_admit, stay_discharge, stay_limit

ALIASES = {"facility_id": "facility", "funding_source_id": "funding_source", "reason": "reason"}


_lang = current_language


# A refusal goes on the form and nothing is saved (core.forms.form_submit).
_run = partial(form_submit, aliases=ALIASES, denied_on_form=True)


_iso = iso_date


# --- The case tab -------------------------------------------------------------------------------


def _item_choices(access: CaseAccess) -> tuple[list[tuple[str, str]], dict[str, str], str]:
    lang = _lang()
    try:
        items = ledger_items(access)
    except HavenError as error:
        return [], {}, str(error.message)
    names = {i["code"]: i["name"][lang] for i in items}
    return list(names.items()), names, ""


def _stay_rows(access: CaseAccess) -> list[dict[str, Any]]:
    today, agency = timezone.localdate(), access.user.agency_id
    rows = []
    for stay in selectors.stays_of_case(access.case):
        mine = access.can_serve and agency in (stay.facility_id, access.case.owner_agency_id)
        row: dict[str, Any] = {"stay": stay, "limit": stay_limit(stay, today), "mine": mine}
        if mine and stay.discharged_on is None:
            row["discharge_form"] = DischargeForm(initial={"discharged_on": today}, auto_id=f"id_dis{stay.pk}_%s")
        rows.append(row)
    return rows


def _entry_rows(access: CaseAccess, names: dict[str, str]) -> list[dict[str, Any]]:
    agency = access.user.agency_id
    rows = []
    for entry in selectors.entries_of_case(access.case):
        decision = getattr(entry, "approval", None)
        reversed_by = getattr(entry, "reversed_by", None)
        own = entry.agency_id == agency
        rows.append({
            "entry": entry, "item_name": names.get(entry.item, entry.item), "decision": decision,
            # Free text may name people: only the agency that recorded the entry reads it.
            "own": own, "reversed_by": reversed_by,
            "can_reverse": (access.can_serve and own and entry.reverses_id is None and reversed_by is None
                            and decision is not None and decision.approved),
        })
    return rows


def _render(request: HttpRequest, access: CaseAccess, *, admit_form: AdmitForm | None = None,
            entry_form: EntryForm | None = None, failed: dict[tuple[str, int], Form] | None = None) -> HttpResponse:
    failed = failed or {}
    choices, names, engine_error = _item_choices(access)
    stays = _stay_rows(access)
    for row in stays:
        if ("discharge", row["stay"].pk) in failed:
            row["discharge_form"] = failed[("discharge", row["stay"].pk)]
            row["open"] = True
    entries = _entry_rows(access, names)
    for row in entries:
        if ("reverse", row["entry"].pk) in failed:
            row["reverse_form"], row["open"] = failed[("reverse", row["entry"].pk)], True
    balances = selectors.case_balances(access.case)
    for row in balances:
        row["name"] = names.get(row["item"], row["item"])
    context: dict[str, Any] = {
        "access": access, "case": access.case, "tab": "support", "stays": stays, "entries": entries,
        "balances": balances, "engine_error": engine_error, "warning_states": (LimitState.NEAR, LimitState.PASSED),
    }
    if access.can_serve:
        today = timezone.localdate()
        if not any(r["stay"].discharged_on is None for r in stays):
            context["admit_form"] = admit_form or AdmitForm(
                initial={"admitted_on": today}, facilities=_facility_choices(access))
        sources = [(s.pk, s.name) for s in funding_sources_of(access.user, active_only=True)]
        context["entry_form"] = entry_form or EntryForm(
            initial={"provided_on": today, "kind": "payment"}, items=choices, sources=sources,
            supervisor=access.user.role == Role.SUPERVISOR)
        context["has_sources"] = bool(sources)
        context["reverse_form"] = ReverseForm()
    return render(request, "support/tab.html", context)


def _facility_choices(access: CaseAccess) -> list[tuple[int, str]]:
    lang, agency = _lang(), access.user.agency_id
    places = facilities()
    if access.case.owner_agency_id != agency:
        places = places.filter(pk=agency)
    return [(p.pk, p.display_name(lang)) for p in places]


def _entry_form(request: HttpRequest, access: CaseAccess) -> EntryForm:
    choices, _names, _error = _item_choices(access)
    sources = [(s.pk, s.name) for s in funding_sources_of(access.user, active_only=True)]
    return EntryForm(request.POST, items=choices, sources=sources, supervisor=access.user.role == Role.SUPERVISOR)


def _done(access: CaseAccess) -> HttpResponse:
    return redirect(reverse("case_support:tab", kwargs={"code": access.case.code}))


@login_required
@require_GET
def case_tab(request: HttpRequest, code: str) -> HttpResponse:
    return _render(request, pages.load_case(request.user, code))


@login_required
@require_POST
def admit(request: HttpRequest, code: str) -> HttpResponse:
    access = pages.load_case(request.user, code)
    if not access.can_serve:
        raise Http404()
    form = AdmitForm(request.POST, facilities=_facility_choices(access))
    if _run(form, lambda d: stay_admit(access=access, facility_id=d["facility"], admitted_on=_iso(d["admitted_on"]))):
        messages.success(request, _("The admission is recorded."))
        return _done(access)
    return _render(request, access, admit_form=form)


@login_required
@require_POST
def discharge(request: HttpRequest, code: str, stay_id: int) -> HttpResponse:
    access = pages.load_case(request.user, code)
    form = DischargeForm(request.POST, auto_id=f"id_dis{stay_id}_%s")
    if _run(form, lambda d: stay_discharge(access=access, stay_id=stay_id, discharged_on=_iso(d["discharged_on"]),
                                           note=d["note"])):
        messages.success(request, _("The discharge is recorded."))
        return _done(access)
    return _render(request, access, failed={("discharge", stay_id): form})


@login_required
@require_POST
def record(request: HttpRequest, code: str) -> HttpResponse:
    access = pages.load_case(request.user, code)
    if not access.can_serve:
        raise Http404()
    form = _entry_form(request, access)
    if _run(form, lambda d: ledger_record(
            access=access, item=d["item"], kind=d["kind"], provided_on=_iso(d["provided_on"]), amount=d["amount"],
            funding_source_id=d["funding_source"], evidence_kind=d["evidence_kind"], evidence_ref=d["evidence_ref"],
            amount_reason=d["amount_reason"], over_limit_reason=d.get("over_limit_reason", ""), note=d["note"])):
        messages.success(request, _("The entry is recorded. It counts as spent once another supervisor approves it."))
        return _done(access)
    return _render(request, access, entry_form=form)


@login_required
@require_POST
def reverse_entry(request: HttpRequest, code: str, entry_id: int) -> HttpResponse:
    access = pages.load_case(request.user, code)
    form = ReverseForm(request.POST, auto_id=f"id_rev{entry_id}_%s")
    if _run(form, lambda d: ledger_reverse(access=access, entry_id=entry_id, reason=d["reason"])):
        messages.success(request, _("The reversal is recorded and waits for approval."))
        return _done(access)
    return _render(request, access, failed={("reverse", entry_id): form})


@login_required
@require_GET
def proposal(request: HttpRequest, code: str) -> HttpResponse:
    """The engine's proposed amount for the item and date chosen in the form (an htmx fragment)."""
    access = pages.load_case(request.user, code)
    if not access.can_serve:
        raise Http404()
    context: dict[str, Any] = {}
    if request.GET.get("item"):
        try:
            context["proposal"] = ledger_propose(access, item=request.GET.get("item", ""),
                                                 provided_on=request.GET.get("provided_on", ""))
        except HavenError as error:
            context["error"] = str(error.message)
    return render(request, "support/_proposal.html", context)


# --- The support page ---------------------------------------------------------------------------


def _index(request: HttpRequest, *, funding_form: FundingForm | None = None,
           failed: dict[int, DecideForm] | None = None) -> HttpResponse:
    user, today = request.user, timezone.localdate()
    rows, capacity_known = selectors.occupancy()
    waiting = []
    for entry in selectors.approvals_waiting(user):
        form = (failed or {}).get(entry.pk) or DecideForm(auto_id=f"id_dec{entry.pk}_%s")
        waiting.append({"entry": entry, "may_decide": may_decide(user, entry), "form": form})
    near = [{"stay": s, "limit": stay_limit(s, today)} for s in selectors.stays_near_limit(user, today)]
    context: dict[str, Any] = {
        "occupancy": rows, "capacity_known": capacity_known, "waiting": waiting, "near": near,
        "is_supervisor": user.role == Role.SUPERVISOR,  # type: ignore[union-attr]
        "works_cases": pages.works_cases(user), "funding": selectors.funding_balances(user.agency_id),  # type: ignore[union-attr]
        "manages_funding": manages_funding(user),
    }
    if manages_funding(user):
        context["funding_form"] = funding_form or FundingForm()
    return render(request, "support/index.html", context)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return _index(request)


@login_required
@require_POST
def decide(request: HttpRequest, entry_id: int) -> HttpResponse:
    form = DecideForm(request.POST, auto_id=f"id_dec{entry_id}_%s")
    if _run(form, lambda d: ledger_decide(acting_user=request.user, entry_id=entry_id,
                                          approved=d["decision"] == "approve", note=d["note"])):
        messages.success(request, _("The decision is recorded."))
        return redirect("support:index")
    return _index(request, failed={entry_id: form})


@login_required
@require_POST
def funding_add(request: HttpRequest) -> HttpResponse:
    if not manages_funding(request.user):
        raise Http404()
    form = FundingForm(request.POST)
    if _run(form, lambda d: funding_source_create(acting_user=request.user, kind=d["kind"], name=d["name"],
                                                  code=d["code"])):
        messages.success(request, _("The funding source is added."))
        return redirect("support:index")
    return _index(request, funding_form=form)


@login_required
@require_POST
def funding_deactivate(request: HttpRequest, source_id: int) -> HttpResponse:
    try:
        funding_source_deactivate(acting_user=request.user, source_id=source_id)
    except (NotFound, PermissionDenied):
        raise Http404() from None
    except HavenError as error:
        messages.error(request, str(error.message))
        return redirect("support:index")
    messages.success(request, _("The funding source is deactivated: no new entry can use it."))
    return redirect("support:index")
