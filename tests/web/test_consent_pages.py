"""The consent tab: record by purpose, withdraw at once, keep the history, follow the child rules."""

from __future__ import annotations

import pytest

from haven.audit.models import AuditEvent
from haven.consent.models import ConsentRecord
from tests.factories import register
from tests.web.conftest import share_with_other_agency, text

GIVE_SERVICES = {"purpose": "services", "decision": "given", "given_by": "person", "method": "signed_form"}


def test_nothing_is_asked_yet_on_a_new_case(world, owner):
    body = text(owner.get(f"/cases/{world.case.code}/consent/"))
    assert body.count("Chưa hỏi") == 4
    assert "Chưa ghi nhận quyết định nào về sự đồng ý." in body


def test_recording_consent_shows_it_in_force(world, owner):
    response = owner.post(f"/cases/{world.case.code}/consent/", GIVE_SERVICES, follow=True)
    body = text(response)
    assert "Đã ghi nhận quyết định về sự đồng ý." in body
    assert 'data-purpose="services"' in body
    assert ConsentRecord.objects.filter(person=world.case.person, purpose="services", decision="given").exists()


def test_withdrawing_takes_effect_at_once_and_keeps_the_history(world, owner):
    owner.post(f"/cases/{world.case.code}/consent/", GIVE_SERVICES)
    response = owner.post(f"/cases/{world.case.code}/consent/withdraw/", {
        "purpose": "services", "agency_kind": "", "given_by": "person", "method": "signed_form",
    }, follow=True)
    body = text(response)
    assert "Đã rút lại sự đồng ý. Việc rút lại có hiệu lực ngay." in body
    decisions = list(ConsentRecord.objects.filter(person=world.case.person).values_list("decision", flat=True))
    assert sorted(decisions) == ["given", "withdrawn"]
    assert "Đã rút lại" in body and "Đồng ý" in body  # the history keeps both


def test_sharing_is_recorded_per_agency_kind(world, owner):
    owner.post(f"/cases/{world.case.code}/consent/", {**GIVE_SERVICES, "purpose": "sharing",
                                                      "agency_kind": "legal_aid"})
    body = text(owner.get(f"/cases/{world.case.code}/consent/"))
    assert 'data-agency-kind="legal_aid"' in body
    assert "Trung tâm trợ giúp pháp lý nhà nước" in body


def test_a_child_consents_with_the_guardian(world, owner):
    child = register(world.owner_caseworker, full_name="Đặng Văn Tí", date_of_birth="2016-01-05",
                     id_number="", category="accompanying_minor")
    response = owner.post(f"/cases/{child.code}/consent/", GIVE_SERVICES)
    assert response.status_code == 200
    assert "Với trẻ em, người giám hộ đồng ý thay" in text(response)
    response = owner.post(f"/cases/{child.code}/consent/", {**GIVE_SERVICES, "given_by": "person_and_guardian",
                                                            "guardian_name": "Đặng Văn Hùng"})
    assert response.status_code == 302


def test_guardian_and_witness_names_are_hidden_until_asked_for_and_then_logged(world, owner):
    owner.post(f"/cases/{world.case.code}/consent/", {**GIVE_SERVICES, "method": "verbal_witnessed",
                                                      "witness_name": "Vàng Thị Dính"})
    assert "Vàng Thị Dính" not in text(owner.get(f"/cases/{world.case.code}/consent/"))
    before = AuditEvent.objects.filter(action="view_identity", object_type="consent").count()
    assert "Vàng Thị Dính" in text(owner.get(f"/cases/{world.case.code}/consent/?names=1"))
    event = AuditEvent.objects.filter(action="view_identity", object_type="consent").last()
    assert AuditEvent.objects.filter(action="view_identity", object_type="consent").count() == before + 1
    assert event.fields == ["witness_name"]


def test_a_referred_agency_sees_consent_but_cannot_record_it(world, outsider):
    share_with_other_agency(world)
    body = text(outsider.get(f"/cases/{world.case.code}/consent/"))
    assert "Sự đồng ý đang có hiệu lực" in body
    assert "Ghi nhận quyết định" not in body
    assert outsider.post(f"/cases/{world.case.code}/consent/", GIVE_SERVICES).status_code == 404
    assert outsider.post(f"/cases/{world.case.code}/consent/withdraw/", {
        "purpose": "sharing", "agency_kind": "social_protection", "given_by": "person", "method": "signed_form",
    }).status_code == 404


@pytest.mark.parametrize("data, message", [
    ({"purpose": "marketing"}, "Hãy chọn một trong các lựa chọn có trong danh sách."),
    ({"decision": "maybe"}, "Hãy chọn một trong các lựa chọn có trong danh sách."),
    ({"decision": "withdrawn"}, "Hãy chọn một trong các lựa chọn có trong danh sách."),
    ({"purpose": "sharing"}, "Hãy chọn một trong các lựa chọn có trong danh sách."),
    ({"agency_kind": "police"}, "Chỉ chọn loại cơ quan khi mục đích là chia sẻ."),
    ({"method": "verbal_witnessed"}, "Đồng ý bằng lời nói cần có tên người làm chứng."),
    ({"given_by": "guardian"}, "Với trẻ em, người giám hộ đồng ý thay"),
    ({"effective_on": "2026-02-30"}, "Nhập ngày theo dạng NNNN-TT-NN"),
    ({"effective_on": "2999-01-01"}, "Ngày không thể ở tương lai."),
    ({"note": "x" * 2001}, "Quá dài: tối đa 2000 ký tự."),
    ({"witness_name": "x" * 201}, "Quá dài: tối đa 200 ký tự."),
])
def test_bad_consent_input_is_refused_and_nothing_recorded(world, owner, data, message):
    response = owner.post(f"/cases/{world.case.code}/consent/", {**GIVE_SERVICES, **data})
    assert response.status_code == 200
    assert message in text(response)
    assert not ConsentRecord.objects.exists()


def test_a_bad_withdrawal_reopens_its_form_with_the_message(world, owner):
    owner.post(f"/cases/{world.case.code}/consent/", GIVE_SERVICES)
    response = owner.post(f"/cases/{world.case.code}/consent/withdraw/", {
        "purpose": "services", "given_by": "person", "method": "verbal_witnessed"})
    assert response.status_code == 200
    assert "Đồng ý bằng lời nói cần có tên người làm chứng." in text(response)
    assert "<details open>" in text(response)
    assert ConsentRecord.objects.count() == 1
