"""Writes to the service directory: create, change, deactivate and reactivate offerings.

An agency administrator manages his own agency's offerings, a system administrator any agency's.
Every write is atomic, validated and audited. The audit names changed fields with their old and new
values, except the sealed address and phone and the free-text notes: for those only the field name.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import Agency, Role
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases import validation as v
from haven.core.errors import HavenError, NotFound, PermissionDenied
from haven.directory.catalogue import LANGUAGE_CODES, NEED_CODES, SEXES, SHELTER
from haven.directory.models import MAX_AGE, ServiceOffering

MAX_CAPACITY = 10_000
# Fields written with their values in the audit trail; the others (sealed or free text) by name only.
PLAIN_FIELDS = ("name", "items", "sexes", "min_age", "max_age", "languages", "capacity", "is_active")
QUIET_FIELDS = ("address", "phone", "notes")
EDITABLE = frozenset(PLAIN_FIELDS) | frozenset(QUIET_FIELDS)


def manages_agency(user: Any, agency_id: int | None) -> bool:
    """A system administrator manages every agency's offerings; an agency administrator his own."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.role == Role.SYSTEM_ADMIN:
        return True
    return bool(user.role == Role.AGENCY_ADMIN and agency_id and user.agency_id == agency_id)


def manages_any(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and (
        user.role == Role.SYSTEM_ADMIN or (user.role == Role.AGENCY_ADMIN and user.agency_id)))


def _age(value: Any, field: str) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise HavenError(_("Enter an age in whole years, from 0 to %(n)d.") % {"n": MAX_AGE}, field=field)
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise HavenError(_("Enter an age in whole years, from 0 to %(n)d.") % {"n": MAX_AGE}, field=field) from None
    if not 0 <= number <= MAX_AGE:
        raise HavenError(_("Enter an age in whole years, from 0 to %(n)d.") % {"n": MAX_AGE}, field=field)
    return number


def _capacity(value: Any) -> int | None:
    if value in (None, ""):
        return None
    message = _("Enter the number of places, from 0 to %(n)d.") % {"n": MAX_CAPACITY}
    if isinstance(value, bool):
        raise HavenError(message, field="capacity")
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise HavenError(message, field="capacity") from None
    if not 0 <= number <= MAX_CAPACITY:
        raise HavenError(message, field="capacity")
    return number


def _listed(values: Any, field: str, allowed: tuple[str, ...], empty_message: Any) -> list[str]:
    chosen = v.choices(values, field, allowed)
    if not chosen:
        raise HavenError(empty_message, field=field)
    return [code for code in allowed if code in chosen]  # the catalogue's order, not the caller's


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    """Validate the given fields (any subset of EDITABLE); a HavenError names the first bad field."""
    unknown = set(values) - EDITABLE
    if unknown:
        raise HavenError(_("Unknown field: %(f)s") % {"f": ", ".join(sorted(unknown))}, field=sorted(unknown)[0])
    clean: dict[str, Any] = {}
    if "name" in values:
        clean["name"] = v.text(values["name"], "name", required=True, max_length=200)
    if "items" in values:
        clean["items"] = _listed(values["items"], "items", NEED_CODES, _("Choose at least one kind of support."))
    if "sexes" in values:
        clean["sexes"] = _listed(values["sexes"], "sexes", SEXES, _("Choose whom the service accepts."))
    for name in ("min_age", "max_age"):
        if name in values:
            clean[name] = _age(values[name], name)
    if "languages" in values:
        clean["languages"] = _listed(values["languages"], "languages", LANGUAGE_CODES,
                                     _("Choose at least one language spoken."))
    if "capacity" in values:
        clean["capacity"] = _capacity(values["capacity"])
    if "address" in values:
        clean["address"] = v.text(values["address"], "address", max_length=500)
    if "phone" in values:
        clean["phone"] = v.phone(values["phone"], "phone")
    if "notes" in values:
        clean["notes"] = v.text(values["notes"], "notes", max_length=1000)
    if "is_active" in values:
        if not isinstance(values["is_active"], bool):
            raise HavenError(_("Enter true or false."), field="is_active")
        clean["is_active"] = values["is_active"]
    return clean


def _current(offering: ServiceOffering, name: str) -> Any:
    return offering.sexes if name == "sexes" else getattr(offering, name)


def _apply(offering: ServiceOffering, clean: dict[str, Any]) -> None:
    for name, value in clean.items():
        if name == "sexes":
            offering.accepts_female, offering.accepts_male = "female" in value, "male" in value
        else:
            setattr(offering, name, value)


def _check_whole(offering: ServiceOffering) -> None:
    """Rules across fields, checked on the offering as it would be saved."""
    if offering.min_age is not None and offering.max_age is not None and offering.max_age < offering.min_age:
        raise HavenError(_("The maximum age is below the minimum age."), field="max_age")
    if offering.capacity is not None and SHELTER not in offering.items:
        raise HavenError(_("Only a service that offers shelter has places: choose shelter or leave the places empty."),
                         field="capacity")
    duplicate = ServiceOffering.objects.filter(agency_id=offering.agency_id, name=offering.name)
    if offering.pk:
        duplicate = duplicate.exclude(pk=offering.pk)
    if duplicate.exists():
        raise HavenError(_("This agency already has a service with this name."), field="name")


def _audit_changes(old: dict[str, Any], new: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    changes = {k: [old[k], new[k]] for k in PLAIN_FIELDS if k in new and old[k] != new[k]}
    quiet = [k for k in QUIET_FIELDS if k in new and old[k] != new[k]]
    return changes, quiet


@transaction.atomic
def offering_create(*, acting_user: Any, agency_id: Any, name: Any, items: Any, sexes: Any, languages: Any,
                    min_age: Any = None, max_age: Any = None, capacity: Any = None, address: Any = "",
                    phone: Any = "", notes: Any = "", channel: str = "web") -> ServiceOffering:
    """Add a service to an agency's entry in the directory (its administrator, or a system administrator)."""
    if not manages_any(acting_user):
        raise PermissionDenied()
    agency = Agency.objects.filter(pk=_agency_id(agency_id), is_active=True).first()
    if agency is None:
        raise HavenError(_("Choose an active agency."), field="agency")
    if not manages_agency(acting_user, agency.pk):
        raise PermissionDenied(_("You manage only your own agency's services."))
    clean = _clean({"name": name, "items": items, "sexes": sexes, "languages": languages, "min_age": min_age,
                    "max_age": max_age, "capacity": capacity, "address": address, "phone": phone, "notes": notes})
    offering = ServiceOffering(agency=agency, created_by=acting_user, updated_by=acting_user)
    _apply(offering, clean)
    _check_whole(offering)
    offering.save()
    audit_record(
        actor=acting_user, action=AuditAction.CREATE, object_type="service_offering", object_id=offering.pk,
        changes={k: _current(offering, k) for k in PLAIN_FIELDS} | {"agency_id": agency.pk},
        fields=[k for k in QUIET_FIELDS if clean.get(k)], channel=channel,
    )
    return offering


def _agency_id(value: Any) -> int:
    try:
        return v.record_id(value)
    except NotFound:
        raise HavenError(_("Choose an active agency."), field="agency") from None


def _managed(acting_user: Any, offering_id: Any) -> ServiceOffering:
    if not manages_any(acting_user):
        raise PermissionDenied()
    offering = ServiceOffering.objects.select_for_update().filter(pk=v.record_id(offering_id)).first()
    if offering is None:
        raise NotFound()
    if not manages_agency(acting_user, offering.agency_id):
        raise PermissionDenied(_("You manage only your own agency's services."))
    return offering


@transaction.atomic
def offering_update(*, acting_user: Any, offering_id: Any, changes: dict[str, Any],
                    channel: str = "web") -> ServiceOffering:
    """Change some fields of an offering; only the fields that really change are saved and audited."""
    offering = _managed(acting_user, offering_id)
    clean = _clean(changes)
    old = {k: _current(offering, k) for k in clean}
    _apply(offering, clean)
    _check_whole(offering)
    new = {k: _current(offering, k) for k in clean}
    plain, quiet = _audit_changes(old, new)
    if not plain and not quiet:
        return offering
    offering.updated_by = acting_user
    fields = {"accepts_female", "accepts_male"} if "sexes" in plain else set()
    fields |= {k for k in [*plain, *quiet] if k != "sexes"}
    offering.save(update_fields=sorted(fields | {"updated_by", "updated_at"}))
    audit_record(actor=acting_user, action=AuditAction.UPDATE, object_type="service_offering",
                 object_id=offering.pk, changes=plain, fields=quiet, channel=channel)
    return offering


def offering_deactivate(*, acting_user: Any, offering_id: Any, channel: str = "web") -> ServiceOffering:
    """Take an offering out of searches and gap counts; it stays in the record and can be reactivated."""
    return offering_update(acting_user=acting_user, offering_id=offering_id, changes={"is_active": False},
                           channel=channel)


def offering_reactivate(*, acting_user: Any, offering_id: Any, channel: str = "web") -> ServiceOffering:
    return offering_update(acting_user=acting_user, offering_id=offering_id, changes={"is_active": True},
                           channel=channel)
