"""Writes on studies, members, participants and interviews: keyword-only, atomic, validated, audited.

Coding, memos and the matrix are in `haven.research.coding`; the REFI-QDA exchange in `haven.research.refi`.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import AgencyKind, User
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases import validation as v
from haven.cases.selectors import access_case
from haven.consent.models import Purpose
from haven.consent.selectors import consent_given
from haven.core.errors import HavenError, NotFound, PermissionDenied
from haven.research.models import (
    Interview,
    InterviewKind,
    MemberRole,
    OfficialConsent,
    Participant,
    ParticipantAgeGroup,
    ParticipantEthnicity,
    ParticipantKind,
    ParticipantSex,
    Study,
    StudyMember,
)
from haven.research.selectors import StudyAccess, in_analysis, may_join

MAX_TEXT = 200_000  # characters of one transcript


def _audit(user: Any, action: str, object_type: str, pk: Any, changes: dict[str, Any] | None = None,
           fields: list[str] | None = None, channel: str = "web") -> None:
    audit_record(actor=user, action=action, object_type=object_type, object_id=pk, changes=changes or {},
                 fields=fields or [], channel=channel)


def _lead(access: StudyAccess) -> None:
    if not access.is_lead:
        raise PermissionDenied(_("Only the study lead may do this."))


@transaction.atomic
def study_create(*, acting_user: Any, title: str, purpose: str = "", period_start: Any, period_end: Any,
                 channel: str = "web") -> Study:
    """A new study led by the acting user's agency; the acting user becomes its lead."""
    if not may_join(acting_user) or not acting_user.agency_id:
        raise PermissionDenied(_("Only caseworkers and supervisors of an agency may run a study."))
    title = v.text(title, "title", required=True, max_length=200)
    purpose = v.text(purpose, "purpose", max_length=2000)
    start = v.required_date(period_start, "period_start", not_future=False)
    end = v.required_date(period_end, "period_end", not_future=False)
    if end < start:
        raise HavenError(_("The period ends before it starts."), field="period_end")
    study = Study.objects.create(title=title, purpose=purpose, period_start=start, period_end=end,
                                 lead_agency_id=acting_user.agency_id, created_by=acting_user)
    StudyMember.objects.create(study=study, user=acting_user, role=MemberRole.LEAD, added_by=acting_user)
    _audit(acting_user, AuditAction.CREATE, "research_study", study.pk,
           {"period_start": start.isoformat(), "period_end": end.isoformat()}, channel=channel)
    return study


@transaction.atomic
def member_add(*, access: StudyAccess, username: str, role: str = MemberRole.RESEARCHER,
               channel: str = "web") -> StudyMember:
    """The lead adds a member. Only caseworkers and supervisors may join (see MEMBER_ROLES)."""
    _lead(access)
    role = v.choice(role, "role", MemberRole.values)
    username = v.text(username, "username", required=True, max_length=150)
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None or not may_join(user):
        raise HavenError(_("No active caseworker or supervisor has this username."), field="username")
    if StudyMember.objects.filter(study=access.study, user=user).exists():
        raise HavenError(_("This user is already a member of the study."), field="username")
    member = StudyMember.objects.create(study=access.study, user=user, role=role, added_by=access.user)
    _audit(access.user, AuditAction.CREATE, "research_member", member.pk,
           {"study": access.study.pk, "user": user.pk, "role": role}, channel=channel)
    return member


@transaction.atomic
def member_remove(*, access: StudyAccess, member_id: int, channel: str = "web") -> None:
    """The lead removes a member. The last lead cannot be removed."""
    _lead(access)
    member = StudyMember.objects.filter(study=access.study, pk=member_id).first()
    if member is None:
        raise NotFound()
    leads = StudyMember.objects.filter(study=access.study, role=MemberRole.LEAD)
    if member.role == MemberRole.LEAD and leads.count() == 1:
        raise HavenError(_("A study keeps at least one lead."), field="member")
    _audit(access.user, AuditAction.UPDATE, "research_member", member.pk,
           {"study": access.study.pk, "user": member.user_id, "removed": True}, channel=channel)
    member.delete()


@transaction.atomic
def participant_add(*, access: StudyAccess, pseudonym: str, kind: str, case_code: str = "",
                    agency_kind: str = "", sex: str = ParticipantSex.UNKNOWN, age_group: str = ParticipantAgeGroup.UNKNOWN,
                    ethnicity: str = ParticipantEthnicity.UNKNOWN, recordings_refused: bool = False,
                    consent_on: Any = None, channel: str = "web") -> Participant:
    """Add a participant by pseudonym.

    A victim is linked to their case, which the acting member must be able to open, and whose current
    research consent must be "given". An official's own consent to take part is recorded here (given today,
    or on `consent_on`). Names are never entered: the pseudonym is all the study knows.
    """
    pseudonym = v.text(pseudonym, "pseudonym", required=True, max_length=60)
    kind = v.choice(kind, "kind", ParticipantKind.values)
    agency_kind = v.choice(agency_kind, "agency_kind", AgencyKind.values, required=False)
    sex = v.choice(sex or ParticipantSex.UNKNOWN, "sex", ParticipantSex.values)
    age_group = v.choice(age_group or ParticipantAgeGroup.UNKNOWN, "age_group", ParticipantAgeGroup.values)
    ethnicity = v.choice(ethnicity or ParticipantEthnicity.UNKNOWN, "ethnicity", ParticipantEthnicity.values)
    if not isinstance(recordings_refused, bool):
        raise HavenError(_("Enter true or false."), field="recordings_refused")
    if Participant.objects.filter(study=access.study, pseudonym=pseudonym).exists():
        raise HavenError(_("Another participant of this study has this pseudonym."), field="pseudonym")
    values: dict[str, Any] = {}
    if kind == ParticipantKind.VICTIM:
        case_code = v.text(case_code, "case_code", required=True, max_length=32)
        try:
            case = access_case(access.user, code=case_code).case
        except NotFound:
            raise HavenError(_("No case with this code that you may open."), field="case_code") from None
        if not consent_given(case.person_id, Purpose.RESEARCH):
            raise HavenError(_("The person has not given consent to research interviews."), field="case_code")
        if Participant.objects.filter(study=access.study, case=case).exists():
            raise HavenError(_("This person already takes part in the study."), field="case_code")
        values["case"] = case
    else:
        if case_code:
            raise HavenError(_("Only a victim participant links to a case."), field="case_code")
        values["official_consent"] = OfficialConsent.GIVEN
        values["official_consent_on"] = v.date(consent_on, "consent_on") or timezone.localdate()
    try:
        with transaction.atomic():
            participant = Participant.objects.create(
                study=access.study, pseudonym=pseudonym, kind=kind, agency_kind=agency_kind, sex=sex,
                age_group=age_group, ethnicity=ethnicity, recordings_refused=recordings_refused,
                created_by=access.user, **values)
    except IntegrityError:
        raise HavenError(_("Another participant of this study has this pseudonym."), field="pseudonym") from None
    _audit(access.user, AuditAction.CREATE, "research_participant", participant.pk,
           {"study": access.study.pk, "kind": kind, "recordings_refused": recordings_refused}, channel=channel)
    return participant


@transaction.atomic
def official_consent_set(*, access: StudyAccess, participant_id: int, decision: str, on: Any = None,
                         channel: str = "web") -> Participant:
    """An official withdraws (or renews) their consent. Victims withdraw through their case's consent record."""
    participant = Participant.objects.filter(study=access.study, pk=participant_id).first()
    if participant is None:
        raise NotFound()
    if participant.kind != ParticipantKind.OFFICIAL:
        raise HavenError(_("A victim's research consent is recorded on their case."), field="decision")
    decision = v.choice(decision, "decision", [OfficialConsent.GIVEN, OfficialConsent.WITHDRAWN])
    participant.official_consent = decision
    participant.official_consent_on = v.date(on, "on") or timezone.localdate()
    participant.save(update_fields=["official_consent", "official_consent_on"])
    _audit(access.user, AuditAction.CONSENT, "research_participant", participant.pk,
           {"study": access.study.pk, "decision": decision}, channel=channel)
    return participant


@transaction.atomic
def interview_add(*, access: StudyAccess, participant_id: int, held_on: Any, kind: str, text: str,
                  recorded: bool = False, channel: str = "web") -> Interview:
    """Add an interview's transcript or notes (sealed). A recording is refused when the person refused it;
    Haven never stores audio, only whether a recording was made."""
    participant = in_analysis(access.study).filter(pk=participant_id).first()
    if participant is None:
        raise HavenError(_("Choose a participant who has consented."), field="participant_id")
    day = v.required_date(held_on, "held_on")
    kind = v.choice(kind, "kind", InterviewKind.values)
    text = v.text(text, "text", required=True, max_length=MAX_TEXT)
    if not isinstance(recorded, bool):
        raise HavenError(_("Enter true or false."), field="recorded")
    if recorded and participant.recordings_refused:
        raise HavenError(_("This person refused to be recorded: no recording may be made."), field="recorded")
    interview = Interview.objects.create(participant=participant, held_on=day, kind=kind, text=text,
                                         recorded=recorded, created_by=access.user)
    _audit(access.user, AuditAction.CREATE, "research_interview", interview.pk,
           {"study": access.study.pk, "participant": participant.pk, "kind": kind, "recorded": recorded},
           fields=["text"], channel=channel)
    return interview
