"""The case list at scale: the same cases as the search, in the same order, read in a few index walks;
a count capped at LIST_COUNT_CAP ("more than …", "page N of many"); a fixed number of queries a page."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from haven.cases import selectors
from haven.cases.selectors import case_list_page, case_search
from haven.cases.services import break_glass_open
from tests.factories import register
from tests.web.conftest import share_with_other_agency, text

NAMES = ["Nguyễn Thị Mai", "Trần Văn An", "Nguyễn Thị Hoa", "Giàng Thị Dợ", "Lê Thị Hoa", "Nguyễn Văn Hùng"]


@pytest.fixture
def caseload(world):  # noqa: ANN001, ANN201
    """Cases of two workers of the owning agency on several days (two on one day, to test the tie on id),
    one referred to the other agency with consent, one opened there by break glass."""
    days = ["2025-01-10", "2025-03-02", "2025-03-02", "2024-12-31", "2026-02-01", "2025-07-15"]
    cases = [world.case]
    for i, (name, day) in enumerate(zip(NAMES, days, strict=True)):
        worker = world.owner_caseworker if i % 2 == 0 else world.second_caseworker
        cases.append(register(worker, full_name=name, received_on=day, id_number=f"0031000000{i:02d}",
                              date_of_birth=f"199{i}-01-01"))
    share_with_other_agency(world)
    break_glass_open(acting_user=world.other_caseworker, code=cases[3].code,
                     reason="Cấp cứu tại bệnh viện tỉnh, cần liên hệ gia đình ngay.")
    return cases


def _every_page(user, query: str, filters: dict[str, str], *, oldest_first: bool, per_page: int) -> list[int]:  # noqa: ANN001
    ids, number = [], 1
    while True:
        page = case_list_page(user, query, filters, oldest_first=oldest_first, number=number, per_page=per_page)
        ids += [case.pk for case in page.object_list]
        if not page.has_next:
            return ids
        number += 1


@pytest.mark.parametrize("who", ["owner_caseworker", "second_caseworker", "supervisor", "other_caseworker",
                                 "other_supervisor"])
@pytest.mark.parametrize("query, filters", [
    ("", {}), ("nguyen thi", {}), ("hoa", {}), ("Đặng Thị Ngọc", {}), ("", {"sex": "male"}),
    ("", {"received_from": "2025-01-01", "received_to": "2025-12-31"}), ("thi", {"category": "under_identification"}),
])
def test_the_pages_hold_exactly_the_cases_the_search_finds_in_the_same_order(world, caseload, who, query, filters):  # noqa: ANN001
    user = getattr(world, who)
    for oldest_first in (False, True):
        order = ("received_on", "id") if oldest_first else ("-received_on", "-id")
        expected = list(case_search(user, query, **filters).order_by(*order).values_list("pk", flat=True))
        assert _every_page(user, query, filters, oldest_first=oldest_first, per_page=2) == expected


def test_each_way_in_is_listed(world, caseload):  # noqa: ANN001
    supervisor = {c.pk for c in case_list_page(world.supervisor, per_page=50).object_list}
    assert supervisor == {c.pk for c in caseload}
    own = {c.pk for c in case_list_page(world.second_caseworker, per_page=50).object_list}
    assert own == {c.pk for c in caseload if c.assigned_worker_id == world.second_caseworker.pk} and own
    # The other agency: the referred case (accepted, consent given) and the break-glass one, nothing else.
    other = {c.pk for c in case_list_page(world.other_caseworker, per_page=50).object_list}
    assert other == {world.case.pk, caseload[3].pk}


def test_the_count_is_exact_up_to_the_cap_and_more_than_the_cap_above(world, caseload):  # noqa: ANN001
    exact = case_list_page(world.supervisor, per_page=2)
    assert exact.count == len(caseload) and exact.num_pages == 4 and exact.has_next
    capped = case_list_page(world.supervisor, per_page=2, count_cap=5)
    assert capped.count is None and capped.num_pages is None and capped.cap == 5
    assert [c.pk for c in capped.object_list] == [c.pk for c in exact.object_list]


def test_pages_go_on_past_the_cap_and_a_page_past_the_end_is_the_last(world, caseload):  # noqa: ANN001
    past_cap = case_list_page(world.supervisor, per_page=2, number=3, count_cap=3)
    assert past_cap.number == 3 and past_cap.has_previous and past_cap.has_next and len(past_cap.object_list) == 2
    last = case_list_page(world.supervisor, per_page=2, number=4, count_cap=3)
    assert last.number == 4 and not last.has_next and len(last.object_list) == 1
    beyond = case_list_page(world.supervisor, per_page=2, number=99, count_cap=3)
    assert beyond.number == 4 and [c.pk for c in beyond.object_list] == [c.pk for c in last.object_list]
    far = case_list_page(world.supervisor, per_page=2, number=10 ** 9)
    assert far.number == 4


def test_the_page_says_more_than_the_cap_and_page_n_of_many(world, caseload, supervisor, monkeypatch):  # noqa: ANN001
    monkeypatch.setattr(selectors, "LIST_COUNT_CAP", 3)
    monkeypatch.setattr("haven.cases.views.CASES_PER_PAGE", 2)
    response = supervisor.get("/cases/", {"page": 1})
    page = response.context["page"]
    assert page.count is None and page.cap == 3 and page.has_next
    body = text(response)
    assert 'rel="next"' in body and 'rel="prev"' not in body
    assert not re.search(r"Trang 1 / \d", body)  # no total when it is not known
    second = supervisor.get("/cases/", {"page": 2}).context["page"]
    assert second.number == 2 and second.has_previous


def test_a_search_that_finds_nothing_says_so(world, caseload, owner):  # noqa: ANN001
    response = owner.get("/cases/", {"q": "khong ai ten nay"})
    assert response.context["page"].count == 0
    assert "Không có hồ sơ phù hợp" in text(response)


def test_a_page_costs_the_same_queries_whatever_its_size(world, supervisor):  # noqa: ANN001
    def queries() -> int:
        supervisor.get("/cases/")  # sessions and caches settle
        with CaptureQueriesContext(connection) as captured:
            assert supervisor.get("/cases/").status_code == 200
        return len(captured)

    one = queries()
    for i, name in enumerate(NAMES * 3):
        register(world.owner_caseworker, full_name=name, id_number=f"0032000000{i:02d}", date_of_birth="1990-01-01")
    assert queries() == one
    with CaptureQueriesContext(connection) as captured:
        supervisor.get("/cases/", {"q": "nguyen thi"})
    assert len(captured) <= one + 3  # the code and ID-number probes of a search, at most


def test_sorting_by_name_still_sorts_the_whole_bounded_result_across_pages(world, caseload, owner, monkeypatch):  # noqa: ANN001
    monkeypatch.setattr("haven.cases.views.CASES_PER_PAGE", 2)
    first = text(owner.get("/cases/", {"sort": "name", "page": 1}))
    second = text(owner.get("/cases/", {"sort": "name", "page": 2}))
    # The owner caseworker's four cases by given name in Vietnamese order: Hoa, Hoa, then Mai, Ngọc.
    assert "Lê Thị Hoa" in first and "Nguyễn Thị Hoa" in first
    assert second.index("Nguyễn Thị Mai") < second.index("Đặng Thị Ngọc")
    assert "Hoa" not in second.split("<tbody>")[1]


def test_a_search_counts_up_to_its_own_smaller_cap(world, caseload, monkeypatch):  # noqa: ANN001
    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 2)
    assert case_list_page(world.supervisor, per_page=2).count == len(caseload)
    search = case_list_page(world.supervisor, "thi", per_page=2)
    assert search.count is None and search.cap == 2 and search.has_next
    assert case_list_page(world.supervisor, "hoa", per_page=2).count == 2  # no more than the cap: exact


def test_words_alone_are_not_also_looked_up_as_an_id_number(caseload, world) -> None:  # noqa: ANN001
    with CaptureQueriesContext(connection) as words:
        case_list_page(world.owner_caseworker, "nguyen thi mai")
    with CaptureQueriesContext(connection) as number:
        found = case_list_page(world.owner_caseworker, "003100000002")
    assert not any("id_number_bidx" in q["sql"] for q in words.captured_queries)
    assert any("id_number_bidx" in q["sql"] for q in number.captured_queries)
    assert [c.code for c in found.object_list] == [caseload[3].code]


def test_postgresql_knows_that_a_worker_and_their_agency_go_together(db) -> None:  # noqa: ANN001
    from django.db.migrations.recorder import MigrationRecorder

    assert MigrationRecorder(connection).migration_qs.filter(app="cases", name="0006_caseload_statistics").exists()
    if connection.vendor == "postgresql":  # SQLite has no extended statistics; the migration does nothing there
        with connection.cursor() as cursor:
            cursor.execute("SELECT stxkind FROM pg_statistic_ext WHERE stxname = 'cases_case_worker_agency_stats'")
            row = cursor.fetchone()
            assert row is not None and set(row[0]) == {"d", "f"}  # distinct counts, functional dependencies


def test_the_index_walks_run_without_parallel_workers_and_put_the_setting_back(caseload, world) -> None:  # noqa: ANN001
    with connection.cursor() as cursor:
        before = _setting(cursor)
    with CaptureQueriesContext(connection) as seen:
        page = case_list_page(world.supervisor, "nguyen thi")
    statements = [q["sql"] for q in seen.captured_queries]
    assert len(page.object_list) == 2
    if connection.vendor == "postgresql":
        first_walk = next(i for i, sql in enumerate(statements) if "cases_case" in sql)
        assert any("set_config('max_parallel_workers_per_gather', '0', true)" in sql and "set_config('jit', 'off'" in sql
                   for sql in statements[:first_walk])
        with connection.cursor() as cursor:
            assert _setting(cursor) == before
    else:
        assert not any("max_parallel" in sql for sql in statements)


def _setting(cursor) -> str | None:  # noqa: ANN001
    """Parallel workers and JIT as set for this session."""
    if connection.vendor != "postgresql":
        return None
    cursor.execute("SELECT current_setting('max_parallel_workers_per_gather') || ' ' || current_setting('jit')")
    return cursor.fetchone()[0]
