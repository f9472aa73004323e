"""The case page's Entitlements tab: what the person is owed and why, the facts that decide it,
support applications and their steps, and the rights statement.

Every view opens the case with `page_helpers.load_case`: missing and forbidden give the same 404.
Reading is for everyone who may see the case; changing anything needs Need.EDIT (the owning agency).
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from haven.cases import page_helpers as pages
from haven.cases.selectors import CaseAccess, Need
from haven.core.errors import HavenError
from haven.core.forms import form_submit, iso_date
from haven.core.text import current_language
from haven.entitlements.forms import (
    FACT_QUESTIONS,
    ApplicationForm,
    DecideForm,
    EvaluateForm,
    FactsForm,
    StepForm,
    answer_of,
)
from haven.entitlements.models import ApplicationStatus, SupportApplication
from haven.entitlements.services import (
    application_create,
    application_decide,
    application_step_complete,
    case_entitlements,
    facts_for,
    facts_update,
)
from haven.entitlements.statement import statement_pdf

# The tab groups items as the rights statement does, with "amount not set" kept apart so that
# nobody reads a missing provincial figure as a refusal or as a number.
GROUPS: list[tuple[str, Any, tuple[str, ...]]] = [
    ("entitled", gettext_lazy("Entitled"), ("entitled",)),
    ("needs_information", gettext_lazy("Needs information"), ("needs_information",)),
    ("refused", gettext_lazy("Refused or deadline passed"), ("not_entitled", "deadline_passed")),
    ("amount_not_set", gettext_lazy("Amount not set"), ("amount_not_set",)),
]
STATUS_LABELS: dict[str, Any] = {
    "entitled": gettext_lazy("Entitled"),
    "not_entitled": gettext_lazy("Not entitled"),
    "needs_information": gettext_lazy("Needs information"),
    "deadline_passed": gettext_lazy("Deadline passed"),
    "amount_not_set": gettext_lazy("Amount not set"),
}
REGIMES: dict[str, Any] = {
    "law-66-2011": gettext_lazy("Law 66/2011 on prevention and suppression of human trafficking"),
    "law-53-2024": gettext_lazy("Law 53/2024 on prevention and combat of human trafficking"),
}
PERIODS: dict[str, Any] = {
    "decree-09-2013": gettext_lazy("Decree 09/2013 and Joint Circular 134/2013"),
    "circular-84-2019": gettext_lazy("Circular 84/2019"),
    "decree-162-2025": gettext_lazy("Decree 162/2025"),
}
LIMIT_LABELS: dict[str, Any] = {
    "max_days": gettext_lazy("At most (days)"),
    "max_months": gettext_lazy("At most (months)"),
    "months": gettext_lazy("Months"),
    "limit_ends": gettext_lazy("Limit ends on"),
    "stay_days": gettext_lazy("Days of stay"),
    "paid_days": gettext_lazy("Days paid"),
    "rate_vnd_per_day": gettext_lazy("Rate per day"),
    "meal_rate_vnd_per_day": gettext_lazy("Meals per day on the road"),
    "package_vnd": gettext_lazy("Package"),
    "medicine_vnd": gettext_lazy("Medicine"),
    "medicine": gettext_lazy("Medicine"),
    "premium_share_min_percent": gettext_lazy("State share of the premium, at least (%)"),
    "fare": gettext_lazy("Fare"),
    "cost_basis": gettext_lazy("Costs paid"),
    "one_off": gettext_lazy("One-off payment"),
    "in_kind": gettext_lazy("Given in kind"),
    "card_during_stay": gettext_lazy("Card during the stay"),
    "tuition_exemption": gettext_lazy("Tuition exemption"),
    "school_years": gettext_lazy("School years"),
}
LIMIT_VALUES: dict[str, Any] = {
    "public_transport": gettext_lazy("public transport ticket"),
    "actual_cost": gettext_lazy("actual cost"),
    "insurance_fund": gettext_lazy("by the health insurance fund"),
    "group_insurance_rate": gettext_lazy("at the insured group's rate"),
    "poor_household_rate": gettext_lazy("at the poor household rate"),
    "facility_care": gettext_lazy("by the facility"),
    "clothes_2_sets": gettext_lazy("2 sets of clothes"),
    "underwear_2_sets": gettext_lazy("2 sets of underwear"),
    "towel": gettext_lazy("towel"),
    "plastic_slippers": gettext_lazy("plastic slippers"),
    "toothbrush": gettext_lazy("toothbrush"),
    "toothpaste": gettext_lazy("toothpaste"),
    "soap": gettext_lazy("soap"),
    "sanitary_pads": gettext_lazy("sanitary pads"),
}
DEADLINE_LABELS: dict[str, Any] = {
    "apply_by": gettext_lazy("Apply by"),
    "support_ends": gettext_lazy("Support ends on"),
    "initial_verification_by": gettext_lazy("Initial verification by"),
    "commune_forwards_by": gettext_lazy("Commune forwards the dossier by"),
    "labour_office_submits_by": gettext_lazy("Labour office submits by"),
    "district_chair_decides_by": gettext_lazy("District chair decides by"),
}


_lang = current_language


def _limit(key: str, value: Any) -> dict[str, Any]:
    kind = "text"
    if isinstance(value, bool):
        shown: Any = _("yes") if value else _("no")
    elif isinstance(value, list):
        shown = ", ".join(str(LIMIT_VALUES.get(v, v)) for v in value)
    elif key.endswith("_vnd") or "_vnd_" in key:
        kind = "vnd"
        shown = value
    elif key.endswith("_ends") or key.endswith("_by"):
        kind = "date"
        shown = value
    else:
        shown = LIMIT_VALUES.get(value, value) if isinstance(value, str) else value
    return {"label": LIMIT_LABELS.get(key, key.replace("_", " ")), "value": shown, "kind": kind}


def _item_row(item: dict[str, Any], lang: str) -> dict[str, Any]:
    return {
        "code": item["code"], "name": item["name"][lang], "status": item["status"],
        "status_label": STATUS_LABELS.get(item["status"], item["status"]),
        # Never a number for an amount the province has not set (issue 3, rule 1).
        "amount_vnd": None if item["status"] == "amount_not_set" else item["amount_vnd"],
        "limits": [_limit(k, v) for k, v in item["limits"].items()],
        "deadlines": [{"label": DEADLINE_LABELS.get(k, k.replace("_", " ")), "on": v}
                      for k, v in item["deadlines"].items()],
        "reasons": [r[lang] for r in item["reasons"]], "citations": item["citations"],
        # Only doubtful figures are labelled: the engine gives the weakest confidence of what the item cites.
        "confidence": "" if item["confidence"] == "confirmed" else item["confidence"],
    }


def _evaluation(access: CaseAccess, on: dt.date) -> dict[str, Any]:
    lang = _lang()
    try:
        result = case_entitlements(access, on=on)
    except HavenError as error:
        return {"error": str(error.message)}
    rows = [_item_row(i, lang) for i in result["items"]]
    groups = [{"key": key, "label": label, "items": [r for r in rows if r["status"] in statuses]}
              for key, label, statuses in GROUPS]
    return {
        "regime": result["regime"], "regime_label": REGIMES.get(result["regime"] or "", result["regime"]),
        "period": PERIODS.get(result.get("period") or "", result.get("period")),
        "reasons": [r[lang] for r in result.get("reasons", [])], "citations": result.get("citations", []),
        "deadlines": [{"label": DEADLINE_LABELS.get(k, k), "on": v} for k, v in result.get("deadlines", {}).items()],
        "not_applicable": (result.get("not_applicable") or {}).get(lang, ""),
        "groups": [g for g in groups if g["items"]],
    }


def _applications(access: CaseAccess, failed: dict[tuple[str, int], Form]) -> list[dict[str, Any]]:
    lang, today = _lang(), timezone.localdate()
    rows = []
    for application in SupportApplication.objects.filter(case=access.case).prefetch_related("steps"):
        steps = list(application.steps.all())
        open_ = application.status == ApplicationStatus.IN_PROGRESS
        current = next((s for s in steps if s.completed_on is None), None) if open_ else None
        row: dict[str, Any] = {"application": application, "current": current, "steps": [{
            "step": s, "body": s.body_en if lang == "en" else s.body_vi, "current": s is current,
            "overdue": bool(open_ and s.completed_on is None and s.due_on and s.due_on < today),
        } for s in steps]}
        if access.can_edit and open_:
            pk = application.pk
            if current is not None:
                row["step_form"] = failed.get(("step", pk)) or StepForm(initial={"completed_on": today})
                row["step_form"].auto_id = f"id_s{pk}_%s"
            row["decide_form"] = failed.get(("decide", pk)) or DecideForm(initial={"decided_on": today})
            row["decide_form"].auto_id = f"id_d{pk}_%s"
            row["open"] = any(key[1] == pk for key in failed)
        rows.append(row)
    return rows


def _facts_form(access: CaseAccess) -> FactsForm:
    facts = facts_for(access.case)
    initial: dict[str, Any] = {name: answer_of(getattr(facts, name)) for name in FACT_QUESTIONS}
    initial.update(located=facts.located, shelter_from=facts.shelter_from, shelter_to=facts.shelter_to)
    return FactsForm(initial=initial)


def _render(request: HttpRequest, access: CaseAccess, *, facts_form: FactsForm | None = None,
            application_form: ApplicationForm | None = None, failed: dict[tuple[str, int], Form] | None = None) -> HttpResponse:
    # After a POST the page keeps the date the officer was looking at (a hidden field of each form).
    query = request.GET if request.method == "GET" else {"on": request.POST.get("on", "")}
    evaluate_form = EvaluateForm(query or None)
    on = timezone.localdate()
    if evaluate_form.is_bound and evaluate_form.is_valid() and evaluate_form.cleaned_data["on"]:
        on = evaluate_form.cleaned_data["on"]
    context: dict[str, Any] = {
        "access": access, "case": access.case, "tab": "entitlements", "on": on, "evaluate_form": evaluate_form,
        "on_param": on.isoformat() if on != timezone.localdate() else "",
        "evaluation": _evaluation(access, on), "applications": _applications(access, failed or {}),
    }
    if access.can_edit:
        context["facts_form"] = facts_form or _facts_form(access)
        context["application_form"] = application_form or ApplicationForm(
            initial={"received_on": timezone.localdate()})
    return render(request, "entitlements/tab.html", context)


@login_required
@require_GET
def tab(request: HttpRequest, code: str) -> HttpResponse:
    return _render(request, pages.load_case(request.user, code))


# A refusal goes on the form and nothing is saved (core.forms.form_submit).
_run = partial(form_submit)


_iso = iso_date


def _done(request: HttpRequest, access: CaseAccess) -> HttpResponse:
    url = reverse("entitlements:tab", kwargs={"code": access.case.code})
    form = EvaluateForm({"on": request.POST.get("on", "")})
    if form.is_valid() and form.cleaned_data["on"]:
        url += "?" + urlencode({"on": form.cleaned_data["on"].isoformat()})
    return redirect(url)


@login_required
@require_POST
def facts(request: HttpRequest, code: str) -> HttpResponse:
    access = pages.load_case(request.user, code, Need.EDIT)
    form = FactsForm(request.POST)
    if _run(form, lambda d: facts_update(access=access, changes=form.changes())):
        messages.success(request, _("The facts are saved and the entitlements recomputed."))
        return _done(request, access)
    return _render(request, access, facts_form=form)


@login_required
@require_POST
def application_new(request: HttpRequest, code: str) -> HttpResponse:
    access = pages.load_case(request.user, code, Need.EDIT)
    form = ApplicationForm(request.POST)
    if _run(form, lambda d: application_create(access=access, item=d["item"], received_on=_iso(d["received_on"]))):
        messages.success(request, _("The application is recorded and its steps are planned."))
        return _done(request, access)
    return _render(request, access, application_form=form)


@login_required
@require_POST
def step_complete(request: HttpRequest, code: str, application_id: int) -> HttpResponse:
    access = pages.load_case(request.user, code, Need.EDIT)
    form = StepForm(request.POST)
    if _run(form, lambda d: application_step_complete(
            access=access, application_id=application_id, completed_on=_iso(d["completed_on"]), note=d["note"])):
        messages.success(request, _("The step is marked as done."))
        return _done(request, access)
    return _render(request, access, failed={("step", application_id): form})


@login_required
@require_POST
def decide(request: HttpRequest, code: str, application_id: int) -> HttpResponse:
    access = pages.load_case(request.user, code, Need.EDIT)
    form = DecideForm(request.POST)
    if _run(form, lambda d: application_decide(
            access=access, application_id=application_id, decision=d["decision"],
            decided_on=_iso(d["decided_on"]), note=d["note"], amount_vnd=d["amount_vnd"].strip() or None)):
        messages.success(request, _("The decision is recorded."))
        return _done(request, access)
    return _render(request, access, failed={("decide", application_id): form})


@login_required
@require_GET
def statement(request: HttpRequest, code: str) -> HttpResponse:
    """The rights statement as a PDF to hand to the person. It may carry the name, so only the
    owning agency prints it, the file is named by case code only, and nothing caches it."""
    access = pages.load_case(request.user, code, Need.EDIT)
    language = request.GET.get("lang", "")
    if language not in ("vi", "en"):
        language = _lang()
    try:
        pdf = statement_pdf(access, language=language)
    except HavenError as error:
        messages.error(request, str(error.message))
        return _done(request, access)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="rights-statement-{access.case.code}-{language}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
