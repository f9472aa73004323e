"""REFI-QDA exchange: a study as a `.qdpx` project, and a `.qdc` codebook into a study's codebook.

The `.qdpx` is a ZIP holding `project.qde` (QDA-XML, namespace urn:QDA-XML:project:1.0): the members as
users, the codebook as codes, the participants in analysis as cases with their attributes as variables, the
interviews as text sources (plain text inline) with their coded selections, and the matrix summaries and
memos as notes, referenced from their codes and linked to their cases. It is validated against the shipped
REFI schema before anything is written; an invalid project is refused, never handed out.
Withdrawn participants are absent, like everywhere else (selectors.in_analysis).
"""

from __future__ import annotations

import io
import uuid
import xml.etree.ElementTree as ET
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import Any

import xmlschema
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.audit.models import AuditAction
from haven.core.errors import HavenError
from haven.research.coding import COLOR, theme_add
from haven.research.models import Theme
from haven.research.selectors import (
    StudyAccess,
    cells_in_analysis,
    in_analysis,
    interviews_in_analysis,
    memos_in_analysis,
    segments_in_analysis,
    theme_tree,
    themes_of,
)
from haven.research.services import _audit

SCHEMAS = Path(__file__).resolve().parent / "schemas"
PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
MAX_QDC_BYTES = 2_000_000
VARIABLES = ("kind", "agency_kind", "sex", "age_group", "ethnicity")


@lru_cache(maxsize=2)
def schema(name: str) -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMAS / name))


def project_schema() -> xmlschema.XMLSchema:
    return schema("Project-mrt2019.xsd")


def codebook_schema() -> xmlschema.XMLSchema:
    return schema("Codebook-mrt2019.xsd")


class InvalidExport(HavenError):
    status_code = 500


def _guid(value: Any) -> str:
    return str(value)


def _stable_guid(study: Any, name: str) -> str:
    return str(uuid.uuid5(study.guid, name))


def _when(value: Any) -> str:
    return value.astimezone(dt_utc()).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def dt_utc() -> Any:
    import datetime as dt

    return dt.UTC


def _sub(parent: ET.Element, tag: str, attrib: dict[str, str] | None = None, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, f"{{{PROJECT_NS}}}{tag}", attrib or {})
    if text is not None:
        element.text = text
    return element


def _code_element(parent: ET.Element, theme: Theme, children: dict[int | None, list[Theme]],
                  notes_by_theme: dict[int, list[str]], ns: str) -> None:
    attrib = {"guid": _guid(theme.guid), "name": theme.name, "isCodable": "true"}
    if theme.color:
        attrib["color"] = theme.color
    element = ET.SubElement(parent, f"{{{ns}}}Code", attrib)
    if theme.description:
        ET.SubElement(element, f"{{{ns}}}Description").text = theme.description
    if ns == PROJECT_NS:
        for note in notes_by_theme.get(theme.pk, []):
            ET.SubElement(element, f"{{{ns}}}NoteRef", {"targetGUID": note})
    for child in children.get(theme.pk, []):
        _code_element(element, child, children, notes_by_theme, ns)


def _children(themes: list[Theme]) -> dict[int | None, list[Theme]]:
    children: dict[int | None, list[Theme]] = {}
    for theme, _depth in theme_tree(themes):
        children.setdefault(theme.parent_id, []).append(theme)
    return children


def project_xml(access: StudyAccess) -> bytes:
    """The study as QDA-XML (project.qde), validated against the REFI project schema."""
    study = access.study
    ET.register_namespace("", PROJECT_NS)
    now = _when(timezone.now())
    members = list(study.members.select_related("user"))
    user_guid = {m.user_id: _stable_guid(study, f"user:{m.user_id}") for m in members}
    fallback_user = user_guid.get(access.user.pk) or _stable_guid(study, f"user:{access.user.pk}")
    root = ET.Element(f"{{{PROJECT_NS}}}Project", {
        "name": study.title, "origin": "Haven", "creatingUserGUID": fallback_user, "creationDateTime": now})
    users = _sub(root, "Users")
    for member in members:
        _sub(users, "User", {"guid": user_guid[member.user_id], "name": member.user.username})
    if access.user.pk not in user_guid:
        _sub(users, "User", {"guid": fallback_user, "name": access.user.username})

    participants = list(in_analysis(study).order_by("kind", "pseudonym"))
    interviews = list(interviews_in_analysis(study))
    segments = list(segments_in_analysis(study).order_by("interview_id", "start", "id"))
    cells = list(cells_in_analysis(study))
    memos = list(memos_in_analysis(study))
    themes = themes_of(study)

    cell_note = {c.pk: _guid(c.guid) for c in cells}
    notes_by_theme: dict[int, list[str]] = {}
    for cell in cells:
        notes_by_theme.setdefault(cell.theme_id, []).append(cell_note[cell.pk])
    for memo in memos:
        if memo.theme_id:
            notes_by_theme.setdefault(memo.theme_id, []).append(_guid(memo.guid))
    notes_by_segment: dict[int, list[str]] = {}
    for cell in cells:
        for segment in cell.segments.all():
            notes_by_segment.setdefault(segment.pk, []).append(cell_note[cell.pk])

    if themes:
        codes = _sub(_sub(root, "CodeBook"), "Codes")
        children = _children(themes)
        for theme in children.get(None, []):
            _code_element(codes, theme, children, notes_by_theme, PROJECT_NS)

    variable_guid = {name: _stable_guid(study, f"variable:{name}") for name in VARIABLES}
    if participants:
        variables = _sub(root, "Variables")
        for name in VARIABLES:
            _sub(variables, "Variable", {"guid": variable_guid[name], "name": name, "typeOfVariable": "Text"})
        cases = _sub(root, "Cases")
        sources_of: dict[int, list[str]] = {}
        for interview in interviews:
            sources_of.setdefault(interview.participant_id, []).append(_guid(interview.guid))
        for participant in participants:
            case = _sub(cases, "Case", {"guid": _guid(participant.guid), "name": participant.pseudonym})
            for name in VARIABLES:
                value = _sub(case, "VariableValue")
                _sub(value, "VariableRef", {"targetGUID": variable_guid[name]})
                _sub(value, "TextValue", text=getattr(participant, name) or "")
            for source in sources_of.get(participant.pk, []):
                _sub(case, "SourceRef", {"targetGUID": source})

    by_interview: dict[int, list[Any]] = {}
    for segment in segments:
        by_interview.setdefault(segment.interview_id, []).append(segment)
    if interviews:
        sources = _sub(root, "Sources")
        for interview in interviews:
            source_el = _sub(sources, "TextSource", {
                "guid": _guid(interview.guid),
                "name": f"{interview.participant.pseudonym} {interview.held_on.isoformat()}",
                "creatingUser": user_guid.get(interview.created_by_id, fallback_user),
                "creationDateTime": _when(interview.created_at)})
            _sub(source_el, "PlainTextContent", text=interview.text)
            for segment in by_interview.get(interview.pk, []):
                creator = user_guid.get(segment.created_by_id, fallback_user)
                selection = _sub(source_el, "PlainTextSelection", {
                    "guid": _guid(segment.guid), "name": segment.theme.name,
                    "startPosition": str(segment.start), "endPosition": str(segment.end),
                    "creatingUser": creator, "creationDateTime": _when(segment.created_at)})
                coding = _sub(selection, "Coding", {"guid": _stable_guid(study, f"coding:{segment.pk}"),
                                                     "creatingUser": creator})
                _sub(coding, "CodeRef", {"targetGUID": _guid(segment.theme.guid)})
                for note in notes_by_segment.get(segment.pk, []):
                    _sub(selection, "NoteRef", {"targetGUID": note})

    if cells or memos:
        notes = _sub(root, "Notes")
        for cell in cells:
            note_el = _sub(notes, "Note", {
                "guid": cell_note[cell.pk], "name": f"{cell.participant.pseudonym} × {cell.theme.name}",
                "creatingUser": user_guid.get(cell.updated_by_id, fallback_user),
                "creationDateTime": _when(cell.updated_at)})
            _sub(note_el, "PlainTextContent", text=cell.summary)
        for memo in memos:
            note_el = _sub(notes, "Note", {
                "guid": _guid(memo.guid), "name": str(_("Memo")),
                "creatingUser": user_guid.get(memo.created_by_id, fallback_user),
                "creationDateTime": _when(memo.created_at)})
            _sub(note_el, "PlainTextContent", text=memo.text)
        links = [(cell_note[c.pk], _guid(c.participant.guid)) for c in cells]
        links += [(_guid(m.guid), _guid(m.participant.guid)) for m in memos if m.participant is not None]
        if links:
            link_root = _sub(root, "Links")
            for origin, target in links:
                _sub(link_root, "Link", {"guid": _stable_guid(study, f"link:{origin}:{target}"),
                                         "direction": "OneWay", "originGUID": origin, "targetGUID": target})
    if study.purpose:
        _sub(root, "Description", text=study.purpose)
    document = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    errors = list(project_schema().iter_errors(document.decode("utf-8")))
    if errors:
        raise InvalidExport(_("The export did not pass the REFI-QDA schema and was not written."), code="invalid_export")
    return document


def qdpx_bytes(access: StudyAccess, *, channel: str = "web") -> bytes:
    """The study as a .qdpx file (a ZIP with project.qde; the texts are inline). Audited as an export."""
    document = project_xml(access)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", document)
    _audit(access.user, AuditAction.EXPORT, "research_study", access.study.pk, {"format": "qdpx"},
           fields=["text", "summary", "memo"], channel=channel)
    return buffer.getvalue()


def codebook_xml(access: StudyAccess) -> bytes:
    """The study's codebook as a REFI-QDA .qdc document."""
    ET.register_namespace("", CODEBOOK_NS)
    root = ET.Element(f"{{{CODEBOOK_NS}}}CodeBook", {"origin": "Haven"})
    codes = ET.SubElement(root, f"{{{CODEBOOK_NS}}}Codes")
    children = _children(themes_of(access.study))
    for theme in children.get(None, []):
        _code_element(codes, theme, children, {}, CODEBOOK_NS)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _bad(message: Any) -> HavenError:
    return HavenError(message, field="file", code="invalid_file")


@transaction.atomic
def codebook_import(*, access: StudyAccess, data: bytes | str, channel: str = "web") -> int:
    """Import a REFI-QDA codebook (.qdc) into the study's codebook, keeping its hierarchy.

    The file is checked against the REFI codebook schema first; a theme already in the codebook (same GUID,
    or same name at the same place) is kept, not duplicated. Any problem: a clear error and nothing changed.
    Returns the number of themes added.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    if not data:
        raise _bad(_("The file is empty."))
    if len(data) > MAX_QDC_BYTES:
        raise _bad(_("The file is too large for a codebook."))
    try:
        text = data.decode("utf-8")
        # Entities and external references are refused: a codebook needs neither.
        resource = xmlschema.XMLResource(text, defuse="always", allow="none")
    except (UnicodeDecodeError, ValueError, ET.ParseError, xmlschema.XMLResourceError, SyntaxError):
        raise _bad(_("The file is not a readable XML document.")) from None
    root = resource.root
    if root.tag != f"{{{CODEBOOK_NS}}}CodeBook":
        raise _bad(_("The file is not a REFI-QDA codebook (.qdc)."))
    if not codebook_schema().is_valid(resource):
        raise _bad(_("The codebook does not follow the REFI-QDA codebook schema."))
    existing = {t.guid: t for t in Theme.objects.filter(study=access.study)}
    added = 0

    def walk(element: Any, parent: Theme | None) -> None:
        nonlocal added
        for code in element.findall(f"{{{CODEBOOK_NS}}}Code"):
            guid = uuid.UUID(code.get("guid").strip("{}"))
            name = code.get("name", "").strip()[:200]
            color = code.get("color", "")
            description = code.findtext(f"{{{CODEBOOK_NS}}}Description", default="").strip()[:2000]
            theme = existing.get(guid) or Theme.objects.filter(study=access.study, parent=parent, name=name).first()
            if theme is None:
                if not name:
                    raise _bad(_("A code in the codebook has no name."))
                theme = theme_add(access=access, name=name, parent_id=parent.pk if parent else None,
                                  description=description, color=color if COLOR.match(color) else "",
                                  guid=guid, channel=channel)
                existing[guid] = theme
                added += 1
            walk(code, theme)

    codes = root.find(f"{{{CODEBOOK_NS}}}Codes")
    try:
        walk(codes, None)
    except HavenError as error:
        if error.code == "invalid_file":
            raise
        raise _bad(_("The codebook could not be imported: %(reason)s") % {"reason": error.message}) from None
    _audit(access.user, AuditAction.CREATE, "research_codebook_import", access.study.pk, {"themes_added": added},
           channel=channel)
    return added
