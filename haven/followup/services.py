"""Writes of the follow-up area: one audited service per state change. Keyword-only, atomic, validated;
each raises HavenError (or NotFound, PermissionDenied) and changes nothing when it does.

- assessments: `assessment_create`, `assessment_submit`, `assessment_decide` (approve / return; four eyes);
- follow-up: `plan_create` (schedules the visits), `visit_record` (a scheduled or an extra visit);
- trafficked again: `case_reopen_reception` — a new case for the same person, linked to the earlier one.

The audit holds field names, statuses and dates, never the sealed text.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import Agency, Role
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases import validation as v
from haven.cases.models import Case, Category, ReturnMode
from haven.cases.selectors import CaseAccess
from haven.cases.services import _new_code
from haven.core.errors import HavenError, NotFound, PermissionDenied
from haven.followup.models import (
    AssessmentOutcome,
    AssessmentStatus,
    FollowUpPlan,
    FollowUpStatus,
    FollowUpVisit,
    HomeSafetyAssessment,
    ReceptionLink,
    VisitMode,
)
from haven.support.models import ShelterStay

MAX_TEXT = 4000
MIN_EVERY_DAYS, MAX_EVERY_DAYS = 7, 183
MAX_PLAN_DAYS = 3 * 366  # a plan of at most about three years; a longer follow-up is a new plan
MAX_VISITS = 60


def _agency(access: CaseAccess) -> int:
    if not access.can_serve or access.user is None or not access.user.agency_id:
        raise NotFound()
    return int(access.user.agency_id)


def _assessment(access: CaseAccess, assessment_id: Any, *, lock: bool = True) -> HomeSafetyAssessment:
    rows = HomeSafetyAssessment.objects.filter(case=access.case, pk=v.record_id(assessment_id))
    found = (rows.select_for_update() if lock else rows).first()
    if found is None:
        raise NotFound()
    return found


# --- Home safety assessments ------------------------------------------------------------------------


@transaction.atomic
def assessment_create(*, access: CaseAccess, visited_on: Any, outcome: Any, stay_id: Any = None,
                      visited_by_id: Any = None, family_situation: str = "", findings: str = "", risks: str = "",
                      conditions: str = "", placement: str = "", channel: str = "web") -> HomeSafetyAssessment:
    """Record a visit to the home as a draft, by an agency serving the case. The visitor defaults to the
    author; another visitor must be of the author's agency."""
    agency_id = _agency(access)
    day = v.required_date(visited_on, "visited_on")
    if day < access.case.received_on:
        raise HavenError(_("The home visit cannot come before the person was received."), field="visited_on")
    result = v.choice(outcome, "outcome", AssessmentOutcome.values)
    stay = None
    if stay_id not in (None, ""):
        try:
            stay = ShelterStay.objects.filter(case=access.case, pk=v.record_id(stay_id)).first()
        except NotFound:
            stay = None
        if stay is None:
            raise HavenError(_("Choose a stay of this person from the list."), field="stay")
    visitor = access.user
    if visited_by_id not in (None, ""):
        try:
            visitor = type(access.user).objects.filter(pk=v.record_id(visited_by_id), agency_id=agency_id,
                                                       is_active=True).first()
        except NotFound:
            visitor = None
        if visitor is None:
            raise HavenError(_("Choose a worker of your agency."), field="visited_by")
    texts = {name: v.text(value, name, max_length=MAX_TEXT) for name, value in (
        ("family_situation", family_situation), ("findings", findings), ("risks", risks),
        ("conditions", conditions), ("placement", placement))}
    if not texts["findings"]:
        raise HavenError(_("Write what the visit found."), field="findings")
    if result == AssessmentOutcome.SAFE_WITH_CONDITIONS and not texts["conditions"]:
        raise HavenError(_("Write the conditions of the return."), field="conditions")
    assessment = HomeSafetyAssessment.objects.create(
        case=access.case, stay=stay, agency_id=agency_id, visited_on=day, visited_by=visitor, outcome=result,
        created_by=access.user, **texts)
    audit_record(actor=access.user, action=AuditAction.CREATE, object_type="home_safety_assessment",
                 object_id=assessment.pk, case_id=access.case.pk, channel=channel,
                 fields=[name for name, value in texts.items() if value],
                 changes={"status": [None, assessment.status], "outcome": result, "visited_on": day.isoformat(),
                          "stay": stay.pk if stay else None})
    return assessment


@transaction.atomic
def assessment_submit(*, access: CaseAccess, assessment_id: Any, channel: str = "web") -> HomeSafetyAssessment:
    """Send a draft for a supervisor's approval: a worker of the agency that made it."""
    agency_id = _agency(access)
    assessment = _assessment(access, assessment_id)
    if assessment.agency_id != agency_id:
        raise NotFound()
    if assessment.status != AssessmentStatus.DRAFT:
        raise HavenError(_("Only a draft can be submitted."), code="bad_transition")
    assessment.status, assessment.submitted_at = AssessmentStatus.SUBMITTED, timezone.now()
    assessment.save(update_fields=["status", "submitted_at"])
    audit_record(actor=access.user, action=AuditAction.STATUS, object_type="home_safety_assessment",
                 object_id=assessment.pk, case_id=access.case.pk, channel=channel,
                 changes={"status": [AssessmentStatus.DRAFT, AssessmentStatus.SUBMITTED]})
    return assessment


def may_decide(access: CaseAccess, assessment: HomeSafetyAssessment) -> bool:
    """A supervisor of the agency that made the assessment, of the facility of its stay, or of the owning
    agency — who neither wrote it nor made the visit (four eyes)."""
    user = access.user
    if user is None or user.role != Role.SUPERVISOR or not access.can_serve:
        return False
    agencies = {assessment.agency_id, access.case.owner_agency_id}
    if assessment.stay_id:
        agencies.add(assessment.stay.facility_id)  # type: ignore[union-attr]
    return user.agency_id in agencies and user.pk not in (assessment.created_by_id, assessment.visited_by_id)


@transaction.atomic
def assessment_decide(*, access: CaseAccess, assessment_id: Any, approve: bool, reason: str = "",
                      channel: str = "web") -> HomeSafetyAssessment:
    """Approve a submitted assessment, or return it with a reason. Four eyes: never the author or visitor."""
    assessment = _assessment(access, assessment_id)
    if access.user is None or access.user.role != Role.SUPERVISOR:
        raise PermissionDenied(_("Only a supervisor approves a safety assessment."))
    if not may_decide(access, assessment):
        if access.user.pk in (assessment.created_by_id, assessment.visited_by_id):
            raise PermissionDenied(_("Another supervisor must decide: you wrote this assessment or made the visit."))
        raise PermissionDenied(_("Only a supervisor of the facility or of the owning agency decides."))
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise HavenError(_("Only a submitted assessment can be approved or returned."), code="bad_transition")
    if not isinstance(approve, bool):
        raise HavenError(_("Choose one of the listed options."), field="decision")
    note = v.text(reason, "reason", max_length=MAX_TEXT)
    if not approve and not note:
        raise HavenError(_("Say why the assessment is returned."), field="reason")
    new = AssessmentStatus.APPROVED if approve else AssessmentStatus.RETURNED
    assessment.status, assessment.decided_by, assessment.decided_at = new, access.user, timezone.now()
    assessment.return_reason = "" if approve else note
    assessment.save(update_fields=["status", "decided_by", "decided_at", "return_reason"])
    audit_record(actor=access.user, action=AuditAction.STATUS, object_type="home_safety_assessment",
                 object_id=assessment.pk, case_id=access.case.pk, channel=channel,
                 fields=["return_reason"] if note and not approve else [],
                 changes={"status": [AssessmentStatus.SUBMITTED, new]})
    return assessment


# --- Follow-up plans and visits ---------------------------------------------------------------------


def _schedule(starts_on: dt.date, ends_on: dt.date, every_days: int) -> list[dt.date]:
    """The first visit one interval after the start, then every `every_days` days until the end."""
    days: list[dt.date] = []
    day = starts_on + dt.timedelta(days=every_days)
    while day <= ends_on and len(days) < MAX_VISITS:
        days.append(day)
        day += dt.timedelta(days=every_days)
    return days or [ends_on]


@transaction.atomic
def plan_create(*, access: CaseAccess, responsible_agency_id: Any, every_days: Any, starts_on: Any, ends_on: Any,
                channel: str = "web") -> FollowUpPlan:
    """A follow-up plan by an agency serving the case: who visits (usually the commune People's Committee of
    the home commune or the social work centre), how often, from when to when. The visits are scheduled.
    The responsible agency sees the case only once it has accepted a referral of it."""
    _agency(access)
    try:
        agency = Agency.objects.filter(pk=v.record_id(responsible_agency_id), is_active=True).first()
    except NotFound:
        agency = None
    if agency is None:
        raise HavenError(_("Choose an agency from the list."), field="responsible_agency")
    try:
        every = int(str(every_days).strip())
    except (TypeError, ValueError):
        raise HavenError(_("Enter a whole number of days."), field="every_days") from None
    if isinstance(every_days, bool) or not MIN_EVERY_DAYS <= every <= MAX_EVERY_DAYS:
        raise HavenError(_("Visit every %(a)d to %(b)d days.") % {"a": MIN_EVERY_DAYS, "b": MAX_EVERY_DAYS},
                         field="every_days")
    start = v.required_date(starts_on, "starts_on", not_future=False)
    end = v.required_date(ends_on, "ends_on", not_future=False)
    if start < access.case.received_on:
        raise HavenError(_("The follow-up cannot start before the person was received."), field="starts_on")
    if end < start:
        raise HavenError(_("The end comes before the start."), field="ends_on")
    if end.year > timezone.localdate().year + 10:
        raise HavenError(_("A plan covers at most three years; make a new plan after it."), field="ends_on")
    if (end - start).days > MAX_PLAN_DAYS:
        raise HavenError(_("A plan covers at most three years; make a new plan after it."), field="ends_on")
    plan = FollowUpPlan.objects.create(case=access.case, responsible_agency=agency, every_days=every,
                                       starts_on=start, ends_on=end, created_by=access.user)
    FollowUpVisit.objects.bulk_create(FollowUpVisit(plan=plan, due_on=day) for day in _schedule(start, end, every))
    audit_record(actor=access.user, action=AuditAction.CREATE, object_type="followup_plan", object_id=plan.pk,
                 case_id=access.case.pk, channel=channel,
                 changes={"responsible_agency": agency.pk, "every_days": every, "starts_on": start.isoformat(),
                          "ends_on": end.isoformat(), "visits": plan.visits.count()})
    return plan


def _plan(access: CaseAccess, plan_id: Any) -> FollowUpPlan:
    plan = FollowUpPlan.objects.select_for_update().filter(case=access.case, pk=v.record_id(plan_id)).first()
    if plan is None:
        raise NotFound()
    return plan


def may_visit(access: CaseAccess, plan: FollowUpPlan) -> bool:
    agency = access.user.agency_id if access.user is not None else None
    return access.can_serve and agency in (plan.responsible_agency_id, access.case.owner_agency_id)


@transaction.atomic
def visit_record(*, access: CaseAccess, plan_id: Any, done_on: Any, mode: Any, observed: Any, notes: str = "",
                 visit_id: Any = None, channel: str = "web") -> FollowUpVisit:
    """Record a visit made: a scheduled one (`visit_id`) or an extra one. The plan's responsible agency or the
    owning agency. "Trafficked again" flags the plan; the new reception is a separate step."""
    plan = _plan(access, plan_id)
    if not may_visit(access, plan):
        raise NotFound()
    day = v.required_date(done_on, "done_on")
    if day < plan.starts_on:
        raise HavenError(_("The visit cannot come before the plan starts."), field="done_on")
    how = v.choice(mode, "mode", VisitMode.values)
    status = v.choice(observed, "observed", FollowUpStatus.values)
    text = v.text(notes, "notes", max_length=MAX_TEXT)
    if status in (FollowUpStatus.AT_RISK, FollowUpStatus.TRAFFICKED_AGAIN) and not text:
        raise HavenError(_("Write what was observed."), field="notes")
    if visit_id not in (None, ""):
        visit = FollowUpVisit.objects.select_for_update().filter(plan=plan, pk=v.record_id(visit_id)).first()
        if visit is None:
            raise NotFound()
        if visit.done_on is not None:
            raise HavenError(_("This visit is already recorded."), code="bad_transition")
    else:
        visit = FollowUpVisit(plan=plan, due_on=day)
    visit.done_on, visit.visited_by, visit.mode, visit.observed = day, access.user, how, status
    visit.notes, visit.recorded_at = text, timezone.now()
    visit.save()
    changes: dict[str, Any] = {"done_on": day.isoformat(), "mode": how, "observed": status,
                               "scheduled": visit_id not in (None, "")}
    if status == FollowUpStatus.TRAFFICKED_AGAIN and not plan.retrafficked:
        plan.retrafficked, plan.retrafficked_on = True, day
        plan.save(update_fields=["retrafficked", "retrafficked_on"])
        changes["plan_retrafficked"] = True
    audit_record(actor=access.user, action=AuditAction.UPDATE, object_type="followup_visit", object_id=visit.pk,
                 case_id=access.case.pk, channel=channel, fields=["notes"] if text else [], changes=changes)
    return visit


# --- Trafficked again: a new reception --------------------------------------------------------------


@transaction.atomic
def case_reopen_reception(*, access: CaseAccess, plan_id: Any, received_on: Any, reception_place: Any,
                          return_mode: Any, channel: str = "web") -> Case:
    """A new case (a new episode of return) for the same person, after a visit found them trafficked again.

    The person and their sealed identity are not copied: the new case points at the same Person row, so the
    identity is still stored once. The new case is owned by the acting worker's agency and assigned to them,
    like `cases.services.case_register`; an identified victim starts again under identification (the new
    episode needs its own decision); an accompanying minor stays one. Both cases link through ReceptionLink.
    """
    plan = _plan(access, plan_id)
    if not may_visit(access, plan) or access.user.role not in (Role.CASEWORKER, Role.SUPERVISOR):
        raise NotFound()
    if not plan.retrafficked:
        raise HavenError(_("Record a visit that found the person trafficked again first."), code="bad_transition")
    if ReceptionLink.objects.filter(plan=plan).exists():
        raise HavenError(_("A new reception is already open for this plan."), code="bad_transition")
    day = v.required_date(received_on, "received_on")
    if day < access.case.received_on:
        raise HavenError(_("The new reception cannot come before the earlier one."), field="received_on")
    place = v.text(reception_place, "reception_place", required=True)
    mode = v.choice(return_mode, "return_mode", ReturnMode.values)
    old = access.case
    category = Category.ACCOMPANYING_MINOR if old.category == Category.ACCOMPANYING_MINOR \
        else Category.UNDER_IDENTIFICATION
    age = old.person.age_band_on(day)
    case = Case.objects.create(
        code=_new_code(day.year), person=old.person, owner_agency=access.user.agency,
        receiving_agency=access.user.agency, assigned_worker=access.user, created_by=access.user,
        category=category, received_on=day, reception_place=place, return_mode=mode, age_at_reception=age)
    link = ReceptionLink.objects.create(previous_case=old, new_case=case, plan=plan, created_by=access.user)
    audit_record(actor=access.user, action=AuditAction.CREATE, object_type="case", object_id=case.pk,
                 case_id=case.pk, channel=channel,
                 changes={"status": [None, case.status], "category": [None, category],
                          "previous_case": old.pk, "reception_link": link.pk})
    audit_record(actor=access.user, action=AuditAction.UPDATE, object_type="followup_plan", object_id=plan.pk,
                 case_id=old.pk, channel=channel, changes={"new_reception": case.pk})
    return case
