"""The framework matrix as an XLSX workbook: the matrix, the coded segments and the codebook."""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from haven.audit.models import AuditAction
from haven.research.selectors import StudyAccess, matrix, quote, segments_in_analysis
from haven.research.services import _audit

ATTRIBUTES = ("kind", "agency_kind", "sex", "age_group", "ethnicity")


def _safe(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula is written as text (CSV/XLSX injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def matrix_xlsx(access: StudyAccess, *, filters: dict[str, str] | None = None, channel: str = "web") -> bytes:
    view = matrix(access, filters=filters, channel=channel)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Matrix")[:31]
    header = [_("Pseudonym"), *ATTRIBUTES, *("  " * depth + theme.name for theme, depth in view.themes)]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for participant in view.participants:
        row: list[Any] = [participant.pseudonym, *(getattr(participant, a) for a in ATTRIBUTES)]
        for theme, _depth in view.themes:
            found = view.cells.get((participant.pk, theme.pk))
            row.append(_safe(found.summary) if found else "")
        sheet.append(row)
    for column in sheet.iter_cols(min_col=len(ATTRIBUTES) + 2):
        for cell in column:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    coded = book.create_sheet(_("Segments")[:31])
    coded.append([_("Pseudonym"), _("Interview date"), _("Theme"), _("Start"), _("End"), _("Quotation")])
    for segment in segments_in_analysis(access.study).order_by("interview__participant__pseudonym", "start"):
        coded.append([segment.interview.participant.pseudonym, segment.interview.held_on, segment.theme.name,
                      segment.start, segment.end, _safe(quote(segment))])

    codebook = book.create_sheet(_("Codebook")[:31])
    codebook.append([_("Theme"), _("Parent"), _("Description")])
    names = {theme.pk: theme.name for theme, _d in view.themes}
    for theme, depth in view.themes:
        parent = names.get(theme.parent_id, "") if theme.parent_id else ""
        codebook.append(["  " * depth + theme.name, parent, _safe(theme.description)])

    buffer = io.BytesIO()
    book.save(buffer)
    _audit(access.user, AuditAction.EXPORT, "research_study", access.study.pk, {"format": "xlsx"},
           fields=["summary", "text"], channel=channel)
    return buffer.getvalue()
