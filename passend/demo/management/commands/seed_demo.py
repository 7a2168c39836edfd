"""`manage.py seed_demo`: load the personas and the demo data (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from passend.demo.management.demo import DEMO_DOMAIN, SEED, seed_demo
from passend.demo.personas import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Create the demo organisations, personas, companies and people; safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed",
            type=int,
            default=SEED,
            help="Seed for the generated names (default: %(default)s).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = seed_demo(seed=options["seed"])
        header = ("E-mail", "Role", "Organisation")
        rows = [header, *result.logins]
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Log in as:"))
        for index, row in enumerate(rows):
            line = "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write("  " + line.rstrip())
            if index == 0:
                self.stdout.write("  " + "  ".join("-" * width for width in widths))
        self.stdout.write(f"Password for every demo login: {DEMO_PASSWORD}")
        self.stdout.write(
            f"{result.demo_users} more demo people (addresses @{DEMO_DOMAIN}) use it too."
        )
