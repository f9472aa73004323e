"""The evaluation report: a PDF (Vietnamese or English) with the methods, a rights scorecard, chosen columns of
the framework matrix and the quotations the study's members chose, laid out like the seed study's findings.

Only the study's members may make it (the callers open the study with `selectors.access_study`). Everything
is read through `selectors.*_in_analysis`, so a participant whose consent is withdrawn is absent from every
count, table and quotation. Before anything is printed, each summary, quotation and evaluator's note goes
through the pseudonymisation safeguard (`Pseudonymiser`): the real names of the study's victim participants,
read from their cases' sealed identity (an audited read), become their pseudonyms, and long runs of digits
(identity card or phone numbers) become "[…]". Making the PDF is an audited export that says which themes,
which scorecard and how many quotations, never any text.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import AgencyKind
from haven.audit.models import AuditAction
from haven.audit.services import audit_record_many
from haven.cases import validation as v
from haven.cases.models import PersonIdentity
from haven.core.errors import HavenError, NotFound
from haven.reports.exports import FONT_DIR
from haven.research import scorecard as scorecards
from haven.research import selectors
from haven.research.models import (
    CodedSegment,
    Participant,
    ParticipantAgeGroup,
    ParticipantEthnicity,
    ParticipantKind,
    ParticipantSex,
    Scorecard,
    Theme,
)
from haven.research.scorecard import ScorecardView
from haven.research.selectors import StudyAccess
from haven.research.services import _audit

LANGUAGES = ("vi", "en")
REDACTED = "[…]"
# Nine or more digits, possibly grouped by single spaces, dots or hyphens: identity card numbers (9 or 12
# digits) and phone numbers (10 digits, often written "0912 345 678"). Amounts of money rarely reach nine
# digits in what people say; if one does, hiding it costs less than printing a number that identifies someone.
LONG_NUMBER = re.compile(r"(?<!\d)\d(?:[ .\-]?\d){8,}(?!\d)")
FILTER_CHOICES: dict[str, list[str]] = {
    "kind": list(ParticipantKind.values), "sex": list(ParticipantSex.values),
    "age_group": list(ParticipantAgeGroup.values), "ethnicity": list(ParticipantEthnicity.values),
    "agency_kind": list(AgencyKind.values),
}


# --- Choosing quotations -------------------------------------------------------------------------------------


@transaction.atomic
def segment_quote_set(*, access: StudyAccess, segment_id: int, quoted: bool, channel: str = "web") -> CodedSegment:
    """A member marks a coded segment as quoted in the report, or no longer quoted. Nothing else changes.
    Only segments of participants in analysis can be chosen: a withdrawn person's words are not there to choose."""
    if not isinstance(quoted, bool):
        raise HavenError(_("Enter true or false."), field="quoted")
    segment = selectors.segments_in_analysis(access.study).filter(pk=segment_id).first()
    if segment is None:
        raise NotFound()
    if segment.quoted_in_report != quoted:
        segment.quoted_in_report = quoted
        segment.save(update_fields=["quoted_in_report"])
    _audit(access.user, AuditAction.UPDATE, "research_segment", segment.pk,
           {"study": access.study.pk, "quoted_in_report": quoted}, channel=channel)
    return segment


def quoted_segments(access: StudyAccess) -> QuerySet[CodedSegment]:
    """The segments chosen for the report, of participants in analysis, in reading order (no text read)."""
    return (selectors.segments_in_analysis(access.study).filter(quoted_in_report=True)
            .order_by("theme_id", "interview__participant__pseudonym", "interview__held_on", "start", "id"))


# --- The options of a report ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportOptions:
    language: str
    scorecard: Scorecard | None
    themes: tuple[Theme, ...]  # the matrix columns, in codebook order
    quotations: bool
    filters: dict[str, str]


def _id(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value).strip()
    return int(text) if text.isdigit() and len(text) < 18 else None


def report_options(access: StudyAccess, *, language: Any = "vi", scorecard_id: Any = None,
                   theme_ids: Iterable[Any] = (), quotations: bool = True,
                   filters: dict[str, Any] | None = None) -> ReportOptions:
    """Check what was asked for against this study. No themes chosen means every theme of the codebook."""
    if language not in LANGUAGES:
        raise HavenError(_("Choose Vietnamese or English."), field="lang")
    scorecard = None
    if scorecard_id not in (None, ""):
        pk = _id(scorecard_id)
        scorecard = Scorecard.objects.filter(study=access.study, pk=pk).first() if pk else None
        if scorecard is None:
            raise HavenError(_("Choose a scorecard of this study."), field="scorecard")
    tree = selectors.theme_tree(selectors.themes_of(access.study))
    wanted = [_id(value) for value in theme_ids]
    known = {theme.pk for theme, _depth in tree}
    if any(pk is None or pk not in known for pk in wanted):
        raise HavenError(_("Choose themes of this study's codebook."), field="theme")
    themes = tuple(theme for theme, _depth in tree if not wanted or theme.pk in wanted)
    clean: dict[str, str] = {}
    for name, value in (filters or {}).items():
        if name in FILTER_CHOICES and value not in (None, ""):
            clean[name] = v.choice(value, name, FILTER_CHOICES[name])
    return ReportOptions(language, scorecard, themes, bool(quotations), clean)


def _participants(access: StudyAccess, options: ReportOptions) -> QuerySet[Participant]:
    rows = selectors.in_analysis(access.study)
    for name, value in options.filters.items():
        rows = rows.filter(**{name: value})
    return rows.order_by("kind", "pseudonym")


def _owning_theme(access: StudyAccess, options: ReportOptions) -> dict[int, int]:
    """Each theme → the chosen theme it is quoted under: itself if chosen, else its nearest chosen ancestor."""
    chosen = {theme.pk for theme in options.themes}
    parents = {theme.pk: theme.parent_id for theme in selectors.themes_of(access.study)}
    owner: dict[int, int] = {}
    for pk in parents:
        cursor: int | None = pk
        while cursor is not None and cursor not in chosen:
            cursor = parents.get(cursor)
        if cursor is not None:
            owner[pk] = cursor
    return owner


# --- The preview: counts only, nothing sealed is read --------------------------------------------------------


@dataclass
class Preview:
    participants: int
    officials: int
    victims: int
    interviews: int
    summaries: list[tuple[Theme, int]]
    quotations: int
    scorecard: Scorecard | None


def preview(access: StudyAccess, options: ReportOptions) -> Preview:
    """What the PDF will hold, in numbers, without decrypting anything (so it needs no audit)."""
    people = _participants(access, options)
    kinds = Counter(people.values_list("kind", flat=True))
    ids = list(people.values_list("pk", flat=True))
    cells = Counter(selectors.cells_in_analysis(access.study).filter(participant_id__in=ids)
                    .values_list("theme_id", flat=True))
    owner = _owning_theme(access, options)
    quotes = 0
    if options.quotations:
        quotes = sum(1 for theme_id in quoted_segments(access).filter(interview__participant_id__in=ids)
                     .values_list("theme_id", flat=True) if theme_id in owner)
    return Preview(len(ids), kinds[ParticipantKind.OFFICIAL], kinds[ParticipantKind.VICTIM],
                   selectors.interviews_in_analysis(access.study).filter(participant_id__in=ids).count(),
                   [(theme, cells[theme.pk]) for theme in options.themes], quotes, options.scorecard)


# --- The pseudonymisation safeguard --------------------------------------------------------------------------


def _fold(text: str) -> tuple[str, list[int]]:
    """Text without accents, in lower case, with đ as d, and for each folded character its index in `text`,
    so that a match found in the folded text can be cut out of the original one."""
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if unicodedata.category(c) != "Mn")
        for c in base.replace("đ", "d").replace("Đ", "D").lower():
            out.append(c)
            index.append(i)
    return "".join(out), index


def _name_pattern(name: str) -> re.Pattern[str] | None:
    words = _fold(unicodedata.normalize("NFC", name))[0].split()
    if not words:
        return None
    return re.compile(r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)")


class Pseudonymiser:
    """Replaces real names by pseudonyms (accent- and case-insensitive, whole words) and hides long numbers."""

    def __init__(self, names: list[tuple[str, str]]) -> None:
        # Longest names first: the full name must go before the given name that is part of it.
        patterns = [(_name_pattern(name), replacement) for name, replacement in names]
        self.patterns = sorted(((p, r) for p, r in patterns if p is not None), key=lambda pr: -len(pr[0].pattern))

    def clean(self, text: str) -> str:
        text = unicodedata.normalize("NFC", text)
        for pattern, replacement in self.patterns:
            text = self._replace(text, pattern, replacement)
        return LONG_NUMBER.sub(REDACTED, text)

    @staticmethod
    def _replace(text: str, pattern: re.Pattern[str], replacement: str) -> str:
        folded, index = _fold(text)
        spans = [(index[m.start()], index[m.end() - 1] + 1) for m in pattern.finditer(folded)]
        for start, end in reversed(spans):
            text = text[:start] + replacement + text[end:]
        return text


def _given_name(full_name: str) -> str:
    """The given name is the last word of a Vietnamese name (Đặng Thị Ngọc → Ngọc)."""
    words = full_name.split()
    return words[-1] if len(words) > 1 else ""


def pseudonymiser(access: StudyAccess, *, channel: str) -> Pseudonymiser:
    """The safeguard for this study: every victim participant's full and given name (from the case's sealed
    identity; each read audited), replaced by their pseudonym. Withdrawn victims are included, their names
    becoming "[…]": an official may name them, and their pseudonym must not appear either."""
    analysed = set(selectors.in_analysis(access.study).values_list("pk", flat=True))
    victims = list(selectors.all_participants(access.study).filter(kind=ParticipantKind.VICTIM)
                   .select_related("case"))
    persons = {p.case.person_id: p for p in victims if p.case is not None}
    identities = PersonIdentity.objects.filter(person_id__in=persons).only("person_id", "full_name")
    names: list[tuple[str, str]] = []
    events: list[dict[str, Any]] = []
    for identity in identities:
        participant = persons[identity.person_id]
        replacement = participant.pseudonym if participant.pk in analysed else REDACTED
        names += [(identity.full_name, replacement), (_given_name(identity.full_name), replacement)]
        events.append({"actor": access.user, "action": AuditAction.VIEW_IDENTITY, "object_type": "person",
                       "object_id": identity.person_id, "case_id": participant.case_id, "fields": ["full_name"],
                       "reason": "evaluation_report_pseudonymisation",
                       "changes": {"study": access.study.pk}, "channel": channel})
    audit_record_many(events)
    return Pseudonymiser([(name, replacement) for name, replacement in names if name.strip()])


# --- The content of the PDF ----------------------------------------------------------------------------------


def describe(participant: Participant) -> str:
    """How the seed study attributes what people said: by role, agency kind, sex and age, never by name."""
    if participant.kind == ParticipantKind.OFFICIAL:
        role = gettext("official")
        if participant.agency_kind in AgencyKind.values:
            role = gettext("official, %(agency)s") % {"agency": AgencyKind(participant.agency_kind).label}
    else:
        role = gettext("victim")
    parts = [role]
    if participant.sex != ParticipantSex.UNKNOWN:
        parts.append(str(participant.get_sex_display()).lower())
    if participant.age_group != ParticipantAgeGroup.UNKNOWN:
        parts.append(gettext("aged %(group)s") % {"group": str(participant.get_age_group_display()).lower()})
    return ", ".join(parts)


def attribution(participant: Participant) -> str:
    """The line under a quotation: the pseudonym, then the description."""
    return f"{participant.pseudonym}, {describe(participant)}"


@dataclass
class Quotation:
    text: str
    attribution: str
    held_on: dt.date


@dataclass
class ThemeSection:
    theme: Theme
    rows: list[tuple[Participant, str, str]]  # participant, description, summary (pseudonymised)
    quotations: list[Quotation] = field(default_factory=list)


@dataclass
class ReportContent:
    options: ReportOptions
    participants: int
    interviews: int
    profile: list[tuple[str, list[tuple[str, int]]]]  # ("Sex", [("Female", 3), ...]) ...
    sections: list[ThemeSection]
    scorecard: ScorecardView | None
    made_on: dt.date = field(default_factory=timezone.localdate)

    @property
    def quotation_count(self) -> int:
        return sum(len(s.quotations) for s in self.sections)

    @property
    def summary_count(self) -> int:
        return sum(len(s.rows) for s in self.sections)


def _profile(people: list[Participant]) -> list[tuple[str, list[tuple[str, int]]]]:
    """Participants counted by role, agency kind, sex, age group and ethnicity (labels in the active language)."""
    def count(group: list[Participant], attribute: str, choices: list[tuple[str, Any]]) -> list[tuple[str, int]]:
        counts = Counter(getattr(p, attribute) for p in group)
        rows = [(str(label), counts[value]) for value, label in choices if counts[value]]
        missing = sum(n for value, n in counts.items() if value not in dict(choices))
        return rows + ([(gettext("Not stated"), missing)] if missing else [])

    officials = [p for p in people if p.kind == ParticipantKind.OFFICIAL]
    return [
        (gettext("Role in the study"), count(people, "kind", ParticipantKind.choices)),
        (gettext("Officials by agency kind"), count(officials, "agency_kind", AgencyKind.choices)),
        (gettext("Sex"), count(people, "sex", ParticipantSex.choices)),
        (gettext("Age group"), count(people, "age_group", ParticipantAgeGroup.choices)),
        (gettext("Ethnicity"), count(people, "ethnicity", ParticipantEthnicity.choices)),
    ]


def _scorecard(access: StudyAccess, options: ReportOptions, safe: Pseudonymiser, channel: str) -> Any:
    """The chosen scorecard, computed now (its notes are audited reads), with the notes pseudonymised too."""
    if options.scorecard is None:
        return None
    view = scorecards.build(options.scorecard, access.user, channel=channel)
    for value in view.values():
        if value.note:
            value.note = safe.clean(value.note)
    return view


def report_content(access: StudyAccess, options: ReportOptions, *, channel: str = "web") -> ReportContent:
    """Read, audit and pseudonymise everything the PDF prints. Call it inside the chosen language."""
    people = list(_participants(access, options))
    ids = {p.pk for p in people}
    by_id = {p.pk: p for p in people}
    safe = pseudonymiser(access, channel=channel)
    chosen = {theme.pk for theme in options.themes}
    cells = [c for c in selectors.cells_in_analysis(access.study).filter(participant_id__in=ids, theme_id__in=chosen)
             .order_by("participant__kind", "participant__pseudonym")]
    sections = {theme.pk: ThemeSection(theme, []) for theme in options.themes}
    for cell in cells:
        participant = by_id[cell.participant_id]
        sections[cell.theme_id].rows.append((participant, describe(participant), safe.clean(cell.summary)))
    interview_reads: set[int] = set()
    if options.quotations:
        owner = _owning_theme(access, options)
        for segment in quoted_segments(access).filter(interview__participant_id__in=ids):
            if segment.theme_id not in owner:
                continue
            participant = by_id[segment.interview.participant_id]
            sections[owner[segment.theme_id]].quotations.append(Quotation(
                safe.clean(selectors.quote(segment).strip()), attribution(participant), segment.interview.held_on))
            interview_reads.add(segment.interview_id)
    selectors.audit_reads(access, [("research_cell", c.pk, ["summary"]) for c in cells]
                          + [("research_interview", pk, ["text"]) for pk in sorted(interview_reads)], channel)
    view = _scorecard(access, options, safe, channel)
    interviews = selectors.interviews_in_analysis(access.study).filter(participant_id__in=ids).count()
    return ReportContent(options, len(people), interviews, _profile(people),
                         [sections[theme.pk] for theme in options.themes], view)


def _filter_labels(options: ReportOptions) -> list[str]:
    labels = {"kind": dict(ParticipantKind.choices), "sex": dict(ParticipantSex.choices),
              "age_group": dict(ParticipantAgeGroup.choices), "ethnicity": dict(ParticipantEthnicity.choices),
              "agency_kind": dict(AgencyKind.choices)}
    return [str(labels[name].get(value, value)) for name, value in options.filters.items()]


def report_html(access: StudyAccess, options: ReportOptions, *, channel: str = "web") -> tuple[str, ReportContent]:
    with translation.override(options.language):
        content = report_content(access, options, channel=channel)
        html = render_to_string("research/report_pdf.html", {
            "lang": options.language, "font_dir": FONT_DIR.as_uri(), "study": access.study,
            "lead_agency": access.study.lead_agency.display_name(options.language), "content": content,
            "filters": _filter_labels(options), "for_pdf": True,
        })
    return html, content


def report_pdf(access: StudyAccess, options: ReportOptions, *, channel: str = "web") -> bytes:
    """The PDF, and its audit event: an export of the study saying what went in, never any text."""
    from weasyprint import HTML

    html, content = report_html(access, options, channel=channel)
    pdf = bytes(HTML(string=html, base_url=str(FONT_DIR)).write_pdf())
    audit_record_many([{
        "actor": access.user, "action": AuditAction.EXPORT, "object_type": "evaluation_report",
        "object_id": access.study.pk, "fields": ["summary", "text"], "channel": channel, "reason": options.language,
        "changes": {"study": access.study.pk, "themes": [t.pk for t in options.themes],
                    "scorecard": options.scorecard.pk if options.scorecard else None,
                    "quotations": content.quotation_count, "summaries": content.summary_count,
                    "participants": content.participants, "filters": options.filters},
    }])
    return pdf


def file_name(access: StudyAccess, options: ReportOptions) -> str:
    """The study's number names the file, never its title or anyone's name."""
    return f"evaluation-report-{access.study.pk}-{options.language}.pdf"
