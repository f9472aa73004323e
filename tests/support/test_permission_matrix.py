"""Every support page and API route as every persona.

Personas: the owning agency's caseworker and supervisor, the receiving agency's caseworker (accepted
referral, consent to share), the same agency's supervisor, another agency's caseworker (no relationship),
an agency administrator, a statistician, an auditor, and an anonymous visitor.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from haven.accounts.models import AgencyKind, Role
from haven.support.ledger import ledger_decide, ledger_record
from haven.support.models import FundingSource, LedgerEntry, ShelterStay
from haven.support.stays import stay_admit
from tests.conftest import login
from tests.factories import access, agency, user
from tests.support.conftest import identified_case, share

pytestmark = pytest.mark.django_db

PERSONAS = ["owner_cw", "owner_sup", "receiving_cw", "receiving_sup", "outsider_cw", "agency_admin",
            "statistician", "auditor", "anonymous"]
OK, NF, FORBIDDEN, LOGIN = 200, 404, 403, "login"


@pytest.fixture
def setup(world) -> dict[str, Any]:
    case = identified_case(world, received_on=dt.date(2023, 3, 1))
    share(world, case)
    outsider_agency = agency(AgencyKind.NGO_SHELTER, "Nhà tạm lánh khác (thử nghiệm)")
    people = {
        "owner_cw": world.owner_caseworker, "owner_sup": world.supervisor, "receiving_cw": world.other_caseworker,
        "receiving_sup": world.other_supervisor, "outsider_cw": user(outsider_agency, Role.CASEWORKER, "far_cw"),
        "agency_admin": user(world.owner_agency, Role.AGENCY_ADMIN, "owner_admin"),
        "statistician": world.statistician, "auditor": world.auditor, "anonymous": None,
    }
    fund = FundingSource.objects.create(agency=world.owner_agency, kind="state_budget", name="Ngân sách tỉnh")
    stay = stay_admit(access=access(world.owner_caseworker, case), facility_id=world.other_agency.pk,
                      admitted_on="2023-03-05")
    entry = ledger_record(access=access(world.owner_caseworker, case), item="clothing_personal_items",
                          kind="service", provided_on="2023-03-06", amount=400_000, funding_source_id=fund.pk,
                          evidence_kind="invoice", evidence_ref="HĐ 1")
    approved = ledger_record(access=access(world.owner_caseworker, case), item="food", kind="payment",
                             provided_on="2023-03-10", amount=180_000, funding_source_id=fund.pk,
                             evidence_kind="signature_list", evidence_ref="DS 1")
    ledger_decide(acting_user=world.supervisor, entry_id=approved.pk, approved=True)
    return {"case": case, "people": people, "fund": fund, "stay": stay, "entry": entry, "approved": approved}


def _client(setup: dict[str, Any], persona: str) -> Client:
    person = setup["people"][persona]
    return login(Client(), person) if person is not None else Client()


def _fill(route: str, s: dict[str, Any]) -> str:
    return route.format(code=s["case"].code, stay=s["stay"].pk, entry=s["entry"].pk, approved=s["approved"].pk,
                        fund=s["fund"].pk)


def _check(response: Any, expected: Any) -> None:
    if expected == LOGIN:
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected, response.content[:300]


CASE_VIEW = {"owner_cw": OK, "owner_sup": OK, "receiving_cw": OK, "receiving_sup": OK, "outsider_cw": NF,
             "agency_admin": NF, "statistician": NF, "auditor": NF, "anonymous": LOGIN}
EVERYONE = {p: OK for p in PERSONAS} | {"anonymous": LOGIN}
GET_PAGES = [
    ("/cases/{code}/support/", CASE_VIEW),
    ("/cases/{code}/support/proposal/?item=food&provided_on=2023-03-20", CASE_VIEW),
    ("/support/", EVERYONE),
]
# A form sent incomplete comes back with its errors (200) to those allowed; the others get a 404.
SERVERS_FORM = CASE_VIEW
POST_PAGES = [
    ("/cases/{code}/support/stays/", {"facility": "", "admitted_on": ""}, SERVERS_FORM),
    ("/cases/{code}/support/stays/{stay}/discharge/", {"discharged_on": ""},
     CASE_VIEW),
    ("/cases/{code}/support/ledger/", {"item": ""}, SERVERS_FORM),
    ("/cases/{code}/support/ledger/{approved}/reverse/", {"reason": "Ghi trùng phiếu chi số 1"},
     {**CASE_VIEW, "owner_cw": 302, "owner_sup": 302, "receiving_cw": NF, "receiving_sup": NF}),
    ("/support/entries/{entry}/decide/", {"decision": "approve"},
     {p: NF for p in PERSONAS} | {"owner_sup": 302, "anonymous": LOGIN}),
    ("/support/funding/", {"kind": "", "name": ""},
     {p: NF for p in PERSONAS} | {"owner_sup": OK, "receiving_sup": OK, "agency_admin": OK, "anonymous": LOGIN}),
    ("/support/funding/{fund}/deactivate/", {},
     {p: NF for p in PERSONAS} | {"owner_sup": 302, "agency_admin": 302, "anonymous": LOGIN}),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route, expected", GET_PAGES, ids=[r for r, _ in GET_PAGES])
def test_pages_by_persona(setup, route, expected, persona):
    _check(_client(setup, persona).get(_fill(route, setup)), expected[persona])


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route, data, expected", POST_PAGES, ids=[r for r, _, _ in POST_PAGES])
def test_page_actions_by_persona(setup, route, data, expected, persona):
    _check(_client(setup, persona).post(_fill(route, setup), data), expected[persona])


API_CASE = {"owner_cw": OK, "owner_sup": OK, "receiving_cw": OK, "receiving_sup": OK, "outsider_cw": NF,
            "agency_admin": NF, "statistician": NF, "auditor": NF, "anonymous": 401}
API_ALL = {p: OK for p in PERSONAS} | {"anonymous": 401}
API_ROUTES = [
    ("GET", "/api/cases/{code}/stays", None, API_CASE),
    ("GET", "/api/cases/{code}/ledger", None, API_CASE),
    ("GET", "/api/cases/{code}/ledger/balances", None, API_CASE),
    ("GET", "/api/cases/{code}/ledger/proposal?item=food&provided_on=2023-03-20", None, API_CASE),
    ("POST", "/api/cases/{code}/stays", {"facility_id": 999999, "admitted_on": "2023-03-05"},
     {**API_CASE, **{p: 400 for p in ("owner_cw", "owner_sup", "receiving_cw", "receiving_sup")}}),
    ("POST", "/api/cases/{code}/stays/{stay}/discharge", {"discharged_on": "2023-03-01"},
     {**API_CASE, **{p: 400 for p in ("owner_cw", "owner_sup", "receiving_cw", "receiving_sup")}}),
    ("POST", "/api/cases/{code}/ledger", {"item": "food", "kind": "payment", "provided_on": "2023-03-20",
                                          "amount": 1, "funding_source_id": 999999, "evidence_kind": "invoice",
                                          "evidence_ref": "HĐ 2", "amount_reason": "Thử nghiệm quyền truy cập"},
     {**API_CASE, **{p: 400 for p in ("owner_cw", "owner_sup", "receiving_cw", "receiving_sup")}}),
    ("POST", "/api/cases/{code}/ledger/{approved}/reversal", {"reason": "Ghi trùng phiếu chi số 1"},
     {**API_CASE, "owner_cw": 201, "owner_sup": 201, "receiving_cw": NF, "receiving_sup": NF}),
    ("GET", "/api/ledger/pending", None,
     {p: FORBIDDEN for p in PERSONAS} | {"owner_sup": OK, "receiving_sup": OK, "anonymous": 401}),
    ("POST", "/api/ledger/{entry}/approval", {"approved": True},
     {p: NF for p in PERSONAS} | {"owner_sup": OK, "anonymous": 401}),
    ("GET", "/api/funding-sources", None, API_ALL),
    ("POST", "/api/funding-sources", {"kind": "other", "name": "Quỹ khác"},
     {p: FORBIDDEN for p in PERSONAS} | {"owner_sup": 201, "receiving_sup": 201, "agency_admin": 201, "anonymous": 401}),
    # The agency's caseworker sees the source (403: may not change it); other agencies do not (404).
    ("POST", "/api/funding-sources/{fund}/deactivate", None,
     {p: NF for p in PERSONAS} | {"owner_cw": FORBIDDEN, "owner_sup": OK, "agency_admin": OK, "anonymous": 401}),
    ("GET", "/api/occupancy", None, API_ALL),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("method, route, body, expected", API_ROUTES, ids=[f"{m} {r}" for m, r, _, _ in API_ROUTES])
def test_api_by_persona(setup, api, method, route, body, expected, persona):
    client = api(setup["people"][persona])
    response = client.request(method, _fill(route, setup).split("?")[0], body,
                              **(dict(p.split("=") for p in route.split("?")[1].split("&")) if "?" in route else {}))
    assert response.status_code == expected[persona], (persona, response.content[:300])
    if response.status_code >= 400:
        assert set(response.json()) == {"detail", "code", "field"}


def test_nothing_changed_for_those_turned_away(setup, api):
    before = (LedgerEntry.objects.count(), ShelterStay.objects.count(), FundingSource.objects.count())
    for persona in ("outsider_cw", "statistician", "auditor", "anonymous"):
        for method, route, body, _ in API_ROUTES:
            if method == "POST":
                api(setup["people"][persona]).request(method, _fill(route, setup), body)
    assert (LedgerEntry.objects.count(), ShelterStay.objects.count(), FundingSource.objects.count()) == before
