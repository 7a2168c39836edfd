"""Small HTML checks the web tests share: labels, inline code, landmarks."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict[str, Any]]]:
    parser = _Collector()
    parser.feed(html)
    return parser.tags


def unlabelled_controls(html: str) -> list[str]:
    """Names of form controls that no <label for> points at (hidden inputs and buttons aside)."""
    found = tags(html)
    labelled = {attrs.get("for") for tag, attrs in found if tag == "label"}
    missing = []
    for tag, attrs in found:
        if tag not in ("input", "select", "textarea"):
            continue
        if attrs.get("type") in ("hidden", "submit", "button"):
            continue
        if attrs.get("id") not in labelled and not attrs.get("aria-label"):
            missing.append(str(attrs.get("name") or attrs.get("id")))
    return missing


def inline_code(html: str) -> list[str]:
    """Scripts without src and style attributes or elements: the CSP would block them."""
    problems = []
    for tag, attrs in tags(html):
        if tag == "script" and not attrs.get("src"):
            problems.append("inline <script>")
        if tag == "style":
            problems.append("<style> element")
        if "style" in attrs:
            problems.append(f"style attribute on <{tag}>")
        if any(name.startswith("on") for name in attrs):
            problems.append(f"event handler attribute on <{tag}>")
    return problems


def main_part(html: str) -> str:
    start = html.index("<main")
    return html[start : html.index("</main>", start)]
