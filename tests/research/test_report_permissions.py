"""The evaluation report's pages, API and commands as every persona: only the study's members see anything.

Personas as in tests/research/test_permissions.py: the study lead, a researcher member of another agency, a
caseworker of the lead's agency who is not a member, another agency's supervisor, a statistician, an auditor,
a system administrator and an anonymous visitor. Non-members get the same "not found" as for a missing study.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from haven.audit.models import AuditEvent
from haven.core.api_errors import not_found_body
from haven.research import coding, services
from haven.research.models import CodedSegment
from haven.research.selectors import access_study
from tests.conftest import login
from tests.research.conftest import build
from tests.research.test_report import add_material

pytestmark = pytest.mark.django_db

PERSONAS = ["lead", "researcher", "same_agency_cw", "other_supervisor", "statistician", "auditor", "sysadmin",
            "anonymous"]
OUTSIDERS = ["same_agency_cw", "other_supervisor", "statistician", "auditor", "sysadmin"]
OK, NF, LOGIN = 200, 404, "login"
PAGE = {p: NF for p in PERSONAS} | {"lead": OK, "researcher": OK, "anonymous": LOGIN}
PAGE_POST = PAGE | {"lead": 302, "researcher": 302}
API = {p: NF for p in PERSONAS} | {"lead": OK, "researcher": OK, "anonymous": 401}


@pytest.fixture
def s(world) -> dict[str, Any]:
    material = add_material(build(world))
    people = {"lead": world.owner_caseworker, "researcher": world.other_caseworker,
              "same_agency_cw": world.second_caseworker, "other_supervisor": world.other_supervisor,
              "statistician": world.statistician, "auditor": world.auditor, "sysadmin": world.system_admin,
              "anonymous": None}
    return {"m": material, "people": people}


def _fill(route: str, s: dict[str, Any]) -> str:
    setup = s["m"].setup
    return route.format(study=setup.study.pk, segment=setup.segments["victim"].pk,
                        theme=setup.themes["support"].pk)


def _client(s: dict[str, Any], persona: str) -> Client:
    person = s["people"][persona]
    client = login(Client(), person) if person is not None else Client()
    client.cookies["django_language"] = "en"
    return client


def _check(response: Any, expected: Any) -> None:
    if expected == LOGIN:
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected, response.content[:300]


GET_PAGES = [
    ("/research/{study}/report/", PAGE),
    ("/research/{study}/report/?sent=1&lang=en&theme={theme}&kind=victim&quotations=1", PAGE),
    ("/research/{study}/report.pdf?sent=1&lang=vi&theme={theme}", PAGE),
]
POST_PAGES = [
    ("/research/{study}/segments/{segment}/quote/", {"quoted": "1"}, PAGE_POST),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route, expected", GET_PAGES, ids=[r for r, _ in GET_PAGES])
def test_pages_by_persona(s, route, expected, persona):
    _check(_client(s, persona).get(_fill(route, s)), expected[persona])


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route, data, expected", POST_PAGES, ids=[r for r, _, _ in POST_PAGES])
def test_page_actions_by_persona(s, route, data, expected, persona):
    _check(_client(s, persona).post(_fill(route, s), data), expected[persona])


API_ROUTES = [
    ("get", "/api/research/studies/{study}/report.pdf?lang=vi&theme_id={theme}", None, API),
    ("get", "/api/research/studies/{study}/quotations", None, API),
    ("put", "/api/research/studies/{study}/segments/{segment}/quoted", {"quoted": True}, API),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("method, route, body, expected", API_ROUTES, ids=[f"{m} {r}" for m, r, _, _ in API_ROUTES])
def test_api_by_persona(s, api, method, route, body, expected, persona):
    response = api(s["people"][persona]).request(method.upper(), _fill(route, s), body)
    assert response.status_code == expected[persona], (persona, response.content[:300])
    if response.status_code == 404:
        assert response.json() == not_found_body()


def test_a_missing_study_or_segment_looks_like_a_forbidden_one(s, api):
    client = api(s["people"]["lead"])
    study = s["m"].setup.study.pk
    for method, route, body in (("GET", "/api/research/studies/999999/report.pdf", None),
                                ("GET", "/api/research/studies/999999/quotations", None),
                                ("PUT", f"/api/research/studies/{study}/segments/999999/quoted", {"quoted": True})):
        response = client.request(method, route, body)
        assert response.status_code == 404 and response.json() == not_found_body()


def test_a_segment_of_another_study_is_not_found(s, world, api):
    study = services.study_create(acting_user=world.owner_caseworker, title="Nghiên cứu thứ hai",
                                  period_start="2025-01-01", period_end="2025-12-31")
    lead = access_study(world.owner_caseworker, study.pk)
    official = services.participant_add(access=lead, pseudonym="CB-09", kind="official", agency_kind="police")
    theme = coding.theme_add(access=lead, name="Khác")
    interview = services.interview_add(access=lead, participant_id=official.pk, held_on="2025-06-02",
                                       kind="notes", text="Cán bộ: văn bản thử nghiệm.")
    segment = coding.segment_add(access=lead, interview_id=interview.pk, theme_id=theme.pk, start=0, end=6)
    response = api(s["people"]["lead"]).request(
        "PUT", f"/api/research/studies/{s['m'].setup.study.pk}/segments/{segment.pk}/quoted", {"quoted": True})
    assert response.status_code == 404
    assert CodedSegment.objects.get(pk=segment.pk).quoted_in_report is False


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_the_commands_refuse_non_members_as_if_the_study_did_not_exist(s, persona, tmp_path):
    user = s["people"][persona].username
    study, segment = str(s["m"].setup.study.pk), str(s["m"].setup.segments["victim"].pk)
    target = tmp_path / "report.pdf"
    with pytest.raises(CommandError, match="no study"):
        call_command("research", "report", study, "--out", str(target), "--as", user)
    with pytest.raises(CommandError, match="no study"):
        call_command("research", "quote", study, segment, "--as", user)
    assert not target.exists()


def test_nothing_changes_and_nothing_is_exported_for_those_turned_away(s, api):
    segment = s["m"].setup.segments["victim"]
    for persona in [*OUTSIDERS, "anonymous"]:
        client = _client(s, persona)
        client.post(_fill("/research/{study}/segments/{segment}/quote/", s), {"quoted": "1"})
        client.get(_fill("/research/{study}/report.pdf", s))
        api(s["people"][persona]).request("PUT", _fill(API_ROUTES[2][1], s), {"quoted": True})
        api(s["people"][persona]).request("GET", _fill(API_ROUTES[0][1], s))
    assert CodedSegment.objects.get(pk=segment.pk).quoted_in_report is False
    assert not AuditEvent.objects.filter(object_type="evaluation_report").exists()
    assert not AuditEvent.objects.filter(object_type="person", reason="evaluation_report_pseudonymisation").exists()
