"""Every page in English, at 1280 and 390 px: it fits a phone and axe-core finds
nothing serious or critical (how the scan works: tests/browser/page_scan.py)."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import POSTGRES
from tests.browser.page_scan import matrix_objects, scan_every_page

pytestmark = [
    pytest.mark.browser,
    # What the templates render does not depend on the database (docs/ci.md).
    pytest.mark.skipif(POSTGRES, reason="the page scan runs in the SQLite pass only"),
]

__all__ = ["matrix_objects"]


def test_it_fits_every_english_page_on_a_phone_and_axe_finds_nothing_serious(
    browser: Any, live_server: Any, matrix_objects: dict[str, Any], personas: Any
) -> None:
    scan_every_page(browser, live_server, matrix_objects, personas, "en")
