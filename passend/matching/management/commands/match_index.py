"""Rebuild the matching index of one organisation or all, with a progress bar."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from passend.candidates.models import CandidateProfile
from passend.common.scope import organisation_scope
from passend.matching import engine
from passend.matching.index import index_candidates, index_vacancies
from passend.tenancy.models import Organisation
from passend.vacancies.models import Vacancy


class Progress:
    """A one-line bar on stderr: `label [#####.....] done/total`."""

    def __init__(self, label: str, total: int, stream: Any = None, width: int = 30) -> None:
        self.label, self.total, self.width = label, total, width
        self.stream = stream or sys.stderr
        self.done = 0
        self.started = time.monotonic()
        self._draw()

    def __call__(self, step: int) -> None:
        self.done += step
        self._draw()

    def _draw(self) -> None:
        filled = self.width * self.done // self.total if self.total else self.width
        rate = self.done / max(time.monotonic() - self.started, 1e-6)
        self.stream.write(
            f"\r{self.label:<11} [{'#' * filled}{'.' * (self.width - filled)}] "
            f"{self.done}/{self.total} ({rate:.0f}/s)"
        )
        if self.done >= self.total:
            self.stream.write("\n")
        self.stream.flush()


class Command(BaseCommand):
    help = "Rebuild the matching index (features and embeddings) of candidates and vacancies."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", help="Slug of one organisation (default: all).")

    def handle(self, *args: Any, **options: Any) -> None:
        organisations = Organisation.objects.order_by("slug")
        if options["organisation"]:
            organisations = organisations.filter(slug=options["organisation"])
            if not organisations.exists():
                raise CommandError(f"No organisation {options['organisation']!r}.")
        total = 0
        for organisation in organisations:
            with organisation_scope(organisation):
                profiles = list(CandidateProfile.objects.order_by("pk"))
                vacancies = list(Vacancy.objects.order_by("pk"))
                stream = self.stderr._out
                total += index_candidates(
                    profiles,
                    progress=Progress(f"{organisation.slug}: candidates", len(profiles), stream),
                )
                total += index_vacancies(
                    vacancies,
                    progress=Progress(f"{organisation.slug}: vacancies", len(vacancies), stream),
                )
        engine.forget_pools()
        self.stdout.write(self.style.SUCCESS(f"Indexed {total} profiles and vacancies."))
