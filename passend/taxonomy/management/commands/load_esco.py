"""`manage.py load_esco [DIR]`: import ESCO occupations and skills (docs/taxonomy.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from passend.taxonomy.services import EscoDataError, load_esco


class Command(BaseCommand):
    help = (
        "Import ESCO occupations, skills, labels and relations from DIR (default: "
        "settings.ESCO_DATA_DIR): the compact bilingual set or the official ESCO CSV "
        "download, plain or gzipped. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", nargs="?", help="folder with the ESCO CSV files")

    def handle(self, *args: Any, **options: Any) -> None:
        directory = Path(options["directory"] or settings.ESCO_DATA_DIR)
        try:
            result = load_esco(directory)
        except EscoDataError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(result.summary()))
