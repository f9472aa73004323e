"""The referrals API: behaviour, the one error shape, translated messages; every response schema-checked."""

from __future__ import annotations

import pytest

from haven.referrals.models import Referral, ReferralStatus
from tests.referrals.conftest import consent, past_due, send

pytestmark = pytest.mark.django_db


def _refer(world, **overrides):  # noqa: ANN001, ANN003, ANN202
    body = {"to_agency_id": world.other_agency.pk, "purpose": "Tiếp nhận", "items": ["psychological"]}
    body.update(overrides)
    return body


def test_send_accept_complete_through_the_api(world, api):
    consent(world)
    owner, receiver = api(world.owner_caseworker), api(world.other_caseworker)
    sent = owner.post(f"/api/cases/{world.case.code}/referrals", _refer(world))
    assert sent.status_code == 201
    body = sent.json()
    assert body["status"] == "sent" and body["fields_shared"] == sorted(body["fields_shared"]) and body["due_on"]
    rid = body["id"]
    assert [r["id"] for r in receiver.get("/api/referrals/received").json()] == [rid]
    assert receiver.post(f"/api/referrals/{rid}/accept").json()["status"] == "accepted"
    assert receiver.get(f"/api/cases/{world.case.code}").status_code == 200
    done = receiver.post(f"/api/referrals/{rid}/complete", {"outcome": "Đã hỗ trợ"}).json()
    assert done["status"] == "completed" and done["outcome"] == "Đã hỗ trợ"
    history = owner.get(f"/api/cases/{world.case.code}/referrals").json()
    assert history["referrals"][0]["outcome"] == "Đã hỗ trợ"


def test_without_consent_the_api_says_why_in_english(world, api):
    response = api(world.owner_caseworker).post(f"/api/cases/{world.case.code}/referrals?lang=en", _refer(world))
    assert response.status_code == 400
    assert response.json()["code"] == "no_consent" and "has not consented" in response.json()["detail"]
    assert not Referral.objects.exists()


def test_withdrawn_consent_blocks_the_api_too(world, api):
    consent(world)
    consent(world, "withdrawn")
    response = api(world.owner_caseworker).post(f"/api/cases/{world.case.code}/referrals", _refer(world))
    assert response.json()["code"] == "no_consent" and not Referral.objects.exists()


@pytest.mark.parametrize("change, field", [
    ({"items": ["caviar"]}, "items"), ({"purpose": ""}, "purpose"), ({"due_on": "2020-01-01"}, "due_on"),
    ({"due_on": "tomorrow"}, "due_on"), ({"to_agency_id": 0}, "to_agency_id"), ({"extra": 1}, "extra"),
])
def test_bad_input_is_one_error_shape_and_nothing_changes(world, api, change, field):
    consent(world)
    response = api(world.owner_caseworker).post(f"/api/cases/{world.case.code}/referrals", _refer(world, **change))
    assert response.status_code in (400, 422)
    assert set(response.json()) == {"detail", "code", "field"} and response.json()["field"] == field
    assert not Referral.objects.exists()


def test_the_preview_says_what_would_be_shared(world, api):
    body = api(world.owner_caseworker).get(f"/api/cases/{world.case.code}/referrals/preview",
                                           to_agency_id=world.other_agency.pk).json()
    assert body["consent"] is False and "full_name" in body["fields_shared"] and "notes" not in body["fields_shared"]


def test_overdue_lists_unanswered_referrals_past_their_date(world, api):
    consent(world)
    referral = past_due(send(world))
    rows = api(world.other_caseworker).get("/api/referrals/overdue").json()
    assert [r["id"] for r in rows] == [referral.pk] and rows[0]["overdue"] is True


def test_answering_twice_is_refused(world, api):
    consent(world)
    referral = send(world)
    receiver = api(world.other_caseworker)
    receiver.post(f"/api/referrals/{referral.pk}/decline", {"reason": "Hết chỗ"})
    response = receiver.post(f"/api/referrals/{referral.pk}/accept")
    assert response.status_code == 400 and response.json()["code"] == "bad_transition"
    assert Referral.objects.get().status == ReferralStatus.DECLINED


def test_a_transfer_through_the_api(world, api, far):
    created = api(world.supervisor).post(f"/api/cases/{world.case.code}/transfers",
                                         {"to_agency_id": far.agency.pk, "reason": "Chuyển về Nghệ An"})
    assert created.status_code == 201
    tid = created.json()["id"]
    assert [t["id"] for t in api(far.supervisor).get("/api/transfers").json()] == [tid]
    assert api(far.supervisor).post(f"/api/transfers/{tid}/accept").json()["status"] == "accepted"
    assert api(far.supervisor).get(f"/api/cases/{world.case.code}").status_code == 200


def test_a_transfer_within_the_province_is_refused(world, api):
    response = api(world.supervisor).post(f"/api/cases/{world.case.code}/transfers",
                                          {"to_agency_id": world.other_agency.pk, "reason": "x"})
    assert response.status_code == 400 and response.json()["code"] == "same_province"
