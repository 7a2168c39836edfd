"""`manage.py grow_demo`: grow a demo organisation to many candidates, fast (idempotent)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from passend.demo.management.demo import SEED
from passend.demo.management.growth import CASELOAD, grow_organisation
from passend.demo.personas import ORGANISATIONS
from passend.tenancy.models import Organisation


class Command(BaseCommand):
    help = (
        "Add demo candidates with histories (profile, trajectory, tasks, notes, "
        "appointments) to an organisation until it has --candidates of them. "
        "Run seed_demo first; safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--candidates",
            type=int,
            default=10_000,
            help="How many candidates the organisation should have (default: %(default)s).",
        )
        parser.add_argument(
            "--organisation",
            default=ORGANISATIONS["a"]["slug"],
            help="Slug of the organisation to grow (default: %(default)s).",
        )
        parser.add_argument(
            "--rich",
            type=int,
            default=1,
            help="How many of the grown candidates get a two-year history (default: %(default)s).",
        )
        parser.add_argument(
            "--caseload",
            type=int,
            default=CASELOAD,
            help="Candidates per career advisor: advisors are added to match "
            "(default: %(default)s).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=SEED,
            help="Seed for the generated people (default: %(default)s).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(
                f"No organisation {options['organisation']!r}: run `manage.py seed_demo` first."
            )
        if options["candidates"] < 0 or options["rich"] < 0:
            raise CommandError("--candidates and --rich cannot be negative.")
        if options["caseload"] < 1:
            raise CommandError("--caseload must be at least 1.")
        started = time.perf_counter()

        def progress(done: int, total: int) -> None:
            if options["verbosity"] >= 2:
                self.stdout.write(f"  {done}/{total}")

        try:
            result = grow_organisation(
                organisation,
                candidates=options["candidates"],
                rich=options["rich"],
                seed=options["seed"],
                caseload=options["caseload"],
                progress=progress,
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{organisation.name}: {result.after} candidates "
                f"({result.created} added, and {result.advisors_added} career advisors, "
                f"in {time.perf_counter() - started:.1f} s)."
            )
        )
