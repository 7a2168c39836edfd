"""Writes of the statement app: publishing a version, recording an acknowledgement."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from passend.privacy.audit.services import PLATFORM, record
from passend.privacy.datamap import DataMap, Purpose
from passend.privacy.recipients import Recipient
from passend.privacy.statement import selectors
from passend.privacy.statement.diff import diff_snapshots, is_major
from passend.privacy.statement.generate import build_snapshot
from passend.privacy.statement.models import StatementAcknowledgement, StatementVersion

logger = logging.getLogger(__name__)


def _next_number(latest: StatementVersion | None, snapshot: dict[str, Any]) -> tuple[int, int]:
    if latest is None:
        return 1, 0
    if is_major(diff_snapshots(latest.snapshot, snapshot)):
        return latest.major + 1, 0
    return latest.major, latest.minor + 1


def statement_publish(
    *,
    datamap: DataMap | None = None,
    register: Sequence[Recipient] | None = None,
    now: datetime | None = None,
) -> tuple[StatementVersion, bool]:
    """Publish a new version if the generated statement differs from the latest one.

    Returns the current version and whether it was created now. Idempotent:
    with an unchanged data map, recipients register and wording, nothing is
    written. A new purpose or recipient raises the major number ("2.0"),
    anything else the minor one ("1.1").
    """
    snapshot = build_snapshot(datamap, register)
    hashes = snapshot["hashes"]
    with transaction.atomic():
        latest = selectors.version_latest()
        if latest is not None and latest.source_hash == hashes["source"]:
            return latest, False
        major, minor = _next_number(latest, snapshot)
        version = StatementVersion(
            major=major,
            minor=minor,
            published_at=now or timezone.now(),
            map_hash=hashes["map"],
            recipients_hash=hashes["recipients"],
            facts_hash=hashes["facts"],
            source_hash=hashes["source"],
            snapshot=snapshot,
        )
        version.full_clean()
        try:
            with transaction.atomic():
                version.save()
        except IntegrityError:
            # Someone published the same number at the same moment.
            current = selectors.version_latest()
            if current is not None and current.source_hash == hashes["source"]:
                return current, False
            raise
    logger.info("Published privacy statement version %s", version.number)
    return version, True


def statement_acknowledge(*, user: Any, version: StatementVersion) -> StatementAcknowledgement:
    """Record that `user` read `version` (J8). Acknowledging twice keeps the first record."""
    with transaction.atomic():
        existing = StatementAcknowledgement.objects.filter(user=user, version=version).first()
        if existing is not None:
            return existing
        ack = StatementAcknowledgement(user=user, version=version, acknowledged_at=timezone.now())
        ack.full_clean()
        ack.save()
        record(
            action="create",
            target=ack,
            purpose=Purpose.LEGAL_OBLIGATION,
            fields=["user", "version", "acknowledged_at"],
            subject=user,
            detail="privacy statement acknowledged",
            actor=user,
            organisation=PLATFORM,
        )
    return ack
