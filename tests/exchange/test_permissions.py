"""Every exchange page and API route as every persona.

Personas: the owning agency's caseworker and supervisor, another agency's supervisor, a statistician, an
auditor, a system administrator, and an anonymous visitor. Jobs belong to their owner: another user's job
is a 404 like a missing one; administrators read status only.
"""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django.test import Client

from haven.cases.models import Case
from haven.exchange.exports import export_submit
from haven.exchange.models import Job
from tests.conftest import login
from tests.exchange.conftest import csv_bytes, row

pytestmark = pytest.mark.django_db

PERSONAS = ["caseworker", "supervisor", "other_supervisor", "statistician", "auditor", "system_admin", "anonymous"]
OK, NF, FORBIDDEN, LOGIN = 200, 404, 403, "login"
PASSWORD = "mật-khẩu-dài-đủ-12"


@pytest.fixture
def setup(world) -> dict[str, Any]:
    people = {"caseworker": world.owner_caseworker, "supervisor": world.supervisor,
              "other_supervisor": world.other_supervisor, "statistician": world.statistician,
              "auditor": world.auditor, "system_admin": world.system_admin, "anonymous": None}
    job = export_submit(acting_user=world.supervisor, kind="htcds", k=2)  # the supervisor's finished job
    queued = Job.objects.create(kind="export_ctdc", owner=world.supervisor)  # still queued: can be cancelled
    return {"people": people, "job": job, "queued": queued}


def _fill(route: str, s: dict[str, Any]) -> str:
    return route.format(job=s["job"].pk, queued=s["queued"].pk)


def _client(setup: dict[str, Any], persona: str) -> Client:
    person = setup["people"][persona]
    client = Client()
    client.cookies["django_language"] = "en"
    return login(client, person) if person is not None else client


def _check(response: Any, expected: Any) -> None:
    if expected == LOGIN:
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected, response.content[:300]


EVERYONE = {p: OK for p in PERSONAS} | {"anonymous": LOGIN}
OWNER_ONLY = {p: NF for p in PERSONAS} | {"supervisor": OK, "anonymous": LOGIN}
STATUS = OWNER_ONLY | {"system_admin": OK}
GET_PAGES = [
    ("/exchange/", EVERYONE),
    ("/exchange/jobs/{job}/", STATUS),
    ("/exchange/jobs/{job}/download/", OWNER_ONLY),
]
IMPORTERS = {p: NF for p in PERSONAS} | {"caseworker": OK, "supervisor": OK, "other_supervisor": OK,
                                        "anonymous": LOGIN}
EXPORTERS = {p: NF for p in PERSONAS} | {"supervisor": OK, "other_supervisor": OK, "statistician": OK,
                                        "anonymous": LOGIN}
POST_PAGES = [
    # Incomplete forms come back with their errors (200) to those allowed; the others get a 404.
    ("/exchange/imports/", {}, IMPORTERS),
    ("/exchange/exports/htcds/", {"k": "1"}, EXPORTERS),
    ("/exchange/exports/ctdc/", {"k": "1"}, EXPORTERS),
    ("/exchange/exports/identity/", {"password": "short"},
     {p: NF for p in PERSONAS} | {"supervisor": OK, "other_supervisor": OK, "anonymous": LOGIN}),
    ("/exchange/jobs/{queued}/cancel/", {}, {p: NF for p in PERSONAS} | {"supervisor": 302, "anonymous": LOGIN}),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route, expected", GET_PAGES, ids=[r for r, _ in GET_PAGES])
def test_pages_by_persona(setup, route, expected, persona):
    _check(_client(setup, persona).get(_fill(route, setup)), expected[persona])


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route, data, expected", POST_PAGES, ids=[r for r, _, _ in POST_PAGES])
def test_page_actions_by_persona(setup, route, data, expected, persona):
    _check(_client(setup, persona).post(_fill(route, setup), data), expected[persona])


API_ALL = {p: OK for p in PERSONAS} | {"anonymous": 401}
API_OWNER = {p: NF for p in PERSONAS} | {"supervisor": OK, "anonymous": 401}
IMPORT_BODY = {"filename": "lc.csv", "content_base64": base64.b64encode(csv_bytes([row(1)])).decode()}
IDENTITY_BODY = {"password": PASSWORD, "reason": "Chuyển hồ sơ cho Sở Y tế theo công văn số 12"}
API_ROUTES = [
    ("get", "/api/exchange/jobs", None, API_ALL),
    ("get", "/api/exchange/jobs/{job}", None, API_OWNER | {"system_admin": OK}),
    ("get", "/api/exchange/jobs/{job}/result", None, API_OWNER),
    ("post", "/api/exchange/jobs/{queued}/cancel", None, API_OWNER),
    ("post", "/api/exchange/imports", IMPORT_BODY,
     {p: FORBIDDEN for p in PERSONAS} | {"caseworker": 202, "supervisor": 202, "other_supervisor": 202,
                                         "anonymous": 401}),
    ("post", "/api/exchange/exports/htcds", {"k": 2},
     {p: FORBIDDEN for p in PERSONAS} | {"supervisor": 202, "other_supervisor": 202, "statistician": 202,
                                         "anonymous": 401}),
    ("post", "/api/exchange/exports/ctdc", {},
     {p: FORBIDDEN for p in PERSONAS} | {"supervisor": 202, "other_supervisor": 202, "statistician": 202,
                                         "anonymous": 401}),
    ("post", "/api/exchange/exports/identity", IDENTITY_BODY,
     {p: FORBIDDEN for p in PERSONAS} | {"supervisor": 202, "other_supervisor": 202, "anonymous": 401}),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("method, route, body, expected", API_ROUTES, ids=[f"{m} {r}" for m, r, _, _ in API_ROUTES])
def test_api_by_persona(setup, api, method, route, body, expected, persona):
    response = api(setup["people"][persona]).request(method.upper(), _fill(route, setup), body)
    assert response.status_code == expected[persona], (persona, response.content[:300])
    if response.status_code >= 400:
        assert set(response.json()) == {"detail", "code", "field"}


def test_nothing_changed_for_those_turned_away(setup, api):
    before = (Case.objects.count(), Job.objects.count())
    for persona in ("auditor", "system_admin", "anonymous"):
        for method, route, body, _ in API_ROUTES:
            if method == "post":
                api(setup["people"][persona]).request("POST", _fill(route, setup), body)
    assert (Case.objects.count(), Job.objects.count()) == before
    assert Job.objects.get(pk=setup["queued"].pk).status == "queued"
