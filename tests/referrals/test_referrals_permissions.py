"""Every referral and transfer page and API route as every persona.

Personas: the caseworker of the owning agency, the caseworker of the receiving agency, a caseworker of a
third agency, the owning agency's supervisor, the supervisor of an agency in another province (the other
end of a transfer), a statistician, an auditor, and an anonymous visitor. Missing and forbidden give the
same 404; statisticians and auditors are turned away from the inbox (403); anonymous visitors go to the
log-in page (pages) or get 401 (API).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from haven.accounts.models import AgencyKind, Role
from haven.cases.selectors import Need
from haven.core.api_errors import not_found_body
from haven.referrals.models import CaseTransfer, Referral
from haven.referrals.services import referral_accept
from haven.referrals.transfers import transfer_request
from tests.factories import World, access, agency, user
from tests.referrals.conftest import Far, consent, send

pytestmark = pytest.mark.django_db

PERSONAS = ["owner_caseworker", "receiver_caseworker", "third_caseworker", "supervisor", "far_supervisor",
            "statistician", "auditor", "anonymous"]
LOGIN = "login"


@dataclass
class Setup:
    world: World
    far: Far
    third: Any
    referral: Referral  # sent to the receiving agency, not answered
    accepted: Referral  # accepted by a third agency (police) on the same case
    transfer: CaseTransfer  # requested of the far agency
    legal: Any  # a legal aid centre with the person's consent and no referral yet

    def people(self) -> dict[str, Any]:
        w = self.world
        return {"owner_caseworker": w.owner_caseworker, "receiver_caseworker": w.other_caseworker,
                "third_caseworker": self.third, "supervisor": w.supervisor, "far_supervisor": self.far.supervisor,
                "statistician": w.statistician, "auditor": w.auditor, "anonymous": None}

    def fill(self, template: str) -> str:
        return template.format(code=self.world.case.code, rid=self.referral.pk, aid=self.accepted.pk,
                               tid=self.transfer.pk, other=self.world.other_agency.pk, far=self.far.agency.pk,
                               legal=self.legal.pk)


@pytest.fixture
def setup(world: World) -> Setup:
    far = Far()
    police = agency(AgencyKind.POLICE, "Công an tỉnh Lào Cai")
    third = user(police, Role.CASEWORKER, "third_cw")
    police_sup = user(police, Role.SUPERVISOR, "police_sup")
    consent(world)
    consent(world, kind=AgencyKind.POLICE)
    consent(world, kind=AgencyKind.LEGAL_AID)
    referral = send(world)
    accepted = referral_accept(acting_user=police_sup, referral_id=send(world, to=police).pk)
    transfer = transfer_request(access=access(world.supervisor, world.case, Need.SUPERVISE),
                                to_agency_id=far.agency.pk, reason="Chuyển về Nghệ An sống cùng gia đình")
    return Setup(world, far, third, referral, accepted, transfer, agency(AgencyKind.LEGAL_AID, "Trung tâm Trợ giúp pháp lý"))


def expect(default: Any, **by_persona: Any) -> dict[str, Any]:
    """`default` for every persona, with exceptions; anonymous visitors always go to the log-in page."""
    return {p: by_persona.get(p, default) for p in PERSONAS} | {"anonymous": by_persona.get("anonymous", LOGIN)}


OWNERS = expect(404, owner_caseworker=200, supervisor=200)
# The police accepted a referral of the case: their caseworker sees the tab (only the police's referral).
VIEWERS = OWNERS | {"third_caseworker": 200}
INBOX = expect(200, statistician=403, auditor=403)

PAGE_GETS: list[tuple[str, dict[str, Any]]] = [
    ("/referrals/", INBOX),
    ("/cases/{code}/referrals/", VIEWERS),
    ("/cases/{code}/referrals/preview/?to_agency={other}", OWNERS),
]
PAGE_POSTS: list[tuple[str, dict[str, str], dict[str, Any]]] = [
    ("/cases/{code}/referrals/send/", {"to_agency": "{legal}", "purpose": "Tư vấn pháp lý", "items": "legal_aid",
                                        "due_on": "{due}"}, expect(404, owner_caseworker=302, supervisor=302)),
    ("/cases/{code}/referrals/{rid}/cancel/", {"reason": "Đã chọn nơi khác"},
     expect(404, owner_caseworker=302, supervisor=302)),
    ("/cases/{code}/referrals/transfer/", {"to_agency": "{far}", "reason": "Chuyển tỉnh"},
     # One transfer is already open: the supervisor's form comes back with the reason (200).
     expect(404, supervisor=200)),
    ("/cases/{code}/referrals/transfers/{tid}/cancel/", {}, expect(404, supervisor=302)),
    ("/referrals/{rid}/accept/", {}, expect(404, receiver_caseworker=302, statistician=403, auditor=403)),
    ("/referrals/{rid}/decline/", {"reason": "Hết chỗ"},
     expect(404, receiver_caseworker=302, statistician=403, auditor=403)),
    ("/referrals/{aid}/complete/", {"outcome": "Đã lấy lời khai"},
     expect(404, third_caseworker=302, statistician=403, auditor=403)),
    ("/referrals/transfers/{tid}/accept/", {}, expect(404, far_supervisor=302, statistician=403, auditor=403)),
    ("/referrals/transfers/{tid}/decline/", {"reason": "Không đúng địa bàn"},
     expect(404, far_supervisor=302, statistician=403, auditor=403)),
]


def _client(setup: Setup, persona: str, as_user: Callable[[Any], Client]) -> Client:
    person = setup.people()[persona]
    return as_user(person) if person is not None else Client()


def _outcome(response: Any, expected: Any) -> None:
    if expected == LOGIN:
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected, response.content[:300]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route, expected", PAGE_GETS, ids=[r for r, _ in PAGE_GETS])
def test_page_access_by_persona(setup, as_user, route, expected, persona):
    _outcome(_client(setup, persona, as_user).get(setup.fill(route)), expected[persona])


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route, data, expected", PAGE_POSTS, ids=[r for r, _, _ in PAGE_POSTS])
def test_page_action_by_persona(setup, as_user, route, data, expected, persona):
    from haven.referrals.items import default_due_on

    body = {k: setup.fill(v.replace("{due}", default_due_on().isoformat())) for k, v in data.items()}
    _outcome(_client(setup, persona, as_user).post(setup.fill(route), body), expected[persona])


def test_a_forbidden_case_tab_looks_exactly_like_a_missing_one(setup, as_user):
    from tests.web.conftest import without_csrf

    client = as_user(setup.world.other_caseworker)
    forbidden = client.get(f"/cases/{setup.world.case.code}/referrals/")
    missing = client.get("/cases/HV-26-ZZZZZZ/referrals/")
    assert forbidden.status_code == missing.status_code == 404
    assert without_csrf(forbidden.content).replace(setup.world.case.code.encode(), b"CODE") == without_csrf(
        missing.content).replace(b"HV-26-ZZZZZZ", b"CODE")


# --- API ------------------------------------------------------------------------------------------


def api_expect(default: int, **by_persona: int) -> dict[str, int]:
    return {p: by_persona.get(p, default) for p in PERSONAS} | {"anonymous": 401}


API_OWNERS = api_expect(404, owner_caseworker=200, supervisor=200)
API_INBOX = api_expect(200, statistician=403, auditor=403)
API_ROUTES: list[tuple[str, str, dict[str, Any] | None, dict[str, int]]] = [
    ("GET", "/api/referrals/received", None, API_INBOX),
    ("GET", "/api/referrals/sent", None, API_INBOX),
    ("GET", "/api/referrals/overdue", None, API_INBOX),
    ("GET", "/api/transfers", None, API_INBOX),
    ("GET", "/api/cases/{code}/referrals", None, API_OWNERS | {"third_caseworker": 200}),
    ("GET", "/api/cases/{code}/referrals/preview?to_agency_id={other}", None, API_OWNERS),
    ("POST", "/api/cases/{code}/referrals", {"to_agency_id": "{legal}", "purpose": "Tư vấn pháp lý",
                                             "items": ["legal_aid"]},
     api_expect(404, owner_caseworker=201, supervisor=201)),
    ("POST", "/api/cases/{code}/referrals/{rid}/cancel", {"reason": "Đã chọn nơi khác"}, API_OWNERS),
    ("POST", "/api/referrals/{rid}/accept", None, api_expect(404, receiver_caseworker=200)),
    ("POST", "/api/referrals/{rid}/decline", {"reason": "Hết chỗ"}, api_expect(404, receiver_caseworker=200)),
    ("POST", "/api/referrals/{aid}/complete", {"outcome": "Đã lấy lời khai"}, api_expect(404, third_caseworker=200)),
    ("POST", "/api/cases/{code}/transfers", {"to_agency_id": "{far}", "reason": "Chuyển tỉnh"},
     api_expect(404, supervisor=400)),  # one transfer is already open
    ("POST", "/api/cases/{code}/transfers/{tid}/cancel", None, api_expect(404, supervisor=200)),
    ("POST", "/api/transfers/{tid}/accept", None, api_expect(404, far_supervisor=200)),
    ("POST", "/api/transfers/{tid}/decline", {"reason": "Không đúng địa bàn"}, api_expect(404, far_supervisor=200)),
]


def _body(setup: Setup, body: Any) -> Any:
    if body is None:
        return None
    return {k: (int(setup.fill(v)) if isinstance(v, str) and v.startswith("{") else v) for k, v in body.items()}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("method, route, body, expected", API_ROUTES, ids=[f"{m} {r}" for m, r, _, _ in API_ROUTES])
def test_api_by_persona(setup, api, method, route, body, expected, persona):
    path, _, query = setup.fill(route).partition("?")
    response = api(setup.people()[persona]).request(method, path, _body(setup, body),
                                                    **dict(p.split("=") for p in query.split("&") if p))
    assert response.status_code == expected[persona], (persona, response.content[:300])
    if response.status_code == 404:
        assert response.json() == not_found_body()
    elif response.status_code >= 400:
        assert set(response.json()) == {"detail", "code", "field"}


def test_the_matrix_covers_every_referral_operation_in_the_schema(openapi_schema, schema_checker):
    covered = set()
    for method, route, _, _ in API_ROUTES:
        path = route.split("?")[0].replace("{code}", "HV-26-AAAAAA").replace("{rid}", "1").replace(
            "{aid}", "1").replace("{tid}", "1")
        template = next(t for regex, t, _item in schema_checker.routes if regex.match(path))
        covered.add((method, template))
    ours = {(m.upper(), p) for p, item in openapi_schema["paths"].items() for m, op in item.items()
            if "referrals" in op.get("tags", [])}
    assert covered == ours


def test_nothing_changes_for_those_turned_away(setup, api, as_user):
    before = [(r.pk, r.status) for r in Referral.objects.order_by("pk")], [
        (t.pk, t.status) for t in CaseTransfer.objects.order_by("pk")]
    for persona in ("third_caseworker", "statistician", "auditor", "anonymous"):
        for method, route, body, expected in API_ROUTES:
            if method == "POST" and expected[persona] >= 400:
                path = setup.fill(route)
                api(setup.people()[persona]).request(method, path, _body(setup, body))
    after = [(r.pk, r.status) for r in Referral.objects.order_by("pk")], [
        (t.pk, t.status) for t in CaseTransfer.objects.order_by("pk")]
    assert after == before
