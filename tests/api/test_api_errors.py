"""The one error shape, whatever goes wrong, and the API's own pages."""

from __future__ import annotations

import pytest
from django.test import Client

from haven.core.api_errors import not_found_body

pytestmark = pytest.mark.django_db
SHAPE = {"detail", "code", "field"}


def test_an_unknown_path_under_api_is_the_same_json_404(world, api) -> None:
    for path in ("/api/nothing", "/api/cases/HV-26-ZZZZZZ/secrets", "/api/cases/x/y/z"):
        response = api(world.owner_caseworker).get(path)
        assert (response.status_code, response.json()) == (404, not_found_body())


def test_a_wrong_method_is_a_json_405(world, api) -> None:
    response = api(world.owner_caseworker).request("PUT", "/api/cases", {})
    assert response.status_code == 405
    assert set(response.json()) == SHAPE and response.json()["code"] == "method_not_allowed"
    assert "GET" in response["Allow"]


def test_the_api_root_points_to_the_docs(client: Client) -> None:
    assert client.get("/api/").json() == {"title": "Haven API", "docs": "/api/docs", "openapi": "/api/openapi.json"}
    assert client.post("/api/").status_code == 405


@pytest.mark.parametrize("path", ["/api/signoffs/0", "/api/signoffs/-1", "/api/signoffs/abc",
                                  "/api/signoffs/99999999999999999999999999"])
def test_an_impossible_id_is_a_422_in_the_shape(world, api, path: str) -> None:
    response = api(world.supervisor).post(path, {"decision": "approved"})
    assert response.status_code == 422
    assert set(response.json()) == SHAPE and response.json()["field"] == "signoff_id"


@pytest.mark.parametrize("code", ["HV 26", "x" * 33, "-HV", "HV%00"])
def test_a_malformed_case_code_is_a_422_before_any_lookup(world, api, code: str) -> None:
    response = api(world.owner_caseworker).get(f"/api/cases/{code}")
    assert response.status_code == 422 and response.json()["field"] == "code"


def test_a_huge_body_is_refused_in_the_shape(world, api, settings) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api(world.owner_caseworker).post("/api/cases", {"full_name": "A" * 5000})
    assert response.status_code == 400 and set(response.json()) == SHAPE


def test_no_exception_text_reaches_the_client(world, api) -> None:
    response = api(world.owner_caseworker).post("/api/cases", raw='{"full_name": "Đặng Thị Ngọc", ')
    assert response.status_code == 400
    assert "Đặng" not in response.content.decode() and "Expecting" not in response.content.decode()
