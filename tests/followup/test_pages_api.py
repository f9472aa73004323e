"""Pages and API: the Follow-up tab, the support tab's link and refusal message, schema-checked API flows."""

from __future__ import annotations

import pytest

from haven.followup.models import HomeSafetyAssessment
from haven.support.models import ShelterStay
from tests.conftest import login as _login
from tests.followup.conftest import TODAY, assessment

pytestmark = pytest.mark.django_db


def login(client, user, lang="en"):  # noqa: ANN001, ANN201
    """Log in and choose the page language with the language cookie."""
    client = _login(client, user)
    client.cookies["django_language"] = lang
    return client


def test_the_support_tab_refuses_a_minors_discharge_with_the_message_and_links_the_assessment(world, minor, stay,
                                                                                              client):
    c = login(client, world.owner_caseworker)
    page = c.get(f"/cases/{minor.code}/support/")
    assert "data-safety-assessment-link" in page.content.decode()
    response = c.post(f"/cases/{minor.code}/support/stays/{stay.pk}/discharge/",
                      {"discharged_on": TODAY.isoformat(), "note": ""})
    assert response.status_code == 200
    assert "Decree 09/2013 Art. 21" in response.content.decode()
    assert ShelterStay.objects.get(pk=stay.pk).discharged_on is None


def test_the_refusal_shows_on_a_vietnamese_page(world, minor, stay, client):
    response = login(client, world.owner_caseworker, "vi").post(
        f"/cases/{minor.code}/support/stays/{stay.pk}/discharge/", {"discharged_on": TODAY.isoformat()})
    body = response.content.decode()
    assert response.status_code == 200 and 'lang="vi"' in body and "09/2013" in body


def test_an_assessment_is_made_submitted_and_approved_on_the_tab(world, minor, client):
    c = login(client, world.owner_caseworker)
    r = c.post(f"/cases/{minor.code}/follow-up/assessments/", {
        "visited_on": TODAY.isoformat(), "findings": "Bà nội chăm sóc (thử nghiệm)", "outcome": "safe"})
    assert r.status_code == 302
    made = HomeSafetyAssessment.objects.get()
    assert c.post(f"/cases/{minor.code}/follow-up/assessments/{made.pk}/submit/").status_code == 302
    sup = login(type(client)(), world.supervisor)
    r = sup.post(f"/cases/{minor.code}/follow-up/assessments/{made.pk}/decide/", {"decision": "approve"})
    assert r.status_code == 302
    made.refresh_from_db()
    assert made.status == "approved"


def test_bad_input_on_the_tab_shows_a_translated_error_and_saves_nothing(world, minor, client):
    r = login(client, world.owner_caseworker).post(f"/cases/{minor.code}/follow-up/assessments/", {
        "visited_on": TODAY.isoformat(), "findings": "x", "outcome": "safe_with_conditions"})
    assert r.status_code == 200 and "Write the conditions of the return." in r.content.decode()
    assert not HomeSafetyAssessment.objects.exists()


def test_the_index_lists_codes_not_names(world, minor, client):
    page = login(client, world.owner_caseworker).get("/follow-up/")
    assert page.status_code == 200 and "Đặng Thị Ngọc" not in page.content.decode()


def test_the_api_flow_is_schema_checked_and_notes_audited(world, minor, stay, api):
    owner = api(world.owner_caseworker)
    check = owner.get(f"/api/cases/{minor.code}/discharge-check").json()
    assert check["minor"] and not check["allowed"]
    made = owner.post(f"/api/cases/{minor.code}/safety-assessments", {
        "visited_on": TODAY.isoformat(), "outcome": "safe", "findings": "Thăm nhà (thử nghiệm)",
        "stay_id": stay.pk})
    assert made.status_code == 201 and made.json()["findings"] == "Thăm nhà (thử nghiệm)"
    pk = made.json()["id"]
    assert owner.post(f"/api/cases/{minor.code}/safety-assessments/{pk}/submit").json()["status"] == "submitted"
    decided = api(world.supervisor).post(f"/api/cases/{minor.code}/safety-assessments/{pk}/decision",
                                         {"approve": True})
    assert decided.json()["status"] == "approved"
    assert owner.get(f"/api/cases/{minor.code}/discharge-check").json()["allowed"]
    done = owner.post(f"/api/cases/{minor.code}/stays/{stay.pk}/discharge", {"discharged_on": TODAY.isoformat()})
    assert done.status_code == 200 and done.json()["discharged_on"] == TODAY.isoformat()


def test_the_api_refuses_a_minors_discharge_with_the_code(world, minor, stay, api):
    assessment(world, minor, status="draft")
    r = api(world.owner_caseworker).post(f"/api/cases/{minor.code}/stays/{stay.pk}/discharge",
                                         {"discharged_on": TODAY.isoformat()})
    assert r.status_code == 400
    assert r.json()["code"] == "safety_assessment_required" and r.json()["field"] == "discharged_on"


def test_a_misspelt_api_field_is_refused(world, minor, api):
    r = api(world.owner_caseworker).post(f"/api/cases/{minor.code}/safety-assessments", {
        "visited_on": TODAY.isoformat(), "outcome": "safe", "findings": "x", "finding": "y"})
    assert r.status_code == 422 and not HomeSafetyAssessment.objects.exists()
