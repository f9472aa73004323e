"""Pages: imports and exports (forms and your jobs), a job's progress (polled by htmx), cancel, download."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from haven.accounts.models import Role
from haven.core.errors import HavenError, NotFound
from haven.core.forms import apply_haven_error
from haven.exchange import jobs
from haven.exchange.exports import export_submit, identity_export_submit
from haven.exchange.forms import ExportForm, IdentityExportForm, ImportForm
from haven.exchange.importer import import_submit
from haven.exchange.results import download_result
from haven.exchange.selectors import access_job, jobs_visible_to

CHANNEL = "web"


def _abilities(user: Any) -> dict[str, bool]:
    return {
        "can_import": user.role in (Role.CASEWORKER, Role.SUPERVISOR) and bool(user.agency_id),
        "can_export": user.role == Role.STATISTICIAN or (user.role == Role.SUPERVISOR and bool(user.agency_id)),
        "can_export_identity": user.role == Role.SUPERVISOR and bool(user.agency_id),
    }


def _index(request: HttpRequest, status: int = 200, **forms: Any) -> HttpResponse:
    user = request.user
    context = {
        "jobs": [jobs.live_progress(j) for j in jobs_visible_to(user)[:50]],
        "import_form": forms.get("import_form") or ImportForm(),
        "export_form": forms.get("export_form") or ExportForm(),
        "identity_form": forms.get("identity_form") or IdentityExportForm(),
        "is_admin": user.role == Role.SYSTEM_ADMIN,  # type: ignore[union-attr]
        **_abilities(user),
    }
    return render(request, "exchange/index.html", context, status=status)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return _index(request)


@login_required
@require_POST
def import_new(request: HttpRequest) -> HttpResponse:
    if not _abilities(request.user)["can_import"]:
        raise Http404()
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = import_submit(acting_user=request.user, content=upload.read(), filename=upload.name,
                                dry_run=form.cleaned_data["dry_run"], channel=CHANNEL)
        except HavenError as error:
            apply_haven_error(form, error)
        else:
            return redirect("exchange:job", job.pk)
    return _index(request, import_form=form)


@login_required
@require_POST
def export_new(request: HttpRequest, kind: str) -> HttpResponse:
    abilities = _abilities(request.user)
    if kind == "identity":
        if not abilities["can_export_identity"]:
            raise Http404()
        form: Any = IdentityExportForm(request.POST)
        if form.is_valid():
            try:
                job = identity_export_submit(acting_user=request.user, password=form.cleaned_data["password"],
                                             reason=form.cleaned_data["reason"], channel=CHANNEL)
            except HavenError as error:
                apply_haven_error(form, error)
            else:
                return redirect("exchange:job", job.pk)
        return _index(request, identity_form=form)
    if kind not in ("htcds", "ctdc") or not abilities["can_export"]:
        raise Http404()
    form = ExportForm(request.POST)
    if form.is_valid():
        try:
            job = export_submit(acting_user=request.user, kind=kind, channel=CHANNEL, **form.cleaned_data)
        except HavenError as error:
            apply_haven_error(form, error)
        else:
            return redirect("exchange:job", job.pk)
    return _index(request, export_form=form)


def _job(request: HttpRequest, job_id: Any, *, own: bool = True) -> Any:
    try:
        return access_job(request.user, job_id, own=own)
    except NotFound:
        raise Http404() from None


@login_required
@require_GET
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = jobs.live_progress(_job(request, job_id, own=False))
    context = {"job": job, "mine": job.owner_id == request.user.pk, "report": job.report or {}}
    if request.headers.get("HX-Request"):
        return render(request, "exchange/_progress.html", context)
    return render(request, "exchange/job.html", context)


@login_required
@require_POST
def job_cancel(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job(request, job_id)
    try:
        jobs.job_cancel(job=job)
    except HavenError:
        pass  # finished meanwhile: the page shows how
    if request.headers.get("HX-Request"):
        job.refresh_from_db()
        return render(request, "exchange/_progress.html", {"job": job, "mine": True, "report": job.report or {}})
    return redirect("exchange:job", job.pk)


@login_required
@require_GET
def job_download(request: HttpRequest, job_id: int) -> HttpResponse:
    try:
        return download_result(_job(request, job_id), channel=CHANNEL)
    except NotFound:
        raise Http404() from None
