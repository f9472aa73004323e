"""The OpenAPI schema: precise, served without a CDN, and no generated input produces a server error."""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error, response_schema_conformance, status_code_conformance

from haven.accounts.models import Role
from haven.accounts.services import token_create
from haven.cases.models import Category, Sex, Status
from haven.cases.selectors import Need, access_case
from haven.consent.models import Purpose
from haven.entitlements.services import application_create
from haven.wsgi import application

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


def _component(openapi_schema: dict[str, Any], name: str) -> dict[str, Any]:
    return openapi_schema["components"]["schemas"][name]


@pytest.mark.parametrize("name,choices", [("Status", Status), ("Category", Category), ("Sex", Sex),
                                          ("Role", Role), ("Purpose", Purpose)])
def test_choices_are_enums_in_the_schema(openapi_schema, name, choices) -> None:
    assert _component(openapi_schema, name)["enum"] == list(choices.values)


def test_transitions_are_a_tagged_union(openapi_schema) -> None:
    body = openapi_schema["paths"]["/api/cases/{code}/transitions"]["post"]["requestBody"]["content"]
    union = body["application/json"]["schema"]
    assert union["discriminator"]["propertyName"] == "action"
    assert set(union["discriminator"]["mapping"]) == {
        "start_verification", "identify", "not_victim", "start_support", "start_reintegration", "close"}


def test_every_operation_documents_its_errors_in_the_one_shape(openapi_schema) -> None:
    for path, item in openapi_schema["paths"].items():
        for method, operation in item.items():
            assert "401" in operation["responses"], (method, path)
            for status, response in operation["responses"].items():
                if status.startswith("4") and status != "409":
                    assert response["content"]["application/json"]["schema"] == {
                        "$ref": "#/components/schemas/ErrorOut"}, (method, path, status)


def test_the_schema_advertises_bearer_and_session_authentication(openapi_schema) -> None:
    schemes = openapi_schema["components"]["securitySchemes"]
    assert schemes["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    assert schemes["SessionAuth"]["in"] == "cookie"


def test_the_docs_page_loads_nothing_from_another_site(client) -> None:
    response = client.get("/api/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page and "/static/ninja/swagger-ui.css" in page
    for marker in ("http://", "https://", "//cdn", "unpkg", "jsdelivr"):
        assert marker not in page
    assert '"validatorUrl": null' in page


def test_the_schema_is_served_to_anyone(client) -> None:
    assert client.get("/api/openapi.json").json()["info"]["title"] == "Haven API"


# --- Schemathesis: generated requests against every operation -------------------------------------


@pytest.fixture
def wsgi_requests_in_the_test_transaction():  # noqa: ANN201
    # Django's test client does this too: closing "old" connections at each request would close
    # the connection holding the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def supervisor_headers(world) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_create(user=world.supervisor, name='schemathesis')[1]}"}


@pytest.fixture
def open_application(world) -> int:
    own = access_case(world.owner_caseworker, case_id=world.case.pk, need=Need.EDIT)
    return application_create(access=own, item="education", received_on=world.case.received_on).pk


CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


# Examples per operation; CI can raise it (HAVEN_API_FUZZ_EXAMPLES=100) for a longer hunt.
FUZZ_EXAMPLES = int(os.environ.get("HAVEN_API_FUZZ_EXAMPLES", "8"))


@schema.parametrize()
@hypothesis_settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_generated_request_produces_a_server_error(case, world, supervisor_headers, open_application,
                                                      wsgi_requests_in_the_test_transaction) -> None:
    case.call_and_validate(headers=supervisor_headers, checks=CHECKS)
    if "code" in (case.path_parameters or {}):
        # Random codes and ids only reach the 404; the supervisor's real case and application reach the services.
        case.path_parameters["code"] = world.case.code
        if "application_id" in case.path_parameters:
            case.path_parameters["application_id"] = open_application
        case.call_and_validate(headers=supervisor_headers, checks=CHECKS)


def test_no_two_response_schemas_share_a_name():
    """django-ninja names schema components by class name: two classes with one name would silently
    describe one area's responses with another's fields."""
    import ast
    from collections import Counter
    from pathlib import Path

    names: Counter[str] = Counter()
    for path in (Path(__file__).resolve().parents[2] / "haven").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(getattr(b, "id", "") == "Schema" for b in node.bases):
                names[node.name] += 1
    assert [name for name, n in names.items() if n > 1] == []
