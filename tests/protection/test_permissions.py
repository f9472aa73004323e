"""Every protection page and API route as every persona.

Personas: the owning agency's caseworker and supervisor, the receiving agency's caseworker (accepted referral
with consent to share; a social protection facility, so inside the need-to-know rule), a caseworker of another
agency (no relationship), a statistician, an auditor, and an anonymous visitor.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from haven.protection.models import ProtectionMeasure, RiskAssessment, ThreatIncident
from tests.conftest import login

pytestmark = pytest.mark.django_db

PERSONAS = ["owner_cw", "owner_sup", "receiving_cw", "outsider_cw", "statistician", "auditor", "anonymous"]
OK, NF, FORBIDDEN, LOGIN = 200, 404, 403, "login"


@pytest.fixture
def setup(world, case, outsider, threat, measure_in_force) -> dict[str, Any]:
    people = {"owner_cw": world.owner_caseworker, "owner_sup": world.supervisor,
              "receiving_cw": world.other_caseworker, "outsider_cw": outsider, "statistician": world.statistician,
              "auditor": world.auditor, "anonymous": None}
    return {"case": case, "people": people, "measure": measure_in_force}


def _client(setup: dict[str, Any], persona: str) -> Client:
    person = setup["people"][persona]
    return login(Client(), person) if person is not None else Client()


def _fill(route: str, s: dict[str, Any]) -> str:
    return route.format(code=s["case"].code, measure=s["measure"].pk)


def _check(response: Any, expected: Any) -> None:
    if expected == LOGIN:
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected, response.content[:300]


CASE_VIEW = {"owner_cw": OK, "owner_sup": OK, "receiving_cw": OK, "outsider_cw": NF, "statistician": NF,
             "auditor": NF, "anonymous": LOGIN}
OWNER_ONLY = {**CASE_VIEW, "receiving_cw": NF}
EVERYONE = {p: OK for p in PERSONAS} | {"anonymous": LOGIN}
GET_PAGES = [
    ("/cases/{code}/protection/", CASE_VIEW),
    ("/protection/", EVERYONE),
]
# An incomplete form comes back with its errors (200) to those allowed; the others get a 404.
POST_PAGES = [
    ("/cases/{code}/protection/assessments/", {"occasion": ""}, CASE_VIEW),
    ("/cases/{code}/protection/threats/", {"occurred_on": ""}, CASE_VIEW),
    ("/cases/{code}/protection/reviews/", {"outcome": ""}, {**OWNER_ONLY, "owner_cw": NF}),
    ("/cases/{code}/protection/measures/", {"kind": ""}, OWNER_ONLY),
    ("/cases/{code}/protection/measures/{measure}/end/", {"ended_on": ""}, OWNER_ONLY),
    ("/cases/{code}/protection/measures/{measure}/refuse/", {"refused_on": ""}, OWNER_ONLY),
    ("/cases/{code}/protection/measures/{measure}/decide/", {"granted": ""}, OWNER_ONLY),
    ("/cases/{code}/protection/measures/{measure}/in_force/", {"in_force_from": ""}, OWNER_ONLY),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route, expected", GET_PAGES, ids=[r for r, _ in GET_PAGES])
def test_pages_by_persona(setup, route, expected, persona):
    _check(_client(setup, persona).get(_fill(route, setup)), expected[persona])


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route, data, expected", POST_PAGES, ids=[r for r, _, _ in POST_PAGES])
def test_page_actions_by_persona(setup, route, data, expected, persona):
    _check(_client(setup, persona).post(_fill(route, setup), data), expected[persona])


API_CASE = {"owner_cw": OK, "owner_sup": OK, "receiving_cw": OK, "outsider_cw": NF, "statistician": NF,
            "auditor": NF, "anonymous": 401}
API_OWNER = {**API_CASE, "receiving_cw": NF}
API_ALL = {p: OK for p in PERSONAS} | {"anonymous": 401}
BAD = 400  # a valid request the service refuses: the route was reached
API_ROUTES = [
    ("get", "/api/cases/{code}/protection", None, API_CASE),
    ("get", "/api/cases/{code}/risk-assessments", None, API_CASE),
    ("post", "/api/cases/{code}/risk-assessments",
     {"occasion": "follow_up", "assessed_on": "2025-08-01", "level": "low",
      "levels": {"traffickers": "high", "family_community": "low", "retrafficking": "low", "health": "low",
                 "stigma": "low"}},
     {**API_CASE, "owner_cw": BAD, "owner_sup": BAD, "receiving_cw": BAD}),
    ("get", "/api/cases/{code}/threats", None, API_CASE),
    ("post", "/api/cases/{code}/threats",
     {"occurred_on": "2025-08-10", "reported_on": "2025-08-09", "source": "family", "severity": "minor",
      "description": "Thử quyền"},
     {**API_CASE, "owner_cw": BAD, "owner_sup": BAD, "receiving_cw": BAD}),
    ("get", "/api/cases/{code}/measure-reviews", None, API_CASE),
    ("post", "/api/cases/{code}/measure-reviews", {"outcome": "sufficient"},
     {**API_OWNER, "owner_cw": NF, "owner_sup": 201}),
    ("get", "/api/cases/{code}/measures", None, API_CASE),
    ("post", "/api/cases/{code}/measures", {"kind": "closed_trial", "requested_on": "2025-08-02"},
     {**API_OWNER, "owner_cw": BAD, "owner_sup": BAD}),
    ("post", "/api/cases/{code}/measures/{measure}/decision", {"granted": True, "decided_on": "2025-08-07",
                                                                 "authority_text": "Công an"},
     {**API_OWNER, "owner_cw": BAD, "owner_sup": BAD}),
    ("post", "/api/cases/{code}/measures/{measure}/in-force", {"in_force_from": "2025-08-07"},
     {**API_OWNER, "owner_cw": BAD, "owner_sup": BAD}),
    ("post", "/api/cases/{code}/measures/{measure}/end", {"ended_on": "2025-08-01"},
     {**API_OWNER, "owner_cw": BAD, "owner_sup": BAD}),
    ("post", "/api/cases/{code}/measures/{measure}/refusal", {"refused_on": "2025-08-01", "method": "oral"},
     {**API_OWNER, "owner_cw": BAD, "owner_sup": BAD}),
    ("get", "/api/protection/measure-kinds", None, API_ALL),
    ("get", "/api/protection/threats-awaiting-review", None, API_ALL),
    ("get", "/api/protection/measures-ending-soon", None, API_ALL),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("method, route, body, expected", API_ROUTES, ids=[f"{m} {r}" for m, r, _, _ in API_ROUTES])
def test_api_by_persona(setup, api, method, route, body, expected, persona):
    response = api(setup["people"][persona]).request(method.upper(), _fill(route, setup), body)
    assert response.status_code == expected[persona], (persona, response.content[:300])
    if response.status_code >= 400:
        assert set(response.json()) == {"detail", "code", "field"}


def test_nothing_changed_for_those_turned_away(setup, api):
    before = (RiskAssessment.objects.count(), ThreatIncident.objects.count(), ProtectionMeasure.objects.count())
    for persona in ("outsider_cw", "statistician", "auditor", "anonymous"):
        for method, route, body, _ in API_ROUTES:
            if method == "post":
                api(setup["people"][persona]).request("POST", _fill(route, setup), body)
    assert (RiskAssessment.objects.count(), ThreatIncident.objects.count(),
            ProtectionMeasure.objects.count()) == before
