"""Publish a new version of the privacy statement when the data map, the
recipients register or the statement's wording changed; otherwise do nothing.

Safe to run at every start (`make run`, deploys): it is idempotent.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from passend.privacy.statement.services import statement_publish
from passend.privacy.statement.templatetags.statement import version_date


class Command(BaseCommand):
    help = "Publish a new privacy statement version if the data map or recipients changed."

    def handle(self, *args: Any, **options: Any) -> None:
        version, created = statement_publish()
        if created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Published privacy statement version {version.number} "
                    f"({version_date(version)})."
                )
            )
        else:
            self.stdout.write(f"Privacy statement unchanged at version {version.number}.")
