"""API: the audit trail (auditors), chain verification, and "who has seen this record" (supervisors).

Audit events never hold identity values, only which fields were read or changed.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone, translation
from ninja import Field, Query, Router, Schema
from pydantic import StringConstraints

from haven.accounts.models import Agency, IdentityField, Role
from haven.audit.case_refs import case_codes, case_ids_for_code
from haven.audit.models import AuditAction, AuditEvent
from haven.audit.services import audit_verify_with_anchors
from haven.cases.selectors import Need, Relationship, access_case
from haven.core.api_auth import ANY_AUTH
from haven.core.api_types import CASE_CODE, ERRORS, CasePath, ErrorOut, Limit, Offset, Page, text
from haven.core.errors import PermissionDenied

router = Router(auth=ANY_AUTH)
AUDIT_READERS = (Role.AUDITOR, Role.SYSTEM_ADMIN)


class EventFilters(Schema):
    action: AuditAction | None = None
    actor: text(150) | None = Field(None, description="Username")  # type: ignore[valid-type]
    case: Annotated[str, StringConstraints(max_length=32, pattern=CASE_CODE)] | None = Field(
        None, description="Case code"
    )
    object_type: text(64) | None = None  # type: ignore[valid-type]
    since: dt.date | None = Field(None, description="From this day (Asia/Ho_Chi_Minh)")
    until: dt.date | None = Field(None, description="Up to and including this day")


class EventOut(Schema):
    seq: int
    at: dt.datetime
    actor: str
    role: str
    agency: str | None
    action: AuditAction
    object_type: str
    object_id: str
    case: str | None
    fields: list[str]
    changes: dict[str, Any]
    reason: str
    channel: str


class EventPage(Page):
    items: list[EventOut]


class VerifyOut(Schema):
    ok: bool
    checked: int
    broken_seq: int | None
    problem: str


class ViewerOut(Schema):
    at: dt.datetime
    user: str
    role: str
    agency: str | None
    fields: list[IdentityField]
    channel: str
    relationship: Relationship | None = Field(None, description="Why the user could see the record")


class ViewerPage(Page):
    items: list[ViewerOut]


def _require_audit_reader(user: Any, roles: tuple[str, ...] = AUDIT_READERS) -> None:
    if user.role not in roles:
        raise PermissionDenied()


# Dates outside these bounds cannot become timezone-aware datetimes; they mean "no limit" anyway.
_FIRST_DAY, _LAST_DAY = dt.date(1900, 1, 1), dt.date(9000, 1, 1)


def _day_start(day: dt.date) -> dt.datetime:
    day = min(max(day, _FIRST_DAY), _LAST_DAY)
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _agency_names(events: list[AuditEvent]) -> dict[int, str]:
    ids = {e.agency_id_at_time for e in events if e.agency_id_at_time}
    language = translation.get_language() or ""
    return {a.pk: a.display_name(language) for a in Agency.objects.filter(pk__in=ids)}


def _filtered(filters: EventFilters) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.all()
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.actor:
        events = events.filter(actor_username=filters.actor)
    if filters.object_type:
        events = events.filter(object_type=filters.object_type)
    if filters.case:
        events = events.filter(case_id__in=case_ids_for_code(filters.case))
    if filters.since:
        events = events.filter(at__gte=_day_start(filters.since))
    if filters.until:
        events = events.filter(at__lt=_day_start(min(filters.until, _LAST_DAY) + dt.timedelta(days=1)))
    return events


@router.get(
    "/audit/events", response={200: EventPage, ERRORS: ErrorOut},
    summary="The audit trail, newest first (auditors and system administrators)",
)
def audit_events(request: HttpRequest, filters: Query[EventFilters], limit: Limit = 25,
                 offset: Offset = 0) -> dict[str, Any]:
    _require_audit_reader(request.auth)  # type: ignore[attr-defined]
    events = _filtered(filters)
    page = list(events.order_by("-seq")[offset: offset + limit])
    codes = case_codes(e.case_id for e in page if e.case_id)
    agencies = _agency_names(page)
    return {
        "total": events.count(), "limit": limit, "offset": offset,
        "items": [
            {
                "seq": e.seq, "at": e.at, "actor": e.actor_username, "role": e.role,
                "agency": agencies.get(e.agency_id_at_time or 0), "action": e.action, "object_type": e.object_type,
                "object_id": e.object_id, "case": codes.get(e.case_id or 0), "fields": e.fields,
                "changes": e.changes, "reason": e.reason, "channel": e.channel,
            }
            for e in page
        ],
    }


@router.post(
    "/audit/verify", response={200: VerifyOut, ERRORS: ErrorOut}, summary="Recompute the hash chain (auditors)",
)
def audit_chain_verify(request: HttpRequest) -> dict[str, Any]:
    _require_audit_reader(request.auth, (Role.AUDITOR,))  # type: ignore[attr-defined]
    result = audit_verify_with_anchors()
    return {"ok": result.ok, "checked": result.checked, "broken_seq": result.broken_seq, "problem": result.problem_text}


@router.get(
    "/cases/{code}/viewers", response={200: ViewerPage, ERRORS: ErrorOut},
    summary="Who has seen this record's identity fields (supervisors of the owning agency)",
)
def case_viewers(request: HttpRequest, code: CasePath, limit: Limit = 25, offset: Offset = 0) -> dict[str, Any]:
    access = access_case(request.auth, code=code, need=Need.SUPERVISE)  # type: ignore[attr-defined]
    events = AuditEvent.objects.filter(case_id=access.case.pk, action=AuditAction.VIEW_IDENTITY)
    page = list(events.order_by("-seq")[offset: offset + limit])
    agencies = _agency_names(page)
    relationships = set(Relationship)
    return {
        "total": events.count(), "limit": limit, "offset": offset,
        "items": [
            {
                "at": e.at, "user": e.actor_username, "role": e.role, "agency": agencies.get(e.agency_id_at_time or 0),
                "fields": [f for f in e.fields if f in IdentityField.values], "channel": e.channel,
                "relationship": e.reason if e.reason in relationships else None,
            }
            for e in page
        ],
    }
