"""The OpenAPI schema, the offline docs page, and the list of operations."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.staticfiles import finders
from django.test import Client, override_settings

from passend.api.api import HTTP_METHODS, api, api_operations
from passend.api.checks import API_MIDDLEWARE, SCOPE_MIDDLEWARE, check_api_middleware
from passend.api.tests.test_api_matrix import MATRIX

# Every operation has a row in the API's authorisation matrix, so that table
# is the list of what the API offers.
EXPECTED = sorted(MATRIX)


def routed_operations() -> set[tuple[str, str]]:
    """Every operation the routers serve, read from ninja's routing, not the schema."""
    found = set()
    for bound in api._get_bound_routers():
        for path, path_view in bound.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    full = "/api/v1/" + "/".join(p for p in (bound.prefix, path) if p)
                    found.add(
                        (method, re.sub(r"/+", "/", full).replace("<", "{").replace(">", "}"))
                    )
    return found


def test_it_lists_every_operation(db: Any) -> None:
    assert api_operations() == EXPECTED


def test_it_puts_every_routed_operation_in_the_schema(db: Any) -> None:
    assert set(api_operations()) == routed_operations()


def test_it_serves_the_schema_to_anyone(db: Any) -> None:
    response = Client().get("/api/v1/openapi.json")

    assert response.status_code == 200
    schema = response.json()
    listed = sorted(
        (method.upper(), path)
        for path, item in schema["paths"].items()
        for method in item
        if method in HTTP_METHODS
    )
    assert listed == EXPECTED


def test_it_documents_auth_and_problems_on_every_operation(db: Any) -> None:
    schema = Client().get("/api/v1/openapi.json").json()

    assert schema["components"]["securitySchemes"]["TokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }
    assert schema["components"]["securitySchemes"]["SessionAuth"]["in"] == "cookie"
    for path, item in schema["paths"].items():
        for operation in item.values():
            assert operation["operationId"]
            assert operation["summary"]
            if path.startswith("/api/v1/public/"):
                # The public feed of published vacancies: no token, said so.
                assert "security" not in operation
            else:
                assert {"TokenAuth": []} in operation["security"]
            successes = [code for code in operation["responses"] if code.startswith("2")]
            assert successes, operation["operationId"]
            for code in successes:
                content = operation["responses"][code].get("content", {})
                # 204 has no body; a download is a file, not JSON.
                is_file = "download" in operation["operationId"]
                assert code == "204" or is_file or content, operation["operationId"]
            for status in ("401", "429"):
                content = operation["responses"][status]["content"]
                assert list(content) == ["application/problem+json"]


def test_it_serves_the_docs_page_without_external_addresses(db: Any) -> None:
    response = Client().get("/api/v1/docs")

    html = response.content.decode()
    assert response.status_code == 200
    assert "http://" not in html
    assert "https://" not in html
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert any(a.endswith("swagger-ui.css") for a in assets)
    for asset in assets:
        assert asset.startswith("/static/")
        assert finders.find(asset.removeprefix("/static/")) is not None


def test_it_lets_the_docs_page_run_its_local_scripts(db: Any) -> None:
    response = Client().get("/api/v1/docs")

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "http" not in policy


def test_it_checks_that_the_api_middleware_follows_the_scope_middleware(settings: Any) -> None:
    middleware = list(settings.MIDDLEWARE)
    without = [m for m in middleware if m != API_MIDDLEWARE]
    misplaced = [*without, API_MIDDLEWARE]

    assert check_api_middleware() == []
    with override_settings(MIDDLEWARE=without):
        assert [e.id for e in check_api_middleware()] == ["passend_api.E001"]
    with override_settings(MIDDLEWARE=misplaced):
        assert [e.id for e in check_api_middleware()] == ["passend_api.E002"]
    assert middleware.index(API_MIDDLEWARE) == middleware.index(SCOPE_MIDDLEWARE) + 1
