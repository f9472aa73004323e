"""Every scorecard page, API route and command as every persona: research data is visible only to the study's
members; a non-member caseworker, another agency's supervisor, a statistician, an auditor and an administrator
get the same "not found" as for a missing study, and nothing changes."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from haven.core.api_errors import not_found_body
from haven.research import scorecard as sc
from haven.research.models import Scorecard, ScorecardRating
from tests.conftest import login
from tests.research.conftest import build

pytestmark = pytest.mark.django_db

PERSONAS = ["lead", "researcher", "same_agency_cw", "other_supervisor", "statistician", "auditor", "sysadmin",
            "anonymous"]
OK, NF, LOGIN = 200, 404, "login"
OUTSIDERS = {p: NF for p in PERSONAS} | {"anonymous": LOGIN}
MEMBERS_ONLY = OUTSIDERS | {"lead": OK, "researcher": OK}
MEMBERS_REDIRECT = OUTSIDERS | {"lead": 302, "researcher": 302}
API_OUTSIDERS = {p: NF for p in PERSONAS} | {"anonymous": 401}
API_MEMBERS = API_OUTSIDERS | {"lead": OK, "researcher": OK}


@pytest.fixture
def s(world) -> dict[str, Any]:
    setup = build(world)
    card = sc.scorecard_create(access=setup.lead, title="Thẻ điểm", period_start="2025-01-01", period_end="2025-12-31")
    sc.rating_set(access=setup.lead, scorecard=card, indicator="information.rule", rating="partly", note="Ghi chú kín")
    people = {"lead": world.owner_caseworker, "researcher": world.other_caseworker,
              "same_agency_cw": world.second_caseworker, "other_supervisor": world.other_supervisor,
              "statistician": world.statistician, "auditor": world.auditor, "sysadmin": world.system_admin,
              "anonymous": None}
    return {"setup": setup, "card": card, "people": people}


def _fill(route: str, s: dict[str, Any]) -> str:
    return route.format(study=s["setup"].study.pk, card=s["card"].pk)


def _client(s: dict[str, Any], persona: str) -> Client:
    person = s["people"][persona]
    return login(Client(), person) if person is not None else Client()


def _check(response: Any, expected: Any) -> None:
    if expected == LOGIN:
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected, response.content[:300]


GET_PAGES = [
    ("/research/{study}/scorecards/", MEMBERS_ONLY),
    ("/research/{study}/scorecards/{card}/", MEMBERS_ONLY),
    ("/research/{study}/scorecards/{card}/scorecard.xlsx", MEMBERS_ONLY),
    ("/research/{study}/scorecards/999999/", OUTSIDERS | {"lead": NF, "researcher": NF}),
]
POST_PAGES = [
    ("/research/{study}/scorecards/", {"title": ""}, MEMBERS_REDIRECT),
    ("/research/{study}/scorecards/{card}/ratings/", {"indicator": "information.rule", "rating": "nope"},
     MEMBERS_REDIRECT),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route, expected", GET_PAGES, ids=[r for r, _ in GET_PAGES])
def test_pages_by_persona(s, route, expected, persona):
    response = _client(s, persona).get(_fill(route, s))
    _check(response, expected[persona])
    if response.status_code == 200 and route.endswith("/"):
        assert ("Ghi chú kín" in response.content.decode()) == route.endswith("{card}/")


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route, data, expected", POST_PAGES, ids=[r for r, _, _ in POST_PAGES])
def test_page_actions_by_persona(s, route, data, expected, persona):
    _check(_client(s, persona).post(_fill(route, s), data), expected[persona])


RATING = {"indicator": "information.rule", "rating": "not_met", "note": "Đổi"}
API_ROUTES = [
    ("get", "/api/research/studies/{study}/scorecards", None, API_MEMBERS),
    ("post", "/api/research/studies/{study}/scorecards",
     {"title": "Mới", "period_start": "2025-12-31", "period_end": "2025-01-01"},
     API_OUTSIDERS | {"lead": 400, "researcher": 400}),
    ("get", "/api/research/studies/{study}/scorecards/{card}", None, API_MEMBERS),
    ("put", "/api/research/studies/{study}/scorecards/{card}/ratings", RATING, API_MEMBERS),
    ("post", "/api/research/studies/{study}/scorecards/{card}/ratings", RATING, API_MEMBERS),
    ("get", "/api/research/studies/{study}/scorecards/{card}/scorecard.xlsx", None, API_MEMBERS),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("method, route, body, expected", API_ROUTES, ids=[f"{m} {r}" for m, r, _, _ in API_ROUTES])
def test_api_by_persona(s, api, method, route, body, expected, persona):
    response = api(s["people"][persona]).request(method.upper(), _fill(route, s), body)
    assert response.status_code == expected[persona], (persona, response.content[:300])
    if response.status_code == 404:
        assert response.json() == not_found_body()


def test_nothing_changed_for_those_turned_away(s, api):
    before = (Scorecard.objects.count(), list(ScorecardRating.objects.values_list("rating", flat=True)))
    for persona in ("same_agency_cw", "other_supervisor", "statistician", "auditor", "sysadmin", "anonymous"):
        for method, route, body, _ in API_ROUTES:
            if method != "get":
                api(s["people"][persona]).request(method.upper(), _fill(route, s),
                                                  {**body, "period_end": "2025-12-31"} if "title" in body else body)
    assert (Scorecard.objects.count(), list(ScorecardRating.objects.values_list("rating", flat=True))) == before


@pytest.mark.parametrize("persona", ["same_agency_cw", "other_supervisor", "statistician", "auditor", "sysadmin"])
@pytest.mark.parametrize("args", [["scorecards", "{study}"], ["scorecard", "{study}", "{card}"],
                                  ["scorecard-rate", "{study}", "{card}", "--indicator", "information.rule",
                                   "--rating", "met"],
                                  ["scorecard-new", "{study}", "--title", "X", "--from", "2025-01-01", "--to",
                                   "2025-12-31"]])
def test_the_commands_refuse_outsiders_as_not_found(s, persona, args):
    with pytest.raises(CommandError, match="no study"):
        call_command("research", *[_fill(a, s) for a in args], "--as", s["people"][persona].username,
                     stdout=io.StringIO())
    assert ScorecardRating.objects.get().rating == "partly"
