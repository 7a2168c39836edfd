"""Scanning every page each persona can open, in a real browser: it fits a
390 px phone without scrolling sideways, and axe-core finds no serious or
critical accessibility violation on it, at 1280 and 390 px.

The pages are the authorisation matrix's: every route whose GET answers 200
to the persona (tests/test_authorisation_matrix.py), once per persona, with
the matrix's objects of organisation A. Downloads and htmx fragments (no
doctype) are not pages and are left out.

axe-core comes from the axe-playwright-python wheel (a dev dependency), never
from the network. The pages send a strict Content-Security-Policy, so the
scan runs in a browser context created with `bypass_csp=True`; that context
is for the scan only. A scan that could not inject axe fails: each run must
report axe's version and some passing rules.

Each language is its own test module (test_every_page_nl.py and _en.py), so
the two halves run side by side on the suite's two workers. Within one
language: one browser, one context per persona; each page is loaded once and
scanned at both widths by resizing the viewport. A route every visitor may
open (the privacy statement, public account pages) is scanned once, as the
anonymous visitor; a route every signed-in persona may open (account
settings, "my data", the taxonomy) once, as the candidate, whose pages hold
the most.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError

from conftest import client_for
from passend.demo.personas import ensure_personas
from tests.test_authorisation_matrix import (
    ADMIN,
    ANON,
    CAND,
    EMP,
    LIBRARY_ROUTES,
    PERSONA,
    PRO,
    ROUTES,
    objects_of_a,
)

PHONE, DESKTOP = 390, 1280
HEIGHT = 844
SERIOUS = {"serious", "critical"}


@dataclass
class Finding:
    url: str
    language: str
    width: int
    what: str

    def __str__(self) -> str:
        return f"{self.url} [{self.language}, {self.width} px]: {self.what}"


def routes_for(visitor: str) -> list[str]:
    """Every route whose GET answers 200 to `visitor`; a page all visitors
    see alike only for the anonymous one, a page all members see alike only for
    the candidate (the home page differs per role: it is everyone's)."""
    names = []
    for table in (ROUTES, LIBRARY_ROUTES):
        for name, row in table.items():
            if row.get is None or row.get.get(visitor) != 200:
                continue
            members_alike = all(row.get.get(other) == 200 for other in (ADMIN, PRO, EMP, CAND))
            if members_alike and row.get.get(ANON) == 200 and visitor != ANON:
                continue
            if members_alike and visitor not in (ANON, CAND) and name != "web:home":
                continue
            names.append(name)
    return names


def url_of(name: str, objects: dict[str, Any]) -> str:
    row = ROUTES.get(name) or LIBRARY_ROUTES[name]
    return reverse(name, kwargs=row.kwargs(objects) if row.kwargs else None)


def scan(page: Any) -> dict[str, Any]:
    """Run axe-core on the page as it stands; fail if axe did not run."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    result = page.evaluate(
        "axe.run(document, {resultTypes: ['violations']})"
        ".then(r => ({version: r.testEngine.version, passes: r.passes.length,"
        " violations: r.violations.map(v => ({id: v.id, impact: v.impact,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))}))"
    )
    assert result["version"], "axe-core did not run: no engine version"
    assert result["passes"] > 0, "axe-core did not run: no rule passed"
    return result


def check_page(page: Any, url: str, language: str, findings: list[Finding]) -> bool:
    """Load `url` and check it at both widths; False when it is no page to check."""
    page.set_viewport_size({"width": PHONE, "height": HEIGHT})
    try:
        response = page.goto(url)
    except PlaywrightError as error:  # a download is not a page
        if "Download is starting" in str(error):
            return False
        raise
    if response is None or response.status != 200 or not page.evaluate("document.doctype !== null"):
        return False
    for width in (PHONE, DESKTOP):
        page.set_viewport_size({"width": width, "height": HEIGHT})
        if width == PHONE:
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > PHONE:
                wide = page.evaluate(
                    """() => [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > innerWidth + 1
                      && !e.closest('[data-scroll-region]'))
                    .slice(0, 3).map(e => e.tagName.toLowerCase()
                      + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : ''))"""
                )
                findings.append(Finding(url, language, width, f"{scroll_width} px wide: {wide}"))
        for violation in scan(page)["violations"]:
            if violation["impact"] in SERIOUS:
                what = f"axe {violation['impact']} {violation['id']}: {violation['nodes']}"
                findings.append(Finding(url, language, width, what))
    return True


@pytest.fixture
def matrix_objects(
    transactional_db: Any, published_statement: Any, settings: Any, tmp_path: Any
) -> dict[str, Any]:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return objects_of_a(ensure_personas())


def scan_every_page(
    browser: Any, live_server: Any, objects: dict[str, Any], personas: Any, language: str
) -> None:
    """Check every page of every persona in `language`; fail listing each finding."""
    findings: list[Finding] = []
    checked = 0
    for visitor in (ANON, ADMIN, PRO, EMP, CAND):
        cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language}]
        if visitor != ANON:
            client = client_for(personas[PERSONA[visitor]], personas.organisations["a"])
            session = client.cookies[settings.SESSION_COOKIE_NAME].value
            cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": session})
        # bypass_csp: axe is injected as a script, which the pages' CSP forbids.
        context = browser.new_context(base_url=live_server.url, bypass_csp=True)
        context.add_cookies([{**cookie, "url": live_server.url} for cookie in cookies])
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            for name in routes_for(visitor):
                checked += check_page(page, url_of(name, objects), language, findings)
        finally:
            context.close()
    assert checked >= 60, f"only {checked} pages were checked"
    assert [str(f) for f in findings] == []
