"""Pages: the case's Follow-up tab (safety assessments of the home, follow-up plans and visits, a new
reception after re-trafficking) and the follow-up worklist.

Every case view opens the case with `page_helpers.load_case` (missing and forbidden: the same 404); the
services decide who may change what. Sealed text is shown only to those who need it, each display audited.
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

from haven.accounts.models import Agency, Role
from haven.cases import page_helpers as pages
from haven.cases.selectors import CaseAccess
from haven.core.errors import HavenError, NotFound
from haven.core.forms import form_submit, iso_date
from haven.core.text import current_language
from haven.followup import selectors
from haven.followup.forms import AssessmentForm, DecideForm, PlanForm, ReceptionForm, VisitForm
from haven.followup.models import AssessmentStatus, FollowUpStatus
from haven.followup.services import (
    assessment_create,
    assessment_decide,
    assessment_submit,
    case_reopen_reception,
    may_decide,
    may_visit,
    plan_create,
    visit_record,
)
from haven.support.selectors import stays_of_case

ALIASES = {"stay_id": "stay", "responsible_agency_id": "responsible_agency", "visit_id": "visit"}


_lang = current_language


# A refusal goes on the form and nothing is saved (core.forms.form_submit).
_run = partial(form_submit, aliases=ALIASES, denied_on_form=True)


_iso = iso_date


def _done(access: CaseAccess, anchor: str = "") -> HttpResponse:
    return redirect(reverse("case_followup:tab", kwargs={"code": access.case.code}) + anchor)


def _stay_choices(access: CaseAccess) -> list[tuple[int, str]]:
    lang = _lang()
    return [(s.pk, f"{s.facility.display_name(lang)} · {s.admitted_on.isoformat()}")
            for s in stays_of_case(access.case)]


def _agency_choices() -> list[tuple[int, str]]:
    lang = _lang()
    return [(a.pk, a.display_name(lang)) for a in Agency.objects.filter(is_active=True).order_by("name")]


def _render(request: HttpRequest, access: CaseAccess, *, forms: dict[str, Form] | None = None,
            failed: dict[tuple[str, int], Form] | None = None) -> HttpResponse:
    forms, failed = forms or {}, failed or {}
    today = timezone.localdate()
    sealed_reads: list[tuple[str, int, list[str]]] = []
    assessments = []
    for a in selectors.assessments_of_case(access.case):
        row: dict[str, Any] = {"a": a, "readable": selectors.may_read_assessment(access, a)}
        if row["readable"]:
            row["sealed"] = selectors.assessment_sealed(a)
            sealed_reads.append(("home_safety_assessment", a.pk, sorted(row["sealed"])))
        row["can_submit"] = (a.status == AssessmentStatus.DRAFT and access.can_serve
                             and a.agency_id == access.user.agency_id)
        if a.status == AssessmentStatus.SUBMITTED and may_decide(access, a):
            row["decide_form"] = failed.get(("decide", a.pk)) or DecideForm(auto_id=f"id_dec{a.pk}_%s")
            row["open"] = ("decide", a.pk) in failed
        row["own_waiting"] = (a.status == AssessmentStatus.SUBMITTED and access.user.role == Role.SUPERVISOR
                              and access.user.pk in (a.created_by_id, a.visited_by_id))
        assessments.append(row)
    plans = []
    for p in selectors.plans_of_case(access.case):
        readable, visiting = selectors.may_read_visits(access, p), may_visit(access, p)
        visits = []
        for visit in p.visits.all():
            vrow: dict[str, Any] = {"v": visit, "overdue": visit.done_on is None and visit.due_on < today}
            if readable and visit.notes:
                vrow["notes"] = visit.notes
                sealed_reads.append(("followup_visit", visit.pk, ["notes"]))
            visits.append(vrow)
        status = selectors.plan_status(p)
        prow: dict[str, Any] = {"p": p, "visits": visits, "status": status, "visiting": visiting,
                                "status_label": FollowUpStatus(status).label if status else "", "readable": readable}
        if visiting and not p.retrafficked:
            prow["visit_form"] = failed.get(("visit", p.pk)) or VisitForm(
                initial={"done_on": today, "mode": "home"}, auto_id=f"id_vis{p.pk}_%s")
            prow["open"] = ("visit", p.pk) in failed
        if visiting and p.retrafficked:
            prow["reception_form"] = failed.get(("reception", p.pk)) or ReceptionForm(
                initial={"received_on": today}, auto_id=f"id_rec{p.pk}_%s")
        plans.append(prow)
    selectors.audit_sealed_reads(access, sealed_reads)
    links = selectors.links_of_case(access.case)
    for row in plans:
        row["new_case"] = next((link.new_case for link in links["later"] if link.plan_id == row["p"].pk), None)
        if row["new_case"]:
            row.pop("reception_form", None)
    may_leave, reason = selectors.minor_may_leave(access.case, today)
    context: dict[str, Any] = {
        "access": access, "case": access.case, "tab": "followup", "assessments": assessments, "plans": plans,
        "links": links, "minor": selectors.is_minor(access.case, today), "may_leave": may_leave,
        "leave_reason": reason, "valid_days": selectors.ASSESSMENT_VALID_DAYS,
    }
    if access.can_serve:
        context["assessment_form"] = forms.get("assessment") or AssessmentForm(
            initial={"visited_on": today}, stays=_stay_choices(access))
        context["plan_form"] = forms.get("plan") or PlanForm(
            initial={"starts_on": today, "every_days": 30}, agencies=_agency_choices())
    return render(request, "followup/tab.html", context)


@login_required
@require_GET
def case_tab(request: HttpRequest, code: str) -> HttpResponse:
    return _render(request, pages.load_case(request.user, code))


def _serving(request: HttpRequest, code: str) -> CaseAccess:
    access = pages.load_case(request.user, code)
    if not access.can_serve:
        raise Http404()
    return access


@login_required
@require_POST
def assessment_new(request: HttpRequest, code: str) -> HttpResponse:
    access = _serving(request, code)
    form = AssessmentForm(request.POST, stays=_stay_choices(access))
    if _run(form, lambda d: assessment_create(
            access=access, visited_on=_iso(d["visited_on"]), outcome=d["outcome"], stay_id=d["stay"] or None,
            family_situation=d["family_situation"], findings=d["findings"], risks=d["risks"],
            conditions=d["conditions"], placement=d["placement"])):
        messages.success(request, _("The assessment is saved as a draft. Submit it for a supervisor's approval."))
        return _done(access, "#assessments")
    return _render(request, access, forms={"assessment": form})


@login_required
@require_POST
def assessment_submit_view(request: HttpRequest, code: str, assessment_id: int) -> HttpResponse:
    access = _serving(request, code)
    try:
        assessment_submit(access=access, assessment_id=assessment_id)
    except NotFound:
        raise Http404() from None
    except HavenError as error:
        messages.error(request, str(error.message))
        return _done(access, "#assessments")
    messages.success(request, _("The assessment is submitted: another supervisor approves it."))
    return _done(access, "#assessments")


@login_required
@require_POST
def assessment_decide_view(request: HttpRequest, code: str, assessment_id: int) -> HttpResponse:
    access = _serving(request, code)
    form = DecideForm(request.POST, auto_id=f"id_dec{assessment_id}_%s")
    if _run(form, lambda d: assessment_decide(access=access, assessment_id=assessment_id,
                                              approve=d["decision"] == "approve", reason=d["reason"])):
        messages.success(request, _("The decision is recorded."))
        return _done(access, "#assessments")
    return _render(request, access, failed={("decide", assessment_id): form})


@login_required
@require_POST
def plan_new(request: HttpRequest, code: str) -> HttpResponse:
    access = _serving(request, code)
    form = PlanForm(request.POST, agencies=_agency_choices())
    if _run(form, lambda d: plan_create(access=access, responsible_agency_id=d["responsible_agency"],
                                        every_days=d["every_days"], starts_on=_iso(d["starts_on"]),
                                        ends_on=_iso(d["ends_on"]))):
        messages.success(request, _("The follow-up plan is saved and its visits are scheduled."))
        return _done(access, "#plans")
    return _render(request, access, forms={"plan": form})


@login_required
@require_POST
def visit_new(request: HttpRequest, code: str, plan_id: int) -> HttpResponse:
    access = _serving(request, code)
    form = VisitForm(request.POST, auto_id=f"id_vis{plan_id}_%s")
    visit = _run(form, lambda d: visit_record(access=access, plan_id=plan_id, visit_id=d["visit"] or None,
                                              done_on=_iso(d["done_on"]), mode=d["mode"], observed=d["observed"],
                                              notes=d["notes"]))
    if visit:
        if visit.observed == FollowUpStatus.TRAFFICKED_AGAIN:
            messages.warning(request, _("The person is flagged as trafficked again. Start a new reception below."))
        else:
            messages.success(request, _("The visit is recorded."))
        return _done(access, "#plans")
    return _render(request, access, failed={("visit", plan_id): form})


@login_required
@require_POST
def reception_new(request: HttpRequest, code: str, plan_id: int) -> HttpResponse:
    access = _serving(request, code)
    form = ReceptionForm(request.POST, auto_id=f"id_rec{plan_id}_%s")
    case = _run(form, lambda d: case_reopen_reception(access=access, plan_id=plan_id,
                                                      received_on=_iso(d["received_on"]),
                                                      reception_place=d["reception_place"],
                                                      return_mode=d["return_mode"]))
    if case:
        messages.success(request, _("A new reception is opened and linked to this case."))
        return redirect(reverse("cases:overview", kwargs={"code": case.code}))
    return _render(request, access, failed={("reception", plan_id): form})


# --- The worklist -----------------------------------------------------------------------------------


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user, today = request.user, timezone.localdate()
    due = [{"v": visit, "overdue": visit.due_on < today} for visit in selectors.visits_due(user, today)]
    context: dict[str, Any] = {
        "due": due, "overdue_count": sum(1 for row in due if row["overdue"]),
        "waiting": list(selectors.assessments_waiting(user)), "works_cases": pages.works_cases(user),
        "is_supervisor": getattr(user, "role", "") == Role.SUPERVISOR, "counts": selectors.latest_status_counts(user),
        "statuses": FollowUpStatus.choices,
    }
    return render(request, "followup/index.html", context)
