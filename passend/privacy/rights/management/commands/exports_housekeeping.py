"""`manage.py exports_housekeeping`: delete expired export zips, fail lost jobs,
remove job rows past their retention. Safe to run at any time and repeatedly."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from passend.privacy.rights.jobs import exports_housekeeping


class Command(BaseCommand):
    help = "Delete expired data-export files and old export jobs."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = exports_housekeeping()
        self.stdout.write(
            "Exports: {expired} expired, {failed} marked failed, {files} leftover files "
            "deleted, {deleted} old jobs removed.".format(**counts)
        )
