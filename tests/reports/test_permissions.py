"""Every reports API route as every persona (the central API test reads API_ROUTES from this file).

Public tables are for every signed-in user; official (exact) tables only for statisticians and
supervisors holding `reports.view_official_statistics`; a DP release spends budget, so only
statisticians and permission holders make one; only permission holders set a budget.
"""

from __future__ import annotations

from typing import Any

import pytest

from haven.accounts.models import Role
from tests.factories import user
from tests.reports.conftest import grant_official

pytestmark = pytest.mark.django_db

PERSONAS = ["caseworker", "supervisor", "supervisor_official", "statistician", "statistician_official", "auditor",
            "agency_admin", "anonymous"]
OK, CREATED, FORBIDDEN, ANON = 200, 201, 403, 401


def _all(status: int) -> dict[str, int]:
    return {p: status for p in PERSONAS} | {"anonymous": ANON}


OFFICIAL_ONLY = _all(FORBIDDEN) | {"supervisor_official": OK, "statistician_official": OK}
RELEASERS = _all(FORBIDDEN) | {"statistician": CREATED, "statistician_official": CREATED, "supervisor_official": CREATED}
BUDGET_SETTERS = _all(FORBIDDEN) | {"supervisor_official": OK, "statistician_official": OK}

API_ROUTES: list[tuple[str, str, Any, dict[str, int]]] = [
    ("get", "/api/reports/tables", None, _all(OK)),
    ("get", "/api/reports/statistics?year=2020&tables=sex_age", None, _all(OK)),
    ("get", "/api/reports/statistics?year=2020&tables=sex_age&mode=official", None, OFFICIAL_ONLY),
    ("get", "/api/reports/statistics/download/csv?year=2020&tables=sex_age", None, _all(OK)),
    ("get", "/api/reports/statistics/download/xlsx?year=2020&tables=sex_age&mode=official", None, OFFICIAL_ONLY),
    ("post", "/api/reports/releases", {"table": "sex_age", "year": 2020, "epsilon": "0.1"}, RELEASERS),
    ("get", "/api/reports/budgets", None, _all(OK)),
    ("post", "/api/reports/budgets", {"year": 2020, "epsilon": "3"}, BUDGET_SETTERS),
]


@pytest.fixture
def personas(world) -> dict[str, Any]:
    return {
        "caseworker": world.owner_caseworker, "supervisor": world.supervisor,
        "supervisor_official": grant_official(user(world.owner_agency, Role.SUPERVISOR, "sup_off")),
        "statistician": world.statistician,
        "statistician_official": grant_official(user(world.statistician.agency, Role.STATISTICIAN, "stat_off")),
        "auditor": world.auditor, "agency_admin": user(world.owner_agency, Role.AGENCY_ADMIN, "admin1"),
        "anonymous": None,
    }


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("method", "path", "body", "expected"), API_ROUTES, ids=lambda v: v if isinstance(v, str) else "")
def test_reports_api_permission_matrix(api, personas, persona, method, path, body, expected) -> None:
    response = api(personas[persona]).request(method, path, body)
    assert response.status_code == expected[persona], response.content[:300]


def test_an_agency_admin_granted_the_permission_still_gets_no_official_figures(api, world) -> None:
    admin = grant_official(user(world.owner_agency, Role.AGENCY_ADMIN, "admin_perm"))
    response = api(admin).get("/api/reports/statistics?year=2020&tables=sex_age&mode=official")
    assert response.status_code == 403


PAGES = [("/reports/", _all(OK)), ("/reports/?run=1&year=2020&mode=official", OFFICIAL_ONLY),
         ("/reports/budgets/", _all(OK))]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("path", "expected"), PAGES)
def test_reports_pages_permission_matrix(client, personas, persona, path, expected) -> None:
    from tests.conftest import login

    response = login(client, personas[persona]).get(path)
    if expected[persona] == ANON:
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected[persona]
