"""Writes of protection measures: request, decision, putting in force, end, and refusal by the person.

Decree 62/2012/NĐ-CP Art. 7 lists the measures (catalogue by date in `catalogue.py`); Art. 3 lets the
person refuse protection, which is recorded with its date and how it was made. A closed trial (Art. 7
cl. 8) is asked for in a legal proceeding, so that measure must name a proceeding of the same case.
Only the owning agency changes measures (`CaseAccess.can_edit`).

    requested ──decide(granted)──▶ decided ──put in force──▶ in force ──end──▶ ended
        │                  └─(not granted)─▶ rejected
        └──────── refusal by the person (from requested, decided or in force) ──▶ refused
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import Agency
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases import validation as v
from haven.cases.selectors import CaseAccess
from haven.core.errors import HavenError, NotFound
from haven.legal.models import Proceeding
from haven.protection.catalogue import catalogue_on
from haven.protection.models import (
    CLOSED_TRIAL,
    Beneficiary,
    MeasureStatus,
    ProtectionMeasure,
    RefusalMethod,
)

MAX_NOTE = 2000
S = MeasureStatus


def _audit(access: CaseAccess, measure: ProtectionMeasure, action: str, channel: str,
           changes: dict[str, Any], fields: list[str] | None = None) -> None:
    audit_record(actor=access.user, action=action, object_type="protection_measure", object_id=measure.pk,
                 case_id=access.case.pk, channel=channel, fields=fields or [], changes=changes)


def _proceeding(access: CaseAccess, value: Any) -> Proceeding | None:
    if value in (None, ""):
        return None
    try:
        pk = v.record_id(value)
    except NotFound:
        raise HavenError(_("Choose a proceeding of this case."), field="proceeding_id") from None
    found = Proceeding.objects.filter(case=access.case, pk=pk).first()
    if found is None:
        raise HavenError(_("Choose a proceeding of this case."), field="proceeding_id")
    return found


@transaction.atomic
def measure_request(*, access: CaseAccess, kind: Any, requested_on: Any, beneficiary: Any = Beneficiary.PERSON,
                    relative_name: Any = "", relative_relationship: Any = "", proceeding_id: Any = None,
                    note: Any = "", channel: str = "web") -> ProtectionMeasure:
    """Request a measure from the catalogue in force on the request date, for the person or a named relative.
    A closed trial needs a proceeding of this case."""
    if not access.can_edit:
        raise NotFound()
    day = v.required_date(requested_on, "requested_on")
    catalogue = catalogue_on(day)
    if catalogue is None:
        raise HavenError(_("No protection measure was in force on that date."), field="requested_on")
    kind = v.choice(kind, "kind", [m.code for m in catalogue.measures])
    beneficiary = v.choice(beneficiary or Beneficiary.PERSON, "beneficiary", Beneficiary.values)
    name = v.text(relative_name, "relative_name", max_length=200)
    relationship = v.text(relative_relationship, "relative_relationship", max_length=100)
    if beneficiary == Beneficiary.RELATIVE and not name:
        raise HavenError(_("Name the relative the measure protects."), field="relative_name")
    if beneficiary == Beneficiary.RELATIVE and not relationship:
        raise HavenError(_("Say how the relative is related to the person."), field="relative_relationship")
    if beneficiary == Beneficiary.PERSON:
        name = relationship = ""
    proceeding = _proceeding(access, proceeding_id)
    if kind == CLOSED_TRIAL and proceeding is None:
        raise HavenError(_("A closed trial is requested in a legal proceeding: choose the proceeding."),
                         field="proceeding_id")
    measure = ProtectionMeasure.objects.create(
        case=access.case, agency_id=access.user.agency_id, kind=kind, catalogue=catalogue.code,
        beneficiary=beneficiary, relative_name=name, relative_relationship=relationship, requested_on=day,
        requested_by=access.user, request_note=v.text(note, "note", max_length=MAX_NOTE), proceeding=proceeding,
        updated_by=access.user,
    )
    _audit(access, measure, AuditAction.CREATE, channel,
           {"kind": kind, "catalogue": catalogue.code, "beneficiary": beneficiary, "requested_on": day.isoformat(),
            "status": S.REQUESTED, "proceeding": proceeding.pk if proceeding else None},
           [f for f, val in (("relative_name", name), ("relative_relationship", relationship),
                             ("request_note", measure.request_note)) if val])
    return measure


def _load(access: CaseAccess, measure_id: Any) -> ProtectionMeasure:
    if not access.can_edit:
        raise NotFound()
    measure = ProtectionMeasure.objects.select_for_update().filter(case=access.case, pk=v.record_id(measure_id)).first()
    if measure is None:
        raise NotFound()
    return measure


def _bad_step() -> HavenError:
    return HavenError(_("This step does not follow from the measure's status."), code="bad_transition")


@transaction.atomic
def measure_decide(*, access: CaseAccess, measure_id: Any, granted: Any, decided_on: Any,
                   authority_agency_id: Any = None, authority_text: Any = "", channel: str = "web") -> ProtectionMeasure:
    """Record the competent authority's decision on a requested measure: granted (decided) or rejected."""
    measure = _load(access, measure_id)
    if measure.status != S.REQUESTED:
        raise _bad_step()
    if not isinstance(granted, bool):
        raise HavenError(_("Enter true or false."), field="granted")
    day = v.required_date(decided_on, "decided_on")
    if day < measure.requested_on:
        raise HavenError(_("The decision cannot come before the request."), field="decided_on")
    authority = None
    if authority_agency_id not in (None, ""):
        try:
            authority = Agency.objects.filter(pk=v.record_id(authority_agency_id), is_active=True).first()
        except NotFound:
            authority = None
        if authority is None:
            raise HavenError(_("Choose an agency from the list."), field="authority_agency_id")
    text = v.text(authority_text, "authority_text", max_length=300)
    if authority is None and not text:
        raise HavenError(_("Name the authority that decided."), field="authority_text")
    old = measure.status
    measure.status = S.DECIDED if granted else S.REJECTED
    measure.authority_agency, measure.authority_text, measure.decided_on = authority, text, day
    measure.updated_by = access.user
    measure.save(update_fields=["status", "authority_agency", "authority_text", "decided_on", "updated_by"])
    _audit(access, measure, AuditAction.STATUS, channel,
           {"status": [old, measure.status], "decided_on": day.isoformat(),
            "authority_agency": authority.pk if authority else None}, ["authority_text"] if text else [])
    return measure


@transaction.atomic
def measure_put_in_force(*, access: CaseAccess, measure_id: Any, in_force_from: Any, in_force_to: Any = None,
                         channel: str = "web") -> ProtectionMeasure:
    """A decided measure takes effect: from a date on or after the decision, to an optional later date."""
    measure = _load(access, measure_id)
    if measure.status != S.DECIDED:
        raise _bad_step()
    start = v.required_date(in_force_from, "in_force_from", not_future=False)
    end = v.date(in_force_to, "in_force_to", not_future=False)
    if measure.decided_on and start < measure.decided_on:
        raise HavenError(_("A measure cannot be in force before it was decided."), field="in_force_from")
    if end is not None and end < start:
        raise HavenError(_("The end date cannot come before the start date."), field="in_force_to")
    measure.status, measure.in_force_from, measure.in_force_to = S.IN_FORCE, start, end
    measure.updated_by = access.user
    measure.save(update_fields=["status", "in_force_from", "in_force_to", "updated_by"])
    _audit(access, measure, AuditAction.STATUS, channel,
           {"status": [S.DECIDED, S.IN_FORCE], "in_force_from": start.isoformat(),
            "in_force_to": end.isoformat() if end else None})
    return measure


@transaction.atomic
def measure_end(*, access: CaseAccess, measure_id: Any, ended_on: Any, note: Any = "",
                channel: str = "web") -> ProtectionMeasure:
    """A measure in force ends (the threat is over, the period ran out, the person moved…)."""
    measure = _load(access, measure_id)
    if measure.status != S.IN_FORCE:
        raise _bad_step()
    day = v.required_date(ended_on, "ended_on")
    if measure.in_force_from and day < measure.in_force_from:
        raise HavenError(_("A measure cannot end before it came into force."), field="ended_on")
    measure.status, measure.ended_on = S.ENDED, day
    if measure.in_force_to is None or measure.in_force_to > day:
        measure.in_force_to = day
    measure.end_note = v.text(note, "note", max_length=MAX_NOTE)
    measure.updated_by = access.user
    measure.save(update_fields=["status", "ended_on", "in_force_to", "end_note", "updated_by"])
    _audit(access, measure, AuditAction.STATUS, channel, {"status": [S.IN_FORCE, S.ENDED],
                                                          "ended_on": day.isoformat()},
           ["end_note"] if measure.end_note else [])
    return measure


@transaction.atomic
def measure_refuse(*, access: CaseAccess, measure_id: Any, refused_on: Any, method: Any, note: Any = "",
                   channel: str = "web") -> ProtectionMeasure:
    """The person (or a minor's guardian) refuses the measure, as Decree 62/2012 Art. 3 allows: recorded with
    the date and how the refusal was made. A measure in force stops on that day."""
    measure = _load(access, measure_id)
    if measure.status not in (S.REQUESTED, S.DECIDED, S.IN_FORCE):
        raise _bad_step()
    day = v.required_date(refused_on, "refused_on")
    if day < measure.requested_on:
        raise HavenError(_("A refusal cannot come before the request."), field="refused_on")
    method = v.choice(method, "method", RefusalMethod.values)
    old = measure.status
    measure.status, measure.refused_on, measure.refusal_method = S.REFUSED, day, method
    measure.refusal_note = v.text(note, "note", max_length=MAX_NOTE)
    if old == S.IN_FORCE and measure.in_force_from:
        measure.in_force_to = max(measure.in_force_from, day)
    measure.updated_by = access.user
    measure.save(update_fields=["status", "refused_on", "refusal_method", "refusal_note", "in_force_to",
                                "updated_by"])
    _audit(access, measure, AuditAction.STATUS, channel,
           {"status": [old, S.REFUSED], "refused_on": day.isoformat(), "method": method},
           ["refusal_note"] if measure.refusal_note else [])
    return measure


def in_force_on(measure: ProtectionMeasure, day: Any = None) -> bool:
    day = day or timezone.localdate()
    return bool(measure.status == S.IN_FORCE and measure.in_force_from and measure.in_force_from <= day
                and (measure.in_force_to is None or day <= measure.in_force_to))
