"""Case pages: list and search, registration, the case page tabs, workflow steps, break glass, sign-offs.

Every page that shows one case opens it with `page_helpers.load_case`, which goes through
`selectors.access_case`: a missing case and a forbidden one give the same 404 page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haven.accounts.models import IdentityField, Role
from haven.cases import page_helpers as pages
from haven.cases.forms import (
    AssignForm,
    BreakGlassForm,
    CaseFilterForm,
    CloseForm,
    EmptyForm,
    IdentifyForm,
    IdentityForm,
    NotVictimForm,
    RegistrationForm,
    ReviewForm,
    SignoffForm,
)
from haven.cases.models import Category, Sex, Status
from haven.cases.selectors import (
    CaseAccess,
    CasePage,
    Need,
    case_list_first,
    case_list_page,
    names_for_cases,
    read_identity,
)
from haven.cases.services import (
    DuplicateWarning,
    break_glass_open,
    break_glass_review,
    case_assign,
    case_close,
    case_identify,
    case_mark_not_victim,
    case_register,
    case_start_reintegration,
    case_start_support,
    case_start_verification,
    identity_update,
    signoff_sign,
    signoffs_for_agency,
)
from haven.core.errors import HavenError, NotFound
from haven.core.forms import apply_haven_error, message_haven_error
from haven.core.templatetags.haven_ui import agency_name, day
from haven.core.text import vietnamese_sort_key
from haven.protection.selectors import risk_levels_for
from haven.protection.templatetags.protection_tags import risk_badge

CASES_PER_PAGE = 25
# Sorting by name means decrypting (and logging) the name of every case in the result, not just
# one page: above this many results the page asks for a narrower search instead.
NAME_SORT_CAP = 200
SEEN_BY_PER_PAGE = 50


def _require_case_worker(request: HttpRequest) -> None:
    if not pages.works_cases(request.user):
        raise PermissionDenied


# List and search -----------------------------------------------------------------------------

def _page_number(raw: str | None) -> int:
    """What Django's Paginator.get_page accepts: anything that is not a whole number is the first page."""
    try:
        return max(1, int(raw or 1))
    except ValueError:
        return 1


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    _require_case_worker(request)
    user = request.user
    form = CaseFilterForm(request.GET or None)
    context: dict[str, Any] = {"form": form, "page": None, "names": {}, "name_sort_cap": NAME_SORT_CAP}
    if form.is_bound and not form.is_valid():
        return render(request, "cases/list.html", context)
    query = form.cleaned_data.get("q", "") if form.is_bound else ""
    sort = (form.cleaned_data.get("sort") if form.is_bound else "") or "-received"
    filters = form.filters() if form.is_bound else {}
    number = _page_number(request.GET.get("page"))
    if sort == "name":
        # Names are sealed: only a bounded result can be sorted by name (decrypted and logged here).
        rows = case_list_first(user, query, filters, NAME_SORT_CAP + 1)
        if len(rows) > NAME_SORT_CAP:
            messages.warning(request, _("Sorting by name works on at most %(n)d results. Narrow the search "
                                        "first; the list is sorted by date of reception.") % {"n": NAME_SORT_CAP})
            sort = "-received"
        else:
            names = names_for_cases(user, rows)
            rows.sort(key=lambda c: (c.pk not in names, vietnamese_sort_key(names.get(c.pk, "")), c.code))
            last = max(1, -(-len(rows) // CASES_PER_PAGE))
            number = min(number, last)
            shown = rows[(number - 1) * CASES_PER_PAGE:number * CASES_PER_PAGE]
            page = CasePage(shown, number, CASES_PER_PAGE, len(rows), has_next=number < last)
            context.update(page=page, names={c.pk: names[c.pk] for c in shown if c.pk in names})
    if sort != "name":
        page = case_list_page(user, query, filters, oldest_first=sort == "received", number=number,
                              per_page=CASES_PER_PAGE)
        context.update(page=page, names=names_for_cases(user, page.object_list))
    context["sort"] = sort
    if context["page"]:
        cases = context["page"].object_list
        context["rows"] = _list_rows(cases, context["names"], risk_levels_for(c.pk for c in cases))
    return render(request, "cases/list.html", context)


def _list_rows(cases: list[Any], names: dict[int, str], risks: dict[int, str]) -> list[dict[str, Any]]:
    """The page's rows with every cell worked out here, once per page: labels (`get_FOO_display` rebuilds
    and translates the whole choice list on every call), the case link (one `reverse`, not one a row),
    the date, the agency's name in the page's language and the risk badge. The template only prints."""
    labels = {name: {value: str(label) for value, label in choices} for name, choices in (
        ("category", Category.choices), ("status", Status.choices), ("sex", Sex.choices))}
    placeholder = "CASECODE"
    link = reverse("cases:overview", args=[placeholder])
    return [{"case": case, "url": link.replace(placeholder, case.code), "name": names.get(case.pk),
             "category": labels["category"].get(case.category, case.category),
             "status": labels["status"].get(case.status, case.status),
             "sex": labels["sex"].get(case.person.sex, case.person.sex),
             "received": day(case.received_on),
             "agency": agency_name(case.owner_agency),
             "risk": risk_badge(risks.get(case.pk))} for case in cases]


# Registration --------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    _require_case_worker(request)
    form = RegistrationForm(request.POST or None)
    duplicates = None
    if request.method == "POST" and form.is_valid():
        try:
            case = case_register(
                acting_user=request.user, data=form.registration(),
                confirm_duplicate=form.cleaned_data["confirm_duplicate"],
            )
        except DuplicateWarning as warning:
            duplicates = warning.matches
        except HavenError as error:
            apply_haven_error(form, error)
        else:
            messages.success(request, _("Registered. The case code is %(code)s.") % {"code": case.code})
            return redirect("cases:overview", code=case.code)
    return render(request, "cases/register.html", {"form": form, "duplicates": duplicates})


@login_required
@require_GET
def communes(request: HttpRequest) -> HttpResponse:
    """The commune options of one province, for the registration form (htmx)."""
    _require_case_worker(request)
    province = request.GET.get("home_province", "")[:120]
    units = pages.communes_on(timezone.localdate(), province) if province else pages.communes_on(timezone.localdate())
    options = format_html_join("", '<option value="{}">{}</option>', ((u.code, u.name) for u in units))
    return HttpResponse(format_html('<option value="">—</option>{}', options))


# The case page -------------------------------------------------------------------------------

STEP_LABELS: dict[str, Any] = {
    Status.VERIFICATION: gettext_lazy("Start verification"),
    Status.IDENTIFIED: gettext_lazy("Record the identification decision"),
    Status.NOT_VICTIM: gettext_lazy("Not a victim"),
    Status.SUPPORT: gettext_lazy("Start support"),
    Status.REINTEGRATION: gettext_lazy("Start reintegration follow-up"),
    Status.CLOSED: gettext_lazy("Close the case"),
}

StepRunner = Callable[[CaseAccess, dict[str, Any]], Any]
STEPS: dict[str, tuple[type, StepRunner]] = {
    Status.VERIFICATION: (EmptyForm, lambda a, d: case_start_verification(access=a)),
    Status.IDENTIFIED: (IdentifyForm, lambda a, d: case_identify(
        access=a, identified_on=d["identified_on"], authority=d["authority"], document=d["document"])),
    Status.NOT_VICTIM: (NotVictimForm, lambda a, d: case_mark_not_victim(access=a, reason=d["reason"])),
    Status.SUPPORT: (EmptyForm, lambda a, d: case_start_support(access=a)),
    Status.REINTEGRATION: (EmptyForm, lambda a, d: case_start_reintegration(access=a)),
    Status.CLOSED: (CloseForm, lambda a, d: case_close(access=a, reason=d["reason"], closed_on=d["closed_on"])),
}


def _case_context(request: HttpRequest, access: CaseAccess, tab: str) -> dict[str, Any]:
    return {"access": access, "case": access.case, "tab": tab}


def _workflow(case: Any) -> list[tuple[str, Any, str]]:
    order = pages.WORKFLOW_ORDER
    position = order.index(case.status) if case.status in order else order.index(Status.IDENTIFIED)
    rows: list[tuple[str, Any, str]] = []
    for i, status in enumerate(order):
        state = "done" if i < position else "current" if i == position else ""
        rows.append((status, Status(status).label, state))
    if case.status == Status.NOT_VICTIM:
        rows = [(s, label, "done" if s in (Status.RECEPTION, Status.VERIFICATION) else "") for s, label, _ in rows]
        rows.insert(2, (Status.NOT_VICTIM, Status.NOT_VICTIM.label, "current"))
    return rows


def _render_overview(request: HttpRequest, access: CaseAccess, *, failed: tuple[str, Any] | None = None,
                     assign_form: AssignForm | None = None) -> HttpResponse:
    case = access.case
    steps = []
    if access.can_edit:
        for status in pages.next_steps(case):
            form = failed[1] if failed and failed[0] == status else STEPS[status][0]()
            steps.append({"status": status, "label": STEP_LABELS[status], "form": form,
                          "open": bool(failed and failed[0] == status), "has_fields": bool(form.fields)})
    if access.is_supervisor and assign_form is None:
        assign_form = AssignForm(workers=pages.workers_of(case.owner_agency_id),
                                 initial={"worker": str(case.assigned_worker_id or "")})
    # A step that is not on offer (a stale page, a forged request) still says why it was refused.
    shown = {s["status"] for s in steps}
    stray_errors = [e for errors in failed[1].errors.values() for e in errors] if failed and failed[0] not in shown else []
    context = _case_context(request, access, "overview")
    context.update(steps=steps, workflow=_workflow(case), assign_form=assign_form, person=case.person,
                   stray_errors=stray_errors)
    return render(request, "cases/overview.html", context)


@login_required
@require_GET
def overview(request: HttpRequest, code: str) -> HttpResponse:
    return _render_overview(request, pages.load_case(request.user, code))


@login_required
@require_POST
def step(request: HttpRequest, code: str, step: str) -> HttpResponse:
    if step not in STEPS:
        raise Http404()
    access = pages.load_case(request.user, code, Need.EDIT)
    form_class, run = STEPS[step]
    form = form_class(request.POST)
    if form.is_valid():
        try:
            run(access, form.cleaned_data)
        except NotFound:
            raise Http404() from None
        except HavenError as error:
            apply_haven_error(form, error)
        else:
            messages.success(request, _("Done: %(step)s.") % {"step": STEP_LABELS[step]})
            return redirect("cases:overview", code=access.case.code)
    return _render_overview(request, access, failed=(step, form))


@login_required
@require_POST
def assign(request: HttpRequest, code: str) -> HttpResponse:
    access = pages.load_case(request.user, code, Need.SUPERVISE)
    form = AssignForm(request.POST, workers=pages.workers_of(access.case.owner_agency_id))
    if form.is_valid():
        try:
            case_assign(access=access, worker_id=form.cleaned_data["worker"])
        except HavenError as error:
            apply_haven_error(form, error)
        else:
            messages.success(request, _("The case is assigned."))
            return redirect("cases:overview", code=access.case.code)
    return _render_overview(request, access, assign_form=form)


@login_required
@require_GET
def identity(request: HttpRequest, code: str) -> HttpResponse:
    access = pages.load_case(request.user, code)
    values = read_identity(access)  # logs which fields were shown
    rows = [(field, label, values[field]) for field, label in IdentityField.choices if field in values]
    context = _case_context(request, access, "identity")
    context.update(rows=rows, hidden=len(IdentityField.values) - len(rows))
    return render(request, "cases/identity.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def identity_edit(request: HttpRequest, code: str) -> HttpResponse:
    access = pages.load_case(request.user, code, Need.EDIT)
    if request.method == "POST":
        form = IdentityForm(request.POST)
        if form.is_valid():
            try:
                changed = identity_update(access=access, changes=form.changes())
            except HavenError as error:
                apply_haven_error(form, error)
            else:
                if changed:
                    labels = ", ".join(str(IdentityField(f).label) for f in changed)
                    messages.success(request, _("Saved: %(fields)s.") % {"fields": labels})
                else:
                    messages.info(request, _("Nothing was changed."))
                return redirect("cases:identity", code=access.case.code)
    else:
        form = IdentityForm(initial=read_identity(access))
    context = _case_context(request, access, "identity")
    context["form"] = form
    return render(request, "cases/identity_edit.html", context)


@login_required
@require_GET
def signoffs_tab(request: HttpRequest, code: str) -> HttpResponse:
    access = pages.load_case(request.user, code)
    mine = list(signoffs_for_agency(request.user).filter(case=access.case))
    context = _case_context(request, access, "signoffs")
    context.update(signoffs=pages.signoffs_of(access.case), mine=mine)
    return render(request, "cases/signoffs_tab.html", context)


@login_required
@require_GET
def seen_by(request: HttpRequest, code: str) -> HttpResponse:
    access = pages.load_case(request.user, code, Need.SUPERVISE)
    page = Paginator(pages.who_has_seen(access.case), SEEN_BY_PER_PAGE).get_page(request.GET.get("page"))
    agencies = pages.agency_names({e.agency_id_at_time for e in page.object_list}, get_language() or "vi")
    context = _case_context(request, access, "seen_by")
    context.update(page=page, agencies=agencies)
    return render(request, "cases/seen_by.html", context)


# Break glass and sign-offs -------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def break_glass(request: HttpRequest) -> HttpResponse:
    _require_case_worker(request)
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            grant = break_glass_open(acting_user=request.user, code=form.cleaned_data["code"],
                                     reason=form.cleaned_data["reason"])
        except NotFound:
            form.add_error("code", _("No case has this code."))
        except HavenError as error:
            apply_haven_error(form, error)
        else:
            messages.warning(request, _("Emergency access is open until %(time)s. It is recorded and your "
                                        "supervisor will review it.") % {
                "time": timezone.localtime(grant.expires_at).strftime("%H:%M")})
            return redirect("cases:overview", code=grant.case.code)
    return render(request, "cases/break_glass.html", {"form": form})


def _back(request: HttpRequest, default: str = "core:dashboard") -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(default)


@login_required
@require_POST
def break_glass_review_view(request: HttpRequest, grant_id: int) -> HttpResponse:
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The review note is too long."))
        return _back(request)
    try:
        break_glass_review(acting_user=request.user, grant_id=grant_id, note=form.cleaned_data["note"])
    except NotFound:
        raise Http404() from None
    except HavenError as error:
        message_haven_error(request, error)
    else:
        messages.success(request, _("The emergency access is marked as reviewed."))
    return _back(request)


@login_required
@require_GET
def signoffs(request: HttpRequest) -> HttpResponse:
    if getattr(request.user, "role", None) != Role.SUPERVISOR:
        raise PermissionDenied
    rows = list(signoffs_for_agency(request.user).order_by("due_on"))
    return render(request, "cases/signoffs.html", {"signoffs": rows})


@login_required
@require_POST
def signoff_sign_view(request: HttpRequest, signoff_id: int) -> HttpResponse:
    form = SignoffForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, str(errors[0]))
        return _back(request)
    try:
        signoff_sign(acting_user=request.user, signoff_id=signoff_id, decision=form.cleaned_data["decision"],
                     note=form.cleaned_data["note"])
    except NotFound:
        raise Http404() from None
    except HavenError as error:
        message_haven_error(request, error)
    else:
        messages.success(request, _("Your sign-off is recorded."))
    return _back(request)
