"""The audit view, the dashboards by role, and the error pages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from haven.audit.models import AuditEvent
from tests.web.conftest import text


@pytest.fixture
def auditor(world, as_user) -> Client:  # noqa: ANN001
    return as_user(world.auditor)


def test_the_audit_view_lists_events_with_field_names(world, owner, auditor):
    owner.get(f"/cases/{world.case.code}/identity/")
    body = text(auditor.get("/audit/"))
    assert "Xem thông tin nhân thân" in body and "owner_cw" in body and world.case.code in body
    assert "Số giấy tờ tùy thân" in body


def test_audit_filters(world, owner, auditor):
    owner.get(f"/cases/{world.case.code}/identity/")
    total = AuditEvent.objects.count()
    assert f"{total} sự kiện" in text(auditor.get("/audit/"))
    views = AuditEvent.objects.filter(action="view_identity").count()
    assert f"{views} sự kiện" in text(auditor.get("/audit/", {"action": "view_identity"}))
    assert "0 sự kiện" in text(auditor.get("/audit/", {"user": "nobody"}))
    by_code = AuditEvent.objects.filter(case_id=world.case.pk).count()
    assert f"{by_code} sự kiện" in text(auditor.get("/audit/", {"case": world.case.code.lower()}))
    assert f"{by_code} sự kiện" in text(auditor.get("/audit/", {"case": str(world.case.pk)}))
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    assert "0 sự kiện" in text(auditor.get("/audit/", {"date_from": tomorrow}))


@pytest.mark.parametrize("params, message", [
    ({"date_from": "2026-02-30"}, "Nhập ngày theo dạng NNNN-TT-NN"),
    ({"date_from": "2026-05-01", "date_to": "2026-01-01"}, "Ngày kết thúc sớm hơn ngày bắt đầu."),
    ({"action": "delete_everything"}, "Hãy chọn một trong các lựa chọn có trong danh sách."),
    ({"case": "'; DROP TABLE--"}, "Nhập mã hồ sơ, ví dụ HV-26-ABC234, hoặc số hồ sơ."),
    ({"case": "9" * 19}, "0 sự kiện"),
    ({"case": "9" * 21}, "Quá dài: tối đa 20 ký tự."),
    ({"user": "x" * 151}, "Quá dài: tối đa 150 ký tự."),
    ({"page": "lots"}, "sự kiện"),
])
def test_bad_audit_filters_give_a_message_not_an_error(auditor, params, message):
    response = auditor.get("/audit/", params)
    assert response.status_code == 200
    assert message in text(response)


def test_verifying_an_intact_chain(world, auditor):
    body = text(auditor.post("/audit/verify/"))
    assert 'data-verify="ok"' in body and "chuỗi toàn vẹn" in body


def test_verifying_through_htmx_returns_only_the_result(world, auditor):
    response = auditor.post("/audit/verify/", headers={"HX-Request": "true"})
    assert response.content.decode().strip().startswith("<div class=\"notice ok")


def test_a_changed_event_breaks_the_chain_and_is_named(world, auditor):
    event = AuditEvent.objects.order_by("seq").first()
    AuditEvent.objects.filter(pk=event.pk).update(fields=["nothing"])
    body = text(auditor.post("/audit/verify/"))
    assert 'data-verify="broken"' in body and f"#{event.seq}" in body


def test_the_caseworker_dashboard_lists_cases_and_tasks(world, owner):
    body = text(owner.get("/"))
    assert world.case.code in body
    assert "Ghi nhận sự đồng ý nhận dịch vụ" in body  # no consent recorded yet: the first task
    assert "Đặng Thị Ngọc" not in body  # names are not on the dashboard


def test_the_supervisor_dashboard_shows_the_agency_caseload(world, supervisor):
    body = text(supervisor.get("/"))
    assert world.case.code in body and "Hồ sơ đang mở của cơ quan tôi" in body


def test_the_statistician_dashboard_shows_counts_only(world, as_user):
    body = text(as_user(world.statistician).get("/"))
    assert "Hồ sơ theo trạng thái" in body and "Hồ sơ theo diện" in body
    assert world.case.code not in body and "/cases/" not in body


def test_the_auditor_dashboard_links_to_the_trail(world, auditor):
    assert 'href="/audit/"' in text(auditor.get("/"))


def test_the_system_administrator_dashboard_links_to_the_admin(world, as_user):
    body = text(as_user(world.system_admin).get("/"))
    assert 'href="/admin/"' in body and 'href="/audit/"' in body


def test_the_not_found_page_is_translated_and_reveals_nothing(owner):
    response = owner.get("/no/such/page/")
    assert response.status_code == 404
    assert "Không tìm thấy" in text(response)
    assert "/no/such/page/" not in text(response).split('name="next"')[0]


def test_the_forbidden_page_is_translated(world, as_user):
    response = as_user(world.statistician).get("/cases/")
    assert response.status_code == 403 and "Không được phép" in text(response)


def test_the_server_error_page_is_translated_and_standalone():
    template = (Path(settings.BASE_DIR) / "templates" / "500.html").read_text(encoding="utf-8")
    assert "{% extends" not in template and "{% translate" in template


def test_a_form_posted_without_its_csrf_token_gets_a_translated_page(world):
    from tests.factories import PASSWORD

    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "owner_cw", "password": PASSWORD})
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in text(response)


def test_no_page_loads_anything_from_another_site(world, owner):
    body = text(owner.get(f"/cases/{world.case.code}/"))
    assert "http://" not in body and "https://" not in body


@pytest.mark.parametrize("who", ["owner_caseworker", "supervisor"])
def test_the_dashboard_caseload_reads_no_sealed_text_it_does_not_show(world, as_user, who):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user(getattr(world, who))
    with CaptureQueriesContext(connection) as seen:
        response = client.get("/")
    assert response.status_code == 200 and world.case.code in response.content.decode()
    caseload = [q["sql"] for q in seen.captured_queries if 'FROM "cases_case"' in q["sql"] and "LIMIT 200" in q["sql"]]
    assert caseload and not any("closure_reason" in sql or "totp_secret" in sql for sql in caseload)
