"""The case list: search by code, ID number or name words (accents optional), filters, sorting, pages."""

from __future__ import annotations

import pytest

from haven.audit.models import AuditEvent
from haven.cases.views import CASES_PER_PAGE
from tests.factories import register
from tests.web.conftest import text


def test_an_unaccented_search_finds_the_accented_name(world, owner):
    body = text(owner.get("/cases/", {"q": "dang thi ngoc"}))
    assert world.case.code in body
    assert "Đặng Thị Ngọc" in body


def test_one_whole_word_of_the_name_is_enough(world, owner):
    assert world.case.code in text(owner.get("/cases/", {"q": "NGOC"}))


def test_part_of_a_word_finds_nothing(world, owner):
    assert world.case.code not in text(owner.get("/cases/", {"q": "ngo"}))


def test_search_by_case_code_and_by_id_number(world, owner):
    id_number = world.case.person.identity.id_number
    assert world.case.code in text(owner.get("/cases/", {"q": world.case.code.lower()}))
    spaced = " ".join(id_number[i:i + 3] for i in range(0, len(id_number), 3))
    assert world.case.code in text(owner.get("/cases/", {"q": spaced}))


def test_another_agency_finds_nothing_by_name(world, outsider):
    body = text(outsider.get("/cases/", {"q": "Đặng Thị Ngọc"}))
    assert world.case.code not in body
    assert "sealed-name" not in body


def test_every_name_shown_is_logged(world, owner):
    before = AuditEvent.objects.filter(action="view_identity", case_id=world.case.pk).count()
    owner.get("/cases/")
    events = AuditEvent.objects.filter(action="view_identity", case_id=world.case.pk)
    assert events.count() == before + 1
    assert events.last().fields == ["full_name"]


def test_filters_narrow_the_list(world, owner):
    other = register(world.owner_caseworker, full_name="Lý A Páo", sex="male", id_number="001099887766",
                     received_on="2025-01-10", date_of_birth="1999-01-01")
    body = text(owner.get("/cases/", {"sex": "male"}))
    assert other.code in body and world.case.code not in body
    body = text(owner.get("/cases/", {"received_from": "2026-01-01", "received_to": "2026-12-31"}))
    assert world.case.code in body and other.code not in body
    body = text(owner.get("/cases/", {"status": "verification"}))
    assert world.case.code not in body and other.code not in body


def test_sorting_by_name_follows_vietnamese_order(world, owner):
    register(world.owner_caseworker, full_name="Trần Văn An", id_number="001088877766", date_of_birth="1990-01-01")
    register(world.owner_caseworker, full_name="Lê Thị Ánh", id_number="001077766655", date_of_birth="1991-01-01")
    body = text(owner.get("/cases/", {"sort": "name"}))
    # By given name first: An, Ánh, Ngọc.
    assert body.index("Trần Văn An") < body.index("Lê Thị Ánh") < body.index("Đặng Thị Ngọc")


def test_the_list_is_paginated(world, owner):
    for i in range(CASES_PER_PAGE):
        register(world.owner_caseworker, full_name=f"Người Thử Số {i}", id_number=f"0020000000{i:02d}",
                 date_of_birth="1995-01-01")
    first, second = text(owner.get("/cases/")), text(owner.get("/cases/", {"page": 2}))
    assert "Trang 1 / 2" in first and "Trang 2 / 2" in second
    assert first.count('class="code"') == CASES_PER_PAGE
    assert second.count('class="code"') == 1


@pytest.mark.parametrize("params, message", [
    ({"received_from": "2026-02-31"}, "Nhập ngày theo dạng NNNN-TT-NN"),
    ({"received_to": "not a date"}, "Nhập ngày theo dạng NNNN-TT-NN"),
    ({"received_from": "2026-05-01", "received_to": "2026-01-01"}, "Ngày kết thúc sớm hơn ngày bắt đầu."),
    ({"status": "stolen"}, "Hãy chọn một trong các lựa chọn có trong danh sách."),
    ({"sort": "password"}, "Hãy chọn một trong các lựa chọn có trong danh sách."),
    ({"q": "x" * 201}, "Quá dài: tối đa 200 ký tự."),
    ({"q": "abc\x00def"}, "Không được dùng ký tự rỗng (NUL)."),
])
def test_bad_filters_give_a_vietnamese_message_not_an_error(world, owner, params, message):
    response = owner.get("/cases/", params)
    assert response.status_code == 200
    assert message in text(response)
    assert world.case.code not in text(response)


@pytest.mark.parametrize("page", ["abc", "0", "-4", "999999", "1e9", ""])
def test_odd_page_numbers_still_show_a_page(world, owner, page):
    response = owner.get("/cases/", {"page": page})
    assert response.status_code == 200
    assert world.case.code in text(response)
