"""Browser tests: Playwright for Python driving Debian's chromium.

They run against pytest-django's `live_server`. Without /usr/bin/chromium
(`apt-get install chromium`) they are skipped with that reason: Playwright's
own browser download cannot work on these machines, so Debian's is the only one.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import CHROMIUM

# Playwright's sync API runs an asyncio loop in this thread; Django would
# otherwise refuse ORM calls made by the test itself (fixtures, assertions).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
TIMEOUT_MS = 15_000


def browser_skip_reason(chromium: Path = CHROMIUM) -> str | None:
    """Why browser tests cannot run here, or None when they can."""
    if not chromium.exists():
        return (
            f"{chromium} is missing: browser tests need Debian's chromium "
            "(apt-get install chromium chromium-driver; .ci/run installs it as root)"
        )
    return None


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    reason = browser_skip_reason()
    if reason is None:
        return
    skip = pytest.mark.skip(reason=reason)
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: Any, call: Any) -> Generator[None, Any, Any]:
    # Keep each phase's outcome on the test, so `page` can tell that it failed.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def artifact_name(node_name: str) -> str:
    return re.sub(r"[^\w.-]+", "_", node_name)


@pytest.fixture
def page(browser: Any, live_server: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh browser context (no cookies) on the live server, English interface.

    When the test fails, the page as it stood is saved next to the step screenshots.
    """
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{artifact_name(request.node.name)}-failed.png"))
    context.close()


@pytest.fixture
def screenshot(page: Any, request: pytest.FixtureRequest) -> Callable[[str], Path]:
    """Save a numbered screenshot for this test into test-artifacts/browser/."""
    name = artifact_name(request.node.name)
    counter = {"step": 0}

    def take(step: str) -> Path:
        counter["step"] += 1
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}-{counter['step']:02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
