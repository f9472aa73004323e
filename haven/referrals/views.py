"""Referral pages: a case's Referrals tab (timeline, send, cancel, transfer) and the agency inbox.

Case pages open the case with `page_helpers.load_case`: missing and forbidden give the same 404. The
inbox lists the user's agency's referrals by case code only; answering goes through the services,
which find the referral inside the agency's inbox or not at all.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from haven.cases import page_helpers as pages
from haven.cases.selectors import CaseAccess, Need
from haven.core.errors import HavenError, NotFound
from haven.core.forms import apply_haven_error, message_haven_error
from haven.core.text import current_language
from haven.referrals import selectors as sel
from haven.referrals.forms import OutcomeForm, ReasonForm, SendForm, TransferForm
from haven.referrals.items import default_due_on
from haven.referrals.models import ReferralStatus, TransferStatus
from haven.referrals.services import (
    referral_accept,
    referral_agency,
    referral_cancel,
    referral_complete,
    referral_decline,
    referral_send,
    referrals_received,
)
from haven.referrals.transfers import (
    transfer_accept,
    transfer_cancel,
    transfer_decline,
    transfer_request,
    transfers_of_agency,
)

INBOX_CLOSED_LIMIT = 20


_lang = current_language


def _run(request: HttpRequest, form: Form | None, action: Any) -> bool:
    """Call a service; a refusal goes on the form (or to the top of the page) and nothing is saved."""
    if form is not None and not form.is_valid():
        return False
    try:
        action(form.cleaned_data if form is not None else {})
    except NotFound:
        raise Http404() from None
    except HavenError as error:
        if form is None:
            message_haven_error(request, error)
        else:
            apply_haven_error(form, error)
        return False
    return True


# --- The case tab ----------------------------------------------------------------------------------


def _send_form(access: CaseAccess, data: Any = None) -> SendForm:
    choices = sel.grouped_agency_choices(sel.referral_agencies(access), _lang())
    form = SendForm(data, agency_choices=choices, supervisor=access.is_supervisor,
                    initial=None if data else {"due_on": default_due_on()})
    form.fields["to_agency"].widget.attrs.update({
        "hx-get": reverse("case_referrals:preview", kwargs={"code": access.case.code}), "hx-target": "#share-preview",
        "hx-trigger": "change", "hx-swap": "innerHTML"})
    return form


def _transfer_form(access: CaseAccess, data: Any = None) -> TransferForm:
    return TransferForm(data, agency_choices=sel.grouped_agency_choices(sel.transfer_agencies(access), _lang()))


def _preview(access: CaseAccess, agency_id: Any) -> sel.SharePreview | None:
    if not agency_id:
        return None
    try:
        return sel.share_preview(access, referral_agency(agency_id, access))
    except HavenError:
        return None


def _render_tab(request: HttpRequest, access: CaseAccess, *, send_form: SendForm | None = None,
                transfer_form: TransferForm | None = None, failed: dict[tuple[str, int], Form] | None = None,
                status: int = 200) -> HttpResponse:
    failed = failed or {}
    timeline = sel.case_timeline(access)
    open_referrals = [r for r in sel.case_referrals(access) if r.status == ReferralStatus.SENT]
    open_transfer = next((t for t in sel.case_transfers(access) if t.status == TransferStatus.REQUESTED), None)
    context: dict[str, Any] = {
        "access": access, "case": access.case, "tab": "referrals", "timeline": timeline,
        "today": timezone.localdate(), "open_transfer": open_transfer,
    }
    if access.can_edit:
        send_form = send_form or _send_form(access)
        context["send_form"] = send_form
        context["preview"] = _preview(access, send_form.data.get("to_agency") if send_form.is_bound else None)
        context["cancel_forms"] = [
            (r, failed.get(("cancel", r.pk)) or ReasonForm(auto_id=f"id_c{r.pk}_%s")) for r in open_referrals]
    if access.is_supervisor:
        context["transfer_form"] = transfer_form or _transfer_form(access)
    return render(request, "referrals/tab.html", context, status=status)


@login_required
@require_GET
def case_tab(request: HttpRequest, code: str) -> HttpResponse:
    return _render_tab(request, pages.load_case(request.user, code))


@login_required
@require_GET
def preview(request: HttpRequest, code: str) -> HttpResponse:
    """htmx: which identity fields a referral to the chosen agency would share."""
    access = pages.load_case(request.user, code, Need.EDIT)
    return render(request, "referrals/_preview.html", {"preview": _preview(access, request.GET.get("to_agency", ""))})


@login_required
@require_POST
def send(request: HttpRequest, code: str) -> HttpResponse:
    access = pages.load_case(request.user, code, Need.EDIT)
    form = _send_form(access, request.POST)
    if _run(request, form, lambda d: referral_send(
            access=access, to_agency_id=d["to_agency"], purpose=d["purpose"], items=d["items"], due_on=d["due_on"],
            override_reason=d.get("override_reason", ""))):
        messages.success(request, _("The referral is sent to the agency's inbox."))
        return redirect("case_referrals:tab", code=access.case.code)
    return _render_tab(request, access, send_form=form)


@login_required
@require_POST
def cancel(request: HttpRequest, code: str, referral_id: int) -> HttpResponse:
    access = pages.load_case(request.user, code, Need.EDIT)
    form = ReasonForm(request.POST, auto_id=f"id_c{referral_id}_%s")
    if _run(request, form, lambda d: referral_cancel(access=access, referral_id=referral_id, reason=d["reason"])):
        messages.success(request, _("The referral is cancelled."))
        return redirect("case_referrals:tab", code=access.case.code)
    return _render_tab(request, access, failed={("cancel", referral_id): form})


@login_required
@require_POST
def transfer_new(request: HttpRequest, code: str) -> HttpResponse:
    access = pages.load_case(request.user, code, Need.SUPERVISE)
    form = _transfer_form(access, request.POST)
    if _run(request, form, lambda d: transfer_request(access=access, to_agency_id=d["to_agency"], reason=d["reason"])):
        messages.success(request, _("The transfer is requested. The case stays with your agency until it is accepted."))
        return redirect("case_referrals:tab", code=access.case.code)
    return _render_tab(request, access, transfer_form=form)


@login_required
@require_POST
def transfer_withdraw(request: HttpRequest, code: str, transfer_id: int) -> HttpResponse:
    access = pages.load_case(request.user, code, Need.SUPERVISE)
    if _run(request, None, lambda d: transfer_cancel(access=access, transfer_id=transfer_id)):
        messages.success(request, _("The transfer is cancelled."))
    return redirect("case_referrals:tab", code=access.case.code)


# --- The inbox -------------------------------------------------------------------------------------


def _require_case_worker(request: HttpRequest) -> None:
    if not pages.works_cases(request.user):
        raise DjangoPermissionDenied()


def _render_inbox(request: HttpRequest, failed: dict[tuple[str, int], Form] | None = None,
                  status: int = 200) -> HttpResponse:
    user, failed = cast(Any, request.user), failed or {}
    received = referrals_received(user).select_related("sent_by")
    open_received = list(received.filter(status__in=(ReferralStatus.SENT, ReferralStatus.ACCEPTED))
                         .order_by("due_on", "sent_at"))
    rows = []
    for referral in open_received:
        pk = referral.pk
        row: dict[str, Any] = {"referral": referral, "items": sel.items_labels(referral.items)}
        if referral.status == ReferralStatus.SENT:
            row["decline_form"] = failed.get(("decline", pk)) or ReasonForm(auto_id=f"id_d{pk}_%s")
        else:
            row["complete_form"] = failed.get(("complete", pk)) or OutcomeForm(auto_id=f"id_o{pk}_%s")
        row["open"] = any(key[1] == pk for key in failed)
        rows.append(row)
    incoming = []
    for transfer in transfers_of_agency(user).filter(to_agency_id=user.agency_id, status=TransferStatus.REQUESTED):
        incoming.append({"transfer": transfer,
                         "decline_form": failed.get(("tdecline", transfer.pk)) or ReasonForm(auto_id=f"id_t{transfer.pk}_%s"),
                         "open": ("tdecline", transfer.pk) in failed})
    context = {
        "received": rows,
        "closed_received": list(received.exclude(status__in=(ReferralStatus.SENT, ReferralStatus.ACCEPTED))
                                .order_by("-sent_at")[:INBOX_CLOSED_LIMIT]),
        "sent": list(sel.referrals_sent(user).order_by("-sent_at")[:50]),
        "transfers_in": incoming,
        "transfers_out": list(transfers_of_agency(user).filter(from_agency_id=user.agency_id)
                              .order_by("-requested_at")[:20]),
        "today": timezone.localdate(),
        "is_supervisor": user.role == "supervisor",
    }
    return render(request, "referrals/inbox.html", context, status=status)


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    _require_case_worker(request)
    return _render_inbox(request)


def _inbox_action(request: HttpRequest, key: str, pk: int, form: Form | None, action: Any, done: str) -> HttpResponse:
    _require_case_worker(request)
    if _run(request, form, action):
        messages.success(request, done)
        return redirect("referrals:inbox")
    if form is None:
        return redirect("referrals:inbox")
    return _render_inbox(request, failed={(key, pk): form})


@login_required
@require_POST
def accept(request: HttpRequest, referral_id: int) -> HttpResponse:
    return _inbox_action(request, "accept", referral_id, None,
                         lambda d: referral_accept(acting_user=request.user, referral_id=referral_id),
                         _("Accepted. Your agency now sees the case with the fields shared."))


@login_required
@require_POST
def decline(request: HttpRequest, referral_id: int) -> HttpResponse:
    form = ReasonForm(request.POST, auto_id=f"id_d{referral_id}_%s")
    return _inbox_action(request, "decline", referral_id, form,
                         lambda d: referral_decline(acting_user=request.user, referral_id=referral_id,
                                                    reason=d["reason"]),
                         _("Declined. The sending agency sees your reason."))


@login_required
@require_POST
def complete(request: HttpRequest, referral_id: int) -> HttpResponse:
    form = OutcomeForm(request.POST, auto_id=f"id_o{referral_id}_%s")
    return _inbox_action(request, "complete", referral_id, form,
                         lambda d: referral_complete(acting_user=request.user, referral_id=referral_id,
                                                     outcome=d["outcome"]),
                         _("The referral is completed and its outcome recorded."))


@login_required
@require_POST
def transfer_yes(request: HttpRequest, transfer_id: int) -> HttpResponse:
    return _inbox_action(request, "taccept", transfer_id, None,
                         lambda d: transfer_accept(acting_user=request.user, transfer_id=transfer_id),
                         _("Transfer accepted: the case now belongs to your agency. Assign a caseworker."))


@login_required
@require_POST
def transfer_no(request: HttpRequest, transfer_id: int) -> HttpResponse:
    form = ReasonForm(request.POST, auto_id=f"id_t{transfer_id}_%s")
    return _inbox_action(request, "tdecline", transfer_id, form,
                         lambda d: transfer_decline(acting_user=request.user, transfer_id=transfer_id,
                                                    reason=d["reason"]),
                         _("Transfer declined. The case stays with the other agency."))
