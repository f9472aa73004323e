"""The directory pages: every route as every persona, what each sees, and forms that refuse bad input."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from haven.audit.models import AuditEvent
from haven.directory.models import ServiceOffering
from tests.conftest import login
from tests.directory.conftest import ADDRESS, PERSONAS, PHONE, Directory

pytestmark = pytest.mark.django_db
OK, FORBIDDEN, NOT_FOUND, LOGIN = 200, 403, 404, "login"
EVERYONE = {p: OK for p in PERSONAS} | {"anonymous": LOGIN}
MANAGERS = {p: FORBIDDEN for p in PERSONAS} | {"own_admin": OK, "other_admin": OK, "system_admin": OK,
                                              "anonymous": LOGIN}
SHELTER_MANAGERS = MANAGERS | {"other_admin": FORBIDDEN}
REDIRECT = 302

GET_ROUTES: list[tuple[str, dict[str, Any]]] = [
    ("/directory/", EVERYONE),
    ("/directory/?item=shelter", EVERYONE),
    ("/directory/?item=shelter&sex=female&age=15&language=hmn&province=lao-cai&q=suong", EVERYONE),
    ("/directory/gaps/", EVERYONE),
    ("/directory/gaps/?province=lao-cai", EVERYONE),
    ("/directory/offerings/{shelter}/", EVERYONE),
    ("/directory/offerings/999999/", {p: NOT_FOUND for p in PERSONAS} | {"anonymous": LOGIN}),
    ("/directory/manage/", MANAGERS),
    ("/directory/offerings/new/", MANAGERS),
    ("/directory/offerings/{shelter}/edit/", SHELTER_MANAGERS),
    ("/directory/offerings/999999/edit/", {p: NOT_FOUND for p in PERSONAS} | {"anonymous": LOGIN}),
]
NEW_FORM = {"agency": "{shelter_agency}", "name": "Lớp kỹ năng sống", "items": ["life_skills"], "sexes": ["female"],
            "languages": ["vie"]}
EDIT_FORM = {"name": "Nhà tạm lánh", "items": ["shelter", "psychological"], "sexes": ["female"],
             "languages": ["vie", "hmn"], "min_age": "11", "capacity": "12", "address": ADDRESS, "phone": PHONE}
POST_ROUTES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    # The other agency's administrator may open the form but not add to an agency he does not manage.
    ("/directory/offerings/new/", NEW_FORM, {k: REDIRECT if v == OK else v for k, v in MANAGERS.items()}
     | {"other_admin": OK}),
    ("/directory/offerings/{shelter}/edit/", EDIT_FORM,
     {k: REDIRECT if v == OK else v for k, v in SHELTER_MANAGERS.items()}),
    ("/directory/offerings/{shelter}/deactivate/", {},
     {k: REDIRECT if v == OK else v for k, v in SHELTER_MANAGERS.items()}),
    ("/directory/offerings/{shelter}/reactivate/", {},
     {k: REDIRECT if v == OK else v for k, v in SHELTER_MANAGERS.items()}),
    ("/directory/offerings/999999/deactivate/", {}, {p: NOT_FOUND for p in PERSONAS} | {"anonymous": LOGIN}),
]


def _client(directory: Directory, persona: str) -> Client:
    return login(Client(), directory.personas()[persona])


def _fill(value: Any, directory: Directory) -> Any:
    if isinstance(value, list):
        return [_fill(v, directory) for v in value]
    return value.format(shelter=directory.women_shelter.pk, shelter_agency=directory.shelter.pk)


def _assert_outcome(response: Any, expected: Any) -> None:
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected, response.content[:400]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route, expected", GET_ROUTES, ids=[r for r, _ in GET_ROUTES])
def test_page_access_by_persona(directory, route, expected, persona):
    _assert_outcome(_client(directory, persona).get(_fill(route, directory)), expected[persona])


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route, data, expected", POST_ROUTES, ids=[r for r, _, _ in POST_ROUTES])
def test_action_access_by_persona(directory, route, data, expected, persona):
    response = _client(directory, persona).post(_fill(route, directory),
                                                {k: _fill(v, directory) for k, v in data.items()})
    _assert_outcome(response, expected[persona])


# --- What each role sees ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["caseworker", "supervisor", "own_admin", "other_admin"])
def test_authorised_roles_see_the_address_and_the_view_is_audited(directory, persona):
    before = AuditEvent.objects.filter(object_type="service_offering", action="view_identity").count()
    page = _client(directory, persona).get(f"/directory/offerings/{directory.women_shelter.pk}/").content.decode()
    assert ADDRESS in page and PHONE in page
    events = AuditEvent.objects.filter(object_type="service_offering", action="view_identity")
    assert events.count() == before + 1
    assert ADDRESS not in str(events.latest("seq").changes)


@pytest.mark.parametrize("persona", ["system_admin", "statistician", "auditor"])
def test_other_roles_never_see_the_address(directory, persona):
    client = _client(directory, persona)
    pages = [client.get(url).content.decode() for url in (
        f"/directory/offerings/{directory.women_shelter.pk}/", "/directory/?item=shelter", "/directory/gaps/")]
    if persona == "system_admin":
        pages.append(client.get(f"/directory/offerings/{directory.women_shelter.pk}/edit/").content.decode())
    for page in pages:
        assert ADDRESS not in page and PHONE not in page
    assert not AuditEvent.objects.filter(object_type="service_offering", action="view_identity").exists()


def test_the_search_list_never_shows_addresses(directory):
    page = _client(directory, "caseworker").get("/directory/?item=shelter").content.decode()
    assert "Nhà tạm lánh" in page and ADDRESS not in page


def test_a_link_with_an_item_preselects_the_need_and_filters(directory):
    page = _client(directory, "caseworker").get("/directory/?item=shelter").content.decode()
    assert '<option value="shelter" selected>' in page
    assert "Nhà tạm lánh" in page and "Tư vấn tâm lý" not in page


def test_search_results_show_places_free(directory):
    client = _client(directory, "caseworker")
    with_language(client, "en")
    page = client.get("/directory/?item=shelter&province=").content.decode()
    assert "10 of 10" in page


def test_a_bad_search_shows_a_message_and_no_results(directory):
    client = _client(directory, "caseworker")
    with_language(client, "en")
    page = client.get("/directory/?age=abc&item=teleport").content.decode()
    assert "Enter an age in whole years" in page
    assert "Choose one of the listed options." in page
    assert "Nhà tạm lánh" not in page


def test_the_gaps_page_states_the_adult_men_gap_in_english(directory):
    client = _client(directory, "statistician")
    with_language(client, "en")
    page = client.get("/directory/gaps/?province=lao-cai").content.decode()
    assert "No service in Lào Cai accepts adult men for shelter." in page


def test_the_gaps_page_refuses_an_unknown_province(directory):
    client = _client(directory, "supervisor")
    with_language(client, "en")
    response = client.get("/directory/gaps/?province=atlantis")
    assert response.status_code == 200
    assert "Choose one of the listed options." in response.content.decode()


def with_language(client: Client, language: str) -> None:
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language


# --- Managing ---------------------------------------------------------------------------------------


def test_an_agency_admin_adds_a_service_through_the_form(directory):
    response = _client(directory, "own_admin").post("/directory/offerings/new/", {
        "agency": directory.shelter.pk, "name": "Lớp kỹ năng sống", "items": ["life_skills", "education"],
        "sexes": ["female", "male"], "languages": ["vie", "hmn"], "min_age": "14", "max_age": "",
        "address": "Phòng 3", "phone": "0214 111 222",
    })
    offering = ServiceOffering.objects.get(name="Lớp kỹ năng sống")
    assert response["Location"] == f"/directory/offerings/{offering.pk}/"
    assert (offering.items, offering.sexes, offering.min_age, offering.max_age) == (
        ["education", "life_skills"], ["female", "male"], 14, None)


def test_a_bad_form_is_shown_again_with_a_translated_message_and_nothing_is_saved(directory):
    client = _client(directory, "own_admin")
    with_language(client, "en")
    before, events = ServiceOffering.objects.count(), AuditEvent.objects.count()
    response = client.post("/directory/offerings/new/", {
        "agency": directory.shelter.pk, "name": "Sai", "items": ["psychological"], "sexes": ["female"],
        "languages": ["vie"], "min_age": "30", "max_age": "20"})
    assert response.status_code == 200
    assert "The maximum age is below the minimum age." in response.content.decode()
    assert (ServiceOffering.objects.count(), AuditEvent.objects.count()) == (before, events)


def test_the_form_in_english_names_the_problem(directory):
    client = _client(directory, "own_admin")
    with_language(client, "en")
    response = client.post("/directory/offerings/new/", {
        "agency": directory.shelter.pk, "name": "Sai", "items": ["psychological"], "sexes": ["female"],
        "languages": ["vie"], "capacity": "5"})
    assert "Only a service that offers shelter has places" in response.content.decode()


def test_editing_keeps_the_address_when_a_system_admin_leaves_it_empty(directory):
    client = _client(directory, "system_admin")
    form = dict(EDIT_FORM, address="", phone="", capacity="14")
    assert client.post(f"/directory/offerings/{directory.women_shelter.pk}/edit/", form).status_code == 302
    fresh = ServiceOffering.objects.get(pk=directory.women_shelter.pk)
    assert (fresh.capacity, fresh.address, fresh.phone) == (14, ADDRESS, PHONE)


def test_the_edit_form_shows_the_address_to_the_agency_admin(directory):
    page = _client(directory, "own_admin").get(f"/directory/offerings/{directory.women_shelter.pk}/edit/")
    assert ADDRESS in page.content.decode()


def test_deactivating_takes_the_service_out_of_searches(directory):
    _client(directory, "own_admin").post(f"/directory/offerings/{directory.women_shelter.pk}/deactivate/")
    assert not ServiceOffering.objects.get(pk=directory.women_shelter.pk).is_active
    page = _client(directory, "caseworker").get("/directory/?item=shelter").content.decode()
    assert "Nhà tạm lánh" not in page
    manage = _client(directory, "own_admin").get("/directory/manage/").content.decode()
    assert "Nhà tạm lánh" in manage


def test_the_manage_page_lists_only_the_admins_own_agency(directory):
    page = _client(directory, "own_admin").get("/directory/manage/").content.decode()
    assert "Nhà tạm lánh" in page and "Tư vấn tâm lý" not in page
    everything = _client(directory, "system_admin").get("/directory/manage/").content.decode()
    assert "Nhà tạm lánh" in everything and "Tư vấn tâm lý" in everything


def test_supervisors_see_the_gaps_on_their_dashboard(directory):
    client = _client(directory, "supervisor")
    with_language(client, "en")
    assert "No service in Lào Cai accepts adult men for shelter." in client.get("/").content.decode()


def test_a_bad_age_is_explained_in_the_language_of_the_page(directory):
    client = _client(directory, "caseworker")
    assert "Nhập tuổi bằng số năm tròn, từ 0 đến" in client.get("/directory/?age=abc").content.decode()
    with_language(client, "en")
    assert "Enter an age in whole years, from 0 to" in client.get("/directory/?age=abc").content.decode()
