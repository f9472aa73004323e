"""Every research page and API route as every persona: only the study's members see anything.

Personas: the study lead (owning agency's caseworker), a researcher member from another agency, a caseworker of
the lead's agency who is not a member, another agency's supervisor (not a member), a statistician, an auditor,
a system administrator and an anonymous visitor. Non-members get the same "not found" as for a missing study.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from haven.core.api_errors import not_found_body
from haven.research.models import (
    CodedSegment,
    Interview,
    MatrixCell,
    Memo,
    Participant,
    Study,
    StudyMember,
    Theme,
)
from tests.conftest import login
from tests.research.conftest import build

pytestmark = pytest.mark.django_db

PERSONAS = ["lead", "researcher", "same_agency_cw", "other_supervisor", "statistician", "auditor", "sysadmin",
            "anonymous"]
OK, NF, FORBIDDEN, LOGIN = 200, 404, 403, "login"
MEMBERS = {"lead": OK, "researcher": OK}
OUTSIDERS = {p: NF for p in PERSONAS} | {"anonymous": LOGIN}
MEMBERS_ONLY = OUTSIDERS | MEMBERS
API_OUTSIDERS = {p: NF for p in PERSONAS} | {"anonymous": 401}
API_MEMBERS = API_OUTSIDERS | {"lead": OK, "researcher": OK}


@pytest.fixture
def s(world) -> dict[str, Any]:
    setup = build(world)
    people = {"lead": world.owner_caseworker, "researcher": world.other_caseworker,
              "same_agency_cw": world.second_caseworker, "other_supervisor": world.other_supervisor,
              "statistician": world.statistician, "auditor": world.auditor, "sysadmin": world.system_admin,
              "anonymous": None}
    member = StudyMember.objects.get(study=setup.study, user=world.other_caseworker)
    return {"setup": setup, "people": people, "member": member}


def _fill(route: str, s: dict[str, Any]) -> str:
    setup = s["setup"]
    return route.format(study=setup.study.pk, interview=setup.interviews["official"].pk,
                        participant=setup.official.pk, official2=setup.official2.pk,
                        theme=setup.themes["reception"].pk, member=s["member"].pk)


def _client(s: dict[str, Any], persona: str) -> Client:
    person = s["people"][persona]
    return login(Client(), person) if person is not None else Client()


def _check(response: Any, expected: Any) -> None:
    if expected == LOGIN:
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected, response.content[:300]


EVERYONE = {p: OK for p in PERSONAS} | {"anonymous": LOGIN}
GET_PAGES = [
    ("/research/", EVERYONE),
    ("/research/{study}/", MEMBERS_ONLY),
    ("/research/{study}/interviews/{interview}/", MEMBERS_ONLY),
    ("/research/{study}/matrix/", MEMBERS_ONLY),
    ("/research/{study}/matrix/?theme={theme}&sex=male", MEMBERS_ONLY),
    ("/research/{study}/matrix/{participant}/{theme}/", MEMBERS_ONLY),
    ("/research/{study}/export.xlsx", MEMBERS_ONLY),
    ("/research/{study}/export.qdpx", MEMBERS_ONLY),
]
# Members are sent back to the study page (302) with a message; outsiders get 404.
MEMBERS_REDIRECT = OUTSIDERS | {"lead": 302, "researcher": 302}
POST_PAGES = [
    ("/research/{study}/members/", {"username": "nobody"}, MEMBERS_REDIRECT),
    ("/research/{study}/members/{member}/remove/", {}, MEMBERS_REDIRECT),
    ("/research/{study}/participants/", {"pseudonym": ""}, MEMBERS_REDIRECT),
    ("/research/{study}/participants/{official2}/consent/", {"decision": "given"}, MEMBERS_REDIRECT),
    ("/research/{study}/interviews/", {"text": ""}, MEMBERS_REDIRECT),
    ("/research/{study}/interviews/{interview}/", {"theme": "", "start": "", "end": ""}, MEMBERS_REDIRECT),
    ("/research/{study}/themes/", {"name": ""}, MEMBERS_REDIRECT),
    ("/research/{study}/memos/", {"text": ""}, MEMBERS_REDIRECT),
    ("/research/{study}/codebook/", {}, MEMBERS_REDIRECT),
    ("/research/{study}/matrix/{participant}/{theme}/", {"summary": ""}, MEMBERS_REDIRECT),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route, expected", GET_PAGES, ids=[r for r, _ in GET_PAGES])
def test_pages_by_persona(s, route, expected, persona):
    client = _client(s, persona)
    client.cookies["django_language"] = "en"
    _check(client.get(_fill(route, s)), expected[persona])


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route, data, expected", POST_PAGES, ids=[r for r, _, _ in POST_PAGES])
def test_page_actions_by_persona(s, route, data, expected, persona):
    _check(_client(s, persona).post(_fill(route, s), data), expected[persona])


LEAD_ONLY_API = API_OUTSIDERS | {"lead": 400, "researcher": FORBIDDEN}
API_ROUTES = [
    ("get", "/api/research/studies", None, {p: OK for p in PERSONAS} | {"anonymous": 401}),
    ("post", "/api/research/studies", {"title": "Nghiên cứu mới", "period_start": "2026-01-01",
                                       "period_end": "2025-01-01"},
     {"lead": 400, "researcher": 400, "same_agency_cw": 400, "other_supervisor": 400, "statistician": FORBIDDEN,
      "auditor": FORBIDDEN, "sysadmin": FORBIDDEN, "anonymous": 401}),
    ("get", "/api/research/studies/{study}", None, API_MEMBERS),
    ("post", "/api/research/studies/{study}/members", {"username": "stats"}, LEAD_ONLY_API),
    ("post", "/api/research/studies/{study}/members/{member}/remove", None,
     API_OUTSIDERS | {"lead": 204, "researcher": FORBIDDEN}),
    ("post", "/api/research/studies/{study}/participants", {"pseudonym": "CB-01", "kind": "official"},
     API_OUTSIDERS | {"lead": 400, "researcher": 400}),
    ("post", "/api/research/studies/{study}/participants/{official2}/consent", {"decision": "given"}, API_MEMBERS),
    ("get", "/api/research/studies/{study}/interviews", None, API_MEMBERS),
    ("post", "/api/research/studies/{study}/interviews",
     {"participant_id": 999999, "held_on": "2025-06-01", "kind": "notes", "text": "Ghi chú"},
     API_OUTSIDERS | {"lead": 400, "researcher": 400}),
    ("get", "/api/research/studies/{study}/interviews/{interview}", None, API_MEMBERS),
    ("post", "/api/research/studies/{study}/themes", {"name": "Tiếp nhận"},
     API_OUTSIDERS | {"lead": 400, "researcher": 400}),
    ("post", "/api/research/studies/{study}/segments",
     {"interview_id": 999999, "theme_id": 1, "start": 0, "end": 3}, API_OUTSIDERS | {"lead": NF, "researcher": NF}),
    ("post", "/api/research/studies/{study}/memos", {"text": "Ghi nhớ", "theme_id": 999999},
     API_OUTSIDERS | {"lead": 400, "researcher": 400}),
    ("get", "/api/research/studies/{study}/matrix", None, API_MEMBERS),
    ("post", "/api/research/studies/{study}/matrix/cells",
     {"participant_id": 999999, "theme_id": 1, "summary": "Tóm tắt"}, API_OUTSIDERS | {"lead": 400, "researcher": 400}),
    ("get", "/api/research/studies/{study}/export.xlsx", None, API_MEMBERS),
    ("get", "/api/research/studies/{study}/export.qdpx", None, API_MEMBERS),
    ("post", "/api/research/studies/{study}/codebook", {"qdc": "<not-xml"},
     API_OUTSIDERS | {"lead": 400, "researcher": 400}),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("method, route, body, expected", API_ROUTES, ids=[f"{m} {r}" for m, r, _, _ in API_ROUTES])
def test_api_by_persona(s, api, method, route, body, expected, persona):
    response = api(s["people"][persona]).request(method.upper(), _fill(route, s), body)
    assert response.status_code == expected[persona], (persona, response.content[:300])
    if response.status_code == 404:
        assert response.json() == not_found_body()


def _counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Study, StudyMember, Participant, Interview, Theme, CodedSegment, Memo,
                                             MatrixCell))


def test_nothing_changed_for_those_turned_away(s, api):
    before = _counts()
    for persona in ("same_agency_cw", "other_supervisor", "statistician", "auditor", "sysadmin", "anonymous"):
        for method, route, body, _ in API_ROUTES:
            if method == "post":
                api(s["people"][persona]).request("POST", _fill(route, s), body)
    assert _counts() == before


def test_outsiders_do_not_see_the_study_in_their_list(s, api):
    for persona in ("same_agency_cw", "other_supervisor", "statistician", "auditor", "sysadmin"):
        assert api(s["people"][persona]).request("GET", "/api/research/studies").json() == []
