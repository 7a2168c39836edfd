"""Shared fixtures: the personas of docs/conventions (alice, bob, carla, dave in
organisation A; charlie and friends in organisation B)."""

from __future__ import annotations

import copy
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from passend.common.scope import organisation_scope
from passend.demo.personas import Personas, ensure_personas

POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL; runs in the PostgreSQL pass of .ci/run")
    for item in items:
        if "postgres" in item.keywords and not POSTGRES:
            item.add_marker(skip_pg)


# Browser tests (tests/browser/, passend/web/tests/test_browser.py): Debian's
# chromium, driven by Playwright's sync API, which allows one instance per process.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One chromium for the whole session, shared by every browser test."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


@pytest.fixture
def personas(db: Any) -> Personas:
    return ensure_personas()


@pytest.fixture
def org_a(personas: Personas) -> Any:
    return personas.organisations["a"]


@pytest.fixture
def org_b(personas: Personas) -> Any:
    return personas.organisations["b"]


@pytest.fixture
def alice(personas: Personas) -> Any:
    return personas["alice"]


@pytest.fixture
def bob(personas: Personas) -> Any:
    return personas["bob"]


@pytest.fixture
def carla(personas: Personas) -> Any:
    return personas["carla"]


@pytest.fixture
def dave(personas: Personas) -> Any:
    return personas["dave"]


@pytest.fixture
def charlie(personas: Personas) -> Any:
    return personas["charlie"]


@pytest.fixture
def scope_a(org_a: Any) -> Iterator[Any]:
    with organisation_scope(org_a):
        yield org_a


@pytest.fixture
def scope_b(org_b: Any) -> Iterator[Any]:
    with organisation_scope(org_b):
        yield org_b


def client_for(user: Any, organisation: Any | None = None) -> Client:
    """A test client logged in as `user`, working in `organisation` if given."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    if organisation is not None:
        session = client.session
        session["passend_organisation"] = str(organisation.pk)
        session.save()
    return client


@pytest.fixture
def as_persona(personas: Personas) -> Any:
    def make(key: str, organisation: str = "") -> Client:
        org = personas.organisations[organisation] if organisation else None
        return client_for(personas[key], org)

    return make


@pytest.fixture(scope="session")
def statement_snapshot() -> dict[str, Any]:
    """The statement generated from the project's data map, built once per session
    (building it takes a noticeable fraction of a second; it needs no database)."""
    from passend.privacy.statement.generate import build_snapshot

    return build_snapshot()


@pytest.fixture
def published_statement(db: Any, statement_snapshot: dict[str, Any]) -> Any:
    """Version 1.0 of the privacy statement, as `manage.py publish_statement` stores it
    at deploy time. Published on 1 January 2026, before any persona joined, so it
    asks no one to acknowledge it. Pages only read it; they never publish."""
    from passend.privacy.statement.models import StatementVersion

    snapshot = copy.deepcopy(statement_snapshot)
    hashes = snapshot["hashes"]
    return StatementVersion.objects.create(
        major=1,
        minor=0,
        published_at=datetime(2026, 1, 1, tzinfo=UTC),
        map_hash=hashes["map"],
        recipients_hash=hashes["recipients"],
        facts_hash=hashes["facts"],
        source_hash=hashes["source"],
        snapshot=snapshot,
    )
