"""Reads of the follow-up area: the safe-return rule for minors, a case's assessments and plans, the
agency worklist of visits due and overdue, and the need-to-know reads of sealed notes (each audited).

A case's rows are read only after `access_case` opened the case; the agency-wide lists show case codes,
never names.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.accounts.models import Role
from haven.audit.models import AuditAction
from haven.audit.services import audit_record_many
from haven.cases.models import Case, Category
from haven.cases.selectors import CaseAccess
from haven.followup.models import (
    AssessmentOutcome,
    AssessmentStatus,
    FollowUpPlan,
    FollowUpStatus,
    FollowUpVisit,
    HomeSafetyAssessment,
    ReceptionLink,
)

ADULT_AGE = 18  # the trafficking laws use "under 18" (Law 66/2011; Law 53/2024)
# An approved assessment counts for a discharge within this many days after the home visit: a family's
# situation changes, so an old visit says little. A deployment may change it.
ASSESSMENT_VALID_DAYS = 30
SEALED_ASSESSMENT_FIELDS = ("family_situation", "findings", "risks", "conditions", "placement", "return_reason")


def is_minor(case: Case, on: dt.date) -> bool:
    """Under 18 on `on` by year of birth, an accompanying minor, or of unknown age (treated as a child, as
    consent does). With only a year of birth, a difference of exactly 18 may still be a 17-year-old, so it
    counts as a minor too: the protective reading."""
    if case.category == Category.ACCOMPANYING_MINOR:
        return True
    age = case.person.age_band_on(on)
    return age is None or age <= ADULT_AGE


def _approved_for(case: Case, on: dt.date, stay: Any = None) -> QuerySet[HomeSafetyAssessment]:
    rows = HomeSafetyAssessment.objects.filter(case=case, status=AssessmentStatus.APPROVED)
    if stay is not None:
        rows = rows.filter(Q(stay__isnull=True) | Q(stay=stay))
    return rows


def minor_may_leave(case: Case, on: dt.date, *, stay: Any = None) -> tuple[bool, str]:
    """May the person leave a facility on `on`? Adults: yes. A minor: only with an approved assessment of the
    home, visited on or before `on` and at most ASSESSMENT_VALID_DAYS before it, whose outcome is safe or safe
    with conditions — or unsafe with another placement named (the child goes there, not home). Decree 09/2013
    Art. 21. The reason says what is missing, translated."""
    if not is_minor(case, on):
        return True, ""
    rule = _("A minor may leave the facility only after a safety assessment of the home is completed and "
             "approved (Decree 09/2013 Art. 21).")
    approved = _approved_for(case, on, stay)
    earliest = on - dt.timedelta(days=ASSESSMENT_VALID_DAYS) if on > dt.date.min + dt.timedelta(days=366) else on
    window = approved.filter(visited_on__lte=on, visited_on__gte=earliest)
    for assessment in window.order_by("-visited_on", "-pk"):
        if assessment.outcome in (AssessmentOutcome.SAFE, AssessmentOutcome.SAFE_WITH_CONDITIONS):
            return True, ""
        if assessment.placement:
            return True, ""
    if window.exists():
        return False, rule + " " + _("The approved assessment found the home unsafe and names no other "
                                     "placement: the child may not go home.")
    if approved.exists():
        return False, rule + " " + _("The approved assessment is older than %(n)d days before the discharge "
                                     "date: visit the home again.") % {"n": ASSESSMENT_VALID_DAYS}
    pending = HomeSafetyAssessment.objects.filter(case=case, status__in=[AssessmentStatus.DRAFT,
                                                                          AssessmentStatus.SUBMITTED])
    if pending.filter(status=AssessmentStatus.SUBMITTED).exists():
        return False, rule + " " + _("The assessment is waiting for a supervisor's approval.")
    if pending.exists():
        return False, rule + " " + _("The assessment is still a draft: submit it for approval.")
    if HomeSafetyAssessment.objects.filter(case=case, status=AssessmentStatus.RETURNED).exists():
        return False, rule + " " + _("The assessment was returned for changes: record a new one.")
    return False, rule + " " + _("No safety assessment of the home is recorded.")


def assessments_of_case(case: Case) -> list[HomeSafetyAssessment]:
    return list(HomeSafetyAssessment.objects.filter(case=case).select_related(
        "agency", "visited_by", "created_by", "decided_by", "stay", "stay__facility"))


def plans_of_case(case: Case) -> list[FollowUpPlan]:
    plans = list(FollowUpPlan.objects.filter(case=case).select_related("responsible_agency", "created_by")
                 .prefetch_related("visits", "visits__visited_by"))
    return plans


def links_of_case(case: Case) -> dict[str, list[ReceptionLink]]:
    """The receptions this case follows and those that followed it (trafficked again)."""
    return {
        "previous": list(ReceptionLink.objects.filter(new_case=case).select_related("previous_case")),
        "later": list(ReceptionLink.objects.filter(previous_case=case).select_related("new_case")),
    }


def plan_status(plan: FollowUpPlan) -> str:
    """The status observed at the latest visit made, or empty before the first one."""
    done = [v for v in plan.visits.all() if v.done_on]
    return max(done, key=lambda v: (v.done_on, v.pk)).observed if done else ""


# --- Need to know -----------------------------------------------------------------------------------


def may_read_assessment(access: CaseAccess, assessment: HomeSafetyAssessment) -> bool:
    """The owning agency and the agency that made the assessment; not every agency serving the case."""
    agency = access.user.agency_id if access.user is not None else None
    return access.can_serve and agency in (access.case.owner_agency_id, assessment.agency_id)


def may_read_visits(access: CaseAccess, plan: FollowUpPlan) -> bool:
    """The owning agency and the plan's responsible agency (which reaches the case by an accepted referral)."""
    agency = access.user.agency_id if access.user is not None else None
    return access.can_serve and agency in (access.case.owner_agency_id, plan.responsible_agency_id)


def audit_sealed_reads(access: CaseAccess, rows: list[tuple[str, int, list[str]]], *, channel: str = "web") -> None:
    """One audit event per record whose sealed fields are shown: field names, never values."""
    audit_record_many([
        {"actor": access.user, "action": AuditAction.VIEW_IDENTITY, "object_type": object_type,
         "object_id": pk, "case_id": access.case.pk, "fields": fields, "channel": channel,
         "reason": access.relationship.value}
        for object_type, pk, fields in rows if fields
    ])


def assessment_sealed(assessment: HomeSafetyAssessment) -> dict[str, str]:
    return {name: getattr(assessment, name) for name in SEALED_ASSESSMENT_FIELDS if getattr(assessment, name)}


# --- Worklists --------------------------------------------------------------------------------------


def visits_due(user: Any, today: dt.date | None = None, *, days_ahead: int = 7) -> QuerySet[FollowUpVisit]:
    """Visits not yet made whose plans my agency is responsible for (or whose case it owns), due within
    `days_ahead` days or overdue, oldest first. Case codes only."""
    if not (user.is_authenticated and user.role in (Role.CASEWORKER, Role.SUPERVISOR) and user.agency_id):
        return FollowUpVisit.objects.none()
    today = today or timezone.localdate()
    mine = Q(plan__responsible_agency_id=user.agency_id) | Q(plan__case__owner_agency_id=user.agency_id)
    return (FollowUpVisit.objects.filter(mine, done_on__isnull=True, plan__retrafficked=False,
                                         due_on__lte=today + dt.timedelta(days=days_ahead))
            .select_related("plan", "plan__case", "plan__responsible_agency").order_by("due_on", "pk"))


def visits_overdue(user: Any, today: dt.date | None = None) -> QuerySet[FollowUpVisit]:
    today = today or timezone.localdate()
    return visits_due(user, today, days_ahead=0).filter(due_on__lt=today)


def assessments_waiting(user: Any) -> QuerySet[HomeSafetyAssessment]:
    """Submitted assessments a supervisor of my agency may decide: made by my agency, or of a case it owns.
    The supervisor's own are left out (four eyes)."""
    if not (user.is_authenticated and user.role == Role.SUPERVISOR and user.agency_id):
        return HomeSafetyAssessment.objects.none()
    return (HomeSafetyAssessment.objects.filter(Q(agency_id=user.agency_id) | Q(case__owner_agency_id=user.agency_id),
                                                status=AssessmentStatus.SUBMITTED)
            .exclude(created_by=user).exclude(visited_by=user)
            .select_related("case", "agency").order_by("submitted_at", "pk"))


def latest_status_counts(user: Any) -> dict[str, int]:
    """For the index: how many of my agency's plans stand at each status (latest visit)."""
    counts = {s: 0 for s in FollowUpStatus.values}
    if not (user.is_authenticated and user.agency_id):
        return counts
    plans = FollowUpPlan.objects.filter(Q(responsible_agency_id=user.agency_id)
                                        | Q(case__owner_agency_id=user.agency_id)).prefetch_related("visits")
    for plan in plans:
        status = plan_status(plan)
        if status:
            counts[status] += 1
    return counts
