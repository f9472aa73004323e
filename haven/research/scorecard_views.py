"""Pages of the rights scorecard (mounted under /research/<study>/ by haven/research/urls.py).

URL names (namespace "research"): scorecards (list + create), scorecard (the table with rating forms),
scorecard_rate (POST a rating), scorecard_xlsx (download). A non-member gets the same 404 as for a missing study.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haven.core.errors import HavenError, NotFound
from haven.core.forms import message_haven_error
from haven.research import scorecard as sc
from haven.research import selectors
from haven.research.models import Rating

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _load(request: HttpRequest, study_id: int, scorecard_id: int | None = None) -> tuple[Any, Any]:
    try:
        access = selectors.access_study(request.user, study_id)
        return access, (sc.scorecard_of(access, scorecard_id) if scorecard_id is not None else None)
    except NotFound:
        raise Http404() from None


@login_required
@require_http_methods(["GET", "POST"])
def scorecards(request: HttpRequest, study_id: int) -> HttpResponse:
    access, _none = _load(request, study_id)
    if request.method == "POST":
        p = request.POST
        try:
            card = sc.scorecard_create(access=access, title=p.get("title", ""), period_start=p.get("period_start", ""),
                                       period_end=p.get("period_end", ""), province=p.get("province", ""))
        except HavenError as error:
            message_haven_error(request, error)
            return redirect("research:scorecards", study_id)
        messages.success(request, _("The scorecard was created."))
        return redirect("research:scorecard", study_id, card.pk)
    return render(request, "research/scorecards.html", {
        "access": access, "study": access.study, "scorecards": sc.scorecards_of(access), "provinces": sc.provinces()})


@login_required
@require_GET
def scorecard(request: HttpRequest, study_id: int, scorecard_id: int) -> HttpResponse:
    access, card = _load(request, study_id, scorecard_id)
    view = sc.build(card, request.user, channel="web")
    return render(request, "research/scorecard.html", {
        "access": access, "study": access.study, "view": view, "rating_choices": Rating.choices, "for_pdf": False})


@login_required
@require_POST
def scorecard_rate(request: HttpRequest, study_id: int, scorecard_id: int) -> HttpResponse:
    access, card = _load(request, study_id, scorecard_id)
    code = request.POST.get("indicator", "")
    try:
        sc.rating_set(access=access, scorecard=card, indicator=code, rating=request.POST.get("rating", ""),
                      note=request.POST.get("note", ""))
    except HavenError as error:
        message_haven_error(request, error)
    else:
        messages.success(request, _("The rating was saved."))
    anchor = f"#i-{code.replace('.', '')}" if code in sc.BY_CODE else ""
    return redirect(reverse("research:scorecard", args=[study_id, scorecard_id]) + anchor)


@login_required
@require_GET
def scorecard_xlsx(request: HttpRequest, study_id: int, scorecard_id: int) -> HttpResponse:
    access, card = _load(request, study_id, scorecard_id)
    content = sc.scorecard_xlsx(sc.build(card, request.user, channel="web"), access, channel="web")
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="scorecard-{card.pk}.xlsx"'
    response["Cache-Control"] = "no-store"
    return response


urlpatterns: list[URLPattern] = [
    path("<int:study_id>/scorecards/", scorecards, name="scorecards"),
    path("<int:study_id>/scorecards/<int:scorecard_id>/", scorecard, name="scorecard"),
    path("<int:study_id>/scorecards/<int:scorecard_id>/ratings/", scorecard_rate, name="scorecard_rate"),
    path("<int:study_id>/scorecards/<int:scorecard_id>/scorecard.xlsx", scorecard_xlsx, name="scorecard_xlsx"),
]
