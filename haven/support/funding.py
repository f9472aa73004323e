"""Funding sources: where an agency's money for support comes from. Managed by the agency's own
administrators and supervisors (the department head holds the budget lines); never deleted, only
deactivated, because ledger entries point at them."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import Role
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases import validation as v
from haven.core.errors import HavenError, NotFound, PermissionDenied
from haven.support.models import FundingKind, FundingSource

MANAGERS = (Role.AGENCY_ADMIN, Role.SUPERVISOR)


def manages_funding(user: Any) -> bool:
    return bool(user.is_authenticated and user.agency_id and user.role in MANAGERS)


def funding_sources_of(user: Any, *, active_only: bool = False) -> QuerySet[FundingSource]:
    """The funding sources of the user's agency (none for a user without an agency)."""
    if not (user.is_authenticated and user.agency_id):
        return FundingSource.objects.none()
    sources = FundingSource.objects.filter(agency_id=user.agency_id)
    return sources.filter(is_active=True) if active_only else sources


@transaction.atomic
def funding_source_create(*, acting_user: Any, kind: Any, name: Any, code: Any = "",
                          channel: str = "web") -> FundingSource:
    """Add a funding source to the acting user's agency."""
    if not manages_funding(acting_user):
        raise PermissionDenied()
    kind = v.choice(kind, "kind", FundingKind.values)
    name = v.text(name, "name", required=True, max_length=200)
    code = v.text(code, "code", max_length=60)
    if FundingSource.objects.filter(agency_id=acting_user.agency_id, name=name).exists():
        raise HavenError(_("Your agency already has a funding source with this name."), field="name")
    source = FundingSource.objects.create(agency_id=acting_user.agency_id, kind=kind, name=name, code=code)
    audit_record(actor=acting_user, action=AuditAction.CREATE, object_type="funding_source", object_id=source.pk,
                 changes={"kind": kind, "agency": acting_user.agency_id}, channel=channel)
    return source


@transaction.atomic
def funding_source_deactivate(*, acting_user: Any, source_id: Any, channel: str = "web") -> FundingSource:
    """No new entry may use the source from now on; entries already recorded keep it."""
    if not manages_funding(acting_user):
        raise PermissionDenied()
    source = FundingSource.objects.select_for_update().filter(
        pk=v.record_id(source_id), agency_id=acting_user.agency_id).first()
    if source is None:
        raise NotFound()
    if not source.is_active:
        raise HavenError(_("This funding source is already inactive."), code="bad_transition")
    source.is_active = False
    source.save(update_fields=["is_active"])
    audit_record(actor=acting_user, action=AuditAction.UPDATE, object_type="funding_source", object_id=source.pk,
                 changes={"is_active": [True, False]}, channel=channel)
    return source
