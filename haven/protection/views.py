"""Pages: the case's Protection tab and the protection page (threats awaiting review, measures ending soon).

Every case view opens the case with `page_helpers.load_case` (missing and forbidden: the same 404); the
services decide who may change what; sealed text is shown only under the need-to-know rule, audited.
"""

from __future__ import annotations

from collections.abc import Callable
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

from haven.accounts.models import Agency
from haven.cases import page_helpers as pages
from haven.cases.selectors import CaseAccess
from haven.core.forms import form_submit, iso_date
from haven.protection import selectors
from haven.protection.assessments import measure_review, risk_assess, threat_record
from haven.protection.catalogue import catalogue_by_code, catalogue_on, measure_name
from haven.protection.forms import (
    AssessForm,
    DecideForm,
    EndForm,
    InForceForm,
    MeasureForm,
    RefuseForm,
    ReviewForm,
    ThreatForm,
)
from haven.protection.measures import (
    measure_decide,
    measure_end,
    measure_put_in_force,
    measure_refuse,
    measure_request,
)
from haven.protection.models import DOMAIN_NAMES, MeasureStatus
from haven.protection.present import lang

ALIASES = {"proceeding_id": "proceeding", "authority_agency_id": "authority_agency", "method": "method"}
MEASURE_FORMS: dict[str, type[Form]] = {"decide": DecideForm, "in_force": InForceForm, "end": EndForm,
                                        "refuse": RefuseForm}
# Which step forms a measure offers in each status.
STEPS = {MeasureStatus.REQUESTED: ("decide", "refuse"), MeasureStatus.DECIDED: ("in_force", "refuse"),
         MeasureStatus.IN_FORCE: ("end", "refuse")}


# A refusal goes on the form and nothing is saved (core.forms.form_submit).
_run = partial(form_submit, aliases=ALIASES)


_iso = iso_date


def _agencies() -> list[tuple[int, str]]:
    language = lang()
    return [(a.pk, a.display_name(language)) for a in Agency.objects.filter(is_active=True).order_by("name")]


def _kinds() -> tuple[list[tuple[str, str]], Any]:
    catalogue = catalogue_on(timezone.localdate())
    if catalogue is None:
        return [], None
    language = lang()
    return [(m.code, f"{m.clause}. {m.name(language)}") for m in catalogue.measures], catalogue


def _proceedings(access: CaseAccess) -> list[tuple[int, str]]:
    return [(p.pk, f"#{p.pk} · {p.get_kind_display()} · {p.get_person_role_display()}")
            for p in selectors.proceedings_of(access.case)]


def _measure_form(step: str, measure_id: int, data: Any = None) -> Form:
    cls = MEASURE_FORMS[step]
    kwargs: dict[str, Any] = {"auto_id": f"id_{step}{measure_id}_%s"}
    if cls is DecideForm:
        kwargs["agencies"] = _agencies()
    today = timezone.localdate()
    initial = {"decided_on": today, "in_force_from": today, "ended_on": today, "refused_on": today}
    return cls(data, **kwargs) if data is not None else cls(initial=initial, **kwargs)


def _render(request: HttpRequest, access: CaseAccess, *, failed: dict[str, Form] | None = None,
            failed_step: tuple[str, int, Form] | None = None) -> HttpResponse:
    failed, today, language = failed or {}, timezone.localdate(), lang()
    case = access.case
    assessments, threats = selectors.assessments_of(case), selectors.threats_of(case)
    measures, reviews = selectors.measures_of(case), selectors.reviews_of(case)
    shown = selectors.reveal(access, [
        *(("risk_assessment", a, selectors.ASSESSMENT_SEALED) for a in assessments),
        *(("threat", t, selectors.THREAT_SEALED) for t in threats),
        *(("protection_measure", m, selectors.MEASURE_SEALED) for m in measures),
        *(("measure_review", r, selectors.REVIEW_SEALED) for r in reviews),
    ])
    can_edit = access.can_edit
    measure_rows = []
    for m in measures:
        catalogue = catalogue_by_code(m.catalogue)
        kind = catalogue.kind(m.kind) if catalogue else None
        row: dict[str, Any] = {
            "m": m, "name": kind.name(language) if kind else m.kind, "clause": kind.clause if kind else None,
            "catalogue": catalogue, "sealed": shown.get(("protection_measure", m.pk)), "steps": [],
        }
        if can_edit:
            for step in STEPS.get(m.status, ()):  # type: ignore[call-overload]
                form = _measure_form(step, m.pk)
                is_open = bool(failed_step and failed_step[:2] == (step, m.pk))
                if is_open and failed_step:
                    form = failed_step[2]
                row["steps"].append({"step": step, "form": form, "open": is_open})
        measure_rows.append(row)
    groups = {
        "in_force": [r for r in measure_rows if r["m"].status == MeasureStatus.IN_FORCE],
        "pending": [r for r in measure_rows if r["m"].status in (MeasureStatus.REQUESTED, MeasureStatus.DECIDED)],
        "refused": [r for r in measure_rows if r["m"].status in (MeasureStatus.REFUSED, MeasureStatus.REJECTED)],
        "ended": [r for r in measure_rows if r["m"].status == MeasureStatus.ENDED],
    }
    kinds, catalogue = _kinds()
    context: dict[str, Any] = {
        "access": access, "case": case, "tab": "protection", "sees_details": selectors.sees_details(access),
        "assessments": [{"a": a, "sealed": shown.get(("risk_assessment", a.pk)),
                         "domains": [(n, getattr(a, n)) for n in DOMAIN_NAMES]} for a in assessments],
        "threats": [{"t": t, "sealed": shown.get(("threat", t.pk))} for t in threats],
        "reviews": [{"r": r, "sealed": shown.get(("measure_review", r.pk))} for r in reviews],
        "groups": groups, "catalogue": catalogue, "awaiting": sum(1 for t in threats if t.review_needed),
        "can_serve": access.can_serve, "can_edit": can_edit, "is_supervisor": access.is_supervisor,
    }
    if access.can_serve:
        context["assess_form"] = failed.get("assess") or AssessForm(initial={"assessed_on": today})
        context["threat_form"] = failed.get("threat") or ThreatForm(initial={"occurred_on": today})
    if can_edit:
        context["measure_form"] = failed.get("measure") or MeasureForm(
            initial={"requested_on": today}, kinds=kinds, proceedings=_proceedings(access))
    if access.is_supervisor and context["awaiting"]:
        context["review_form"] = failed.get("review") or ReviewForm()
    context["open_form"] = next(iter(failed), "")
    return render(request, "protection/tab.html", context)


def _done(access: CaseAccess) -> HttpResponse:
    return redirect(reverse("case_protection:tab", kwargs={"code": access.case.code}))


@login_required
@require_GET
def case_tab(request: HttpRequest, code: str) -> HttpResponse:
    return _render(request, pages.load_case(request.user, code))


@login_required
@require_POST
def assess(request: HttpRequest, code: str) -> HttpResponse:
    access = pages.load_case(request.user, code)
    if not access.can_serve:
        raise Http404()
    form = AssessForm(request.POST)
    if _run(form, lambda d: risk_assess(
            access=access, occasion=d["occasion"], assessed_on=_iso(d["assessed_on"]),
            levels={n: d[n] for n in DOMAIN_NAMES}, notes={n: d[f"{n}_note"] for n in DOMAIN_NAMES},
            level=d["level"], override_reason=d["override_reason"])):
        messages.success(request, _("The risk assessment is recorded."))
        return _done(access)
    return _render(request, access, failed={"assess": form})


@login_required
@require_POST
def threat(request: HttpRequest, code: str) -> HttpResponse:
    access = pages.load_case(request.user, code)
    if not access.can_serve:
        raise Http404()
    form = ThreatForm(request.POST)
    if _run(form, lambda d: threat_record(
            access=access, occurred_on=_iso(d["occurred_on"]), reported_on=_iso(d["reported_on"]),
            source=d["source"], severity=d["severity"], description=d["description"], location=d["location"])):
        messages.success(request, _("The threat is recorded. A supervisor of the owning agency will review the "
                                    "protection measures."))
        return _done(access)
    return _render(request, access, failed={"threat": form})


@login_required
@require_POST
def review(request: HttpRequest, code: str) -> HttpResponse:
    access = pages.load_case(request.user, code)
    if not access.is_supervisor:
        raise Http404()
    form = ReviewForm(request.POST)
    if _run(form, lambda d: measure_review(access=access, outcome=d["outcome"], note=d["note"])):
        messages.success(request, _("The review of the protection measures is recorded."))
        return _done(access)
    return _render(request, access, failed={"review": form})


@login_required
@require_POST
def measure(request: HttpRequest, code: str) -> HttpResponse:
    access = pages.load_case(request.user, code)
    if not access.can_edit:
        raise Http404()
    form = MeasureForm(request.POST, kinds=_kinds()[0], proceedings=_proceedings(access))
    if _run(form, lambda d: measure_request(
            access=access, kind=d["kind"], requested_on=_iso(d["requested_on"]), beneficiary=d["beneficiary"],
            relative_name=d["relative_name"], relative_relationship=d["relative_relationship"],
            proceeding_id=d["proceeding"] or None, note=d["note"])):
        messages.success(request, _("The protection measure is requested."))
        return _done(access)
    return _render(request, access, failed={"measure": form})


def _step_action(access: CaseAccess, step: str, measure_id: int) -> Callable[[dict[str, Any]], Any]:
    if step == "decide":
        return lambda d: measure_decide(access=access, measure_id=measure_id, granted=d["granted"] == "yes",
                                        decided_on=_iso(d["decided_on"]),
                                        authority_agency_id=d["authority_agency"] or None,
                                        authority_text=d["authority_text"])
    if step == "in_force":
        return lambda d: measure_put_in_force(access=access, measure_id=measure_id,
                                              in_force_from=_iso(d["in_force_from"]),
                                              in_force_to=_iso(d["in_force_to"]))
    if step == "end":
        return lambda d: measure_end(access=access, measure_id=measure_id, ended_on=_iso(d["ended_on"]),
                                     note=d["note"])
    return lambda d: measure_refuse(access=access, measure_id=measure_id, refused_on=_iso(d["refused_on"]),
                                    method=d["method"], note=d["note"])


@login_required
@require_POST
def measure_step(request: HttpRequest, code: str, measure_id: int, step: str) -> HttpResponse:
    access = pages.load_case(request.user, code)
    if not access.can_edit or step not in MEASURE_FORMS:
        raise Http404()
    form = _measure_form(step, measure_id, request.POST)
    if _run(form, _step_action(access, step, measure_id)):
        messages.success(request, _("The protection measure is updated."))
        return _done(access)
    return _render(request, access, failed_step=(step, measure_id, form))


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    language = lang()
    ending = [{"m": m, "name": measure_name(m.catalogue, m.kind, language)}
              for m in selectors.measures_ending_soon(user)]
    return render(request, "protection/index.html", {
        "threats": list(selectors.threats_awaiting_review(user)), "ending": ending,
        "high_risk": selectors.high_risk_cases(user), "works_cases": pages.works_cases(user),
        "is_supervisor": getattr(user, "role", "") == "supervisor",
    })
