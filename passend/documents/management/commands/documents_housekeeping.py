"""Delete documents past their retention date and files that lost their row.

Run it daily (cron or a scheduled task): ID copies kept for registration
only must go after four weeks (Waadi art. 7c).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from passend.documents.services import documents_purge_expired, documents_sweep_orphans


class Command(BaseCommand):
    help = "Delete expired documents (ID copies) and stored files without a row."

    def handle(self, *args: Any, **options: Any) -> None:
        purged = documents_purge_expired()
        swept = documents_sweep_orphans()
        self.stdout.write(f"Deleted {purged} expired documents and {swept} files without a row.")
