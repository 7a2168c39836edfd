"""Fixtures for the cross-cutting tests in this folder."""

from __future__ import annotations

from typing import Any

import pytest

# Test modules that open the privacy statement pages as a deployed site serves
# them: after `publish_statement` ran (pages never publish themselves).
NEED_A_PUBLISHED_STATEMENT = {"tests.test_authorisation_matrix"}


@pytest.fixture(autouse=True)
def _statement_published_as_after_deploy(request: Any) -> None:
    if request.module.__name__ in NEED_A_PUBLISHED_STATEMENT and (
        "db" in request.fixturenames or request.node.get_closest_marker("django_db")
    ):
        request.getfixturevalue("published_statement")
