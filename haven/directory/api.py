"""API of the service directory: search by need, gaps of a province, and offerings.

Everyone authenticated searches and reads gaps. The sealed address and phone are returned only to
caseworkers, supervisors and agency administrators, and in lists only when asked for (`contact=true`):
each offering read is one audit event. Writes go through `haven.directory.services`.
"""

from __future__ import annotations

from typing import Annotated, Any

import pydantic
from django.http import HttpRequest
from ninja import Query, Router, Schema

from haven.core.api_auth import ANY_AUTH, api_user
from haven.core.api_types import ERRORS, ErrorOut, IdPath, Limit, Offset, reply, text
from haven.directory.api_schemas import (
    Age,
    DirectoryLanguage,
    DirectoryNeed,
    DirectorySex,
    GapsOut,
    OfferingIn,
    OfferingOut,
    OfferingPage,
    OfferingPatch,
)
from haven.directory.catalogue import GROUPS, LANGUAGE_CODES, NEED_CODES, NEEDS, language_name
from haven.directory.models import ServiceOffering
from haven.directory.selectors import (
    Entry,
    current_province,
    directory_gaps,
    entries,
    offering_get,
    offerings_for_need,
    read_contacts,
    resolve_province,
    sees_contact,
)
from haven.directory.services import offering_create, offering_update

router = Router(auth=ANY_AUTH)
CHANNEL = "api"


_user = api_user


def _province_code(offering: ServiceOffering, known: dict[int, str]) -> str | None:
    unit_id = offering.agency.jurisdiction_id
    if unit_id not in known:
        known[unit_id] = current_province(offering.agency.jurisdiction.province()).code
    return known[unit_id]


def _out(entry: Entry, *, visible: bool, contact: dict[str, str] | None,
         provinces: dict[int, str] | None = None) -> dict[str, Any]:
    o = entry.offering
    agency = o.agency
    return {
        "id": o.pk, "name": o.name, "items": o.items, "sexes": o.sexes, "min_age": o.min_age, "max_age": o.max_age,
        "languages": o.languages, "capacity": o.capacity, "residential": o.is_residential,
        "occupied": entry.occupied, "places_free": entry.places_free, "notes": o.notes, "is_active": o.is_active,
        "contact_visible": visible, "address": contact["address"] if contact else None,
        "phone": contact["phone"] if contact else None, "updated_at": o.updated_at,
        "agency": {"id": agency.pk, "name": agency.name, "name_en": agency.name_en, "kind": agency.kind,
                   "province": _province_code(o, {} if provinces is None else provinces)},
    }


def _page(request: HttpRequest, found: list[ServiceOffering], *, limit: int, offset: int,
          contact: bool) -> dict[str, Any]:
    user = _user(request)
    shown = found[offset: offset + limit]
    visible = sees_contact(user)
    contacts = read_contacts(user, shown, channel=CHANNEL) if contact and visible else {}
    provinces: dict[int, str] = {}
    return {"total": len(found), "limit": limit, "offset": offset,
            "results": [_out(e, visible=visible, contact=contacts.get(e.offering.pk), provinces=provinces)
                        for e in entries(shown)]}


class SearchQuery(Schema):
    item: DirectoryNeed | None = pydantic.Field(None, description="A need: an entitlement item or a service kind")  # type: ignore[valid-type]
    sex: DirectorySex | None = None  # type: ignore[valid-type]
    age: Age | None = None
    language: DirectoryLanguage | None = pydantic.Field(None, description="ISO 639-3")  # type: ignore[valid-type]
    province: text(120) | None = pydantic.Field(None, description="Province code, e.g. lao-cai-2025")  # type: ignore[valid-type]
    q: text(100) = pydantic.Field("", description="Words of the agency's name, accents optional")  # type: ignore[valid-type]
    contact: bool = pydantic.Field(False, description="Include address and phone if your role may see them (audited)")


def _province(code: str | None) -> Any:
    return resolve_province(code) if code else None


@router.get("/directory", response={200: OfferingPage, ERRORS: ErrorOut},
            summary="Search active services by need, sex, age, language, province and agency name")
def directory_search(request: HttpRequest, query: Query[SearchQuery], limit: Limit = 25,
                     offset: Offset = 0) -> dict[str, Any]:
    found = offerings_for_need(
        item=query.item.value if query.item else None, sex=query.sex.value if query.sex else None, age=query.age,
        language=query.language.value if query.language else None, province=_province(query.province), q=query.q,
    )
    return _page(request, found, limit=limit, offset=offset, contact=query.contact)


class GapsQuery(Schema):
    province: text(120, min_length=1) = pydantic.Field(..., description="Province code, e.g. lao-cai-2025")  # type: ignore[valid-type]


@router.get("/directory/gaps", response={200: GapsOut, ERRORS: ErrorOut},
            summary="Needs × groups and languages that no active service of the province covers, in sentences")
def directory_gaps_detail(request: HttpRequest, query: Query[GapsQuery]) -> dict[str, Any]:
    result = directory_gaps(resolve_province(query.province))
    return {
        "province": {"code": result.province.code, "name": result.province_name}, "on": result.on,
        "offerings": result.offerings,
        "groups": [{"code": g.code, "sex": g.sex, "min_age": g.min_age, "max_age": g.max_age, "name": str(g.name)}
                   for g in GROUPS],
        "matrix": [{"need": code, "name": NEEDS[code], "groups": result.matrix[code]} for code in NEED_CODES],
        "languages": [{"code": code, "name": {"vi": language_name(code, "vi"), "en": language_name(code, "en")},
                       "offerings": result.languages[code]} for code in LANGUAGE_CODES],
        "gaps": [{"need": gap.need or None, "group": gap.group, "language": gap.language,
                  "sentence": gap.sentence(result.province_name)} for gap in result.gaps],
    }


class ListQuery(Schema):
    agency_id: Annotated[int, pydantic.Field(ge=1, le=2**63 - 1)] | None = None
    active: bool | None = pydantic.Field(None, description="Only active (true) or inactive (false) services")
    contact: bool = pydantic.Field(False, description="Include address and phone if your role may see them (audited)")


@router.get("/directory/offerings", response={200: OfferingPage, ERRORS: ErrorOut},
            summary="Every service in the directory, active and inactive")
def offering_list(request: HttpRequest, query: Query[ListQuery], limit: Limit = 25,
                  offset: Offset = 0) -> dict[str, Any]:
    found = offerings_for_need(include_inactive=True, agency_id=query.agency_id)
    if query.active is not None:
        found = [o for o in found if o.is_active == query.active]
    return _page(request, found, limit=limit, offset=offset, contact=query.contact)


def _one(request: HttpRequest, offering_id: int) -> dict[str, Any]:
    user = _user(request)
    offering = offering_get(offering_id)
    contact = read_contacts(user, [offering], channel=CHANNEL).get(offering.pk)
    return _out(entries([offering])[0], visible=sees_contact(user), contact=contact)


@router.get("/directory/offerings/{offering_id}", response={200: OfferingOut, ERRORS: ErrorOut},
            summary="One service; address and phone for caseworkers, supervisors and agency administrators (audited)")
def offering_detail(request: HttpRequest, offering_id: IdPath) -> dict[str, Any]:
    return _one(request, offering_id)


@router.post("/directory/offerings", response={201: OfferingOut, ERRORS: ErrorOut},
             summary="Add a service (the agency's administrator, or a system administrator; audited)")
def offering_new(request: HttpRequest, payload: OfferingIn) -> Any:
    data = payload.model_dump(mode="json")
    offering = offering_create(acting_user=_user(request), channel=CHANNEL, **data)
    return reply(201, _one(request, offering.pk))


@router.patch("/directory/offerings/{offering_id}", response={200: OfferingOut, ERRORS: ErrorOut},
              summary="Change a service; is_active false deactivates it (its agency's administrator; audited)")
def offering_change(request: HttpRequest, offering_id: IdPath, payload: OfferingPatch) -> dict[str, Any]:
    changes = payload.model_dump(mode="json", exclude_unset=True)
    for name in ("name", "items", "sexes", "languages", "is_active"):
        if name in changes and changes[name] is None:
            changes.pop(name)  # null for a required field means "unchanged"
    for name in ("address", "phone", "notes"):
        if name in changes and changes[name] is None:
            changes[name] = ""
    offering_update(acting_user=_user(request), offering_id=offering_id, changes=changes, channel=CHANNEL)
    return _one(request, offering_id)
