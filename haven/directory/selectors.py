"""Reading the service directory: search by need, places free, gaps, and the audited contact details.

Everyone logged in may search the directory and see its gaps. The sealed address and phone are read
only for caseworkers, supervisors and agency administrators (`sees_contact`), one audit event per
offering read, naming the fields and never their values. Every other query defers those columns, so
they are not even decrypted.

Membership in the `items` and `languages` lists is tested in Python after the database has narrowed
the rows (active, province, sex, age): JSON containment has no portable lookup on SQLite and
PostgreSQL, and a province's directory is a few hundred rows at most.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haven.accounts.models import Role
from haven.audit.models import AuditAction
from haven.audit.services import audit_record_many
from haven.core.errors import HavenError, NotFound
from haven.core.text import normalise_name, vietnamese_sort_key
from haven.directory.catalogue import (
    ADULTS_ONLY_NEEDS,
    GROUPS,
    LANGUAGE_CODES,
    NEED_CODES,
    SEXES,
    SHELTER,
    Group,
    lang,
    language_name,
    need_name,
)
from haven.directory.models import ServiceOffering
from haven.geo.models import AdminUnit, UnitLevel

CONTACT_ROLES = frozenset({Role.CASEWORKER, Role.SUPERVISOR, Role.AGENCY_ADMIN})
CONTACT_FIELDS = ("address", "phone")


def sees_contact(user: Any) -> bool:
    """Caseworkers, supervisors and agency administrators of an agency; never statisticians, auditors,
    system administrators or anonymous visitors."""
    return bool(user is not None and user.is_authenticated and user.is_active and user.agency_id
                and user.role in CONTACT_ROLES)


def _base() -> QuerySet[ServiceOffering]:
    # The jurisdiction's parents too: an agency's province is at most two levels up (commune, district).
    return ServiceOffering.objects.defer(*CONTACT_FIELDS).select_related("agency__jurisdiction__parent__parent")


# --- Provinces ---------------------------------------------------------------------------------------


def current_province(unit: AdminUnit, on: dt.date | None = None) -> AdminUnit:
    """A province that has ended (e.g. Lào Cai before the 2025 merger) stands for its successor."""
    day = on or timezone.localdate()
    seen = set()
    while not unit.is_valid_on(day) and unit.successor_id and unit.pk not in seen:
        seen.add(unit.pk)
        unit = unit.successor  # type: ignore[assignment]
    return unit


def resolve_province(code: Any, on: dt.date | None = None) -> AdminUnit:
    """The province named by its code, as it is today. A clear error for anything else."""
    if not isinstance(code, str) or not code.strip():
        raise HavenError(gettext_lazy("Choose a province."), field="province")
    unit = AdminUnit.objects.filter(code=code.strip(), level=UnitLevel.PROVINCE).select_related("successor").first()
    if unit is None:
        raise HavenError(gettext_lazy("There is no province with this code."), field="province")
    return current_province(unit, on)


def _province_ids(province: AdminUnit) -> set[int]:
    """The province and the provinces merged into it, so agencies registered under either are found."""
    ids, frontier = {province.pk}, [province.pk]
    while frontier:
        found = set(AdminUnit.objects.filter(successor_id__in=frontier, level=UnitLevel.PROVINCE)
                    .values_list("pk", flat=True)) - ids
        ids |= found
        frontier = list(found)
    return ids


def _in_province(province: AdminUnit) -> Q:
    ids = _province_ids(province)
    return (Q(agency__jurisdiction_id__in=ids) | Q(agency__jurisdiction__parent_id__in=ids)
            | Q(agency__jurisdiction__parent__parent_id__in=ids))


def province_short_name(unit: AdminUnit) -> str:
    """"Tỉnh Lào Cai" -> "Lào Cai", as a sentence names it."""
    for prefix in ("Tỉnh ", "Thành phố ", "TP. "):
        if unit.name.startswith(prefix):
            return unit.name[len(prefix):]
    return unit.name


def province_choices(on: dt.date | None = None) -> list[tuple[str, str]]:
    units = AdminUnit.objects.valid_on(on or timezone.localdate()).filter(level=UnitLevel.PROVINCE)
    rows = [(u.code, province_short_name(u)) for u in units]
    return sorted(rows, key=lambda row: agency_sort_key(row[1]))


def default_province(user: Any) -> AdminUnit | None:
    """The province of the user's agency, as it is today."""
    agency = getattr(user, "agency", None)
    if agency is None:
        return None
    return current_province(agency.jurisdiction.province())


# --- Search ------------------------------------------------------------------------------------------


def agency_sort_key(name: str) -> tuple:
    """Vietnamese alphabetical order word by word from the first word. (vietnamese_sort_key's first part
    orders a person's name by the given name; an agency's name is read from the start.)"""
    return vietnamese_sort_key(name)[1]


@dataclass
class Entry:
    """One offering as the directory shows it, with its agency's current occupancy if residential."""

    offering: ServiceOffering
    occupied: int | None = None  # people staying at the agency now (residential offerings only)
    agency_capacity: int | None = None  # places of all the agency's active residential offerings
    contact: dict[str, str] | None = field(default=None)

    @property
    def places_free(self) -> int | None:
        if self.agency_capacity is None or self.occupied is None:
            return None
        return max(self.agency_capacity - self.occupied, 0)


def offerings_for_need(*, item: str | None = None, sex: str | None = None, age: int | None = None,
                       language: str | None = None, province: AdminUnit | None = None, q: str = "",
                       include_inactive: bool = False, agency_id: int | None = None) -> list[ServiceOffering]:
    """Offerings that meet a need, in Vietnamese order of agency name then service name. Each filter is
    optional; `q` matches words of the agency's name without regard to accents ("lao cai" finds "Lào Cai")."""
    if item and item not in NEED_CODES:
        raise HavenError(gettext_lazy("Choose one of the listed options."), field="item")
    if language and language not in LANGUAGE_CODES:
        raise HavenError(gettext_lazy("Choose one of the listed options."), field="language")
    if sex and sex not in SEXES:
        raise HavenError(gettext_lazy("Choose one of the listed options."), field="sex")
    rows = _base()
    if not include_inactive:
        rows = rows.filter(is_active=True, agency__is_active=True)
    if agency_id is not None:
        rows = rows.filter(agency_id=agency_id)
    if sex:
        rows = rows.filter(**{f"accepts_{sex}": True})
    if age is not None:
        rows = rows.filter(Q(min_age__isnull=True) | Q(min_age__lte=age)).filter(
            Q(max_age__isnull=True) | Q(max_age__gte=age))
    if province is not None:
        rows = rows.filter(_in_province(province))
    found = [o for o in rows if (not item or item in o.items) and (not language or language in o.languages)]
    words = normalise_name(q or "").split()
    if words:
        found = [o for o in found if _name_matches(o, words)]
    return sorted(found, key=lambda o: (agency_sort_key(o.agency.name), agency_sort_key(o.name), o.pk))


def _name_matches(offering: ServiceOffering, words: list[str]) -> bool:
    haystack = f" {normalise_name(offering.agency.name)} {normalise_name(offering.agency.name_en)} "
    return all(f" {w}" in haystack for w in words)  # each word starts a word of the name


def capacity_by_agency(agency_ids: Iterable[int]) -> dict[int, int]:
    """Places of each agency's active residential offerings, summed. Agencies without any are absent."""
    rows = (ServiceOffering.objects.filter(agency_id__in=list(agency_ids), is_active=True, capacity__isnull=False)
            .values_list("agency_id", "items", "capacity"))
    totals: dict[int, int] = {}
    for agency_id, items, capacity in rows:
        if SHELTER in (items or []) and capacity is not None:
            totals[agency_id] = totals.get(agency_id, 0) + capacity
    return totals


def occupancy_by_agency(agency_ids: Iterable[int]) -> dict[int, int]:
    """People staying at each agency now: shelter stays not yet discharged."""
    from haven.support.models import ShelterStay

    rows = (ShelterStay.objects.filter(facility_id__in=list(agency_ids), discharged_on__isnull=True)
            .values("facility_id").annotate(n=Count("pk")).values_list("facility_id", "n"))
    return dict(rows)


def entries(offerings: list[ServiceOffering]) -> list[Entry]:
    """Offerings with their agency's places and occupancy; two queries whatever the number of rows."""
    residential = {o.agency_id for o in offerings if o.is_residential}
    capacity = capacity_by_agency(residential) if residential else {}
    occupied = occupancy_by_agency(residential) if residential else {}
    return [
        Entry(o, occupied.get(o.agency_id, 0), capacity.get(o.agency_id)) if o.is_residential else Entry(o)
        for o in offerings
    ]


def offering_get(offering_id: Any) -> ServiceOffering:
    """One offering (active or not) without its contact details; NotFound if there is none."""
    from haven.cases.validation import record_id

    offering = _base().filter(pk=record_id(offering_id)).first()
    if offering is None:
        raise NotFound()
    return offering


def read_contacts(user: Any, offerings: list[ServiceOffering], *, channel: str = "web") -> dict[int, dict[str, str]]:
    """Address and phone of these offerings if the user may see them ({} otherwise); every offering read
    is one audit event naming the fields, never their values."""
    if not sees_contact(user) or not offerings:
        return {}
    rows = ServiceOffering.objects.filter(pk__in=[o.pk for o in offerings]).only("pk", *CONTACT_FIELDS)
    contacts = {row.pk: {"address": row.address or "", "phone": row.phone or ""} for row in rows}
    audit_record_many([
        {"actor": user, "action": AuditAction.VIEW_IDENTITY, "object_type": "service_offering", "object_id": pk,
         "fields": [k for k in CONTACT_FIELDS if values[k]], "channel": channel, "reason": "directory"}
        for pk, values in contacts.items() if values["address"] or values["phone"]
    ])
    return contacts


def agencies_managed_by(user: Any) -> QuerySet[Any]:
    from haven.accounts.models import Agency

    if user.role == Role.SYSTEM_ADMIN:
        return Agency.objects.filter(is_active=True).select_related("jurisdiction")
    if user.role == Role.AGENCY_ADMIN and user.agency_id:
        return Agency.objects.filter(pk=user.agency_id, is_active=True).select_related("jurisdiction")
    return Agency.objects.none()


# --- Gaps --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Gap:
    need: str
    group: str | None  # None: no group at all is served
    language: str | None = None

    def sentence(self, province_name: str) -> str:
        if self.language:
            name = language_name(self.language)
            # "Tiếng Hà Nhì" heads a list; inside a Vietnamese sentence it is "tiếng Hà Nhì". English
            # language names are proper nouns and keep their capital.
            name = name if lang() == "en" else _lower_first(name)
            return _("No service in %(province)s speaks %(language)s.") % {
                "province": province_name, "language": name}
        need = _lower_first(need_name(self.need))
        if self.group is None:
            return _("No service in %(province)s offers %(need)s.") % {"province": province_name, "need": need}
        group = next(g for g in GROUPS if g.code == self.group)
        return _("No service in %(province)s accepts %(group)s for %(need)s.") % {
            "province": province_name, "group": group.name, "need": need}


def _lower_first(text: str) -> str:
    # Support names start with a capital in lists ("Shelter", "Hỗ trợ tâm lý") and not inside a sentence.
    return text[:1].lower() + text[1:]


@dataclass
class Gaps:
    province: AdminUnit
    province_name: str
    on: dt.date
    offerings: int
    # need -> group -> number of active offerings that serve someone of the group (None: not applicable)
    matrix: dict[str, dict[str, int | None]]
    languages: dict[str, int]  # language -> number of active offerings that speak it
    gaps: list[Gap]

    def sentences(self) -> list[str]:
        return [gap.sentence(self.province_name) for gap in self.gaps]


def _serves(offering: ServiceOffering, group: Group) -> bool:
    """Someone of the group can be accepted: the sex matches and the age ranges overlap."""
    if group.sex not in offering.sexes:
        return False
    if offering.max_age is not None and offering.max_age < group.min_age:
        return False
    return not (group.max_age is not None and offering.min_age is not None and offering.min_age > group.max_age)


def directory_gaps(province: AdminUnit, *, on: dt.date | None = None) -> Gaps:
    """For a province: each need × group and each language, and the combinations no active offering covers."""
    offerings = [o for o in _base().filter(is_active=True, agency__is_active=True).filter(_in_province(province))]
    matrix: dict[str, dict[str, int | None]] = {}
    gaps: list[Gap] = []
    for need in NEED_CODES:
        giving = [o for o in offerings if need in o.items]
        row: dict[str, int | None] = {}
        for group in GROUPS:
            if need in ADULTS_ONLY_NEEDS and group.max_age is not None:
                row[group.code] = None
            else:
                row[group.code] = sum(1 for o in giving if _serves(o, group))
        matrix[need] = row
        if not giving:
            gaps.append(Gap(need, None))
        else:
            gaps.extend(Gap(need, g) for g, n in row.items() if n == 0)
    languages = {code: sum(1 for o in offerings if code in o.languages) for code in LANGUAGE_CODES}
    gaps.extend(Gap("", None, code) for code, n in languages.items() if n == 0)
    return Gaps(province=province, province_name=province_short_name(province), on=on or timezone.localdate(),
                offerings=len(offerings), matrix=matrix, languages=languages, gaps=gaps)

