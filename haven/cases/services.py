"""Every change to a person or case: atomic, validated, audited. Views, API and commands call these."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import Agency, IdentityField, Role
from haven.audit.models import AuditAction
from haven.audit.services import audit_record
from haven.cases import validation as v
from haven.cases.models import (
    BreakGlass,
    Case,
    Category,
    Ethnicity,
    Exploitation,
    IdentifiedAt,
    Language,
    MeansOfControl,
    NameToken,
    Person,
    PersonIdentity,
    ReturnMode,
    Sex,
    Signoff,
    SignoffRule,
    Status,
)
from haven.cases.selectors import CaseAccess, access_case
from haven.core import crypto
from haven.core.errors import HavenError, NotFound, PermissionDenied
from haven.core.text import name_tokens, normalise_name
from haven.geo.models import AdminUnit, UnitLevel

_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read aloud without mistakes


@dataclass
class Registration:
    """What a registration form or API call provides. Identity fields are sealed on save."""

    full_name: str
    sex: str
    category: str
    received_on: Any
    reception_place: str
    return_mode: str
    other_names: str = ""
    date_of_birth: Any = None
    id_number: str = ""
    phone: str = ""
    address: str = ""
    family_contacts: str = ""
    notes: str = ""
    birth_year: Any = None
    ethnicity: str = Ethnicity.UNKNOWN
    nationality: str = "VN"
    home_province: str = ""
    home_commune: str = ""
    languages: list[str] = field(default_factory=list)
    reception_unit: str = ""
    identified_at: str = ""
    exploitation_types: list[str] = field(default_factory=list)
    destination_country: str = ""
    means_of_control: list[str] = field(default_factory=list)
    accompanies: str = ""


class DuplicateWarning(HavenError):
    """The same person may already be registered; the caller must confirm to go on."""

    def __init__(self, matches: list[Case]) -> None:
        super().__init__(
            _("A person with the same ID number, or the same name and date of birth, is already registered."),
            field="full_name", code="possible_duplicate",
        )
        self.matches = matches


def _new_code(year: int) -> str:
    while True:
        code = f"HV-{year % 100:02d}-" + "".join(secrets.choice(_CODE_ALPHABET) for _ in range(6))
        if not Case.objects.filter(code=code).exists():
            return code


def _unit(code: str, field_name: str, level: str | None) -> AdminUnit | None:
    if not code:
        return None
    unit = AdminUnit.objects.filter(code=code).first()
    if unit is None or (level and unit.level != level):
        raise HavenError(_("Choose an administrative unit from the list."), field=field_name)
    return unit


def _indexes(full_name: str, date_of_birth: str, id_number: str) -> dict[str, str]:
    name = normalise_name(full_name)
    return {
        "id_number_bidx": crypto.blind_index(id_number, purpose="id_number") if id_number else "",
        "name_bidx": crypto.blind_index(name, purpose="name"),
        "name_dob_bidx": crypto.blind_index(f"{name}|{date_of_birth}", purpose="name_dob") if date_of_birth else "",
    }


def _token_indexes(*names: str) -> set[str]:
    return {crypto.blind_index(t, purpose="name_token") for n in names for t in name_tokens(n)}


def find_duplicates(*, full_name: str, date_of_birth: str = "", id_number: str = "") -> list[Case]:
    """Cases of any agency whose person has the same ID number, or the same normalised name and birth date."""
    idx = _indexes(full_name, date_of_birth, id_number)
    people: set[int] = set()
    if idx["id_number_bidx"]:
        people.update(PersonIdentity.objects.filter(id_number_bidx=idx["id_number_bidx"]).values_list("person_id", flat=True))
    if idx["name_dob_bidx"]:
        people.update(PersonIdentity.objects.filter(name_dob_bidx=idx["name_dob_bidx"]).values_list("person_id", flat=True))
    return list(Case.objects.filter(person_id__in=people).select_related("owner_agency").order_by("-received_on"))


def _require_case_role(user: Any) -> Agency:
    if not (user and user.is_authenticated and user.role in (Role.CASEWORKER, Role.SUPERVISOR) and user.agency_id):
        raise PermissionDenied(_("Only caseworkers and supervisors of an agency can register people."))
    return user.agency


def _validate_registration(data: Registration, user: Any) -> dict[str, Any]:
    received_on = v.required_date(data.received_on, "received_on")
    dob = v.date(data.date_of_birth, "date_of_birth")
    birth_year = v.year(data.birth_year, "birth_year")
    if dob and birth_year and dob.year != birth_year:
        raise HavenError(_("The year of birth does not match the date of birth."), field="birth_year")
    if dob and dob > received_on:
        raise HavenError(_("The date of birth is after the date of reception."), field="date_of_birth")
    birth_year = birth_year or (dob.year if dob else None)
    age: int | None
    if dob:
        age = received_on.year - dob.year - ((received_on.month, received_on.day) < (dob.month, dob.day))
    else:
        age = received_on.year - birth_year if birth_year else None
    category = v.choice(data.category, "category", Category.values)
    province = _unit(v.text(data.home_province, "home_province"), "home_province", UnitLevel.PROVINCE)
    commune = _unit(v.text(data.home_commune, "home_commune"), "home_commune", UnitLevel.COMMUNE)
    if commune and province and commune.province().pk != province.pk:
        raise HavenError(_("The commune is not in the chosen province."), field="home_commune")
    accompanies = None
    if data.accompanies:
        if category != Category.ACCOMPANYING_MINOR:
            raise HavenError(_("Only an accompanying minor accompanies another case."), field="accompanies")
        try:
            accompanies = access_case(user, code=data.accompanies).case
        except NotFound:
            raise HavenError(_("No case with this code is open to you."), field="accompanies") from None
    if category == Category.ACCOMPANYING_MINOR and age is not None and age >= 18:
        raise HavenError(_("An accompanying minor must be under 18."), field="category")
    return {
        "identity": {
            "full_name": v.text(data.full_name, "full_name", required=True),
            "other_names": v.text(data.other_names, "other_names", max_length=400),
            "date_of_birth": dob.isoformat() if dob else "",
            "id_number": v.id_number(data.id_number, "id_number"),
            "phone": v.phone(data.phone, "phone"),
            "address": v.text(data.address, "address", max_length=500),
            "family_contacts": v.text(data.family_contacts, "family_contacts", max_length=1000),
            "notes": v.text(data.notes, "notes", max_length=5000),
        },
        "person": {
            "sex": v.choice(data.sex, "sex", Sex.values),
            "birth_year": birth_year,
            "ethnicity": v.choice(data.ethnicity or Ethnicity.UNKNOWN, "ethnicity", Ethnicity.values),
            "nationality": v.country(data.nationality, "nationality", required=True, extra=["stateless"]),
            "home_province": province,
            "home_commune": commune,
            "languages": v.choices(data.languages, "languages", Language.values),
        },
        "case": {
            "category": category,
            "received_on": received_on,
            "reception_place": v.text(data.reception_place, "reception_place", required=True),
            "reception_unit": _unit(v.text(data.reception_unit, "reception_unit"), "reception_unit", None),
            "return_mode": v.choice(data.return_mode, "return_mode", ReturnMode.values),
            "identified_at": v.choice(data.identified_at, "identified_at", IdentifiedAt.values, required=False),
            "age_at_reception": age,
            "exploitation_types": v.choices(data.exploitation_types, "exploitation_types", Exploitation.values),
            "destination_country": v.country(data.destination_country, "destination_country"),
            "means_of_control": v.choices(data.means_of_control, "means_of_control", MeansOfControl.values),
            "accompanies": accompanies,
        },
    }


@transaction.atomic
def case_register(*, acting_user: Any, data: Registration, confirm_duplicate: bool = False, channel: str = "web") -> Case:
    """Register a returned person and open their case, assigned to the registering worker."""
    agency = _require_case_role(acting_user)
    clean = _validate_registration(data, acting_user)
    identity = clean["identity"]
    matches = find_duplicates(
        full_name=identity["full_name"], date_of_birth=identity["date_of_birth"], id_number=identity["id_number"]
    )
    if matches and not confirm_duplicate:
        raise DuplicateWarning(matches)
    person = Person.objects.create(**clean["person"])
    PersonIdentity.objects.create(
        person=person, **identity,
        **_indexes(identity["full_name"], identity["date_of_birth"], identity["id_number"]),
    )
    NameToken.objects.bulk_create(
        NameToken(person=person, token_bidx=t) for t in _token_indexes(identity["full_name"], identity["other_names"])
    )
    case = Case.objects.create(
        code=_new_code(clean["case"]["received_on"].year), person=person, owner_agency=agency,
        receiving_agency=agency, assigned_worker=acting_user, created_by=acting_user, **clean["case"],
    )
    audit_record(
        actor=acting_user, action=AuditAction.CREATE, object_type="case", object_id=case.pk, case_id=case.pk,
        fields=[k for k, val in identity.items() if val],
        changes={"status": [None, case.status], "category": [None, case.category],
                 "duplicate_confirmed": bool(matches)},
        channel=channel,
    )
    return case


@transaction.atomic
def identity_update(*, access: CaseAccess, changes: dict[str, Any], channel: str = "web") -> list[str]:
    """Change identity fields. Only the names of changed fields are audited, never the values."""
    if not access.can_edit:
        raise NotFound()
    unknown = set(changes) - set(IdentityField.values)
    if unknown:
        raise HavenError(_("Unknown field: %(f)s") % {"f": ", ".join(sorted(unknown))})
    identity = PersonIdentity.objects.select_for_update().get(person_id=access.case.person_id)
    cleaners = {
        "full_name": lambda x: v.text(x, "full_name", required=True),
        "other_names": lambda x: v.text(x, "other_names", max_length=400),
        "date_of_birth": lambda x: (d.isoformat() if (d := v.date(x, "date_of_birth")) else ""),
        "id_number": lambda x: v.id_number(x, "id_number"),
        "phone": lambda x: v.phone(x, "phone"),
        "address": lambda x: v.text(x, "address", max_length=500),
        "family_contacts": lambda x: v.text(x, "family_contacts", max_length=1000),
        "notes": lambda x: v.text(x, "notes", max_length=5000),
    }
    changed = []
    for name, raw in changes.items():
        value = cleaners[name](raw)
        if value != getattr(identity, name):
            setattr(identity, name, value)
            changed.append(name)
    if not changed:
        return []
    for key, value in _indexes(identity.full_name, identity.date_of_birth, identity.id_number).items():
        setattr(identity, key, value)
    identity.save()
    if {"full_name", "other_names"} & set(changed):
        NameToken.objects.filter(person_id=identity.person_id).delete()
        NameToken.objects.bulk_create(
            NameToken(person_id=identity.person_id, token_bidx=t)
            for t in _token_indexes(identity.full_name, identity.other_names)
        )
    audit_record(
        actor=access.user, action=AuditAction.UPDATE, object_type="person", object_id=identity.person_id,
        case_id=access.case.pk, fields=changed, channel=channel,
    )
    return changed


# Workflow: which status may follow which. Closing is possible from every open status.
TRANSITIONS: dict[str, set[str]] = {
    Status.RECEPTION: {Status.VERIFICATION, Status.SUPPORT, Status.CLOSED},
    Status.VERIFICATION: {Status.IDENTIFIED, Status.NOT_VICTIM, Status.CLOSED},
    Status.IDENTIFIED: {Status.SUPPORT, Status.CLOSED},
    Status.NOT_VICTIM: {Status.CLOSED, Status.VERIFICATION},
    Status.SUPPORT: {Status.REINTEGRATION, Status.CLOSED},
    Status.REINTEGRATION: {Status.SUPPORT, Status.CLOSED},
    Status.CLOSED: set(),
}


def _transition(access: CaseAccess, to_status: str, *, channel: str, **updates: Any) -> Case:
    case = Case.objects.select_for_update().get(pk=access.case.pk)
    if to_status not in TRANSITIONS[case.status]:
        raise HavenError(
            _("A case in status “%(from)s” cannot move to “%(to)s”.")
            % {"from": Status(case.status).label, "to": Status(to_status).label},
            field="status", code="bad_transition",
        )
    old = {"status": case.status, **{k: _jsonable(getattr(case, k)) for k in updates}}
    case.status = to_status
    for key, value in updates.items():
        setattr(case, key, value)
    case.save(update_fields=["status", "updated_at", *updates])
    audit_record(
        actor=access.user, action=AuditAction.STATUS, object_type="case", object_id=case.pk, case_id=case.pk,
        changes={k: [old[k], _jsonable(getattr(case, k))] for k in old}, channel=channel,
    )
    access.case.__dict__.update({k: getattr(case, k) for k in ("status", *updates)})
    return case


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value


@transaction.atomic
def case_start_verification(*, access: CaseAccess, channel: str = "web") -> Case:
    _edit(access)
    if access.case.category != Category.UNDER_IDENTIFICATION:
        raise HavenError(_("Only a person under identification is verified."), field="status")
    return _transition(access, Status.VERIFICATION, channel=channel)


@transaction.atomic
def case_identify(
    *, access: CaseAccess, identified_on: Any, authority: str, document: str, channel: str = "web"
) -> Case:
    """Record the identification decision. Its date selects the legal regime (Law 53/2024 Art. 63)."""
    _edit(access)
    day = v.required_date(identified_on, "identified_on")
    if day < access.case.received_on:
        raise HavenError(_("The identification date is before the date of reception."), field="identified_on")
    case = _transition(
        access, Status.IDENTIFIED, channel=channel, category=Category.VICTIM, identified_on=day,
        identification_authority=v.text(authority, "authority", required=True),
        identification_document=v.text(document, "document", required=True, max_length=100),
    )
    for rule in SignoffRule.objects.all():
        Signoff.objects.create(case=case, agency_kind=rule.agency_kind, due_on=day + dt.timedelta(days=rule.due_days))
    return case


@transaction.atomic
def case_mark_not_victim(*, access: CaseAccess, reason: str, channel: str = "web") -> Case:
    _edit(access)
    return _transition(
        access, Status.NOT_VICTIM, channel=channel,
        not_victim_reason=v.text(reason, "reason", required=True, max_length=2000),
    )


@transaction.atomic
def case_start_support(*, access: CaseAccess, channel: str = "web") -> Case:
    _edit(access)
    if access.case.category in (Category.UNDER_IDENTIFICATION,) and access.case.status == Status.RECEPTION:
        raise HavenError(_("A person under identification is verified before support starts."), field="status")
    return _transition(access, Status.SUPPORT, channel=channel)


@transaction.atomic
def case_start_reintegration(*, access: CaseAccess, channel: str = "web") -> Case:
    _edit(access)
    return _transition(access, Status.REINTEGRATION, channel=channel)


@transaction.atomic
def case_close(*, access: CaseAccess, reason: str, closed_on: Any = None, channel: str = "web") -> Case:
    _edit(access)
    day = v.date(closed_on, "closed_on") or timezone.localdate()
    return _transition(
        access, Status.CLOSED, channel=channel, closed_on=day,
        closure_reason=v.text(reason, "reason", required=True, max_length=2000),
    )


def _edit(access: CaseAccess) -> None:
    if not access.can_edit:
        raise NotFound()


def _worker_id(value: Any) -> int:
    try:
        return v.record_id(value)
    except NotFound:
        raise HavenError(_("Choose a worker of this agency."), field="worker") from None


@transaction.atomic
def case_assign(*, access: CaseAccess, worker_id: Any, channel: str = "web") -> Case:
    """A supervisor assigns the case to a caseworker of the owning agency."""
    if not access.is_supervisor:
        raise NotFound()
    from haven.accounts.models import User

    worker = User.objects.filter(
        pk=_worker_id(worker_id), agency_id=access.case.owner_agency_id,
        role__in=[Role.CASEWORKER, Role.SUPERVISOR], is_active=True,
    ).first()
    if worker is None:
        raise HavenError(_("Choose a worker of this agency."), field="worker")
    case = Case.objects.select_for_update().get(pk=access.case.pk)
    old = case.assigned_worker_id
    case.assigned_worker = worker
    case.save(update_fields=["assigned_worker", "updated_at"])
    audit_record(
        actor=access.user, action=AuditAction.UPDATE, object_type="case", object_id=case.pk, case_id=case.pk,
        changes={"assigned_worker": [old, worker.pk]}, channel=channel,
    )
    access.case.assigned_worker = worker
    return case


def signoffs_for_agency(user: Any) -> Any:
    """Sign-offs waiting for the user's agency kind within its province (supervisors sign)."""
    if not user.is_authenticated or user.role != Role.SUPERVISOR or not user.agency_id:
        return Signoff.objects.none()
    province = user.agency.province()
    return Signoff.objects.filter(
        agency_kind=user.agency.kind, decision=Signoff.Decision.PENDING,
        case__owner_agency__jurisdiction__in=_units_in(province),
    ).select_related("case")


def _units_in(province: AdminUnit) -> list[int]:
    ids, frontier = [province.pk], [province.pk]
    while frontier:
        frontier = list(AdminUnit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids.extend(frontier)
    return ids


@transaction.atomic
def signoff_sign(*, acting_user: Any, signoff_id: Any, decision: str, note: str = "", channel: str = "web") -> Signoff:
    signoff = signoffs_for_agency(acting_user).select_for_update().filter(
        pk=v.record_id(signoff_id)
    ).first()
    if signoff is None:
        raise NotFound()
    decision = v.choice(decision, "decision", [Signoff.Decision.APPROVED, Signoff.Decision.OBJECTED])
    note = v.text(note, "note", required=decision == Signoff.Decision.OBJECTED, max_length=2000)
    signoff.decision, signoff.note = decision, note
    signoff.agency, signoff.signed_by, signoff.signed_at = acting_user.agency, acting_user, timezone.now()
    signoff.save()
    audit_record(
        actor=acting_user, action=AuditAction.UPDATE, object_type="signoff", object_id=signoff.pk,
        case_id=signoff.case_id, changes={"decision": ["pending", decision]}, channel=channel,
    )
    return signoff


@transaction.atomic
def break_glass_open(*, acting_user: Any, code: str, reason: str, channel: str = "web") -> BreakGlass:
    """Emergency access with a written reason; time-limited and flagged for supervisors to review."""
    if not (acting_user.is_authenticated and acting_user.role in (Role.CASEWORKER, Role.SUPERVISOR)):
        raise NotFound()
    reason = v.text(reason, "reason", required=True, max_length=2000)
    if len(reason) < 20:
        raise HavenError(_("Explain the emergency in at least 20 characters."), field="reason")
    case = Case.objects.filter(code=v.text(code, "code").upper()).first()
    if case is None:
        raise NotFound()
    grant = BreakGlass.objects.create(
        case=case, user=acting_user, reason=reason,
        expires_at=timezone.now() + dt.timedelta(hours=settings.HAVEN_BREAK_GLASS_HOURS),
    )
    audit_record(
        actor=acting_user, action=AuditAction.BREAK_GLASS, object_type="case", object_id=case.pk, case_id=case.pk,
        changes={"break_glass": grant.pk, "reason_length": len(reason)}, channel=channel,
    )
    return grant


@transaction.atomic
def break_glass_review(*, acting_user: Any, grant_id: Any, note: str = "", channel: str = "web") -> BreakGlass:
    from haven.cases.selectors import break_glass_pending_review

    grant = break_glass_pending_review(acting_user).filter(pk=v.record_id(grant_id)).first()
    if grant is None:
        raise NotFound()
    grant.reviewed_by, grant.reviewed_at = acting_user, timezone.now()
    grant.review_note = v.text(note, "note", max_length=2000)
    grant.save(update_fields=["reviewed_by", "reviewed_at", "review_note"])
    audit_record(
        actor=acting_user, action=AuditAction.UPDATE, object_type="break_glass", object_id=grant.pk,
        case_id=grant.case_id, changes={"reviewed": [False, True]}, channel=channel,
    )
    return grant
