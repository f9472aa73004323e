"""Query counts: the case list must not grow a query per row (beyond the audited name reads)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import register

pytestmark = pytest.mark.django_db


def _with_cases(world, n: int) -> None:  # noqa: ANN001
    for i in range(n - 1):
        register(world.owner_caseworker, full_name=f"Thào Thị Mỷ {i}", received_on="2026-02-01")


def _queries(client, path: str, **query) -> int:  # noqa: ANN001
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, **query).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("n", [1, 25])
def test_the_case_list_without_names_takes_a_fixed_number_of_queries(world, api, django_assert_max_num_queries,
                                                                      n: int) -> None:
    _with_cases(world, n)
    client = api(world.supervisor)
    # Token look-up, token touch, the other ways in (referrals, break glass), the own cases' index walk, the
    # page's rows; on PostgreSQL also parallel workers and JIT off and back, in a savepoint here (a transaction
    # of its own outside tests): the same for 1 case and for 25.
    with django_assert_max_num_queries(5 + (4 if connection.vendor == "postgresql" else 0)):
        assert len(client.get("/api/cases", names="false", limit=25).json()["items"]) == n


def test_the_case_list_with_names_grows_only_by_the_audited_name_reads(world, api) -> None:
    _with_cases(world, 20)
    client = api(world.supervisor)
    few = _queries(client, "/api/cases", limit=5)
    many = _queries(client, "/api/cases", limit=20)
    # names_for_cases re-checks access, decrypts and audits each name (one audit event per case):
    # that is the per-row cost, and the only one. If it grows, a row is loading something lazily.
    per_row = (many - few) / 15
    assert per_row <= 7, per_row


def test_search_by_name_takes_a_fixed_number_of_queries(world, api, django_assert_max_num_queries) -> None:
    _with_cases(world, 10)
    client = api(world.supervisor)
    with django_assert_max_num_queries(10):
        client.post("/api/cases/search", {"q": "Thào Thị Mỷ", "names": False})
