"""`manage.py load_esco [PATH] [--force]`: import ESCO (docs/taxonomy.md)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from passend.taxonomy.services import EscoDataError, load_esco


class Command(BaseCommand):
    help = (
        "Import ESCO occupations, skills, ISCO and skill groups, labels and relations. "
        "Without PATH: the bundle shipped with Passend (or settings.ESCO_DATA_DIR when "
        "set), skipped when it is already loaded. PATH may be a bundle (.tar.xz) or a "
        "folder with the compact bilingual set or the official ESCO CSV download, plain "
        "or gzipped. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", nargs="?", help="a bundle (.tar.xz) or a folder with ESCO CSV files"
        )
        parser.add_argument(
            "--force", action="store_true", help="load the bundle even if it is already loaded"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["path"] or settings.ESCO_DATA_DIR or None
        try:
            result = load_esco(path, force=options["force"])
        except EscoDataError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(result.summary()))
