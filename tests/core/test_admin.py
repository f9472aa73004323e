"""The Django admin: configuration only, every change audited, figures added never edited."""

import pytest
from django.test import Client

from haven.audit.models import AuditAction, AuditEvent
from haven.entitlements.models import ParameterValue
from tests.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(world):
    world.system_admin.is_staff = True
    world.system_admin.is_superuser = True
    world.system_admin.save()
    client = login(Client(), world.system_admin)
    client.cookies["django_language"] = "en"
    return client


def test_protected_records_are_not_in_the_admin(admin_client):
    for path in ("cases/case/", "cases/person/", "cases/personidentity/", "consent/consentrecord/",
                 "audit/auditevent/", "referrals/referral/"):
        assert admin_client.get(f"/admin/{path}").status_code == 404


def test_an_admin_change_is_audited_with_field_names(admin_client, world):
    response = admin_client.post("/admin/cases/signoffrule/add/", {"agency_kind": "police", "due_days": "7"})
    assert response.status_code == 302
    event = AuditEvent.objects.filter(action=AuditAction.ADMIN, object_type="cases.signoffrule").get()
    assert set(event.fields) == {"agency_kind", "due_days"} and event.reason == "add"


def test_an_official_figure_is_added_through_the_service_and_audited(admin_client):
    data = {"parameter": "hardship.amount", "scope": "nghe-an", "valid_from": "2020-01-01",
            "valid_to": "2025-06-30", "amount": "1500000", "unit": "VND", "instrument": "Nghị quyết (thử nghiệm)",
            "article": "", "confidence": "reported"}
    assert admin_client.post("/admin/entitlements/parametervalue/add/", data).status_code == 302
    row = ParameterValue.objects.get()
    assert row.amount == 1_500_000
    assert AuditEvent.objects.filter(object_type="parameter_value", channel="admin").exists()
    again = admin_client.post("/admin/entitlements/parametervalue/add/", {**data, "amount": "9"})
    assert again.status_code == 200 and "already exists" in again.content.decode()
    assert ParameterValue.objects.count() == 1
    assert admin_client.get(f"/admin/entitlements/parametervalue/{row.pk}/delete/").status_code == 403


def test_an_unknown_parameter_is_refused_in_the_admin(admin_client):
    response = admin_client.post("/admin/entitlements/parametervalue/add/", {
        "parameter": "made.up", "scope": "lao-cai", "valid_from": "2020-01-01", "amount": "5", "unit": "VND",
        "instrument": "x", "confidence": "reported"})
    assert response.status_code == 200 and not ParameterValue.objects.exists()


def test_non_staff_cannot_open_the_admin(world):
    response = login(Client(), world.supervisor).get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
