"""Pages under /research/: my studies, a study (members, participants, interviews, codebook, memos, codebook
import), an interview with its coding, the framework matrix (filters, one column to compare), a cell, exports.

Every study page opens the study with `_load` (missing and not a member: the same 404). The services decide
who may change what; a refusal goes to the top of the next page and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from haven.accounts.models import AgencyKind
from haven.core.errors import HavenError, NotFound
from haven.core.forms import message_haven_error
from haven.research import coding, refi, selectors, services
from haven.research.exports import matrix_xlsx
from haven.research.models import (
    InterviewKind,
    MemberRole,
    ParticipantAgeGroup,
    ParticipantEthnicity,
    ParticipantKind,
    ParticipantSex,
)


def load_study(request: HttpRequest, study_id: int) -> selectors.StudyAccess:
    try:
        return selectors.access_study(request.user, study_id)
    except NotFound:
        raise Http404() from None


def _act(request: HttpRequest, action: Callable[[], Any], done: str) -> bool:
    try:
        action()
    except NotFound:
        raise Http404() from None
    except HavenError as error:
        message_haven_error(request, error)
        return False
    messages.success(request, done)
    return True


def _int(value: Any) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) < 18 else None


def _choices() -> dict[str, Any]:
    return {"kinds": ParticipantKind.choices, "sexes": ParticipantSex.choices, "age_groups": ParticipantAgeGroup.choices,
            "ethnicities": ParticipantEthnicity.choices, "agency_kinds": AgencyKind.choices,
            "interview_kinds": InterviewKind.choices, "member_roles": MemberRole.choices}


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "research/index.html", {"studies": selectors.studies_of(request.user),
                                                    "may_start": selectors.may_join(request.user)})


@login_required
@require_POST
def study_new(request: HttpRequest) -> HttpResponse:
    created: list[Any] = []
    if not selectors.may_join(request.user):
        raise Http404()
    ok = _act(request, lambda: created.append(services.study_create(
        acting_user=request.user, title=request.POST.get("title", ""), purpose=request.POST.get("purpose", ""),
        period_start=request.POST.get("period_start", ""), period_end=request.POST.get("period_end", ""))),
        _("The study was created."))
    return redirect("research:study", created[0].pk) if ok else redirect("research:index")


@login_required
@require_GET
def study(request: HttpRequest, study_id: int) -> HttpResponse:
    access = load_study(request, study_id)
    analysed = set(selectors.in_analysis(access.study).values_list("pk", flat=True))
    participants = [{"p": p, "in_analysis": p.pk in analysed} for p in selectors.all_participants(access.study)]
    memos = list(selectors.memos_in_analysis(access.study))
    selectors.audit_reads(access, [("research_memo", m.pk, ["text"]) for m in memos], "web")
    return render(request, "research/study.html", {
        "access": access, "study": access.study, "role_label": MemberRole(access.role).label,
        "members": access.study.members.select_related("user", "user__agency"),
        "participants": participants, "analysed": [row["p"] for row in participants if row["in_analysis"]],
        "interviews": selectors.interviews_in_analysis(access.study),
        "tree": selectors.theme_tree(selectors.themes_of(access.study)), "memos": memos, **_choices()})


def _post(request: HttpRequest, study_id: int, action: Callable[[selectors.StudyAccess], Any], done: str,
          anchor: str = "") -> HttpResponse:
    access = load_study(request, study_id)
    _act(request, lambda: action(access), done)
    return redirect(reverse("research:study", args=[study_id]) + anchor)


@login_required
@require_POST
def member_new(request: HttpRequest, study_id: int) -> HttpResponse:
    return _post(request, study_id, lambda a: services.member_add(
        access=a, username=request.POST.get("username", ""), role=request.POST.get("role", "researcher")),
        _("The member was added."), "#members")


@login_required
@require_POST
def member_remove(request: HttpRequest, study_id: int, member_id: int) -> HttpResponse:
    return _post(request, study_id, lambda a: services.member_remove(access=a, member_id=member_id),
                 _("The member was removed."), "#members")


@login_required
@require_POST
def participant_new(request: HttpRequest, study_id: int) -> HttpResponse:
    p = request.POST
    return _post(request, study_id, lambda a: services.participant_add(
        access=a, pseudonym=p.get("pseudonym", ""), kind=p.get("kind", ""), case_code=p.get("case_code", ""),
        agency_kind=p.get("agency_kind", ""), sex=p.get("sex", ""), age_group=p.get("age_group", ""),
        ethnicity=p.get("ethnicity", ""), recordings_refused=p.get("recordings_refused") == "on"),
        _("The participant was added."), "#participants")


@login_required
@require_POST
def participant_consent(request: HttpRequest, study_id: int, participant_id: int) -> HttpResponse:
    return _post(request, study_id, lambda a: services.official_consent_set(
        access=a, participant_id=participant_id, decision=request.POST.get("decision", "")),
        _("The consent was recorded."), "#participants")


@login_required
@require_POST
def interview_new(request: HttpRequest, study_id: int) -> HttpResponse:
    p = request.POST
    return _post(request, study_id, lambda a: services.interview_add(
        access=a, participant_id=_int(p.get("participant")) or 0, held_on=p.get("held_on", ""),
        kind=p.get("kind", ""), text=p.get("text", ""), recorded=p.get("recorded") == "on"),
        _("The interview was saved."), "#interviews")


@login_required
@require_POST
def theme_new(request: HttpRequest, study_id: int) -> HttpResponse:
    p = request.POST
    return _post(request, study_id, lambda a: coding.theme_add(
        access=a, name=p.get("name", ""), parent_id=_int(p.get("parent")), description=p.get("description", ""),
        color=p.get("color", "")), _("The theme was added."), "#codebook")


@login_required
@require_POST
def memo_new(request: HttpRequest, study_id: int) -> HttpResponse:
    p = request.POST
    return _post(request, study_id, lambda a: coding.memo_add(
        access=a, text=p.get("text", ""), theme_id=_int(p.get("theme")), participant_id=_int(p.get("participant"))),
        _("The memo was saved."), "#memos")


@login_required
@require_POST
def codebook_import(request: HttpRequest, study_id: int) -> HttpResponse:
    upload = request.FILES.get("file")

    def run(access: selectors.StudyAccess) -> int:
        if upload is None:
            raise HavenError(_("Choose a .qdc file."), field="file")
        if upload.size and upload.size > refi.MAX_QDC_BYTES:
            raise HavenError(_("The file is too large for a codebook."), field="file")
        return refi.codebook_import(access=access, data=upload.read())

    return _post(request, study_id, run, _("The codebook was imported."), "#codebook")


@login_required
def interview(request: HttpRequest, study_id: int, interview_id: int) -> HttpResponse:
    access = load_study(request, study_id)
    try:
        item = selectors.interview_in_analysis(access, interview_id)
    except NotFound:
        raise Http404() from None
    if request.method == "POST":
        p = request.POST
        start, end = _int(p.get("start")), _int(p.get("end"))
        _act(request, lambda: coding.segment_add(
            access=access, interview_id=item.pk, theme_id=_int(p.get("theme")) or 0,
            start=-1 if start is None else start, end=0 if end is None else end), _("The segment was coded."))
        return redirect("research:interview", study_id, interview_id)
    selectors.audit_reads(access, [("research_interview", item.pk, ["text"])], "web")
    segments = list(item.segments.select_related("theme"))
    return render(request, "research/interview.html", {
        "access": access, "study": access.study, "interview": item,
        "segments": [{"s": s, "quote": item.text[s.start:s.end]} for s in segments],
        "tree": selectors.theme_tree(selectors.themes_of(access.study))})


def _filters(request: HttpRequest) -> dict[str, str]:
    return {name: request.GET.get(name, "") for name in selectors.FILTERS if request.GET.get(name)}


@login_required
@require_GET
def matrix(request: HttpRequest, study_id: int) -> HttpResponse:
    access = load_study(request, study_id)
    theme_id = _int(request.GET.get("theme"))
    try:
        view = selectors.matrix(access, filters=_filters(request), theme_id=theme_id)
    except NotFound:
        raise Http404() from None
    rows = [{"p": p, "cells": [{"theme": t, "cell": view.cells.get((p.pk, t.pk)),
                                "segments": [view.segments[s.pk] for s in view.cells[(p.pk, t.pk)].segments.all()
                                             if s.pk in view.segments] if (p.pk, t.pk) in view.cells else []}
                               for t, _d in view.themes]} for p in view.participants]
    return render(request, "research/matrix.html", {
        "access": access, "study": access.study, "view": view, "rows": rows, "filters": _filters(request),
        "column": view.themes[0][0] if theme_id else None,
        "all_themes": selectors.theme_tree(selectors.themes_of(access.study)), **_choices()})


@login_required
def cell(request: HttpRequest, study_id: int, participant_id: int, theme_id: int) -> HttpResponse:
    access = load_study(request, study_id)
    participant = selectors.in_analysis(access.study).filter(pk=participant_id).first()
    theme = next((t for t, _d in selectors.theme_tree(selectors.themes_of(access.study)) if t.pk == theme_id), None)
    if participant is None or theme is None:
        raise Http404()
    if request.method == "POST":
        ids = [i for i in (_int(v) for v in request.POST.getlist("segments")) if i is not None]
        ok = _act(request, lambda: coding.cell_save(access=access, participant_id=participant.pk, theme_id=theme.pk,
                                                    summary=request.POST.get("summary", ""), segment_ids=ids),
                  _("The summary was saved."))
        if ok:
            return redirect(reverse("research:matrix", args=[study_id]) + f"?theme={theme.pk}")
        return redirect("research:cell", study_id, participant.pk, theme.pk)
    existing = selectors.cells_in_analysis(access.study).filter(participant=participant, theme=theme).first()
    candidates = list(selectors.segments_in_analysis(access.study).filter(
        interview__participant=participant, theme_id__in=coding._subtree_ids(theme)))
    reads = [("research_interview", pk, ["text"]) for pk in sorted({s.interview_id for s in candidates})]
    if existing:
        reads.append(("research_cell", existing.pk, ["summary"]))
    selectors.audit_reads(access, reads, "web")
    linked = {s.pk for s in existing.segments.all()} if existing else set()
    return render(request, "research/cell.html", {
        "access": access, "study": access.study, "participant": participant, "theme": theme, "cell": existing,
        "candidates": [{"s": s, "quote": selectors.quote(s), "linked": s.pk in linked} for s in candidates]})


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def export_xlsx(request: HttpRequest, study_id: int) -> HttpResponse:
    access = load_study(request, study_id)
    return _download(matrix_xlsx(access, filters=_filters(request)),
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", f"study-{study_id}.xlsx")


@login_required
@require_GET
def export_qdpx(request: HttpRequest, study_id: int) -> HttpResponse:
    access = load_study(request, study_id)
    try:
        content = refi.qdpx_bytes(access)
    except HavenError as error:
        message_haven_error(request, error)
        return redirect("research:study", study_id)
    return _download(content, "application/zip", f"study-{study_id}.qdpx")
