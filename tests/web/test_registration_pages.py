"""The registration page: a Vietnamese name goes in, a case code comes out; duplicates are caught."""

from __future__ import annotations

import pytest

from haven.cases.models import Case
from tests.web.conftest import registration_form, text


def test_the_form_groups_identity_as_confidential(owner):
    body = text(owner.get("/cases/new/"))
    assert "Thông tin nhân thân (mật)" in body
    assert 'class="confidential"' in body
    for label in ["Tiếp nhận", "Thông tin không định danh", "Thông tin về việc bị mua bán"]:
        assert label in body


def test_registering_a_person_with_a_vietnamese_name_opens_their_case(world, owner):
    response = owner.post("/cases/new/", registration_form(full_name="Hoàng Thị Mỷ"), follow=True)
    assert response.status_code == 200
    case = Case.objects.exclude(pk=world.case.pk).get()
    assert response.redirect_chain[-1][0] == f"/cases/{case.code}/"
    assert f"Đã đăng ký. Mã hồ sơ là {case.code}." in text(response)
    assert case.assigned_worker == world.owner_caseworker
    identity = text(owner.get(f"/cases/{case.code}/identity/"))
    assert "Hoàng Thị Mỷ" in identity


def test_the_name_is_not_stored_in_clear(world, owner):
    from django.db import connection

    owner.post("/cases/new/", registration_form(full_name="Hoàng Thị Mỷ"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT full_name, id_number FROM cases_personidentity")
        rows = cursor.fetchall()
    assert rows and all(not any("Mỷ" in v or "001304009876" in v for v in row) for row in rows)


def test_the_same_id_number_warns_with_codes_and_agencies_only(world, owner):
    existing = world.case.person.identity.id_number
    response = owner.post("/cases/new/", registration_form(full_name="Người Khác Hẳn", id_number=existing))
    assert response.status_code == 200
    body = text(response)
    assert "Người này có thể đã được đăng ký." in body
    assert world.case.code in body
    assert world.owner_agency.name in body
    assert "Đặng Thị Ngọc" not in body  # the other record's name is never shown
    assert Case.objects.count() == 1


def test_the_same_name_without_accents_and_birth_date_warns(world, owner):
    response = owner.post("/cases/new/", registration_form(
        full_name="dang thi ngoc", date_of_birth="2003-05-17", id_number=""))
    assert world.case.code in text(response)
    assert Case.objects.count() == 1


def test_register_anyway_after_checking_the_duplicates(world, owner):
    existing = world.case.person.identity.id_number
    response = owner.post("/cases/new/", registration_form(id_number=existing, confirm_duplicate="on"))
    assert response.status_code == 302
    assert Case.objects.count() == 2


@pytest.mark.parametrize("field, value, message", [
    ("received_on", "2026-13-45", "Nhập ngày theo dạng NNNN-TT-NN"),
    ("received_on", "hôm qua", "Nhập ngày theo dạng NNNN-TT-NN"),
    ("received_on", "2999-01-01", "Ngày không thể ở tương lai."),
    ("received_on", "", "Trường này là bắt buộc."),
    ("date_of_birth", "2026-03-03", "Ngày sinh sau ngày tiếp nhận."),
    ("date_of_birth", "2999-01-01", "Ngày không thể ở tương lai."),
    ("birth_year", "1800", "Nhập năm từ 1900 đến năm nay."),
    ("sex", "alien", "Hãy chọn một trong các lựa chọn có trong danh sách."),
    ("category", "<script>", "Hãy chọn một trong các lựa chọn có trong danh sách."),
    ("languages", ["vi", "klingon"], "Hãy chọn trong các lựa chọn có trong danh sách."),
    ("full_name", "N" * 201, "Quá dài: tối đa 200 ký tự."),
    ("full_name", "   ", "Trường này là bắt buộc."),
    ("notes", "x" * 5001, "Quá dài: tối đa 5000 ký tự."),
    ("phone", "call me maybe", "Nhập số điện thoại từ 6 đến 20 chữ số."),
    ("id_number", "12", "Số giấy tờ tùy thân gồm 6 đến 20 chữ cái và chữ số."),
    ("birth_year", "nineteen", "Nhập năm, ví dụ 1998."),
    ("birth_year", "1999", "Năm sinh không khớp với ngày sinh."),
    ("home_province", "atlantis", "Hãy chọn một trong các lựa chọn có trong danh sách."),
    ("nationality", "XX", "Hãy chọn một trong các lựa chọn có trong danh sách."),
    ("accompanies", "HV-26-AAAAAA", "Chỉ người dưới 18 tuổi đi cùng mới gắn với hồ sơ khác."),
    ("reception_place", "Cửa khẩu\x00", "Không được dùng ký tự rỗng (NUL)."),
])
def test_bad_input_is_refused_with_a_vietnamese_message_and_nothing_saved(world, owner, field, value, message):
    response = owner.post("/cases/new/", registration_form(**{field: value}))
    assert response.status_code == 200
    assert message in text(response)
    assert Case.objects.count() == 1


def test_an_accompanying_minor_links_to_a_case_the_worker_can_open(world, owner):
    response = owner.post("/cases/new/", registration_form(
        category="accompanying_minor", full_name="Đặng Văn Tí", date_of_birth="2021-02-03", id_number="",
        accompanies=world.case.code.lower()))
    assert response.status_code == 302
    minor = Case.objects.get(category="accompanying_minor")
    assert minor.accompanies_id == world.case.pk


def test_the_communes_of_a_province_load_for_the_select(world, owner):
    body = text(owner.get("/cases/communes/", {"home_province": "lao-cai"}))
    assert body.startswith('<option value="">')
    assert "<script" not in body
