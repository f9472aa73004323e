"""Every API route as every persona: what is allowed and what is denied, and guessed identifiers."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from haven.accounts.models import AgencyKind
from haven.accounts.services import token_create
from haven.cases.models import Signoff, SignoffRule, Status
from haven.cases.services import break_glass_open, case_identify, case_start_verification
from haven.core.api_errors import not_found_body
from haven.entitlements.services import application_create
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
    operations = {(m.upper(), p) for p, item in openapi_schema["paths"].items() for m, op in item.items()
                  if set(op.get("tags", [])) & CORE_TAGS}
    assert covered == operations


# The areas of issue 4 keep their own matrices (persona tables in their own test files); this test
# reads those tables and checks that together they cover every operation of their tags.
CORE_TAGS = {"auth", "cases", "consent", "audit", "entitlements"}
MATRIX_ELSEWHERE = {
    "referrals": "tests/referrals/test_referrals_permissions.py",
    "directory": "tests/directory/test_api.py",
    "support": "tests/support/test_permission_matrix.py",
    "budgets": "tests/budgets/test_budget_permissions.py",
    "protection": "tests/protection/test_permissions.py",
    "followup": "tests/followup/test_permissions.py",
    "legal": "tests/legal/test_permissions.py",
    "reports": "tests/reports/test_permissions.py",
    "exchange": "tests/exchange/test_permissions.py",
    "research": "tests/research/test_permissions.py",
    "scorecard": "tests/research/test_scorecard_permissions.py",
    "evaluation-report": "tests/research/test_report_permissions.py",
}
_ROUTE_ROW = re.compile(r"""\(\s*["'](get|post|patch|put|delete)["']\s*,\s*f?["'](/api/[^"'?]*)""", re.IGNORECASE)


def test_every_api_operation_of_the_other_areas_is_in_their_permission_matrix(openapi_schema, schema_checker) -> None:
    root = Path(__file__).resolve().parents[2]
    for tag, path in MATRIX_ELSEWHERE.items():
        ours = {(m.upper(), p) for p, item in openapi_schema["paths"].items() for m, op in item.items()
                if tag in op.get("tags", [])}
        if not ours:
            continue
        covered = set()
        for method, route in _ROUTE_ROW.findall((root / path).read_text(encoding="utf-8")):
            concrete = re.sub(r"\{[^}]*\}", "1", route)
            template = next((t for regex, t, _item in schema_checker.routes if regex.match(concrete)), None)
            covered.add((method.upper(), template))
        assert ours <= covered, (tag, sorted(ours - covered))


def test_every_api_tag_has_a_permission_matrix(openapi_schema) -> None:
    tags = {tag for item in openapi_schema["paths"].values() for op in item.values() for tag in op.get("tags", [])}
    assert tags <= CORE_TAGS | set(MATRIX_ELSEWHERE)
    assert CORE_TAGS | {"referrals", "directory", "support", "budgets"} <= tags
