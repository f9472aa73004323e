"""Reading research data. Only the study's members see anything of it; missing and forbidden look the same.

`in_analysis` is the one place that decides whose material may be analysed: an official whose own consent
recorded in the study is "given", or a victim whose current research consent on the case record is "given".
Pages, the API, the exports and the commands all read participants, interviews, segments, memos and cells
through it, so a withdrawal takes effect everywhere at once. The withdrawn person's material stays sealed
at rest (a renewed consent brings it back); it is never shown, counted or exported while withdrawn.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery

from haven.accounts.models import Role
from haven.audit.models import AuditAction
from haven.audit.services import audit_record_many
from haven.consent.models import ConsentRecord, Decision, Purpose
from haven.core.errors import NotFound
from haven.research.models import (
    CodedSegment,
    Interview,
    MatrixCell,
    MemberRole,
    Memo,
    Participant,
    Study,
    StudyMember,
    Theme,
)

# Who may be a member of a study: the roles that may read personal data. Auditors read the audit trail,
# not the research; statisticians see aggregates only; administrators run the system.
MEMBER_ROLES = frozenset({Role.CASEWORKER, Role.SUPERVISOR})


@dataclass(frozen=True)
class StudyAccess:
    study: Study
    user: Any
    role: str

    @property
    def is_lead(self) -> bool:
        return self.role == MemberRole.LEAD


def may_join(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.role in MEMBER_ROLES)


def studies_of(user: Any) -> QuerySet[Study]:
    """The studies this user is a member of (nobody else sees that a study exists)."""
    if not may_join(user):
        return Study.objects.none()
    return Study.objects.filter(members__user_id=user.pk).select_related("lead_agency").distinct()


def access_study(user: Any, study_id: int) -> StudyAccess:
    if not may_join(user):
        raise NotFound()
    member = (StudyMember.objects.select_related("study", "study__lead_agency")
              .filter(study_id=study_id, user_id=user.pk).first())
    if member is None:
        raise NotFound()
    return StudyAccess(member.study, user, member.role)


def _research_decision() -> Subquery:
    return Subquery(
        ConsentRecord.objects.filter(person_id=OuterRef("case__person_id"), purpose=Purpose.RESEARCH)
        .order_by("-recorded_at", "-id").values("decision")[:1]
    )


CONSENTED = Q(kind="official", official_consent="given") | Q(kind="victim", research_decision=Decision.GIVEN)


def all_participants(study: Study) -> QuerySet[Participant]:
    """Every participant with their consent in force (for the study page, which shows who is withdrawn)."""
    return Participant.objects.filter(study=study).annotate(research_decision=_research_decision())


def in_analysis(study: Study) -> QuerySet[Participant]:
    """Participants whose material may be analysed now."""
    return all_participants(study).filter(CONSENTED)


def interviews_in_analysis(study: Study) -> QuerySet[Interview]:
    return (Interview.objects.filter(participant__in=in_analysis(study).values("pk"))
            .select_related("participant").order_by("participant__pseudonym", "held_on", "id"))


def segments_in_analysis(study: Study) -> QuerySet[CodedSegment]:
    return (CodedSegment.objects.filter(interview__in=interviews_in_analysis(study).values("pk"))
            .select_related("interview", "interview__participant", "theme"))


def cells_in_analysis(study: Study) -> QuerySet[MatrixCell]:
    return (MatrixCell.objects.filter(study=study, participant__in=in_analysis(study).values("pk"))
            .select_related("participant", "theme").prefetch_related("segments"))


def memos_in_analysis(study: Study) -> QuerySet[Memo]:
    """Memos about nobody in particular, or about a participant still in analysis."""
    return (Memo.objects.filter(study=study)
            .filter(Q(participant__isnull=True) | Q(participant__in=in_analysis(study).values("pk")))
            .select_related("theme", "participant", "created_by"))


def themes_of(study: Study) -> list[Theme]:
    return list(Theme.objects.filter(study=study).order_by("id"))


def theme_tree(themes: Iterable[Theme]) -> list[tuple[Theme, int]]:
    """Themes in depth-first order with their depth, for the codebook tree and the matrix columns."""
    themes = list(themes)
    children: dict[int | None, list[Theme]] = {}
    for theme in themes:
        children.setdefault(theme.parent_id, []).append(theme)
    out: list[tuple[Theme, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for theme in sorted(children.get(parent, []), key=lambda t: t.pk):
            out.append((theme, depth))
            walk(theme.pk, depth + 1)

    walk(None, 0)
    return out


def interview_in_analysis(access: StudyAccess, interview_id: int) -> Interview:
    interview = interviews_in_analysis(access.study).filter(pk=interview_id).first()
    if interview is None:
        raise NotFound()
    return interview


def audit_reads(access: StudyAccess, reads: list[tuple[str, Any, list[str]]], channel: str) -> None:
    """Every display of sealed research text is a read in the audit trail: which record, which fields, never the text."""
    audit_record_many([
        {"actor": access.user, "action": AuditAction.VIEW_IDENTITY, "object_type": object_type, "object_id": pk,
         "fields": fields, "changes": {"study": access.study.pk}, "channel": channel}
        for object_type, pk, fields in reads
    ])


@dataclass
class MatrixView:
    participants: list[Participant]
    themes: list[tuple[Theme, int]]
    cells: dict[tuple[int, int], MatrixCell]
    segments: dict[int, CodedSegment]


FILTERS = ("kind", "sex", "age_group", "ethnicity", "agency_kind")


def matrix(access: StudyAccess, *, filters: dict[str, str] | None = None, theme_id: int | None = None,
           channel: str = "web") -> MatrixView:
    """The framework matrix: participants in analysis (filtered by attribute) × themes, with the cells'
    summaries and the segments they link to. A fixed number of queries; each summary shown is audited."""
    rows = in_analysis(access.study)
    for name, value in (filters or {}).items():
        if name in FILTERS and value:
            rows = rows.filter(**{name: value})
    participants = list(rows.order_by("kind", "pseudonym"))
    tree = theme_tree(themes_of(access.study))
    if theme_id is not None:
        tree = [(t, d) for t, d in tree if t.pk == theme_id]
        if not tree:
            raise NotFound()
    ids = {p.pk for p in participants}
    theme_ids = {t.pk for t, _d in tree}
    cells = {(c.participant_id, c.theme_id): c for c in cells_in_analysis(access.study)
             if c.participant_id in ids and c.theme_id in theme_ids}
    segment_ids = {s.pk for c in cells.values() for s in c.segments.all()}
    segments = {s.pk: s for s in segments_in_analysis(access.study).filter(pk__in=segment_ids)}
    audit_reads(access, [("research_cell", c.pk, ["summary"]) for c in cells.values()]
                + [("research_interview", pk, ["text"]) for pk in sorted({s.interview_id for s in segments.values()})],
                channel)
    return MatrixView(participants, tree, cells, segments)


def quote(segment: CodedSegment) -> str:
    return segment.interview.text[segment.start:segment.end]


def eligible_users() -> Any:
    from haven.accounts.models import User

    return User.objects.filter(is_active=True, role__in=MEMBER_ROLES).select_related("agency").order_by("username")
