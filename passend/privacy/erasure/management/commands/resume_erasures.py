from typing import Any

from django.core.management.base import BaseCommand

from passend.privacy.erasure.tasks import resume_erasures


class Command(BaseCommand):
    help = "Finish every erasure that stopped halfway."

    def handle(self, *args: Any, **options: Any) -> None:
        count = resume_erasures()
        self.stdout.write(f"{count} erasure(s) finished.")
