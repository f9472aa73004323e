"""API test helpers: persona clients whose every response is checked against the OpenAPI schema."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import jsonschema_rs
import pytest
from django.test import Client

from haven.accounts.services import token_create
from tests.conftest import login

SCHEMA_URL = "/api/openapi.json"


class SchemaChecker:
    """Validates a response against the operation's documented responses (Zulip-style)."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema
        self.routes: list[tuple[re.Pattern[str], str, dict[str, Any]]] = []
        # Literal paths before templated ones: /api/cases/search is not the case "search".
        for template in sorted(schema["paths"], key=lambda p: (p.count("{"), p)):
            regex = re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$")
            self.routes.append((regex, template, schema["paths"][template]))
        self._validators: dict[tuple[str, str, str], Any] = {}
        self.checked = 0

    def operation(self, method: str, path: str) -> dict[str, Any] | None:
        for regex, _template, item in self.routes:
            if regex.match(path):
                return item.get(method.lower())
        return None

    def validator(self, method: str, path: str, status: str, body_schema: dict[str, Any]) -> Any:
        key = (method, path, status)
        if key not in self._validators:
            root = {**body_schema, "components": self.schema["components"]}
            self._validators[key] = jsonschema_rs.Draft202012Validator(root)
        return self._validators[key]

    def check(self, method: str, path: str, response: Any) -> None:
        operation = self.operation(method, path)
        if operation is None:
            return  # unknown route or method: not part of the documented API
        status = str(response.status_code)
        responses = operation["responses"]
        assert status in responses, f"{method} {path} answered {status}, not documented ({sorted(responses)})"
        content = responses[status].get("content")
        if not content:
            assert not response.content, f"{method} {path} {status} has an undocumented body"
            return
        if "application/json" not in content:
            # A file (the rights statement PDF): the media type is what the schema promises.
            media_type = response.get("Content-Type", "").split(";")[0].strip()
            assert media_type in content, f"{method} {path} {status} answered {media_type}, not {sorted(content)}"
            self.checked += 1
            return
        body = json.loads(response.content)
        schema = content["application/json"]["schema"]
        errors = [e.message for e in self.validator(method, path, status, schema).iter_errors(body)]
        assert not errors, f"{method} {path} {status} does not match its schema: {errors[:3]}"
        self.checked += 1


@pytest.fixture(scope="session")
def openapi_schema() -> dict[str, Any]:
    response = Client().get(SCHEMA_URL)
    assert response.status_code == 200
    return response.json()


@pytest.fixture(scope="session")
def schema_checker(openapi_schema: dict[str, Any]) -> SchemaChecker:
    return SchemaChecker(openapi_schema)


class ApiClient:
    """A test client for one persona; JSON in, JSON out, every response schema-checked."""

    def __init__(self, client: Client, checker: SchemaChecker, headers: dict[str, str] | None = None) -> None:
        self.client = client
        self.checker = checker
        self.headers = headers or {}

    def request(self, method: str, path: str, body: Any = None, *, raw: bytes | str | None = None,
                headers: dict[str, str] | None = None, **query: Any) -> Any:
        call = getattr(self.client, method.lower())
        all_headers = {**self.headers, **(headers or {})}
        if method.upper() == "GET":
            response = call(path, query or None, headers=all_headers)
        else:
            data = raw if raw is not None else (json.dumps(body) if body is not None else None)
            if query:
                path = path + "?" + "&".join(f"{k}={v}" for k, v in query.items())
            response = call(path, data, content_type="application/json", headers=all_headers)
        self.checker.check(method.upper(), urlsplit(path).path, response)
        return response

    def get(self, path: str, **query: Any) -> Any:
        return self.request("GET", path, **query)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        return self.request("POST", path, body, **kwargs)

    def patch(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        return self.request("PATCH", path, body, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Any:
        return self.request("DELETE", path, **kwargs)


def bearer(user: Any) -> dict[str, str]:
    _token, plain = token_create(user=user, name="tests")
    return {"Authorization": f"Bearer {plain}"}


@pytest.fixture
def api(schema_checker: SchemaChecker) -> Callable[..., ApiClient]:
    """api(user) -> a client authenticated with a bearer token; api(user, auth="session") -> session;
    api(None) -> anonymous."""

    def make(user: Any, *, auth: str = "token", **client_kwargs: Any) -> ApiClient:
        client = Client(**client_kwargs)
        if user is None:
            return ApiClient(client, schema_checker)
        if auth == "session":
            return ApiClient(login(client, user), schema_checker)
        return ApiClient(client, schema_checker, bearer(user))

    return make
