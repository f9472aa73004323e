"""Every Justice page and API route as every persona.

Personas: the owning agency's caseworker and supervisor, a legal aid centre's caseworker on an accepted
referral (with consent to share), a caseworker of another agency with no relationship to the case, a
statistician, an auditor and an anonymous visitor.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from haven.accounts.models import AgencyKind, Role
from haven.legal.awards import payment_record
from haven.legal.models import CompensationPayment, EnforcementStep, LegalAid, Proceeding, Verdict
from haven.legal.proceedings import legal_aid_request
from tests.conftest import login
from tests.factories import agency, user
from tests.legal.conftest import acc

pytestmark = pytest.mark.django_db

PERSONAS = ["owner_cw", "legal_cw", "outsider_cw", "supervisor", "statistician", "auditor", "anonymous"]
OK, NF, FORBIDDEN, LOGIN = 200, 404, 403, "login"


@pytest.fixture
def setup(world, case, legal_cw, referred, proceeding, award) -> dict[str, Any]:
    far = agency(AgencyKind.NGO_SHELTER, "Nhà tạm lánh khác (thử nghiệm)")
    aid = legal_aid_request(access=acc(world.owner_caseworker, case), provider_id=legal_cw.agency_id,
                            requested_on="2025-08-01")
    payment = payment_record(access=acc(world.owner_caseworker, case), award_id=award.pk, received_on="2024-10-01",
                             amount=5_000_000, method="cash", evidence_ref="BL-1")
    people = {"owner_cw": world.owner_caseworker, "legal_cw": legal_cw,
              "outsider_cw": user(far, Role.CASEWORKER, "far_cw"), "supervisor": world.supervisor,
              "statistician": world.statistician, "auditor": world.auditor, "anonymous": None}
    return {"case": case, "people": people, "proceeding": proceeding, "award": award, "aid": aid,
            "payment": payment}


def _client(setup: dict[str, Any], persona: str) -> Client:
    person = setup["people"][persona]
    return login(Client(), person) if person is not None else Client()


def _fill(route: str, s: dict[str, Any]) -> str:
    return route.format(code=s["case"].code, proceeding=s["proceeding"].pk, award=s["award"].pk, aid=s["aid"].pk,
                        payment=s["payment"].pk)


def _check(response: Any, expected: Any) -> None:
    if expected == LOGIN:
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected, response.content[:300]


CASE_VIEW = {"owner_cw": OK, "legal_cw": OK, "outsider_cw": NF, "supervisor": OK, "statistician": NF,
             "auditor": NF, "anonymous": LOGIN}
EVERYONE = {p: OK for p in PERSONAS} | {"anonymous": LOGIN}
GET_PAGES = [
    ("/cases/{code}/justice/", CASE_VIEW),
    ("/justice/", EVERYONE),
]
# An incomplete form comes back with its errors (200) to the writers; everyone else gets a 404.
WRITERS = CASE_VIEW
POST_PAGES = [
    ("/cases/{code}/justice/proceedings/", {"kind": ""}, WRITERS),
    ("/cases/{code}/justice/proceedings/{proceeding}/stage/", {"stage": ""}, WRITERS),
    ("/cases/{code}/justice/legal-aid/", {"provider": ""}, WRITERS),
    ("/cases/{code}/justice/legal-aid/{aid}/decide/", {"status": ""}, WRITERS),
    ("/cases/{code}/justice/verdicts/", {"proceeding": ""}, WRITERS),
    ("/cases/{code}/justice/awards/{award}/payments/", {"amount": ""}, WRITERS),
    ("/cases/{code}/justice/payments/{payment}/reverse/", {"reason": ""}, WRITERS),
    ("/cases/{code}/justice/awards/{award}/enforcement/", {"kind": ""}, WRITERS),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route, expected", GET_PAGES, ids=[r for r, _ in GET_PAGES])
def test_pages_by_persona(setup, route, expected, persona):
    _check(_client(setup, persona).get(_fill(route, setup)), expected[persona])


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route, data, expected", POST_PAGES, ids=[r for r, _, _ in POST_PAGES])
def test_page_actions_by_persona(setup, route, data, expected, persona):
    _check(_client(setup, persona).post(_fill(route, setup), data), expected[persona])


API_CASE = {"owner_cw": OK, "legal_cw": OK, "outsider_cw": NF, "supervisor": OK, "statistician": NF,
            "auditor": NF, "anonymous": 401}
# Bodies that pass the schema but that the services refuse: 400 for writers, 404 for everyone else.
API_WRITE = {**API_CASE, "owner_cw": 400, "legal_cw": 400, "supervisor": 400}
API_ROUTES = [
    ("GET", "/api/cases/{code}/justice", None, API_CASE),
    ("POST", "/api/cases/{code}/proceedings", {"kind": "criminal", "person_role": "victim", "opened_on": "1980-01-01"},
     API_WRITE),
    ("POST", "/api/cases/{code}/proceedings/{proceeding}/stage", {"stage": "investigation"}, API_WRITE),
    ("POST", "/api/cases/{code}/legal-aid", {"provider_id": 999999, "requested_on": "2025-08-01"}, API_WRITE),
    ("POST", "/api/cases/{code}/legal-aid/{aid}/decision", {"status": "granted", "on": "2025-07-01"}, API_WRITE),
    ("POST", "/api/cases/{code}/verdicts", {"proceeding_id": "{proceeding}", "decided_on": "2024-09-10",
                                            "court_level": "appeal", "outcome": "convicted",
                                            "compensation_awarded": 1000}, API_WRITE),
    ("POST", "/api/cases/{code}/awards/{award}/payments", {"received_on": "2024-10-02", "amount": 10**11,
                                                           "method": "cash", "evidence_ref": "BL-2"}, API_WRITE),
    ("POST", "/api/cases/{code}/payments/{payment}/reversal", {"reason": "ngắn"}, API_WRITE),
    ("POST", "/api/cases/{code}/awards/{award}/enforcement", {"kind": "decision", "taken_on": "2020-01-01"},
     API_WRITE),
    ("GET", "/api/justice/summary", None,
     {"owner_cw": OK, "legal_cw": OK, "outsider_cw": OK, "supervisor": OK, "statistician": OK,
      "auditor": FORBIDDEN, "anonymous": 401}),
]


def _body(body: Any, s: dict[str, Any]) -> Any:
    """Ids in a body are known only once the rows exist (PostgreSQL does not reset its sequences)."""
    if body is None:
        return None
    return {k: s["proceeding"].pk if v == "{proceeding}" else v for k, v in body.items()}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("method, route, body, expected", API_ROUTES, ids=[f"{m} {r}" for m, r, _, _ in API_ROUTES])
def test_api_by_persona(setup, api, method, route, body, expected, persona):
    response = api(setup["people"][persona]).request(method, _fill(route, setup), _body(body, setup))
    assert response.status_code == expected[persona], (persona, response.content[:300])
    if response.status_code >= 400:
        assert set(response.json()) == {"detail", "code", "field"}


def _counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Proceeding, LegalAid, Verdict, CompensationPayment, EnforcementStep))


def test_nothing_changed_by_refused_requests(setup, api):
    before = _counts()
    for persona in PERSONAS:
        for method, route, body, _ in API_ROUTES:
            if method == "POST":
                api(setup["people"][persona]).request(method, _fill(route, setup), _body(body, setup))
        for route, data, _ in POST_PAGES:
            _client(setup, persona).post(_fill(route, setup), data)
    assert _counts() == before
