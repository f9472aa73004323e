"""The directory API: every route as every persona, schema-checked answers, contact only where allowed,
and bad input refused in the one error shape with nothing changed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from haven.audit.models import AuditEvent
from haven.directory.models import ServiceOffering
from tests.directory.conftest import ADDRESS, PERSONAS, PHONE, Directory

pytestmark = pytest.mark.django_db
EVERYONE = {p: 200 for p in PERSONAS} | {"anonymous": 401}
SHELTER_MANAGERS = {p: 403 for p in PERSONAS} | {"own_admin": 200, "system_admin": 200, "anonymous": 401}
NEW = {"name": "Lớp học nghề", "items": ["vocational_training"], "sexes": ["female", "male"], "languages": ["vie"]}


def _routes(d: Directory) -> list[tuple[str, str, Any, dict[str, int]]]:
    shelter = d.women_shelter.pk
    return [
        ("GET", "/api/directory?item=shelter&sex=female&age=12&language=hmn&province=lao-cai", None, EVERYONE),
        ("GET", "/api/directory?contact=true", None, EVERYONE),
        ("GET", "/api/directory/gaps?province=lao-cai", None, EVERYONE),
        ("GET", "/api/directory/offerings", None, EVERYONE),
        ("GET", f"/api/directory/offerings/{shelter}", None, EVERYONE),
        ("GET", "/api/directory/offerings/999999", None, {p: 404 for p in PERSONAS} | {"anonymous": 401}),
        ("POST", "/api/directory/offerings", NEW | {"agency_id": d.shelter.pk},
         {p: 403 for p in PERSONAS} | {"own_admin": 201, "system_admin": 201, "anonymous": 401}),
        ("PATCH", f"/api/directory/offerings/{shelter}", {"capacity": 11}, SHELTER_MANAGERS),
        ("PATCH", f"/api/directory/offerings/{shelter}", {"is_active": False}, SHELTER_MANAGERS),
        ("PATCH", "/api/directory/offerings/999999", {"capacity": 1},
         {p: 403 for p in PERSONAS} | {"own_admin": 404, "other_admin": 404, "system_admin": 404, "anonymous": 401}),
    ]


ROUTE_IDS = ["search", "search-contact", "gaps", "list", "detail", "detail-missing", "create", "patch",
             "deactivate", "patch-missing"]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("index", range(len(ROUTE_IDS)), ids=ROUTE_IDS)
def test_api_access_by_persona(directory, api: Callable[..., Any], persona, index):
    method, path, body, expected = _routes(directory)[index]
    client = api(directory.personas()[persona])
    response = client.get(path) if method == "GET" else client.request(method, path, body)
    assert response.status_code == expected[persona], response.content[:300]
    if response.status_code >= 400:
        assert set(response.json()) == {"detail", "code", "field"}


@pytest.mark.parametrize("persona", ["caseworker", "supervisor", "own_admin", "other_admin"])
def test_authorised_roles_get_the_contact_and_each_read_is_audited(directory, api, persona):
    client = api(directory.personas()[persona])
    before = AuditEvent.objects.filter(object_type="service_offering", action="view_identity").count()
    body = client.get(f"/api/directory/offerings/{directory.women_shelter.pk}").json()
    assert (body["address"], body["phone"], body["contact_visible"]) == (ADDRESS, PHONE, True)
    assert AuditEvent.objects.filter(object_type="service_offering", action="view_identity").count() == before + 1


@pytest.mark.parametrize("persona", ["system_admin", "statistician", "auditor"])
def test_other_roles_never_get_the_contact(directory, api, persona):
    client = api(directory.personas()[persona])
    one = client.get(f"/api/directory/offerings/{directory.women_shelter.pk}").json()
    listed = client.get("/api/directory", contact="true").json()["results"]
    assert (one["address"], one["phone"], one["contact_visible"]) == (None, None, False)
    assert all(row["address"] is None and row["phone"] is None for row in listed)
    assert not AuditEvent.objects.filter(object_type="service_offering", action="view_identity").exists()


def test_lists_hold_no_contact_unless_asked(directory, api):
    client = api(directory.world.owner_caseworker)
    assert all(r["address"] is None for r in client.get("/api/directory").json()["results"])
    asked = client.get("/api/directory", contact="true").json()["results"]
    assert ADDRESS in [r["address"] for r in asked]


def test_search_filters_and_places_free(directory, api):
    body = api(directory.world.statistician).get("/api/directory", item="shelter", sex="female", age="15").json()
    assert body["total"] == 1
    row = body["results"][0]
    assert (row["name"], row["residential"], row["capacity"], row["places_free"]) == ("Nhà tạm lánh", True, 10, 10)
    assert row["agency"]["province"] == "lao-cai"
    assert api(directory.world.statistician).get("/api/directory", item="shelter", sex="male").json()["total"] == 0


def test_gaps_are_stated_in_the_requested_language(directory, api):
    body = api(directory.world.supervisor).get("/api/directory/gaps", province="lao-cai", lang="en").json()
    sentences = [g["sentence"] for g in body["gaps"]]
    assert "No service in Lào Cai accepts adult men for shelter." in sentences
    shelter_row = next(r for r in body["matrix"] if r["need"] == "shelter")
    assert shelter_row["groups"] == {"adult_women": 1, "adult_men": 0, "girls": 1, "boys": 0}
    assert {"need": "shelter", "group": "adult_men", "language": None,
            "sentence": "No service in Lào Cai accepts adult men for shelter."} in body["gaps"]


def test_adding_a_service_for_men_over_the_api_closes_the_gap(directory, api):
    admin = api(directory.shelter_admin)
    created = admin.post("/api/directory/offerings", {
        "agency_id": directory.shelter.pk, "name": "Nhà cho nam", "items": ["shelter"], "sexes": ["male"],
        "languages": ["vie", "hmn"], "min_age": 18, "capacity": 6, "address": "Nơi bí mật", "phone": "0214 999 888"})
    assert created.status_code == 201
    assert created.json()["address"] == "Nơi bí mật"
    gaps = admin.get("/api/directory/gaps", province="lao-cai", lang="en").json()
    assert "No service in Lào Cai accepts adult men for shelter." not in [g["sentence"] for g in gaps["gaps"]]


@pytest.mark.parametrize("body, field", [
    ({"min_age": 40, "max_age": 20}, "max_age"),
    ({"capacity": -1}, "capacity"),
    ({"items": []}, "items"),
    ({"items": ["teleport"]}, "items"),
    ({"sexes": ["other"]}, "sexes"),
    ({"languages": ["xx"]}, "languages"),
    ({"is_active": "no"}, "is_active"),
    ({"agency_id": 5}, "agency_id"),
    ({"name": ""}, "name"),
])
def test_bad_changes_are_refused_with_the_field_and_nothing_changes(directory, api, body, field):
    client = api(directory.shelter_admin)  # making its token is audited too: before counting
    before = ServiceOffering.objects.values().get(pk=directory.women_shelter.pk)
    events = AuditEvent.objects.count()
    response = client.patch(f"/api/directory/offerings/{directory.women_shelter.pk}", body,
                                                  lang="en")
    assert response.status_code in (400, 422)
    error = response.json()
    assert error["field"] == field and error["detail"]
    assert ServiceOffering.objects.values().get(pk=directory.women_shelter.pk) == before
    assert AuditEvent.objects.count() == events


def test_a_refusal_is_translated(directory, api):
    path = f"/api/directory/offerings/{directory.women_shelter.pk}"
    english = api(directory.shelter_admin).patch(path, {"items": ["psychological"]}, lang="en").json()
    assert english == {"detail": "Only a service that offers shelter has places: choose shelter or leave the "
                                 "places empty.", "code": "invalid", "field": "capacity"}


@pytest.mark.parametrize("query, field", [({"province": "atlantis"}, "province"), ({}, "province")])
def test_gaps_need_a_known_province(directory, api, query, field):
    response = api(directory.world.supervisor).get("/api/directory/gaps", **query)
    assert response.status_code in (400, 422)
    assert response.json()["field"] == field


def test_creating_for_an_unknown_agency_is_refused(directory, api):
    response = api(directory.world.system_admin).post("/api/directory/offerings", NEW | {"agency_id": 999999})
    assert (response.status_code, response.json()["field"]) == (400, "agency")


def test_a_patch_clears_an_age_limit_with_null(directory, api):
    body = api(directory.shelter_admin).patch(f"/api/directory/offerings/{directory.women_shelter.pk}",
                                              {"min_age": None}).json()
    assert body["min_age"] is None


def test_the_search_takes_a_fixed_number_of_queries(directory, api, django_assert_max_num_queries):
    from tests.directory.conftest import add

    for n in range(8):
        add(directory.shelter_admin, directory.shelter, name=f"Nhà {n}", items=["shelter"], capacity=3)
    client = api(directory.world.owner_caseworker, auth="session")
    client.get("/api/directory")  # warm the session
    with django_assert_max_num_queries(12):
        assert client.get("/api/directory", item="shelter").json()["total"] == 9
