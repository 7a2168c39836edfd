"""`manage.py verify_audit`: recompute every audit chain and name the first broken event.

First seals what is committed but not yet chained (`audit_seal`, as the
minutely job does), unless `--no-seal` (e.g. on a read-only copy); events
still unsealed are counted, not verified. Exit status 0 when every chain
verifies, 1 otherwise. Each chain's head is printed as an anchor
(`<chain>:<sequence>:<hash>`); keep those outside the database and pass them
back with `--anchor` to detect a rewritten tail.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from passend.privacy.audit.chain import Head, format_anchor, parse_anchor
from passend.privacy.audit.selectors import chain_keys_with_events, verify_trail
from passend.privacy.audit.services import audit_seal
from passend.tenancy.models import Organisation


class Command(BaseCommand):
    help = "Verify the hash chains of the audit trail; exit 1 at the first broken event."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--organisation",
            help="Verify only this organisation's chain (its slug or id); 'platform' for "
            "events outside any organisation.",
        )
        parser.add_argument(
            "--anchor",
            action="append",
            default=[],
            metavar="CHAIN:SEQUENCE:HASH",
            help="A head printed by an earlier run; it must still be in the chain. Repeatable.",
        )
        parser.add_argument(
            "--no-seal",
            action="store_true",
            help="Do not seal recorded events first (for a read-only copy); they are counted "
            "as not yet sealed.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        anchors: dict[str, list[Head]] = {}
        for text in options["anchor"]:
            try:
                key, head = parse_anchor(text)
            except ValueError as error:
                raise CommandError(str(error)) from None
            anchors.setdefault(key, []).append(head)
        chain = self._chain(options["organisation"]) if options["organisation"] else None
        if not options["no_seal"]:
            audit_seal(chain=chain)
        reports = verify_trail(chain=chain, anchors=anchors)
        broken = [report for report in reports if report.problem is not None]
        for report in reports:
            if report.problem is None:
                waiting = f"; {report.unsealed} not yet sealed" if report.unsealed else ""
                self.stdout.write(
                    f"OK {report.key}: {report.events} events verified{waiting}; "
                    f"anchor {format_anchor(report.key, report.head)}"
                )
        if not reports:
            self.stdout.write("The audit trail is empty.")
        for report in broken:
            assert report.problem is not None
            self.stderr.write(
                f"BROKEN {report.key}: first bad event is number {report.problem.sequence} "
                f"({report.problem.kind}: {report.problem.message})"
            )
        if broken:
            first = broken[0].problem
            assert first is not None
            raise CommandError(
                f"The audit trail has been tampered with: {len(broken)} chain(s) broken; "
                f"first bad event: {first.chain} #{first.sequence} ({first.kind})."
            )

    def _chain(self, value: str) -> str:
        if value == "platform":
            return value
        organisation = Organisation.objects.filter(slug=value).first()
        if organisation is None:
            try:
                organisation = Organisation.objects.filter(pk=value).first()
            except ValidationError:
                organisation = None
        if organisation is None:
            # The organisation may be gone while its trail remains: accept a raw chain key.
            if value in chain_keys_with_events():
                return value
            raise CommandError(f"No organisation or audit chain {value!r}.")
        return str(organisation.pk)
