"""Coding: the codebook of themes, coded segments, memos and the cells of the framework matrix."""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from haven.audit.models import AuditAction
from haven.cases import validation as v
from haven.core.errors import HavenError, NotFound
from haven.research.models import CodedSegment, MatrixCell, Memo, Theme
from haven.research.selectors import (
    StudyAccess,
    in_analysis,
    interview_in_analysis,
    segments_in_analysis,
)
from haven.research.services import _audit

COLOR = re.compile(r"^#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$")
MAX_DEPTH = 6


def _theme(access: StudyAccess, theme_id: Any, field: str = "theme_id") -> Theme:
    theme = Theme.objects.filter(study=access.study, pk=theme_id).first() if isinstance(theme_id, int) else None
    if theme is None:
        raise HavenError(_("Choose a theme of this study's codebook."), field=field)
    return theme


def _depth(theme: Theme | None) -> int:
    depth = 0
    while theme is not None:
        depth, theme = depth + 1, theme.parent
    return depth


@transaction.atomic
def theme_add(*, access: StudyAccess, name: str, parent_id: int | None = None, description: str = "",
              color: str = "", guid: Any = None, channel: str = "web") -> Theme:
    """Add a theme to the codebook, at the top or under a parent."""
    name = v.text(name, "name", required=True, max_length=200)
    description = v.text(description, "description", max_length=2000)
    color = v.text(color, "color", max_length=7)
    if color and not COLOR.match(color):
        raise HavenError(_("Enter a colour such as #1f77b4."), field="color")
    parent = _theme(access, parent_id, "parent_id") if parent_id is not None else None
    if _depth(parent) >= MAX_DEPTH:
        raise HavenError(_("Themes nest at most %(n)d levels deep.") % {"n": MAX_DEPTH}, field="parent_id")
    siblings = Theme.objects.filter(study=access.study, parent=parent, name=name)
    if siblings.exists():
        raise HavenError(_("A theme with this name is already at this place in the codebook."), field="name")
    theme = Theme(study=access.study, parent=parent, name=name, description=description, color=color)
    if guid is not None:
        theme.guid = guid
    theme.save()
    _audit(access.user, AuditAction.CREATE, "research_theme", theme.pk,
           {"study": access.study.pk, "parent": parent.pk if parent else None}, channel=channel)
    return theme


@transaction.atomic
def segment_add(*, access: StudyAccess, interview_id: int, theme_id: int, start: int, end: int,
                channel: str = "web") -> CodedSegment:
    """Code the text between two character offsets of an interview with a theme."""
    interview = interview_in_analysis(access, interview_id)
    theme = _theme(access, theme_id)
    for name, value in (("start", start), ("end", end)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise HavenError(_("Enter a whole number."), field=name)
    if end <= start or end > len(interview.text):
        raise HavenError(_("Select some text of the interview to code."), field="end")
    if not interview.text[start:end].strip():
        raise HavenError(_("Select some text of the interview to code."), field="end")
    segment = CodedSegment.objects.create(interview=interview, theme=theme, start=start, end=end,
                                          created_by=access.user)
    _audit(access.user, AuditAction.CREATE, "research_segment", segment.pk,
           {"study": access.study.pk, "interview": interview.pk, "theme": theme.pk}, channel=channel)
    return segment


@transaction.atomic
def segment_remove(*, access: StudyAccess, segment_id: int, channel: str = "web") -> None:
    segment = segments_in_analysis(access.study).filter(pk=segment_id).first()
    if segment is None:
        raise NotFound()
    _audit(access.user, AuditAction.UPDATE, "research_segment", segment.pk,
           {"study": access.study.pk, "removed": True}, channel=channel)
    segment.delete()


@transaction.atomic
def memo_add(*, access: StudyAccess, text: str, theme_id: int | None = None, participant_id: int | None = None,
             channel: str = "web") -> Memo:
    """A sealed analytic memo, optionally about a theme and/or a participant."""
    text = v.text(text, "text", required=True, max_length=20_000)
    theme = _theme(access, theme_id) if theme_id is not None else None
    participant = None
    if participant_id is not None:
        participant = in_analysis(access.study).filter(pk=participant_id).first()
        if participant is None:
            raise HavenError(_("Choose a participant who has consented."), field="participant_id")
    memo = Memo.objects.create(study=access.study, text=text, theme=theme, participant=participant,
                               created_by=access.user)
    _audit(access.user, AuditAction.CREATE, "research_memo", memo.pk, {"study": access.study.pk},
           fields=["text"], channel=channel)
    return memo


@transaction.atomic
def cell_save(*, access: StudyAccess, participant_id: int, theme_id: int, summary: str,
              segment_ids: list[int] | None = None, channel: str = "web") -> MatrixCell:
    """Write the summary of a matrix cell and link the coded segments it summarises. The segments must be
    this participant's, coded with this theme (or one of its sub-themes)."""
    participant = in_analysis(access.study).filter(pk=participant_id).first()
    if participant is None:
        raise HavenError(_("Choose a participant who has consented."), field="participant_id")
    theme = _theme(access, theme_id)
    summary = v.text(summary, "summary", required=True, max_length=10_000)
    wanted = set(segment_ids or [])
    if not all(isinstance(i, int) and not isinstance(i, bool) for i in wanted):
        raise HavenError(_("Choose from the listed options."), field="segment_ids")
    allowed_themes = _subtree_ids(theme)
    segments = list(segments_in_analysis(access.study).filter(
        pk__in=wanted, interview__participant=participant, theme_id__in=allowed_themes))
    if len(segments) != len(wanted):
        raise HavenError(_("Link only this participant's segments coded with this theme."), field="segment_ids")
    cell = MatrixCell.objects.filter(participant=participant, theme=theme).first()
    created = cell is None
    if cell is None:
        cell = MatrixCell(study=access.study, participant=participant, theme=theme)
    cell.summary, cell.updated_by = summary, access.user
    cell.save()
    cell.segments.set(segments)
    _audit(access.user, AuditAction.CREATE if created else AuditAction.UPDATE, "research_cell", cell.pk,
           {"study": access.study.pk, "participant": participant.pk, "theme": theme.pk,
            "segments": sorted(s.pk for s in segments)}, fields=["summary"], channel=channel)
    return cell


def _subtree_ids(theme: Theme) -> set[int]:
    ids, frontier = {theme.pk}, [theme.pk]
    while frontier:
        frontier = list(Theme.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids.update(frontier)
    return ids
