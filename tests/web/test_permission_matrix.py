"""Every page route as every persona: who is let in, who is turned away, and how.

Anonymous visitors are sent to the log-in page. A case page the persona may not open answers with
exactly the same 404 page as a case code that does not exist, so a guessed code reveals nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from haven.audit.models import AuditEvent
from haven.cases.models import Case
from haven.cases.selectors import Need
from haven.consent.services import consent_withdraw
from tests.factories import World, access, register
from tests.web.conftest import share_with_other_agency, text, without_csrf

PERSONAS = ["owner_caseworker", "other_caseworker", "supervisor", "statistician", "auditor", "anonymous"]
OK, FORBIDDEN, NOT_FOUND, LOGIN = 200, 403, 404, "login"

CASE_WORKERS = {"owner_caseworker": OK, "other_caseworker": OK, "supervisor": OK, "statistician": FORBIDDEN,
                "auditor": FORBIDDEN, "anonymous": LOGIN}
CASE_VIEWERS = {"owner_caseworker": OK, "other_caseworker": NOT_FOUND, "supervisor": OK,
                "statistician": NOT_FOUND, "auditor": NOT_FOUND, "anonymous": LOGIN}

# (route, expected outcome by persona)
GET_ROUTES: list[tuple[str, dict[str, Any]]] = [
    ("/", {p: OK for p in PERSONAS} | {"anonymous": LOGIN}),
    ("/cases/", CASE_WORKERS),
    ("/cases/new/", CASE_WORKERS),
    ("/cases/break-glass/", CASE_WORKERS),
    ("/cases/communes/", CASE_WORKERS),
    ("/cases/signoffs/", {p: FORBIDDEN for p in PERSONAS} | {"supervisor": OK, "anonymous": LOGIN}),
    ("/cases/{code}/", CASE_VIEWERS),
    ("/cases/{code}/identity/", CASE_VIEWERS),
    ("/cases/{code}/identity/edit/", CASE_VIEWERS),
    ("/cases/{code}/signoffs/", CASE_VIEWERS),
    ("/cases/{code}/consent/", CASE_VIEWERS),
    ("/cases/{code}/entitlements/", CASE_VIEWERS),
    ("/cases/{code}/entitlements/?on=2026-03-10", CASE_VIEWERS),
    # The rights statement carries the name: only the owning agency prints it.
    ("/cases/{code}/entitlements/statement.pdf?lang=vi", CASE_VIEWERS),
    ("/cases/{code}/seen-by/", {p: NOT_FOUND for p in PERSONAS} | {"supervisor": OK, "anonymous": LOGIN}),
    ("/audit/", {p: NOT_FOUND for p in PERSONAS} | {"auditor": OK, "anonymous": LOGIN}),
    ("/accounts/tokens/", {p: OK for p in PERSONAS} | {"anonymous": LOGIN}),
]

CASE_EDITORS = {"owner_caseworker": 302, "other_caseworker": NOT_FOUND, "supervisor": 302,
                "statistician": NOT_FOUND, "auditor": NOT_FOUND, "anonymous": LOGIN}
# An incomplete form comes back with its errors (200) to those who may edit; the others see a 404.
FORM_EDITORS = CASE_EDITORS | {"owner_caseworker": OK, "supervisor": OK}
NOBODY = {p: NOT_FOUND for p in PERSONAS} | {"anonymous": LOGIN}
FACTS = {"poor_household": "no", "near_poor_household": "unknown", "financial_difficulty": "unknown",
         "has_health_insurance": "yes", "has_relatives": "yes", "revolutionary_merit_family": "no",
         "located": "vietnam"}
POST_ROUTES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("/cases/{code}/entitlements/facts/", FACTS, CASE_EDITORS),
    ("/cases/{code}/entitlements/applications/", {"item": "", "received_on": ""}, FORM_EDITORS),
    ("/cases/{code}/entitlements/applications/999999/step/", {"completed_on": "2026-03-05"}, NOBODY),
    ("/cases/{code}/entitlements/applications/999999/decide/",
     {"decision": "approved", "decided_on": "2026-03-05"}, NOBODY),
    ("/cases/{code}/step/verification/", {}, CASE_EDITORS),
    ("/cases/{code}/step/closed/", {"reason": "Người này đã chuyển đến tỉnh khác."}, CASE_EDITORS),
    ("/cases/{code}/identity/edit/", {"full_name": "Đặng Thị Ngọc Anh"}, CASE_EDITORS),
    ("/cases/{code}/consent/", {"purpose": "services", "decision": "given", "given_by": "person",
                                "method": "signed_form"}, CASE_EDITORS),
    ("/cases/{code}/assign/", {"worker": "{second_cw}"},
     {p: NOT_FOUND for p in PERSONAS} | {"supervisor": 302, "anonymous": LOGIN}),
    ("/cases/break-glass/", {"code": "{code}", "reason": "Đe dọa trực tiếp tới an toàn của người này tối nay."},
     {"owner_caseworker": 302, "other_caseworker": 302, "supervisor": 302, "statistician": FORBIDDEN,
      "auditor": FORBIDDEN, "anonymous": LOGIN}),
    ("/audit/verify/", {}, {p: NOT_FOUND for p in PERSONAS} | {"auditor": OK, "anonymous": LOGIN}),
    ("/cases/signoffs/999999/sign/", {"decision": "approved"}, {p: NOT_FOUND for p in PERSONAS} | {"anonymous": LOGIN}),
    ("/cases/break-glass/999999/review/", {}, {p: NOT_FOUND for p in PERSONAS} | {"anonymous": LOGIN}),
]


def _client(world: World, persona: str, as_user: Callable[[Any], Client]) -> Client:
    user = world.personas()[persona]
    return as_user(user) if user is not None else Client()


def _fill(template: str, world: World) -> str:
    return template.format(code=world.case.code, second_cw=world.second_caseworker.pk)


def _assert_outcome(response: Any, expected: Any) -> None:
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected, response.content[:400]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route, expected", GET_ROUTES, ids=[r for r, _ in GET_ROUTES])
def test_page_access_by_persona(world, as_user, route, expected, persona):
    response = _client(world, persona, as_user).get(_fill(route, world))
    _assert_outcome(response, expected[persona])


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route, data, expected", POST_ROUTES, ids=[r for r, _, _ in POST_ROUTES])
def test_action_access_by_persona(world, as_user, route, data, expected, persona):
    response = _client(world, persona, as_user).post(
        _fill(route, world), {k: _fill(v, world) for k, v in data.items()}
    )
    _assert_outcome(response, expected[persona])


def test_logout_needs_a_post(world, owner):
    assert owner.get("/accounts/logout/").status_code == 405
    assert owner.post("/accounts/logout/").status_code == 302
    assert owner.get("/").status_code == 302


@pytest.mark.parametrize("tab", ["", "identity/", "signoffs/", "consent/", "identity/edit/", "seen-by/",
                                 "entitlements/", "entitlements/statement.pdf?lang=en"])
def test_a_forbidden_case_looks_exactly_like_a_missing_one(world, outsider, tab):
    forbidden = outsider.get(f"/cases/{world.case.code}/{tab}")
    missing = outsider.get(f"/cases/HV-26-ZZZZZZ/{tab}")
    assert forbidden.status_code == missing.status_code == 404
    # The only difference allowed is the address the visitor typed (echoed in the language switch).
    assert without_csrf(forbidden.content).replace(world.case.code.encode(), b"CODE") == without_csrf(
        missing.content
    ).replace(b"HV-26-ZZZZZZ", b"CODE")


def test_guessed_and_sequential_codes_are_not_found(world, outsider):
    codes = [register(world.owner_caseworker, full_name=f"Người Thử {i}").code for i in range(3)]
    for code in [*codes, world.case.code.lower(), "HV-26-AAAAAA", "HV-00-000000", "1", "0", "-1",
                 "HV-26-" + "A" * 14]:
        assert outsider.get(f"/cases/{code}/").status_code == 404, code


def test_the_case_number_is_not_an_address(world, owner):
    assert owner.get(f"/cases/{world.case.pk}/").status_code == 404


@pytest.mark.parametrize("path", ["/cases/%00/", "/cases/HV-26-%00AAAA/", "/cases/" + "X" * 300 + "/",
                                  "/cases/..%2F/", "/cases/%E2%80%8B/"])
def test_malformed_codes_are_not_found(owner, path):
    assert owner.get(path).status_code == 404


def test_a_referred_agency_sees_only_its_sharing_profile_fields(world, outsider):
    share_with_other_agency(world)
    page = outsider.get(f"/cases/{world.case.code}/identity/")
    assert page.status_code == 200
    body = text(page)
    # Social protection's profile has the name, phone and address, but not the ID number or the notes.
    assert "Đặng Thị Ngọc" in body
    assert "0912 345 678" in body
    id_number = access(world.owner_caseworker, world.case).case.person.identity.id_number
    assert id_number not in body
    assert 'data-field="id_number"' not in body
    assert 'data-field="notes"' not in body


def test_a_referred_agency_cannot_change_the_case(world, outsider):
    share_with_other_agency(world)
    assert outsider.get(f"/cases/{world.case.code}/identity/edit/").status_code == 404
    assert outsider.post(f"/cases/{world.case.code}/step/verification/").status_code == 404
    assert Case.objects.get(pk=world.case.pk).status == "reception"


def test_withdrawing_sharing_consent_hides_the_case_from_the_referred_agency_at_once(world, outsider):
    share_with_other_agency(world)
    assert outsider.get(f"/cases/{world.case.code}/").status_code == 200
    consent_withdraw(access=access(world.owner_caseworker, world.case, Need.EDIT), purpose="sharing",
                     agency_kind="social_protection", given_by="person", method="signed_form")
    for tab in ["", "identity/", "consent/"]:
        assert outsider.get(f"/cases/{world.case.code}/{tab}").status_code == 404
    assert world.case.code not in text(outsider.get("/cases/"))


def test_the_statistician_never_sees_identity_anywhere(world, as_user):
    stats = as_user(world.statistician)
    identity = access(world.owner_caseworker, world.case).case.person.identity
    secrets = [identity.full_name, identity.id_number, identity.phone, "Đặng", "Ngọc"]
    before = AuditEvent.objects.filter(action="view_identity").count()
    for route, _ in GET_ROUTES:
        body = text(stats.get(_fill(route, world)))
        for secret in secrets:
            assert secret not in body, (route, secret)
    assert world.case.code not in text(stats.get("/"))
    assert AuditEvent.objects.filter(action="view_identity").count() == before


def test_the_auditor_sees_the_trail_but_no_case_contents(world, as_user, owner):
    owner.get(f"/cases/{world.case.code}/identity/")
    body = text(as_user(world.auditor).get("/audit/"))
    assert "owner_cw" in body
    assert "Họ và tên" in body  # the field's name…
    assert "Đặng Thị Ngọc" not in body  # …never its value
