"""Print the data map: `manage.py datamap [--format table|json] [--personal-only]`."""

from __future__ import annotations

import re
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from passend.privacy.datamap import DataMap, default_map

COLUMNS = (
    "model", "field", "subject", "category", "purposes", "basis",
    "retention", "sensitive", "recipients", "erasure",
)  # fmt: skip


def period_text(period: str) -> str:
    """ "P30D" -> "30 days"; other ISO 8601 durations as they are."""
    match = re.fullmatch(r"P(\d+)D", period)
    if match is None:
        return period
    days = int(match.group(1))
    return "1 day" if days == 1 else f"{days} days"


def retention_text(retention: dict[str, Any] | None) -> str:
    if retention is None:
        return "-"
    period = period_text(retention["period"])
    text = f"{retention['trigger']} + {period}: {retention['action']}"
    if retention["legal_obligation"]:
        text += f" ({retention['legal_obligation']})"
    return text


def table_rows(data: dict[str, Any]) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for label, model in data["models"].items():
        for name, field in model["fields"].items():
            if not field["personal"]:
                rows.append((label, name, "not personal", "", "", "", "", "", "", ""))
                continue
            rows.append(
                (
                    label,
                    name,
                    field["subject"] or "-",
                    field["category"],
                    ", ".join(field["purposes"]) or "-",
                    field["basis"] or "-",
                    retention_text(field["retention"]),
                    f"yes ({field['protection'] or '-'})" if field["sensitive"] else "no",
                    ", ".join(field["recipients"]) or "-",
                    field["erasure"] or "-",
                )
            )
    return rows


def render_table(rows: list[tuple[str, ...]]) -> str:
    widths = [len(c) for c in COLUMNS]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    out = [line(COLUMNS), line(tuple("-" * w for w in widths))]
    out.extend(line(row) for row in rows)
    return "\n".join(out)


class Command(BaseCommand):
    help = "Print the data map: every declared field with its subject, category, purposes, "
    help += "legal basis, retention, sensitivity, recipients and erasure."

    # The map must be readable even when the check finds gaps in it.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=["table", "json"], default="table")
        parser.add_argument(
            "--personal-only", action="store_true", help="Only fields holding personal data."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        datamap: DataMap = default_map()
        personal_only: bool = options["personal_only"]
        if options["format"] == "json":
            self.stdout.write(datamap.as_json(personal_only=personal_only, indent=2))
            return
        rows = table_rows(datamap.as_dict(personal_only=personal_only))
        self.stdout.write(render_table(rows))
        self.stdout.write(f"\n{len(rows)} fields; map hash {datamap.map_hash()}")
