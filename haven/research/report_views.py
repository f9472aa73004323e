"""Pages of the evaluation report (mounted under /research/<study>/ by haven/research/urls.py): the report page
(choose language, scorecard, matrix columns, quotations and rows; see the counts; download), the PDF, and the
"quote in the report" button on each coded segment of an interview page.

Every page opens the study with `_load`: not a member and missing are the same 404. Bad parameters are shown
on the report page (status 400), never a server error.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from haven.accounts.models import AgencyKind
from haven.core.errors import HavenError, NotFound
from haven.core.text import current_language
from haven.research import report, selectors
from haven.research.models import ParticipantAgeGroup, ParticipantEthnicity, ParticipantKind, ParticipantSex
from haven.research.views import load_study


def _options(request: HttpRequest, access: selectors.StudyAccess) -> report.ReportOptions:
    """The report's options from the query string. Before the form is first sent: everything, in the page's
    language, with quotations."""
    q = request.GET
    sent = q.get("sent") == "1"
    return report.report_options(
        access, language=q.get("lang") or current_language(), scorecard_id=q.get("scorecard") or None,
        theme_ids=q.getlist("theme"), quotations=q.get("quotations") == "1" if sent else True,
        filters={name: q.get(name, "") for name in selectors.FILTERS})


def _page(request: HttpRequest, access: selectors.StudyAccess, options: report.ReportOptions | None,
          error: HavenError | None) -> HttpResponse:
    q = request.GET
    chosen = {str(t.pk) for t in options.themes} if options else set(q.getlist("theme"))
    context: dict[str, Any] = {
        "access": access, "study": access.study, "options": options, "error": error,
        "preview": report.preview(access, options) if options else None,
        "tree": [(t, d, str(t.pk) in chosen or not chosen) for t, d in selectors.theme_tree(selectors.themes_of(access.study))],
        "scorecards": list(access.study.scorecards.order_by("-period_end", "-id")),
        "lang": options.language if options else q.get("lang", current_language()),
        "scorecard_id": str(options.scorecard.pk) if options and options.scorecard else q.get("scorecard", ""),
        "quotations": options.quotations if options else q.get("quotations") == "1",
        "filters": options.filters if options else {n: q.get(n, "") for n in selectors.FILTERS},
        "query": q.urlencode(),
        "kinds": ParticipantKind.choices, "sexes": ParticipantSex.choices, "age_groups": ParticipantAgeGroup.choices,
        "ethnicities": ParticipantEthnicity.choices, "agency_kinds": AgencyKind.choices,
    }
    return render(request, "research/report.html", context, status=400 if error else 200)


@login_required
@require_GET
def report_page(request: HttpRequest, study_id: int) -> HttpResponse:
    access = load_study(request, study_id)
    try:
        options = _options(request, access)
    except HavenError as error:
        return _page(request, access, None, error)
    return _page(request, access, options, None)


@login_required
@require_GET
def report_pdf(request: HttpRequest, study_id: int) -> HttpResponse:
    access = load_study(request, study_id)
    try:
        options = _options(request, access)
    except HavenError as error:
        return _page(request, access, None, error)
    response = HttpResponse(report.report_pdf(access, options), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report.file_name(access, options)}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def segment_quote(request: HttpRequest, study_id: int, segment_id: int) -> HttpResponse:
    """The "quote in the report" / "remove from the report" button of a coded segment."""
    access = load_study(request, study_id)
    quoted = request.POST.get("quoted") == "1"
    try:
        segment = report.segment_quote_set(access=access, segment_id=segment_id, quoted=quoted)
    except NotFound:
        raise Http404() from None
    messages.success(request, _("The segment will be quoted in the report.") if quoted
                     else _("The segment was removed from the report."))
    return redirect("research:interview", study_id, segment.interview_id)


urlpatterns: list[URLPattern] = [
    path("<int:study_id>/report/", report_page, name="report"),
    path("<int:study_id>/report.pdf", report_pdf, name="report_pdf"),
    path("<int:study_id>/segments/<int:segment_id>/quote/", segment_quote, name="segment_quote"),
]
