"""The API's authorisation matrix: every operation x every kind of caller.

Callers: anonymous, each role in organisation A (alice admin, bob career
advisor, dave employer, carla candidate) and charlie, admin of organisation
B, each once with a personal access token and once with the browser session.
A new operation without a row fails `test_it_has_a_row_for_every_operation`.
Charlie works in B: whatever he may see, nothing of A may appear in it.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from conftest import client_for
from passend.api.api import api_operations
from passend.api.tests.helpers import make_token, problem

ANON, ADMIN, PRO, EMP, CAND, OTHER = (
    "anon",
    "admin",
    "professional",
    "employer",
    "candidate",
    "other",
)
VISITORS = [ANON, ADMIN, PRO, EMP, CAND, OTHER]
PERSONA = {ADMIN: ("alice", "a"), PRO: ("bob", "a"), EMP: ("dave", "a"), CAND: ("carla", "a")}
PERSONA[OTHER] = ("charlie", "b")


def signed_in(status: int) -> dict[str, int]:
    return {ANON: 401, **dict.fromkeys([ADMIN, PRO, EMP, CAND, OTHER], status)}


def admins(status: int = 200, others: int = 403) -> dict[str, int]:
    return {ANON: 401, ADMIN: status, PRO: others, EMP: others, CAND: others, OTHER: status}


MATRIX: dict[tuple[str, str], dict[str, int]] = {
    ("GET", "/api/v1/me"): signed_in(200),
    ("GET", "/api/v1/memberships"): signed_in(200),
    ("GET", "/api/v1/organisation"): signed_in(200),
    ("GET", "/api/v1/organisation/members"): admins(),
}

CASES = [
    (method, path, visitor, how)
    for method, path in MATRIX
    for visitor in VISITORS
    for how in (["token", "session"] if visitor != ANON else ["none"])
]


def test_it_has_a_row_for_every_operation(db: Any) -> None:
    assert sorted(MATRIX) == api_operations()


def call(personas: Any, method: str, path: str, visitor: str, how: str) -> Any:
    if visitor == ANON:
        return Client().generic(method, path)
    key, org_key = PERSONA[visitor]
    user, organisation = personas[key], personas.organisations[org_key]
    if how == "token":
        raw = make_token(user, organisation)
        return Client().generic(method, path, headers={"Authorization": f"Bearer {raw}"})
    return client_for(user, organisation).generic(method, path)


@pytest.mark.parametrize(("method", "path", "visitor", "how"), CASES)
def test_it_answers_each_caller_as_the_matrix_says(
    personas: Any, method: str, path: str, visitor: str, how: str
) -> None:
    response = call(personas, method, path, visitor, how)

    assert response.status_code == MATRIX[method, path][visitor]
    if response.status_code >= 400:
        problem(response)
    if visitor == OTHER:
        content = response.content.decode()
        assert personas.organisations["a"].name not in content
        assert "alice@passend.test" not in content
