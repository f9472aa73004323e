"""Pages: the case's Justice tab, and the Justice page (awards paid in full, in part, not at all).

Every case view opens the case with `page_helpers.load_case` (missing and forbidden: the same 404); the
services decide who may change what. There is no page that edits or deletes a payment or a step.
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

from haven.accounts.models import Role
from haven.cases import page_helpers as pages
from haven.cases.selectors import CaseAccess
from haven.core.forms import form_submit, iso_date
from haven.core.text import current_language
from haven.legal import selectors
from haven.legal.access import may_write
from haven.legal.awards import enforcement_record, payment_record, payment_reverse, verdict_record
from haven.legal.forms import (
    AdvanceForm,
    AidDecisionForm,
    AidForm,
    PaymentForm,
    ProceedingForm,
    ReversePaymentForm,
    StepForm,
    VerdictForm,
)
from haven.legal.proceedings import (
    legal_aid_decide,
    legal_aid_request,
    proceeding_advance,
    proceeding_create,
    providers,
)

ALIASES = {"provider_id": "provider", "proceeding_id": "proceeding"}


_lang = current_language


_iso = iso_date


# A refusal goes on the form and nothing is saved (core.forms.form_submit).
_run = partial(form_submit, aliases=ALIASES)


def proceeding_label(proceeding: Any) -> str:
    """Non-identifying: kind, the person's role, and Haven's own number."""
    return f"#{proceeding.pk} · {proceeding.get_kind_display()} · {proceeding.get_person_role_display()}"


def _render(request: HttpRequest, access: CaseAccess, failed: dict[str, Form] | None = None) -> HttpResponse:
    failed = failed or {}
    justice = selectors.case_justice(access)
    writer = may_write(access)
    today = timezone.localdate()
    options = [(row.proceeding.pk, proceeding_label(row.proceeding)) for row in justice.proceedings]
    context: dict[str, Any] = {
        "access": access, "case": access.case, "tab": "legal", "justice": justice, "writer": writer,
        "today": today, "failed": failed, "stalled_days": selectors.STALLED_DAYS, "lang": _lang(),
    }
    if writer:
        context["proceeding_form"] = failed.get("proceeding") or ProceedingForm()
        context["aid_form"] = failed.get("aid") or AidForm(
            initial={"requested_on": today}, proceedings=options,
            providers=[(p.pk, p.display_name(_lang())) for p in providers()])
        if options:
            context["verdict_form"] = failed.get("verdict") or VerdictForm(proceedings=options)
        context["advance_form"] = AdvanceForm()
        context["decision_form"] = AidDecisionForm(initial={"on": today})
        context["payment_form"] = PaymentForm(initial={"received_on": today})
        context["reverse_form"] = ReversePaymentForm()
        context["step_form"] = StepForm(initial={"taken_on": today})
    return render(request, "legal/tab.html", context)


def _done(access: CaseAccess, message: str) -> HttpResponse:
    return redirect(reverse("case_legal:tab", kwargs={"code": access.case.code}))


def _writer_case(request: HttpRequest, code: str) -> CaseAccess:
    access = pages.load_case(request.user, code)
    if not may_write(access):
        raise Http404()
    return access


def _post(request: HttpRequest, code: str, key: str, form_class: Callable[..., Form],
          action: Callable[[CaseAccess, dict[str, Any]], Any], success: str, **form_kwargs: Any) -> HttpResponse:
    access = _writer_case(request, code)
    extra = {name: make(access) for name, make in form_kwargs.items()}
    form = form_class(request.POST, **extra)
    if _run(form, lambda d: action(access, d)):
        messages.success(request, success)
        return _done(access, success)
    return _render(request, access, failed={key: form})


def _proceeding_options(access: CaseAccess) -> list[tuple[int, str]]:
    return [(p.pk, proceeding_label(p)) for p in selectors.proceedings_of(access.case)]


def _provider_options(access: CaseAccess) -> list[tuple[int, str]]:
    return [(p.pk, p.display_name(_lang())) for p in providers()]


@login_required
@require_GET
def case_tab(request: HttpRequest, code: str) -> HttpResponse:
    return _render(request, pages.load_case(request.user, code))


@login_required
@require_POST
def proceeding_new(request: HttpRequest, code: str) -> HttpResponse:
    return _post(request, code, "proceeding", ProceedingForm, lambda a, d: proceeding_create(
        access=a, kind=d["kind"], person_role=d["person_role"], court=d["court"], case_number=d["case_number"],
        opened_on=_iso(d["opened_on"]), stage=d["stage"]), _("The proceeding is recorded."))


@login_required
@require_POST
def proceeding_stage(request: HttpRequest, code: str, proceeding_id: int) -> HttpResponse:
    return _post(request, code, f"advance-{proceeding_id}", AdvanceForm, lambda a, d: proceeding_advance(
        access=a, proceeding_id=proceeding_id, stage=d["stage"], status=d["status"], on=_iso(d["on"])),
        _("The proceeding is updated."))


@login_required
@require_POST
def aid_new(request: HttpRequest, code: str) -> HttpResponse:
    return _post(request, code, "aid", AidForm, lambda a, d: legal_aid_request(
        access=a, provider_id=d["provider"], requested_on=_iso(d["requested_on"]),
        proceeding_id=d["proceeding"] or None), _("The request for legal aid is recorded."),
        providers=_provider_options, proceedings=_proceeding_options)


@login_required
@require_POST
def aid_decide(request: HttpRequest, code: str, aid_id: int) -> HttpResponse:
    return _post(request, code, f"aid-{aid_id}", AidDecisionForm, lambda a, d: legal_aid_decide(
        access=a, aid_id=aid_id, status=d["status"], on=_iso(d["on"])), _("The decision is recorded."))


@login_required
@require_POST
def verdict_new(request: HttpRequest, code: str) -> HttpResponse:
    return _post(request, code, "verdict", VerdictForm, lambda a, d: verdict_record(
        access=a, proceeding_id=d["proceeding"], decided_on=_iso(d["decided_on"]), court_level=d["court_level"],
        outcome=d["outcome"], sentence_summary=d["sentence_summary"],
        compensation_awarded=d["compensation_awarded"] or 0, debtor=d["debtor"]),
        _("The verdict is recorded."), proceedings=_proceeding_options)


@login_required
@require_POST
def payment_new(request: HttpRequest, code: str, award_id: int) -> HttpResponse:
    return _post(request, code, f"pay-{award_id}", PaymentForm, lambda a, d: payment_record(
        access=a, award_id=award_id, received_on=_iso(d["received_on"]), amount=d["amount"], method=d["method"],
        evidence_ref=d["evidence_ref"]), _("The payment is recorded."))


@login_required
@require_POST
def payment_reversal(request: HttpRequest, code: str, payment_id: int) -> HttpResponse:
    return _post(request, code, f"rev-{payment_id}", ReversePaymentForm, lambda a, d: payment_reverse(
        access=a, payment_id=payment_id, reason=d["reason"]), _("The reversal is recorded."))


@login_required
@require_POST
def step_new(request: HttpRequest, code: str, award_id: int) -> HttpResponse:
    return _post(request, code, f"step-{award_id}", StepForm, lambda a, d: enforcement_record(
        access=a, award_id=award_id, kind=d["kind"], taken_on=_iso(d["taken_on"]), body=d["body"],
        note=d["note"]), _("The enforcement step is recorded."))


# --- The Justice page ---------------------------------------------------------------------------------


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    context: dict[str, Any] = {"works_cases": pages.works_cases(user), "stalled_days": selectors.STALLED_DAYS,
                               "states": selectors.PaymentState}
    if pages.works_cases(user):
        context["summary"] = selectors.summarise(selectors.visible_awards(user))
        context["oldest"] = selectors.oldest_unpaid(user)
        context["stalled"] = selectors.stalled_awards(user)
        context["waiting"] = list(selectors.aid_waiting(user)[:50])
        context["is_supervisor"] = user.role == Role.SUPERVISOR
    elif user.role == Role.STATISTICIAN:
        context["summary"] = selectors.statistics_summary()
    return render(request, "legal/index.html", context)


