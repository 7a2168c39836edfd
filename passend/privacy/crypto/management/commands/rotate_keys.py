"""manage.py rotate_keys: rotate data keys, or re-wrap them under a new master key."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from passend.privacy.crypto.errors import CryptoError
from passend.privacy.crypto.keys import rewrap_data_keys
from passend.privacy.crypto.rotation import rotate_data_keys


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Make new data keys and re-encrypt every encrypted value and file under them "
        "(interruptible: run again to continue), or with --rewrap-only re-wrap the data "
        "keys under the active master key without touching any row."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size", type=_positive, default=500, help="Rows per transaction."
        )
        parser.add_argument(
            "--limit",
            type=_positive,
            default=None,
            help="Stop after this many rows (or keys, with --rewrap-only); run again to continue.",
        )
        parser.add_argument(
            "--rewrap-only",
            action="store_true",
            help="Re-wrap data keys under PASSEND_ACTIVE_MASTER_KEY; leave rows alone.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["rewrap_only"]:
                self._rewrap(options)
            else:
                self._rotate(options)
        except (CryptoError, ImproperlyConfigured) as error:
            raise CommandError(str(error)) from error

    def _rewrap(self, options: dict[str, Any]) -> None:
        report = rewrap_data_keys(batch_size=options["batch_size"], limit=options["limit"])
        self.stdout.write(f"Data keys re-wrapped: {report.rewrapped}")
        self.stdout.write(
            f"Data keys already under the active master key: {report.already_current}"
        )

    def _rotate(self, options: dict[str, Any]) -> None:
        report = rotate_data_keys(batch_size=options["batch_size"], limit=options["limit"])
        self.stdout.write(f"Data keys created: {report.keys_created}")
        self.stdout.write(
            f"Rows re-encrypted: {report.rows_reencrypted} "
            f"(values: {report.values_reencrypted}, files: {report.files_reencrypted})"
        )
        for label, count in sorted(report.per_model.items()):
            self.stdout.write(f"  {label}: {count}")
        self.stdout.write(f"Rows already under the current keys: {report.rows_current}")
        if report.files_missing:
            self.stderr.write(f"Encrypted files missing from storage: {report.files_missing}")
        if report.stopped_at_limit:
            self.stdout.write(
                self.style.WARNING("Stopped at --limit; run rotate_keys again to continue.")
            )
            return
        self.stdout.write(f"Data keys retired: {report.keys_retired}")
        if report.keys_unretired:
            self.stdout.write(f"Retired data keys found in use again: {report.keys_unretired}")
        if report.complete:
            self.stdout.write(self.style.SUCCESS("Rotation complete."))
        else:
            self.stdout.write(
                self.style.WARNING(
                    f"{report.keys_still_in_use} older data keys are still in use by values "
                    "written during the run; run rotate_keys again to finish."
                )
            )
