"""Pages of the service directory: search by need, gaps, one offering, and managing offerings.

Everyone logged in searches the directory and sees its gaps. The address and phone appear only on an
offering's own page and only for caseworkers, supervisors and agency administrators, each view logged.
Agency administrators manage their agency's offerings, system administrators every agency's.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haven.core.errors import HavenError, NotFound, PermissionDenied
from haven.core.forms import apply_haven_error, message_haven_error
from haven.directory.catalogue import GROUPS, LANGUAGE_CODES, NEED_CODES, language_name, need_name
from haven.directory.forms import GapsForm, OfferingForm, SearchForm
from haven.directory.models import ServiceOffering
from haven.directory.selectors import (
    agencies_managed_by,
    default_province,
    directory_gaps,
    entries,
    offering_get,
    offerings_for_need,
    province_choices,
    read_contacts,
    resolve_province,
    sees_contact,
)
from haven.directory.services import (
    manages_agency,
    manages_any,
    offering_create,
    offering_deactivate,
    offering_reactivate,
    offering_update,
)


def _search_data(request: HttpRequest) -> QueryDict:
    data = request.GET.copy()
    if "province" not in data:
        # Without a choice, the user's own province; `province=` (empty) asks for every province.
        home = default_province(request.user)
        data["province"] = home.code if home is not None else ""
    return data


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    provinces = province_choices()
    form = SearchForm(_search_data(request), provinces=provinces)
    results = None
    if form.is_valid():
        d = form.cleaned_data
        try:
            province = resolve_province(d["province"]) if d["province"] else None
            results = entries(offerings_for_need(item=d["item"] or None, sex=d["sex"] or None, age=d["age"],
                                                 language=d["language"] or None, province=province, q=d["q"]))
        except HavenError as error:
            apply_haven_error(form, error)
    return render(request, "directory/index.html", {
        "form": form, "results": results, "manages": manages_any(request.user),
        "gaps_query": f"?province={form.data.get('province', '')}" if form.data.get("province") else "",
    })


@login_required
@require_GET
def gaps(request: HttpRequest) -> HttpResponse:
    provinces = province_choices()
    data = request.GET.copy()
    if "province" not in data:
        home = default_province(request.user)
        data["province"] = home.code if home is not None else (provinces[0][0] if provinces else "")
    form = GapsForm(data, provinces=provinces)
    result = None
    if form.is_valid():
        result = directory_gaps(resolve_province(form.cleaned_data["province"]))
    rows = []
    if result is not None:
        rows = [{"need": need_name(code), "code": code,
                 "cells": [result.matrix[code][g.code] for g in GROUPS]} for code in NEED_CODES]
    return render(request, "directory/gaps.html", {
        "form": form, "result": result, "groups": GROUPS, "rows": rows,
        "languages": [{"name": language_name(c), "count": result.languages[c]} for c in LANGUAGE_CODES]
        if result else [],
    })


def _offering(offering_id: int) -> ServiceOffering:
    try:
        return offering_get(offering_id)
    except NotFound:
        raise Http404() from None


@login_required
@require_GET
def detail(request: HttpRequest, offering_id: int) -> HttpResponse:
    offering = _offering(offering_id)
    contact = read_contacts(request.user, [offering]).get(offering.pk)  # audited
    return render(request, "directory/detail.html", {
        "entry": entries([offering])[0], "offering": offering, "contact": contact,
        "contact_hidden": not sees_contact(request.user), "manages": manages_agency(request.user, offering.agency_id),
    })


def _require_manager(user: Any) -> None:
    if not manages_any(user):
        raise DjangoPermissionDenied()


@login_required
@require_GET
def manage(request: HttpRequest) -> HttpResponse:
    _require_manager(request.user)
    agencies = list(agencies_managed_by(request.user))
    offerings = [o for o in offerings_for_need(include_inactive=True) if o.agency_id in {a.pk for a in agencies}]
    return render(request, "directory/manage.html", {"results": entries(offerings)})


def _agency_choices(user: Any) -> list[tuple[str, str]]:
    from haven.directory.selectors import agency_sort_key

    rows = [(str(a.pk), a.name) for a in agencies_managed_by(user)]
    return sorted(rows, key=lambda row: agency_sort_key(row[1]))


@login_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    _require_manager(request.user)
    agencies = _agency_choices(request.user)
    initial = {"sexes": ["female"], "languages": ["vie"], "agency": str(getattr(request.user, "agency_id", None) or "")}
    form = OfferingForm(request.POST or None, initial=initial, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        try:
            offering = offering_create(acting_user=request.user, agency_id=form.cleaned_data["agency"], **form.values())
        except PermissionDenied:
            raise DjangoPermissionDenied() from None
        except HavenError as error:
            apply_haven_error(form, error, aliases={"agency": "agency"})
        else:
            messages.success(request, _("The service is in the directory."))
            return redirect("directory:detail", offering_id=offering.pk)
    return render(request, "directory/form.html", {"form": form, "offering": None})


def _managed(request: HttpRequest, offering_id: int) -> ServiceOffering:
    offering = _offering(offering_id)
    if not manages_agency(request.user, offering.agency_id):
        raise DjangoPermissionDenied()
    return offering


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, offering_id: int) -> HttpResponse:
    offering = _managed(request, offering_id)
    reads_contact = sees_contact(request.user)
    if request.method == "POST":
        form = OfferingForm(request.POST, agencies=[], fixed_agency=True)
        if form.is_valid():
            changes = form.values()
            if not reads_contact:
                # A role that may not read the address can replace it, but an empty field keeps it.
                changes = {k: val for k, val in changes.items() if k not in ("address", "phone") or val}
            try:
                offering_update(acting_user=request.user, offering_id=offering.pk, changes=changes)
            except PermissionDenied:
                raise DjangoPermissionDenied() from None
            except HavenError as error:
                apply_haven_error(form, error)
            else:
                messages.success(request, _("The service is updated."))
                return redirect("directory:detail", offering_id=offering.pk)
    else:
        initial: dict[str, Any] = {
            "name": offering.name, "items": offering.items, "sexes": offering.sexes, "languages": offering.languages,
            "notes": offering.notes,
            **{k: "" if getattr(offering, k) is None else getattr(offering, k) for k in ("min_age", "max_age", "capacity")},
        }
        if reads_contact:
            initial.update(read_contacts(request.user, [offering]).get(offering.pk, {}))  # audited
        form = OfferingForm(initial=initial, agencies=[], fixed_agency=True)
    return render(request, "directory/form.html", {"form": form, "offering": offering,
                                                   "contact_write_only": not reads_contact})


def _toggle(request: HttpRequest, offering_id: int, action: Any, done: str) -> HttpResponse:
    offering = _managed(request, offering_id)
    try:
        action(acting_user=request.user, offering_id=offering.pk)
    except PermissionDenied:
        raise DjangoPermissionDenied() from None
    except HavenError as error:
        message_haven_error(request, error)
    else:
        messages.success(request, done)
    return redirect(reverse("directory:detail", kwargs={"offering_id": offering.pk}))


@login_required
@require_POST
def deactivate(request: HttpRequest, offering_id: int) -> HttpResponse:
    return _toggle(request, offering_id, offering_deactivate,
                   _("The service is deactivated: it no longer appears in searches or closes gaps."))


@login_required
@require_POST
def reactivate(request: HttpRequest, offering_id: int) -> HttpResponse:
    return _toggle(request, offering_id, offering_reactivate, _("The service is active again."))
