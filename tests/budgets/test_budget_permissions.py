"""Every budget page and API route as every persona. Another agency's budget looks exactly like a
missing one (404); roles without budgets see nothing (404); anonymous visitors go to the log-in page
(pages) or get 401 (API)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.conftest import login

PERSONAS = ["supervisor", "other_supervisor", "owner_caseworker", "agency_admin", "statistician", "auditor",
            "anonymous"]
OK, NOT_FOUND, LOGIN = 200, 404, "login"
NOBODY = {p: NOT_FOUND for p in PERSONAS} | {"anonymous": LOGIN}
SUPERVISOR = NOBODY | {"supervisor": OK}
ESTIMATES = SUPERVISOR | {"agency_admin": OK}
FORECAST = SUPERVISOR | {"statistician": OK}
EVERYONE = {p: OK for p in PERSONAS} | {"anonymous": LOGIN}

GET_PAGES: list[tuple[str, dict[str, Any]]] = [
    ("/budgets/", NOBODY | {"supervisor": 302, "other_supervisor": 302, "agency_admin": 302, "statistician": OK}),
    ("/budgets/agency/{agency}/", ESTIMATES),
    ("/budgets/agency/{agency}/forecast/", FORECAST),
    ("/budgets/agency/{agency}/forecast/?code=essential_needs.daily_rate&value=60000", FORECAST),
    ("/budgets/agency/{agency}/export.xlsx", SUPERVISOR),
    ("/budgets/agency/999999/", NOBODY),
    ("/budgets/agency/999999/forecast/", NOBODY),
    ("/budgets/adequacy/", EVERYONE),
]
POST_PAGES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("/budgets/agency/{agency}/estimates/", {"funding_source": "{source}", "year": "2026", "amount": "1000000"},
     {p: NOT_FOUND for p in PERSONAS} | {"supervisor": 302, "agency_admin": 302, "anonymous": LOGIN}),
    ("/budgets/agency/{agency}/intake/", {"rows": "month,count\n2025-01,3\n"},
     {p: NOT_FOUND for p in PERSONAS} | {"supervisor": 302, "agency_admin": 302, "anonymous": LOGIN}),
]
API_NOBODY = {p: NOT_FOUND for p in PERSONAS} | {"anonymous": 401}
API_ROUTES: list[tuple[str, str, dict[str, Any] | None, dict[str, Any]]] = [
    ("get", "/api/budgets/agencies/{agency}/estimates", None, API_NOBODY | {"supervisor": 200, "agency_admin": 200}),
    ("post", "/api/budgets/agencies/{agency}/estimates", {"funding_source_id": "{source}", "year": 2026,
                                                          "amount": 5_000_000},
     API_NOBODY | {"supervisor": 201, "agency_admin": 201}),
    ("get", "/api/budgets/agencies/{agency}/spending", None, API_NOBODY | {"supervisor": 200}),
    ("get", "/api/budgets/agencies/{agency}/intake", None, API_NOBODY | {"supervisor": 200, "agency_admin": 200}),
    ("post", "/api/budgets/agencies/{agency}/intake", {"rows": [{"month": "2025-02", "count": 4}]},
     API_NOBODY | {"supervisor": 201, "agency_admin": 201}),
    ("get", "/api/budgets/agencies/{agency}/forecast", None, API_NOBODY | {"supervisor": 200, "statistician": 200}),
    ("post", "/api/budgets/agencies/{agency}/what-if", {"overrides": {"essential_needs.daily_rate": 60000}},
     API_NOBODY | {"supervisor": 200, "statistician": 200}),
    ("get", "/api/budgets/agencies/{agency}/export.xlsx", None, API_NOBODY | {"supervisor": 200}),
    ("get", "/api/budgets/agencies/999999/forecast", None, API_NOBODY),
    ("get", "/api/cpi", None, {p: 200 for p in PERSONAS} | {"anonymous": 401}),
    ("get", "/api/cpi/adequacy?amount=30000", None, {p: 200 for p in PERSONAS} | {"anonymous": 401}),
]


def _personas(world, agency_admin) -> dict[str, Any]:
    return {"supervisor": world.supervisor, "other_supervisor": world.other_supervisor,
            "owner_caseworker": world.owner_caseworker, "agency_admin": agency_admin,
            "statistician": world.statistician, "auditor": world.auditor, "anonymous": None}


def _client(world, agency_admin, persona: str) -> Client:
    user = _personas(world, agency_admin)[persona]
    return login(Client(), user) if user is not None else Client()


def _fill(template: str, world, source) -> str:
    return template.replace("{agency}", str(world.owner_agency.pk)).replace("{source}", str(source.pk))


def _assert(response, expected) -> None:
    if expected == LOGIN:
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected, response.content[:300]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route, expected", GET_PAGES, ids=[r for r, _ in GET_PAGES])
def test_budget_page_access_by_persona(world, source, agency_admin, route, expected, persona):
    _assert(_client(world, agency_admin, persona).get(_fill(route, world, source)), expected[persona])


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route, data, expected", POST_PAGES, ids=[r for r, _, _ in POST_PAGES])
def test_budget_action_access_by_persona(world, source, agency_admin, route, data, expected, persona):
    body = {k: _fill(v, world, source) for k, v in data.items()}
    _assert(_client(world, agency_admin, persona).post(_fill(route, world, source), body), expected[persona])


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("method, route, body, expected", API_ROUTES, ids=[f"{m} {r}" for m, r, _, _ in API_ROUTES])
def test_budget_api_access_by_persona(world, source, agency_admin, method, route, body, expected, persona):
    import json

    client = _client(world, agency_admin, persona)
    url = _fill(route, world, source)
    if body is None:
        response = client.get(url)
    else:
        payload = json.loads(_fill(json.dumps(body), world, source).replace('"' + str(source.pk) + '"', str(source.pk)))
        response = getattr(client, method)(url, payload, content_type="application/json")
    assert response.status_code == expected[persona], response.content[:300]


def test_another_agencys_budget_looks_exactly_like_a_missing_one(world, source, as_user):
    other = as_user(world.other_supervisor)
    forbidden = other.get(f"/api/budgets/agencies/{world.owner_agency.pk}/forecast")
    missing = other.get("/api/budgets/agencies/999999/forecast")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.json() == missing.json()


def test_the_statistician_sees_the_forecast_without_monthly_history(world, source, as_user):
    body = as_user(world.statistician).get(f"/api/budgets/agencies/{world.owner_agency.pk}/forecast").json()
    assert body["history"] is None
    page = as_user(world.statistician).get(f"/budgets/agency/{world.owner_agency.pk}/forecast/")
    assert "Đặng" not in page.content.decode() and world.case.code not in page.content.decode()
