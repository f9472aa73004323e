"""The audit view: auditors and system administrators read the trail and verify the hash chain."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_POST

from haven.audit.forms import AuditFilterForm
from haven.audit.models import AuditEvent
from haven.audit.services import audit_verify_with_anchors
from haven.cases import page_helpers as pages

EVENTS_PER_PAGE = 50


def _require_auditor(request: HttpRequest) -> None:
    # Like a case page: roles without the audit view get the same 404 as an unknown address.
    if not pages.reads_audit(request.user):
        raise Http404()


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _filtered(form: AuditFilterForm) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.order_by("-seq")
    if not form.is_bound or not form.is_valid():
        return events if not form.is_bound else events.none()
    data = form.cleaned_data
    if data["action"]:
        events = events.filter(action=data["action"])
    if data["user"]:
        events = events.filter(actor_username__iexact=data["user"].strip())
    if data["case"]:
        case = data["case"]
        events = events.filter(case_id=int(case)) if case.isascii() and case.isdigit() and len(case) < 18 else events.filter(
            case_id__in=pages.case_ids_for_code(case))
    if data["date_from"]:
        events = events.filter(at__gte=_day_start(data["date_from"]))
    if data["date_to"]:
        events = events.filter(at__lt=_day_start(data["date_to"] + dt.timedelta(days=1)))
    return events


def _context(request: HttpRequest) -> dict[str, Any]:
    form = AuditFilterForm(request.GET or None)
    page = Paginator(_filtered(form), EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    return {
        "form": form,
        "page": page,
        "agencies": pages.agency_names({e.agency_id_at_time for e in rows}, get_language() or "vi"),
        "codes": pages.case_codes({e.case_id for e in rows}),
    }


@login_required
@require_GET
def events(request: HttpRequest) -> HttpResponse:
    _require_auditor(request)
    return render(request, "audit/events.html", _context(request))


@login_required
@require_POST
def verify(request: HttpRequest) -> HttpResponse:
    _require_auditor(request)
    result = audit_verify_with_anchors()
    if request.headers.get("HX-Request"):
        return render(request, "audit/_verify_result.html", {"result": result})
    context = _context(request)
    context["result"] = result
    return render(request, "audit/events.html", context)
