"""The harness itself: when browser tests run and why they skip."""

from __future__ import annotations

from pathlib import Path

from tests.browser.conftest import artifact_name, browser_skip_reason


def test_it_explains_how_to_get_chromium_when_it_is_missing(tmp_path: Path) -> None:
    reason = browser_skip_reason(tmp_path / "chromium")

    assert reason is not None
    assert str(tmp_path / "chromium") in reason
    assert "apt-get install chromium" in reason


def test_it_runs_browser_tests_when_chromium_is_there(tmp_path: Path) -> None:
    chromium = tmp_path / "chromium"
    chromium.write_text("")

    assert browser_skip_reason(chromium) is None


def test_it_names_screenshots_safely_after_the_test() -> None:
    assert artifact_name("test_it_x[a/b c]") == "test_it_x_a_b_c_"
