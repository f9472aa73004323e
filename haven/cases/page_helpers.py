"""Small read helpers for the pages: role checks, dashboard lists, choices for selects.

Protected records are still loaded only through `haven.cases.selectors`; what is here either
narrows a queryset those helpers returned or reads data that holds no identity (codes, counts,
administrative units, agency names).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import Agency, AgencyKind, Role, User
from haven.audit.models import AuditAction, AuditEvent
from haven.audit.services import audit_record
from haven.cases.models import Case, Category, Signoff, Status
from haven.cases.selectors import CaseAccess, Need, access_case, cases_visible_to
from haven.cases.services import TRANSITIONS
from haven.consent.models import ConsentRecord, GivenBy
from haven.core.errors import NotFound
from haven.geo.models import AdminUnit, UnitLevel

CASE_ROLES = frozenset({Role.CASEWORKER, Role.SUPERVISOR})
AUDIT_ROLES = frozenset({Role.AUDITOR, Role.SYSTEM_ADMIN})


def works_cases(user: Any) -> bool:
    return bool(user.is_authenticated and user.role in CASE_ROLES and user.agency_id)


def reads_audit(user: Any) -> bool:
    return bool(user.is_authenticated and user.role in AUDIT_ROLES)


def load_case(user: Any, code: str, need: Need = Need.VIEW) -> CaseAccess:
    """The one way a page opens a case: missing and forbidden both end in the same 404 page."""
    try:
        return access_case(user, code=code, need=need)
    except NotFound:
        raise Http404() from None


# Dashboard -----------------------------------------------------------------------------------

# The dashboard's caseload shows none of these sealed texts: not loaded, so not decrypted (200 cases and
# their workers were 500 decryptions a dashboard).
_SEALED_NOT_SHOWN = ("not_victim_reason", "closure_reason")


def my_open_cases(user: Any) -> QuerySet[Case]:
    return (
        cases_visible_to(user).filter(assigned_worker_id=user.pk).exclude(status=Status.CLOSED)
        .select_related("owner_agency").defer(*_SEALED_NOT_SHOWN).order_by("-received_on", "-id")
    )


def agency_open_cases(user: Any) -> QuerySet[Case]:
    """A supervisor's view of the agency's caseload (through the same visibility helper)."""
    if user.role != Role.SUPERVISOR:
        return Case.objects.none()
    return (
        cases_visible_to(user).filter(owner_agency_id=user.agency_id).exclude(status=Status.CLOSED)
        .select_related("assigned_worker").defer(*_SEALED_NOT_SHOWN, "assigned_worker__totp_secret")
        .order_by("-received_on", "-id")
    )


@dataclass(frozen=True)
class Task:
    case: Case
    text: Any
    urgent: bool = False


# What the assigned worker should do next, by status. Derived, so there is nothing to keep in sync.
_NEXT_STEP_TEXT: dict[str, Any] = {
    Status.RECEPTION: _("Start verification or support"),
    Status.VERIFICATION: _("Record the identification decision"),
    Status.IDENTIFIED: _("Start support"),
    Status.NOT_VICTIM: _("Close the case or reopen verification"),
    Status.SUPPORT: _("Plan reintegration follow-up"),
    Status.REINTEGRATION: _("Follow up, then close the case"),
}


def tasks_for(cases: list[Case], overdue: list[Signoff] | None = None) -> list[Task]:
    """Consent for services first (nothing else should happen without it), then overdue sign-offs,
    then the next workflow step of each open case."""
    without_consent = set(
        Case.objects.filter(pk__in=[c.pk for c in cases])
        .exclude(Exists(ConsentRecord.objects.filter(person=OuterRef("person"), purpose="services")))
        .values_list("pk", flat=True)
    )
    tasks = [
        Task(s.case, _("Chase the overdue sign-off: %(kind)s") % {"kind": AgencyKind(s.agency_kind).label}, urgent=True)
        for s in (overdue or []) if s.agency_kind in AgencyKind.values
    ]
    for case in cases:
        if case.pk in without_consent:
            tasks.append(Task(case, _("Record consent to receive services"), urgent=True))
        elif case.status in _NEXT_STEP_TEXT:
            tasks.append(Task(case, _NEXT_STEP_TEXT[case.status]))
    return tasks


def pending_signoffs_on_own_cases(user: Any) -> list[Signoff]:
    """Sign-offs other agencies still owe on open cases this user can see, oldest due date first."""
    return list(
        Signoff.objects.filter(case__in=cases_visible_to(user), decision=Signoff.Decision.PENDING)
        .exclude(case__status=Status.CLOSED).select_related("case").order_by("due_on")
    )


def status_counts() -> list[tuple[str, Any, int]]:
    """Counts only: no identity and no case codes (the statistician's dashboard)."""
    counts = dict(Case.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    return [(value, label, counts.get(value, 0)) for value, label in Status.choices]


def category_counts() -> list[tuple[str, Any, int]]:
    counts = dict(Case.objects.values_list("category").annotate(n=Count("id")).values_list("category", "n"))
    return [(value, label, counts.get(value, 0)) for value, label in Category.choices]


# Case page -----------------------------------------------------------------------------------

WORKFLOW_ORDER = [
    Status.RECEPTION, Status.VERIFICATION, Status.IDENTIFIED, Status.SUPPORT, Status.REINTEGRATION, Status.CLOSED,
]


def next_steps(case: Case) -> list[str]:
    """The workflow steps the services will accept from this case's status."""
    allowed = set(TRANSITIONS.get(case.status, set()))
    if case.category != Category.UNDER_IDENTIFICATION:
        allowed.discard(Status.VERIFICATION)
    if case.category == Category.UNDER_IDENTIFICATION and case.status == Status.RECEPTION:
        allowed.discard(Status.SUPPORT)
    order = [Status.VERIFICATION, Status.IDENTIFIED, Status.NOT_VICTIM, Status.SUPPORT, Status.REINTEGRATION,
             Status.CLOSED]
    return [s for s in order if s in allowed]


def workers_of(agency_id: int) -> QuerySet[User]:
    return User.objects.filter(
        agency_id=agency_id, role__in=list(CASE_ROLES), is_active=True
    ).order_by("last_name", "first_name", "username")


def signoffs_of(case: Case) -> list[Signoff]:
    return list(Signoff.objects.filter(case=case).select_related("agency", "signed_by").order_by("due_on", "agency_kind"))


def who_has_seen(case: Case) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(case_id=case.pk, action=AuditAction.VIEW_IDENTITY).select_related("actor").order_by("-seq")


def agency_names(ids: set[int | None], language: str) -> dict[int, str]:
    return {a.pk: a.display_name(language) for a in Agency.objects.filter(pk__in=[i for i in ids if i])}


def case_codes(ids: set[int | None]) -> dict[int, str]:
    """Pseudonymous codes for audit rows; a code reveals nothing and opens nothing by itself."""
    return dict(Case.objects.filter(pk__in=[i for i in ids if i]).values_list("pk", "code"))


def consent_names_read(access: CaseAccess, records: list[ConsentRecord], *, channel: str = "web") -> None:
    """Guardian and witness names are sealed like identity fields: showing them is logged the same way."""
    fields = set()
    for record in records:
        if record.guardian_name:
            fields.add("guardian_name")
        if record.witness_name:
            fields.add("witness_name")
    if fields:
        audit_record(
            actor=access.user, action=AuditAction.VIEW_IDENTITY, object_type="consent",
            object_id=access.case.person_id, case_id=access.case.pk, fields=fields, channel=channel,
            reason=access.relationship.value,
        )


def default_given_by(case: Case, on: dt.date | None = None) -> str:
    age = case.person.age_band_on(on or timezone.localdate())
    if age is None or age < 18:
        return GivenBy.PERSON_AND_GUARDIAN
    return GivenBy.PERSON


# Administrative units ------------------------------------------------------------------------

def provinces_on(day: dt.date) -> list[AdminUnit]:
    return list(AdminUnit.objects.valid_on(day).filter(level=UnitLevel.PROVINCE).order_by("name_ascii"))


def communes_on(day: dt.date, province_code: str = "") -> list[AdminUnit]:
    query = AdminUnit.objects.valid_on(day).filter(level=UnitLevel.COMMUNE).select_related("parent", "parent__parent")
    units = list(query.order_by("name_ascii"))
    if province_code:
        units = [u for u in units if u.province().code == province_code]
    return units


def reception_units_on(day: dt.date) -> list[AdminUnit]:
    return list(
        AdminUnit.objects.valid_on(day).exclude(level=UnitLevel.DISTRICT).select_related("parent")
        .order_by("level", "name_ascii")
    )


def case_ids_for_code(code: str) -> list[int]:
    return list(Case.objects.filter(code=code.strip().upper()[:20]).values_list("pk", flat=True))
