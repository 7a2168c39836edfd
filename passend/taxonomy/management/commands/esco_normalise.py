"""`manage.py esco_normalise --lang nl|en [--top 10]`: job titles on stdin to
ESCO occupations on stdout (docs/matching-normalisation.md).

One output line per input line, in the same order:
`uri<TAB>score<TAB>uri<TAB>score...` (scores with 4 decimals), best first; an
empty line for an empty input line or a title that matches nothing.
"""

from __future__ import annotations

import sys
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from passend.taxonomy.models import Occupation
from passend.taxonomy.normalise import MAX_TOP, normalise_titles

BATCH = 256


class Command(BaseCommand):
    help = (
        "Map job titles (one per line on stdin) to ranked ESCO occupations: one line "
        "per title, uri<TAB>score pairs, best first; an empty line when nothing matches."
    )

    # call_command(..., stdin=StringIO(...)) in the tests.
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--lang", choices=["nl", "en"], default="nl", help="title language")
        parser.add_argument("--top", type=int, default=10, help="occupations per title")

    def handle(self, *args: Any, **options: Any) -> None:
        top = options["top"]
        if not 1 <= top <= MAX_TOP:
            raise CommandError(_("--top must be between 1 and %(max)d.") % {"max": MAX_TOP})
        if not Occupation.objects.exists():
            raise CommandError(
                _("ESCO is not loaded: run 'manage.py load_esco' first, then try again.")
            )
        source: TextIO = options.get("stdin") or sys.stdin
        batch: list[str] = []
        for line in source:
            batch.append(line.rstrip("\r\n"))
            if len(batch) >= BATCH:
                self._write(batch, options["lang"], top)
                batch = []
        if batch:
            self._write(batch, options["lang"], top)

    def _write(self, titles: list[str], language: str, top: int) -> None:
        for matches in normalise_titles(titles, language=language, top=top):
            self.stdout.write("\t".join(f"{m.uri}\t{m.score:.4f}" for m in matches))
