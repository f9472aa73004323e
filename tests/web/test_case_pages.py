"""The case page: workflow buttons, identity and its edits, assignment, sign-offs, who has seen it,
and emergency access."""

from __future__ import annotations

import pytest

from haven.accounts.models import AgencyKind, Role
from haven.audit.models import AuditEvent
from haven.cases.models import BreakGlass, Case, Signoff, SignoffRule
from tests.factories import agency, user
from tests.web.conftest import text


def _status(world) -> str:  # noqa: ANN001
    return Case.objects.get(pk=world.case.pk).status


def test_the_overview_shows_no_identity_and_logs_no_view(world, owner):
    body = text(owner.get(f"/cases/{world.case.code}/"))
    assert "Đặng Thị Ngọc" not in body
    assert "Cưỡng ép kết hôn" in body and "Trung Quốc" in body
    assert not AuditEvent.objects.filter(action="view_identity").exists()


def test_only_the_allowed_next_steps_are_offered(world, owner):
    body = text(owner.get(f"/cases/{world.case.code}/"))
    assert "/step/verification/" in body and "/step/closed/" in body
    # A person under identification is verified before support.
    assert "/step/support/" not in body and "/step/identified/" not in body


def test_the_workflow_from_reception_to_closure(world, owner):
    code = world.case.code
    assert owner.post(f"/cases/{code}/step/verification/").status_code == 302
    assert _status(world) == "verification"
    response = owner.post(f"/cases/{code}/step/identified/", {
        "identified_on": "2026-03-10", "authority": "Công an tỉnh Lào Cai", "document": "15/QĐ-CAT"})
    assert response.status_code == 302
    case = Case.objects.get(pk=world.case.pk)
    assert (case.status, case.category, str(case.identified_on)) == ("identified", "victim", "2026-03-10")
    for step in ["support", "reintegration"]:
        assert owner.post(f"/cases/{code}/step/{step}/").status_code == 302
    assert owner.post(f"/cases/{code}/step/closed/", {"reason": "Đã tái hòa nhập ổn định."}).status_code == 302
    assert _status(world) == "closed"
    assert "Hồ sơ này đã đóng." in text(owner.get(f"/cases/{code}/"))


def test_a_step_that_does_not_follow_is_refused_with_a_message(world, owner):
    response = owner.post(f"/cases/{world.case.code}/step/support/")
    assert response.status_code == 200
    assert "Người đang trong quá trình xác định phải được xác minh trước khi bắt đầu hỗ trợ." in text(response)
    assert _status(world) == "reception"
    response = owner.post(f"/cases/{world.case.code}/step/reintegration/")
    assert "không thể chuyển sang" in text(response)
    assert _status(world) == "reception"


@pytest.mark.parametrize("data, message", [
    ({"identified_on": "", "authority": "Công an tỉnh", "document": "1/QĐ"}, "Trường này là bắt buộc."),
    ({"identified_on": "2026-02-01", "authority": "Công an tỉnh", "document": "1/QĐ"},
     "Ngày xác định nạn nhân sớm hơn ngày tiếp nhận."),
    ({"identified_on": "31/02/2026", "authority": "Công an tỉnh", "document": "1/QĐ"}, "Nhập ngày theo dạng"),
    ({"identified_on": "2026-03-10", "authority": "", "document": "1/QĐ"}, "Trường này là bắt buộc."),
    ({"identified_on": "2026-03-10", "authority": "Công an tỉnh", "document": "x" * 101}, "Quá dài: tối đa 100 ký tự."),
])
def test_a_bad_identification_changes_nothing(world, owner, data, message):
    owner.post(f"/cases/{world.case.code}/step/verification/")
    response = owner.post(f"/cases/{world.case.code}/step/identified/", data)
    assert response.status_code == 200
    assert message in text(response)
    assert "<details class=\"step\" open>" in text(response)
    assert _status(world) == "verification"


def test_closing_needs_a_reason(world, owner):
    response = owner.post(f"/cases/{world.case.code}/step/closed/", {"reason": "  "})
    assert response.status_code == 200
    assert "Trường này là bắt buộc." in text(response)
    assert _status(world) == "reception"


def test_an_unknown_step_is_not_found(world, owner):
    assert owner.post(f"/cases/{world.case.code}/step/delete/").status_code == 404
    assert owner.get(f"/cases/{world.case.code}/step/verification/").status_code == 405


def test_the_identity_tab_shows_the_fields_and_logs_the_view(world, owner):
    body = text(owner.get(f"/cases/{world.case.code}/identity/"))
    assert "Đặng Thị Ngọc" in body and "0912 345 678" in body and "17/05/2003" in body
    event = AuditEvent.objects.filter(action="view_identity", case_id=world.case.pk).last()
    assert event.actor == world.owner_caseworker
    assert "full_name" in event.fields and "id_number" in event.fields
    assert "Đặng" not in str(event.changes) + event.reason


def test_editing_identity_logs_field_names_only(world, owner):
    response = owner.post(f"/cases/{world.case.code}/identity/edit/", {
        "full_name": "Đặng Thị Ngọc Ánh", "date_of_birth": "2003-05-17", "phone": "0912 000 111"}, follow=True)
    assert "Đã lưu:" in text(response) and "Đặng Thị Ngọc Ánh" in text(response)
    event = AuditEvent.objects.filter(action="update", case_id=world.case.pk).last()
    assert set(event.fields) >= {"full_name", "phone"}
    assert "Ánh" not in str(event.changes)


def test_a_bad_identity_edit_changes_nothing(world, owner):
    response = owner.post(f"/cases/{world.case.code}/identity/edit/", {"full_name": "", "phone": "abc"})
    assert response.status_code == 200
    assert "Trường này là bắt buộc." in text(response)
    assert "Đặng Thị Ngọc" in text(owner.get(f"/cases/{world.case.code}/identity/"))


def test_a_supervisor_assigns_the_case(world, supervisor):
    response = supervisor.post(f"/cases/{world.case.code}/assign/", {"worker": world.second_caseworker.pk})
    assert response.status_code == 302
    assert Case.objects.get(pk=world.case.pk).assigned_worker == world.second_caseworker


@pytest.mark.parametrize("worker", ["", "abc", "999999", "{other}"])
def test_assignment_outside_the_agency_is_refused(world, supervisor, worker):
    worker = worker.format(other=world.other_caseworker.pk)
    response = supervisor.post(f"/cases/{world.case.code}/assign/", {"worker": worker})
    assert response.status_code == 200
    assert "Hãy chọn một cán bộ của cơ quan này." in text(response)
    assert Case.objects.get(pk=world.case.pk).assigned_worker == world.owner_caseworker


def test_who_has_seen_lists_viewers_and_fields_but_no_values(world, owner, supervisor):
    owner.get(f"/cases/{world.case.code}/identity/")
    body = text(supervisor.get(f"/cases/{world.case.code}/seen-by/"))
    assert "owner_cw" in body
    assert "Họ và tên" in body and "Số giấy tờ tùy thân" in body
    assert "Cán bộ được phân công" in body
    assert "0912 345 678" not in body and "Đặng Thị Ngọc" not in body


def _identified_with_police_signoff(world, owner):  # noqa: ANN001, ANN202
    SignoffRule.objects.create(agency_kind=AgencyKind.POLICE, due_days=3)
    police = agency(AgencyKind.POLICE, "Công an tỉnh Lào Cai")
    police_supervisor = user(police, Role.SUPERVISOR, "police_sup")
    owner.post(f"/cases/{world.case.code}/step/verification/")
    owner.post(f"/cases/{world.case.code}/step/identified/", {
        "identified_on": "2026-03-10", "authority": "Công an tỉnh Lào Cai", "document": "15/QĐ-CAT"})
    return police_supervisor


def test_sign_offs_show_who_signed_and_who_is_overdue(world, owner, as_user):
    police_supervisor = _identified_with_police_signoff(world, owner)
    body = text(owner.get(f"/cases/{world.case.code}/signoffs/"))
    assert "Công an" in body and "Quá hạn" in body  # due 2026-03-13, long past
    police = as_user(police_supervisor)
    listing = text(police.get("/cases/signoffs/"))
    assert world.case.code in listing and "Đặng Thị Ngọc" not in listing
    signoff = Signoff.objects.get(case=world.case)
    assert police.post(f"/cases/signoffs/{signoff.pk}/sign/", {"decision": "approved"}).status_code == 302
    body = text(owner.get(f"/cases/{world.case.code}/signoffs/"))
    assert "Đã đồng ý" in body and "police_sup" in body


def test_objecting_without_a_note_is_refused(world, owner, as_user):
    police = as_user(_identified_with_police_signoff(world, owner))
    signoff = Signoff.objects.get(case=world.case)
    response = police.post(f"/cases/signoffs/{signoff.pk}/sign/", {"decision": "objected"}, follow=True)
    assert "Hãy nêu lý do phản đối trong phần ghi chú." in text(response)
    assert Signoff.objects.get(pk=signoff.pk).decision == "pending"


def test_emergency_access_needs_a_reason_and_is_flagged_for_review(world, outsider, supervisor):
    code = world.case.code
    short = outsider.post("/cases/break-glass/", {"code": code, "reason": "gấp"})
    assert short.status_code == 200
    assert "Hãy giải thích tình huống khẩn cấp bằng ít nhất 20 ký tự." in text(short)
    unknown = outsider.post("/cases/break-glass/", {"code": "HV-26-NOPE00", "reason": "x" * 30})
    assert "Không có hồ sơ nào có mã này." in text(unknown)
    assert not BreakGlass.objects.exists()
    opened = outsider.post("/cases/break-glass/", {
        "code": code.lower(), "reason": "Đối tượng môi giới đang tìm nơi ở của người này."})
    assert opened["Location"] == f"/cases/{code}/"
    page = text(outsider.get(f"/cases/{code}/"))
    assert "Truy cập khẩn cấp: được ghi lại và lãnh đạo đơn vị rà soát." in page
    dashboard = text(supervisor.get("/"))
    assert "Đối tượng môi giới đang tìm nơi ở của người này." in dashboard
    grant = BreakGlass.objects.get()
    assert supervisor.post(f"/cases/break-glass/{grant.pk}/review/", {"note": "Hợp lý."}).status_code == 302
    assert BreakGlass.objects.get().reviewed_by == world.supervisor
    assert "Không có truy cập khẩn cấp nào chờ rà soát." in text(supervisor.get("/"))
