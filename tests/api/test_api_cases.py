"""Registering, finding and reading cases through the API; identity reads and changes are audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext

from haven.audit.models import AuditAction, AuditEvent
from haven.cases.models import Case, NameToken, Person, PersonIdentity
from haven.cases.selectors import case_list_window, case_search
from haven.consent.models import ConsentRecord
from tests.factories import register

pytestmark = pytest.mark.django_db

NEW_PERSON = {
    "full_name": "Vàng Thị Sua", "sex": "female", "category": "under_identification", "received_on": "2026-02-14",
    "reception_place": "Cửa khẩu quốc tế Lào Cai", "return_mode": "border_handover", "date_of_birth": "2007-09-01",
    "id_number": "010307009999", "phone": "0977 111 222", "ethnicity": "hmong", "languages": ["hmn"],
    "exploitation_types": ["forced_marriage"], "means_of_control": ["threats"], "destination_country": "CN",
}
MODELS = (Case, Person, PersonIdentity, NameToken, ConsentRecord, AuditEvent)


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS}


def test_registering_opens_a_case_assigned_to_the_caller(world, api) -> None:
    response = api(world.owner_caseworker).post("/api/cases", NEW_PERSON)
    assert response.status_code == 201
    body = response.json()
    assert body["code"].startswith("HV-26-")
    assert (body["status"], body["assigned_worker"], body["access"]["relationship"]) == (
        "reception", "owner_cw", "assigned")
    assert body["person"]["birth_year"] == 2007 and body["age_at_reception"] == 18
    event = AuditEvent.objects.filter(action=AuditAction.CREATE).latest("seq")
    assert event.channel == "api" and "full_name" in event.fields


def test_the_case_answer_holds_no_identity_value(world, api) -> None:
    body = api(world.owner_caseworker).post("/api/cases", NEW_PERSON).content.decode()
    for value in ("Vàng Thị Sua", "010307009999", "0977 111 222", "2007-09-01"):
        assert value not in body


def test_a_possible_duplicate_answers_409_with_codes_and_agencies_only(world, api) -> None:
    client = api(world.other_caseworker)
    before = counts()
    response = client.post("/api/cases", {**NEW_PERSON, "full_name": "Dang Thi Ngoc", "date_of_birth": "2003-05-17",
                                          "id_number": ""})
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "possible_duplicate"
    assert body["matches"] == [{"code": world.case.code, "agency": world.owner_agency.name}]
    assert "Đặng" not in response.content.decode() and "0912" not in response.content.decode()
    assert counts() == before


def test_a_confirmed_duplicate_is_registered(world, api) -> None:
    payload = {**NEW_PERSON, "full_name": "Đặng Thị Ngọc", "date_of_birth": "2003-05-17", "confirm_duplicate": True}
    assert api(world.owner_caseworker).post("/api/cases", payload).status_code == 201


BAD_REGISTRATIONS: list[tuple[str, dict[str, Any], int, str | None]] = [
    ("nul byte", {"full_name": "Vàng\x00Sua"}, 422, "full_name"),
    ("unknown sex", {"sex": "robot"}, 422, "sex"),
    ("unknown language", {"languages": ["hmn", "klingon"]}, 422, "languages"),
    ("bad date", {"received_on": "2026-02-30"}, 422, "received_on"),
    ("date as text", {"received_on": "yesterday"}, 422, "received_on"),
    ("future date", {"received_on": "2999-01-01"}, 400, "received_on"),
    ("huge year", {"birth_year": 10**30}, 422, "birth_year"),
    ("year as text", {"birth_year": "nineteen"}, 422, "birth_year"),
    ("name as a list", {"full_name": ["Vàng", "Sua"]}, 422, "full_name"),
    ("very long name", {"full_name": "A" * 100_000}, 422, "full_name"),
    ("blank name", {"full_name": "   "}, 400, "full_name"),
    ("missing name", {"full_name": None}, 422, "full_name"),
    ("bad phone", {"phone": "call me"}, 400, "phone"),
    ("bad country", {"destination_country": "ZZ"}, 400, "destination_country"),
    ("unknown field", {"fullname": "x"}, 422, "fullname"),
    ("unknown province", {"home_province": "atlantis"}, 400, "home_province"),
    ("dob after reception", {"date_of_birth": "2026-02-15"}, 400, "date_of_birth"),
    ("accompanies someone else's case", {"category": "accompanying_minor", "accompanies": "HV-26-ZZZZZZ"}, 400,
     "accompanies"),
]


@pytest.mark.parametrize("name,change,status,field", BAD_REGISTRATIONS, ids=[b[0] for b in BAD_REGISTRATIONS])
def test_a_rejected_registration_changes_nothing(world, api, name, change, status, field) -> None:
    payload = {**NEW_PERSON, **change}
    if change.get("full_name", "") is None:
        payload.pop("full_name")
    client = api(world.owner_caseworker)
    before = counts()
    response = client.post("/api/cases", payload)
    assert response.status_code == status, response.content
    assert response.json()["field"] == field
    assert response.json()["detail"]
    assert counts() == before


@pytest.mark.parametrize("raw", ["{not json", "[]", "42", '"text"', "null", '{"full_name": "\\ud800"}'])
def test_a_malformed_body_is_a_4xx_and_changes_nothing(world, api, raw: str) -> None:
    client = api(world.owner_caseworker)
    before = counts()
    response = client.post("/api/cases", raw=raw)
    assert response.status_code in (400, 422)
    assert set(response.json()) == {"detail", "code", "field"}
    assert counts() == before


def test_the_message_language_follows_the_lang_parameter(world, api) -> None:
    client = api(world.owner_caseworker)
    english = client.post("/api/cases", {**NEW_PERSON, "received_on": "2999-01-01"}, lang="en")
    assert english.json()["detail"] == "The date cannot be in the future."
    assert english["Content-Language"] == "en"
    assert client.get("/api/auth/me", lang="en").json()["language"] == "en"
    assert client.get("/api/auth/me").json()["language"] == "vi"


def test_messages_are_in_vietnamese_by_default(world, api) -> None:
    response = api(world.owner_caseworker).post("/api/cases", {**NEW_PERSON, "received_on": "2999-01-01"})
    with translation.override("vi"):
        assert response.json()["detail"] == gettext("The date cannot be in the future.")
    assert response["Content-Language"] == "vi"


def test_search_finds_a_name_without_accents_and_shows_names_to_the_owner(world, api) -> None:
    body = api(world.owner_caseworker).get("/api/cases", q="dang thi ngoc").json()
    assert body["total"] == 1
    assert body["items"][0]["name"] == "Đặng Thị Ngọc"


def test_search_by_id_number_and_by_code(world, api) -> None:
    client = api(world.owner_caseworker)
    number = PersonIdentity.objects.filter(person=world.case.person_id).values_list("id_number", flat=True)
    assert client.post("/api/cases/search", {"q": list(number)[0]}).json()["total"] == 1
    assert client.get("/api/cases", q=world.case.code.lower()).json()["total"] == 1
    assert client.get("/api/cases", q="Nguyễn Văn Không").json()["total"] == 0


def test_search_filters_and_pagination(world, api) -> None:
    for day in ("2026-01-10", "2026-01-20", "2026-02-01"):
        register(world.owner_caseworker, received_on=day, sex="male", full_name="Giàng A Páo")
    client = api(world.supervisor)
    assert client.get("/api/cases", sex="male").json()["total"] == 3
    assert client.get("/api/cases", received_from="2026-01-15", received_to="2026-02-01").json()["total"] == 2
    assert client.get("/api/cases", status="closed").json()["total"] == 0
    page = client.get("/api/cases", limit=2, offset=2).json()
    assert (page["total"], len(page["items"]), page["offset"], page["has_more"]) == (4, 2, 2, False)
    first = client.get("/api/cases", limit=3).json()
    assert (first["total"], first["total_cap"], first["has_more"]) == (4, 1000, True)
    # The same order as the list page and case_search: newest reception first, then the newest case.
    expected = [c.code for c in case_search(world.supervisor, "")]
    assert [item["code"] for item in first["items"] + page["items"][1:]] == expected
    assert all(item["assigned_worker"] is None or isinstance(item["assigned_worker"], str) for item in first["items"])


def test_the_api_stops_counting_above_the_cap(world, api) -> None:
    for day in ("2026-01-10", "2026-01-20", "2026-02-01"):
        register(world.owner_caseworker, received_on=day, sex="male", full_name="Giàng A Páo")
    window = case_list_window(world.supervisor, "", offset=0, limit=2, count_cap=2)
    assert (window.total, window.has_more, len(window.cases)) == (None, True, 2)
    beyond = case_list_window(world.supervisor, "", offset=3, limit=2, count_cap=2)
    assert (beyond.total, beyond.has_more, [c.code for c in beyond.cases]) == (
        4, False, [c.code for c in case_search(world.supervisor, "")][3:])
    body = api(world.supervisor).get("/api/cases", q="giang a pao").json()
    assert (body["total"], body["total_cap"], body["has_more"]) == (3, 200, False)


def test_names_are_left_out_and_not_audited_when_not_asked_for(world, api) -> None:
    client = api(world.owner_caseworker)
    before = AuditEvent.objects.filter(action=AuditAction.VIEW_IDENTITY).count()
    body = client.post("/api/cases/search", {"names": False}).json()
    assert body["items"][0]["name"] is None
    assert AuditEvent.objects.filter(action=AuditAction.VIEW_IDENTITY).count() == before


def test_each_name_shown_in_a_list_is_audited(world, api) -> None:
    api(world.owner_caseworker).get("/api/cases")
    event = AuditEvent.objects.filter(action=AuditAction.VIEW_IDENTITY).latest("seq")
    assert (event.fields, event.channel, event.case_id) == (["full_name"], "api", world.case.pk)


@pytest.mark.parametrize("query", [{"status": "lost"}, {"limit": "0"}, {"limit": "101"}, {"offset": "-1"},
                                   {"offset": "99999999999999999999999"}, {"received_from": "2026-13-01"},
                                   {"q": "x" * 201}, {"q": "a\x00b"}, {"names": "perhaps"}])
def test_bad_search_parameters_are_422(world, api, query) -> None:
    response = api(world.owner_caseworker).get("/api/cases", **query)
    assert response.status_code == 422
    assert response.json()["field"] == next(iter(query))


def test_reading_identity_is_audited_with_field_names_only(world, api) -> None:
    values = api(world.owner_caseworker).get(f"/api/cases/{world.case.code}/identity").json()
    assert values["full_name"] == "Đặng Thị Ngọc"
    event = AuditEvent.objects.filter(action=AuditAction.VIEW_IDENTITY).latest("seq")
    assert event.channel == "api" and "id_number" in event.fields
    stored = str(list(AuditEvent.objects.values_list("fields", "changes", "reason")))
    assert "Đặng" not in stored and values["id_number"] not in stored


def test_changing_identity_audits_field_names_never_values(world, api) -> None:
    client = api(world.owner_caseworker)
    response = client.patch(f"/api/cases/{world.case.code}/identity",
                            {"phone": "0966 555 444", "other_names": "Ngọc Mai", "notes": None})
    assert response.json() == {"changed": ["other_names", "phone"]}
    assert client.get(f"/api/cases/{world.case.code}/identity").json()["phone"] == "0966 555 444"
    assert client.get("/api/cases", q="mai").json()["total"] == 1
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE).latest("seq")
    assert event.fields == ["other_names", "phone"]
    assert "0966" not in str(list(AuditEvent.objects.values_list("fields", "changes", "reason")))


@pytest.mark.parametrize("change,status,field", [
    ({"full_name": None}, 400, "full_name"), ({"full_name": ""}, 422, "full_name"), ({"id_number": "12"}, 400, "id_number"),
    ({"date_of_birth": "17/05/2003"}, 422, "date_of_birth"), ({"fullname": "x"}, 422, "fullname"),
    ({"notes": "x" * 5001}, 422, "notes"), ({"phone": "\x00"}, 422, "phone"),
])
def test_a_rejected_identity_change_changes_nothing(world, api, change, status, field) -> None:
    client = api(world.owner_caseworker)
    before_values = client.get(f"/api/cases/{world.case.code}/identity").json()
    before = counts()
    response = client.patch(f"/api/cases/{world.case.code}/identity", change)
    assert (response.status_code, response.json()["field"]) == (status, field)
    assert counts() == before
    assert client.get(f"/api/cases/{world.case.code}/identity").json() == before_values


def test_an_empty_identity_change_changes_nothing(world, api) -> None:
    client = api(world.owner_caseworker)
    before = counts()
    response = client.patch(f"/api/cases/{world.case.code}/identity", {})
    assert response.json() == {"changed": []}
    assert counts() == before


def test_case_detail_lists_the_allowed_actions(world, api) -> None:
    owner = api(world.owner_caseworker).get(f"/api/cases/{world.case.code}").json()["access"]["actions"]
    assert owner == ["view_identity", "start_verification", "close", "edit_identity", "record_consent"]
    supervisor = api(world.supervisor).get(f"/api/cases/{world.case.code}").json()["access"]["actions"]
    assert {"assign", "view_viewers"} <= set(supervisor)
