"""Shared helpers for the API tests."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from passend.api import services
from passend.api.models import ApiToken


def make_token(user: Any, organisation: Any, *, days: int = 30, name: str = "script") -> str:
    _token, raw = services.api_token_create(
        user=user, organisation=organisation, name=name, expires_in_days=days
    )
    return raw


def token_of(raw: str) -> ApiToken:
    token = ApiToken.objects.by_key(raw)
    assert token is not None
    return token


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def get(path: str, raw: str | None = None, client: Client | None = None) -> Any:
    """GET `path` with the token `raw` (if any); the test client's response."""
    client = client or Client()
    headers = bearer(raw) if raw is not None else {}
    return client.get(path, **headers)  # type: ignore[arg-type]


def problem(response: Any) -> dict[str, Any]:
    """The body of a problem response, after checking its shape (RFC 9457)."""
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = json.loads(response.content)
    assert {"type", "title", "status", "detail", "instance"} <= body.keys()
    assert body["status"] == response.status_code
    assert body["type"] == "about:blank"
    assert body["title"]
    assert body["detail"]
    return body
