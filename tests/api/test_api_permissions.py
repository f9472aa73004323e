"""Every API route as every persona: what is allowed and what is denied, and guessed identifiers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from haven.accounts.models import AgencyKind, IdentityField
from haven.accounts.services import token_create
from haven.cases.models import Signoff, SignoffRule, Status
from haven.cases.services import break_glass_open, case_identify, case_start_verification
from haven.consent.services import consent_record
from haven.core.api_errors import not_found_body
from haven.entitlements.services import application_create
from haven.referrals.models import Referral, ReferralStatus
from tests.factories import World, access

pytestmark = pytest.mark.django_db

PERSONAS = ["owner_caseworker", "other_caseworker", "supervisor", "statistician", "auditor", "anonymous"]
REASON = "The person was taken to hospital at night and the doctor needs the family contact."


@dataclass
class Route:
    """One API route: how to call it in a fresh world, and the status each persona must get."""

    name: str
    method: str
    call: Callable[[World], tuple[str, Any]]
    expected: dict[str, int]


def _case(w: World, suffix: str = "") -> str:
    return f"/api/cases/{w.case.code}{suffix}"


def _signoff(w: World) -> Signoff:
    SignoffRule.objects.create(agency_kind=AgencyKind.BORDER_GUARD, due_days=5)
    own = access(w.owner_caseworker, w.case, "edit")
    case_start_verification(access=own)
    case_identify(access=own, identified_on=timezone.localdate(), authority="Đồn Biên phòng", document="12/QĐ")
    return Signoff.objects.get(case=w.case)


def _grant_id(w: World) -> int:
    return break_glass_open(acting_user=w.other_caseworker, code=w.case.code, reason=REASON).pk


def _token_id(w: World) -> int:
    return token_create(user=w.owner_caseworker, name="to revoke")[0].pk


def _today() -> str:
    return timezone.localdate().isoformat()


def _identified(w: World) -> str:
    own = access(w.owner_caseworker, w.case, "edit")
    if own.case.status == Status.RECEPTION:
        case_start_verification(access=own)
        case_identify(access=own, identified_on=timezone.localdate(), authority="Công an tỉnh Lào Cai", document="12/QĐ")
    return _case(w, "/applications")


def _application(w: World, item: str, suffix: str) -> str:
    _identified(w)
    application = application_create(access=access(w.owner_caseworker, w.case, "edit"), item=item,
                                     received_on=timezone.localdate())
    return _case(w, f"/applications/{application.pk}{suffix}")


REGISTRATION = {
    "full_name": "Lò Thị Mai", "sex": "female", "category": "under_identification", "received_on": "2026-01-05",
    "reception_place": "Cửa khẩu Kim Thành", "return_mode": "border_handover", "id_number": "031099000777",
}
CONSENT = {"purpose": "statistics", "decision": "given", "given_by": "person", "method": "signed_form"}
OFFICIAL_FIGURE = {"parameter": "hardship.amount", "scope": "nghe-an", "valid_from": "2024-01-01", "amount": 1_500_000,
                   "unit": "VND", "instrument": "Nghị quyết HĐND tỉnh Nghệ An (thử nghiệm)"}
PROFILE = {"id": "p1", "category": "victim", "nationality": "VN", "located": "vietnam", "identified_on": "2024-03-05"}


def everyone(status: int) -> dict[str, int]:
    return {p: (401 if p == "anonymous" else status) for p in PERSONAS}


def only(allowed: dict[str, int], denied: int) -> dict[str, int]:
    return {p: allowed.get(p, 401 if p == "anonymous" else denied) for p in PERSONAS}


OWNERS_VIEW = only({"owner_caseworker": 200, "supervisor": 200}, 404)
CASE_ROLES = only({"owner_caseworker": 200, "other_caseworker": 200, "supervisor": 200}, 403)
EVALUATORS = only({"owner_caseworker": 200, "other_caseworker": 200, "supervisor": 200, "statistician": 200}, 403)

ROUTES = [
    Route("me", "GET", lambda w: ("/api/auth/me", None), everyone(200)),
    Route("token list", "GET", lambda w: ("/api/auth/tokens", None), everyone(200)),
    Route("token revoke", "DELETE", lambda w: (f"/api/auth/tokens/{_token_id(w)}", None),
          only({"owner_caseworker": 204}, 404)),
    Route("case list", "GET", lambda w: ("/api/cases", None), CASE_ROLES),
    Route("case search", "POST", lambda w: ("/api/cases/search", {"q": "Ngọc"}), CASE_ROLES),
    Route("register", "POST", lambda w: ("/api/cases", REGISTRATION),
          only({"owner_caseworker": 201, "other_caseworker": 201, "supervisor": 201}, 403)),
    Route("case detail", "GET", lambda w: (_case(w), None), OWNERS_VIEW),
    Route("identity", "GET", lambda w: (_case(w, "/identity"), None), OWNERS_VIEW),
    Route("identity change", "PATCH", lambda w: (_case(w, "/identity"), {"phone": "0987 000 111"}), OWNERS_VIEW),
    Route("transition", "POST", lambda w: (_case(w, "/transitions"), {"action": "start_verification"}), OWNERS_VIEW),
    Route("assign", "POST", lambda w: (_case(w, "/assign"), {"worker_id": w.second_caseworker.pk}),
          only({"supervisor": 200}, 404)),
    Route("case signoffs", "GET", lambda w: (_case(w, "/signoffs"), None), OWNERS_VIEW),
    Route("signoff inbox", "GET", lambda w: ("/api/signoffs", None), only({"supervisor": 200}, 403)),
    Route("sign", "POST", lambda w: (f"/api/signoffs/{_signoff(w).pk}", {"decision": "approved"}),
          only({"supervisor": 200}, 404)),
    Route("break glass", "POST", lambda w: ("/api/break-glass", {"code": w.case.code, "reason": REASON}),
          only({"owner_caseworker": 201, "other_caseworker": 201, "supervisor": 201}, 404)),
    Route("break glass reviews", "GET", lambda w: ("/api/break-glass", None), only({"supervisor": 200}, 403)),
    Route("break glass review", "POST", lambda w: (f"/api/break-glass/{_grant_id(w)}/review", {"note": "ok"}),
          only({"supervisor": 200}, 404)),
    Route("consent", "GET", lambda w: (_case(w, "/consent"), None), OWNERS_VIEW),
    Route("consent record", "POST", lambda w: (_case(w, "/consent"), CONSENT),
          only({"owner_caseworker": 201, "supervisor": 201}, 404)),
    Route("viewers", "GET", lambda w: (_case(w, "/viewers"), None), only({"supervisor": 200}, 404)),
    Route("audit events", "GET", lambda w: ("/api/audit/events", None), only({"auditor": 200}, 403)),
    Route("audit verify", "POST", lambda w: ("/api/audit/verify", None), only({"auditor": 200}, 403)),
    Route("entitlements", "GET", lambda w: (_case(w, "/entitlements"), None), OWNERS_VIEW),
    Route("facts", "GET", lambda w: (_case(w, "/entitlements/facts"), None), OWNERS_VIEW),
    Route("facts change", "PATCH", lambda w: (_case(w, "/entitlements/facts"), {"poor_household": True}), OWNERS_VIEW),
    Route("applications", "GET", lambda w: (_case(w, "/applications"), None), OWNERS_VIEW),
    Route("application open", "POST",
          lambda w: (_identified(w), {"item": "hardship_allowance", "received_on": _today()}),
          only({"owner_caseworker": 201, "supervisor": 201}, 404)),
    Route("application step", "POST",
          lambda w: (_application(w, "education", "/steps/complete"), {"completed_on": _today()}), OWNERS_VIEW),
    Route("application decision", "POST",
          lambda w: (_application(w, "vocational_training", "/decision"), {"decision": "approved", "decided_on": _today()}),
          OWNERS_VIEW),
    Route("overdue steps", "GET", lambda w: ("/api/applications/overdue", None), only({"supervisor": 200}, 403)),
    Route("rights statement", "GET", lambda w: (_case(w, "/rights-statement.pdf"), None), OWNERS_VIEW),
    Route("parameters", "GET", lambda w: ("/api/parameters", None), everyone(200)),
    Route("parameter add", "POST", lambda w: ("/api/parameters", OFFICIAL_FIGURE), only({}, 403)),
    Route("evaluate", "POST", lambda w: ("/api/entitlements/evaluate", {"on": "2024-06-01", "profiles": [PROFILE]}),
          EVALUATORS),
]


def _persona(world: World, name: str) -> Any:
    return world.personas()[name]


@pytest.mark.parametrize("auth", ["token", "session"])
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_permission_matrix(world, api, route: Route, persona: str, auth: str) -> None:
    path, body = route.call(world)
    client = api(_persona(world, persona), auth=auth)
    response = client.request(route.method, path, body)
    assert response.status_code == route.expected[persona], response.content
    if response.status_code == 404:
        assert response.json() == not_found_body()


def test_matrix_covers_every_operation_in_the_schema(world, openapi_schema, schema_checker) -> None:
    covered = set()
    for route in ROUTES:
        path, _body = route.call(world)
        template = next(t for regex, t, _item in schema_checker.routes if regex.match(path))
        covered.add((route.method, template))
    # Token creation is session-only: it has its own test below.
    covered.add(("POST", "/api/auth/tokens"))
    operations = {(m.upper(), p) for p, item in openapi_schema["paths"].items() for m in item}
    assert covered == operations


def test_creating_a_token_needs_a_browser_session(world, api) -> None:
    assert api(world.owner_caseworker, auth="session").post("/api/auth/tokens", {"name": "cli"}).status_code == 201
    assert api(world.owner_caseworker).post("/api/auth/tokens", {"name": "cli"}).status_code == 401
    assert api(None).post("/api/auth/tokens", {"name": "cli"}).status_code == 401


def test_system_administrators_read_the_audit_trail_but_do_not_verify_it(world, api) -> None:
    admin = api(world.system_admin)
    assert admin.get("/api/audit/events").status_code == 200
    assert admin.post("/api/audit/verify").status_code == 403


def test_the_assigned_caseworker_of_another_case_in_the_same_agency_gets_404(world, api) -> None:
    assert api(world.second_caseworker).get(_case(world)).json() == not_found_body()


def test_a_supervisor_of_another_agency_gets_404(world, api) -> None:
    assert api(world.other_supervisor).get(_case(world)).status_code == 404


@pytest.mark.parametrize("suffix", ["", "/identity", "/consent", "/signoffs", "/viewers"])
def test_guessed_and_sequential_codes_answer_exactly_like_a_forbidden_case(world, api, suffix: str) -> None:
    client = api(world.other_caseworker)
    forbidden = client.get(_case(world, suffix))
    for code in ["HV-26-ZZZZZZ", "HV-26-AAAAAA", "1", "2", str(world.case.pk), world.case.code.lower() + "X"]:
        guessed = client.get(f"/api/cases/{code}{suffix}")
        assert (guessed.status_code, guessed.content) == (forbidden.status_code, forbidden.content)
    assert forbidden.json() == not_found_body()


def test_a_case_code_in_lower_case_is_the_same_case_for_its_owner(world, api) -> None:
    assert api(world.owner_caseworker).get(f"/api/cases/{world.case.code.lower()}").status_code == 200


def test_sequential_signoff_grant_and_token_ids_answer_like_missing_ones(world, api) -> None:
    signoff = _signoff(world)
    grant = _grant_id(world)
    token = _token_id(world)
    client = api(world.other_caseworker)
    for path, body in [
        (f"/api/signoffs/{signoff.pk}", {"decision": "approved"}),
        (f"/api/signoffs/{signoff.pk + 1}", {"decision": "approved"}),
        (f"/api/break-glass/{grant}/review", {}),
        (f"/api/break-glass/{grant + 1}/review", {}),
    ]:
        response = client.post(path, body)
        assert (response.status_code, response.json()) == (404, not_found_body())
    for token_id in (token, token + 100):
        response = client.delete(f"/api/auth/tokens/{token_id}")
        assert (response.status_code, response.json()) == (404, not_found_body())


def test_an_unknown_route_answers_the_same_404(world, api) -> None:
    response = api(world.owner_caseworker).get("/api/cases/HV-26-ZZZZZZ/secrets")
    assert (response.status_code, response.json()) == (404, not_found_body())


# --- Referral: another agency sees a case only through an accepted referral and consent -----------


def _refer(world: World, fields: list[str]) -> Referral:
    referral = Referral.objects.create(
        case=world.case, from_agency=world.owner_agency, to_agency=world.other_agency, purpose="Shelter and counselling",
        fields_shared=fields, status=ReferralStatus.ACCEPTED, due_on=dt.date(2026, 3, 10), sent_by=world.owner_caseworker,
    )
    _sharing(world, "given")
    return referral


def _sharing(world: World, decision: str) -> None:
    consent_record(
        access=access(world.owner_caseworker, world.case, "edit"), purpose="sharing", decision=decision,
        agency_kind=AgencyKind.SOCIAL_PROTECTION, given_by="person", method="signed_form",
    )


def test_the_referred_agency_sees_only_its_sharing_profile_fields(world, api) -> None:
    # The social work centre's profile has no ID number or notes: asking for them shares nothing more.
    _refer(world, ["full_name", "phone", "id_number", "notes"])
    client = api(world.other_caseworker)
    detail = client.get(_case(world)).json()
    assert detail["access"]["relationship"] == "referral"
    assert detail["access"]["identity_fields"] == ["full_name", "phone"]
    assert IdentityField.ID_NUMBER not in client.get(_case(world, "/identity")).json()
    assert sorted(client.get(_case(world, "/identity")).json()) == ["full_name", "phone"]
    assert detail["not_victim_reason"] is None and detail["closure_reason"] is None


def test_the_referred_agency_may_read_but_not_change_the_case(world, api) -> None:
    _refer(world, ["full_name"])
    client = api(world.other_caseworker)
    assert client.get(_case(world, "/consent")).status_code == 200
    assert client.patch(_case(world, "/identity"), {"full_name": "Someone Else"}).status_code == 404
    assert client.post(_case(world, "/transitions"), {"action": "start_verification"}).status_code == 404
    assert client.post(_case(world, "/consent"), CONSENT).status_code == 404
    assert client.get(_case(world, "/viewers")).status_code == 404


def test_after_withdrawal_of_sharing_consent_the_referred_agency_gets_404(world, api) -> None:
    _refer(world, ["full_name", "phone"])
    client = api(world.other_caseworker)
    assert client.get(_case(world)).status_code == 200
    _sharing(world, "withdrawn")
    for suffix in ("", "/identity", "/consent", "/signoffs"):
        response = client.get(_case(world, suffix))
        assert (response.status_code, response.json()) == (404, not_found_body())
    assert client.get("/api/cases").json()["total"] == 0


def test_withdrawal_through_the_api_takes_effect_at_once(world, api) -> None:
    _refer(world, ["full_name"])
    withdrawal = {**CONSENT, "purpose": "sharing", "agency_kind": "social_protection", "decision": "withdrawn"}
    assert api(world.owner_caseworker).post(_case(world, "/consent"), withdrawal).status_code == 201
    assert api(world.other_caseworker).get(_case(world)).status_code == 404


# --- Statisticians never see identity fields -------------------------------------------------------


def test_statisticians_get_no_identity_value_from_any_route(world, api) -> None:
    client = api(world.statistician)
    secrets = ["Đặng Thị Ngọc", "0912 345 678", "Thôn Giàng"]
    for route in ROUTES:
        path, body = route.call(world)
        response = client.request(route.method, path, body)
        assert not any(s in response.content.decode() for s in secrets), route.name
