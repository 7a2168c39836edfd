"""Remind organisation admins of data-subject requests whose deadline nears or
has passed. Run it daily from cron when Celery beat is not used."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from passend.privacy.requests.tasks import remind_lapsing_requests


class Command(BaseCommand):
    help = "E-mail admins about requests due within 7 days, within 1 day, or overdue (once each)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=date.fromisoformat, help="Count from this date.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = options.get("today")
        sent = remind_lapsing_requests(today.isoformat() if today else None)
        self.stdout.write(f"Sent {sent} reminders.")
