"""Every follow-up page and API route as every persona.

Personas: the owning agency's caseworker and supervisor, the serving agency's caseworker and supervisor
(the social work centre, with an accepted referral and consent to share), another agency's caseworker, a
statistician, an auditor and an anonymous visitor.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from haven.accounts.models import AgencyKind, Role
from haven.cases.models import Case
from haven.followup.models import FollowUpPlan, FollowUpVisit, HomeSafetyAssessment
from haven.followup.services import plan_create
from tests.conftest import login
from tests.factories import access, agency, user
from tests.followup.conftest import RECEIVED, TODAY, admit, assessment, minor_case, share

pytestmark = pytest.mark.django_db

PERSONAS = ["owner_cw", "owner_sup", "serving_cw", "serving_sup", "outsider_cw", "statistician", "auditor",
            "anonymous"]
OK, NF, FORBIDDEN, LOGIN = 200, 404, 403, "login"


@pytest.fixture
def setup(world) -> dict[str, Any]:
    case = minor_case(world)
    share(world, case)
    stay = admit(world, case)
    outsider_agency = agency(AgencyKind.NGO_SHELTER, "Nhà tạm lánh khác (thử nghiệm)")
    people = {
        "owner_cw": world.owner_caseworker, "owner_sup": world.supervisor, "serving_cw": world.other_caseworker,
        "serving_sup": world.other_supervisor, "outsider_cw": user(outsider_agency, Role.CASEWORKER, "far_cw"),
        "statistician": world.statistician, "auditor": world.auditor, "anonymous": None,
    }
    draft = assessment(world, case, status="draft")
    submitted = assessment(world, case, status="submitted")
    plan = plan_create(access=access(world.owner_caseworker, case), responsible_agency_id=world.other_agency.pk,
                       every_days=30, starts_on=RECEIVED.isoformat(), ends_on=TODAY.isoformat())
    visit = plan.visits.first()
    return {"case": case, "people": people, "stay": stay, "draft": draft, "submitted": submitted, "plan": plan,
            "visit": visit}


def _client(setup: dict[str, Any], persona: str) -> Client:
    person = setup["people"][persona]
    return login(Client(), person) if person is not None else Client()


def _fill(route: str, s: dict[str, Any]) -> str:
    return route.format(code=s["case"].code, draft=s["draft"].pk, submitted=s["submitted"].pk, plan=s["plan"].pk,
                        visit=s["visit"].pk)


def _check(response: Any, expected: Any) -> None:
    if expected == LOGIN:
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected, response.content[:300]


CASE_VIEW = {"owner_cw": OK, "owner_sup": OK, "serving_cw": OK, "serving_sup": OK, "outsider_cw": NF,
             "statistician": NF, "auditor": NF, "anonymous": LOGIN}
EVERYONE = {p: OK for p in PERSONAS} | {"anonymous": LOGIN}
GET_PAGES = [
    ("/cases/{code}/follow-up/", CASE_VIEW),
    ("/follow-up/", EVERYONE),
]
# A form sent incomplete comes back with its errors (200) to those allowed; the others get a 404.
POST_PAGES = [
    ("/cases/{code}/follow-up/assessments/", {"visited_on": ""}, CASE_VIEW),
    # Only the agency that made the draft submits it; another serving agency gets the message (302).
    ("/cases/{code}/follow-up/assessments/{draft}/submit/", {},
     {**CASE_VIEW, "owner_cw": 302, "owner_sup": 302, "serving_cw": NF, "serving_sup": NF}),
    # The decision form sent incomplete: errors (200) for everyone serving the case, the refusal shown on it.
    ("/cases/{code}/follow-up/assessments/{submitted}/decide/", {"decision": ""}, CASE_VIEW),
    ("/cases/{code}/follow-up/plans/", {"responsible_agency": ""}, CASE_VIEW),
    ("/cases/{code}/follow-up/plans/{plan}/visits/", {"done_on": ""}, CASE_VIEW),
    ("/cases/{code}/follow-up/plans/{plan}/reception/", {"received_on": ""}, CASE_VIEW),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route, expected", GET_PAGES, ids=[r for r, _ in GET_PAGES])
def test_pages_by_persona(setup, route, expected, persona):
    _check(_client(setup, persona).get(_fill(route, setup)), expected[persona])


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route, data, expected", POST_PAGES, ids=[r for r, _, _ in POST_PAGES])
def test_page_actions_by_persona(setup, route, data, expected, persona):
    _check(_client(setup, persona).post(_fill(route, setup), data), expected[persona])


API_CASE = {"owner_cw": OK, "owner_sup": OK, "serving_cw": OK, "serving_sup": OK, "outsider_cw": NF,
            "statistician": NF, "auditor": NF, "anonymous": 401}
SERVERS_400 = {**API_CASE, **{p: 400 for p in ("owner_cw", "owner_sup", "serving_cw", "serving_sup")}}
API_ROUTES = [
    ("get", "/api/cases/{code}/safety-assessments", None, API_CASE),
    ("get", "/api/cases/{code}/discharge-check", None, API_CASE),
    ("get", "/api/cases/{code}/follow-up", None, API_CASE),
    ("post", "/api/cases/{code}/safety-assessments", {"visited_on": "1999-01-01", "outcome": "safe",
                                                      "findings": "Thử nghiệm quyền truy cập"}, SERVERS_400),
    ("post", "/api/cases/{code}/safety-assessments/{draft}/submit", None,
     {**API_CASE, "serving_cw": NF, "serving_sup": NF}),
    # Four eyes: the owning agency's caseworker wrote it (for no stay): only the owning agency's supervisor
    # decides (a return without a reason: 400); the serving agency's staff see it but may not decide (403).
    ("post", "/api/cases/{code}/safety-assessments/{submitted}/decision", {"approve": False},
     {**API_CASE, "owner_cw": FORBIDDEN, "serving_cw": FORBIDDEN, "owner_sup": 400, "serving_sup": FORBIDDEN}),
    ("get", "/api/safety-assessments/pending", None,
     {p: FORBIDDEN for p in PERSONAS} | {"owner_sup": OK, "serving_sup": OK, "anonymous": 401}),
    ("post", "/api/cases/{code}/follow-up/plans", {"responsible_agency_id": 999999, "every_days": 30,
                                                   "starts_on": "2026-01-01", "ends_on": "2026-12-31"}, SERVERS_400),
    ("post", "/api/cases/{code}/follow-up/plans/{plan}/visits", {"done_on": "1999-01-01", "mode": "home",
                                                                 "observed": "stable"}, SERVERS_400),
    ("post", "/api/cases/{code}/follow-up/plans/{plan}/reception", {"received_on": "2026-01-01",
                                                                    "reception_place": "Cửa khẩu",
                                                                    "return_mode": "rescued"}, SERVERS_400),
    ("get", "/api/follow-up/due", None, {p: OK for p in PERSONAS} | {"anonymous": 401}),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("method, route, body, expected", API_ROUTES, ids=[f"{m} {r}" for m, r, _, _ in API_ROUTES])
def test_api_by_persona(setup, api, method, route, body, expected, persona):
    response = api(setup["people"][persona]).request(method.upper(), _fill(route, setup), body)
    assert response.status_code == expected[persona], (persona, response.content[:300])
    if response.status_code >= 400:
        assert set(response.json()) == {"detail", "code", "field"}


def test_nothing_changed_for_those_turned_away(setup, api):
    counts = lambda: (HomeSafetyAssessment.objects.filter(status="approved").count(),  # noqa: E731
                      HomeSafetyAssessment.objects.count(), FollowUpPlan.objects.count(),
                      FollowUpVisit.objects.filter(done_on__isnull=False).count(), Case.objects.count())
    before = counts()
    for persona in ("outsider_cw", "statistician", "auditor", "anonymous"):
        for method, route, body, _ in API_ROUTES:
            if method == "post":
                api(setup["people"][persona]).request("POST", _fill(route, setup), body)
    assert counts() == before
