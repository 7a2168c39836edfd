"""Reads of the statement app: versions, acknowledgements, contact persons."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet

from passend.privacy.statement.generate import content_for
from passend.privacy.statement.models import StatementAcknowledgement, StatementVersion
from passend.tenancy.models import Organisation, OrganisationContact

NUMBER = re.compile(r"^(\d{1,6})\.(\d{1,6})$")
# Everything but the (large) snapshot: what lists and the middleware need.
SUMMARY_FIELDS = ("id", "major", "minor", "published_at", "facts_hash", "source_hash")


def version_latest() -> StatementVersion | None:
    return StatementVersion.objects.order_by("-major", "-minor").first()


def version_latest_summary() -> StatementVersion | None:
    """The newest version without its snapshot: cheap enough for every request."""
    return StatementVersion.objects.order_by("-major", "-minor").only(*SUMMARY_FIELDS).first()


def version_list() -> QuerySet[StatementVersion]:
    return StatementVersion.objects.order_by("-major", "-minor").only(*SUMMARY_FIELDS)


def version_by_number(number: str | None) -> StatementVersion | None:
    """The version numbered "1.2", or None for an unknown or malformed number."""
    match = NUMBER.match(number or "")
    if match is None:
        return None
    major, minor = int(match.group(1)), int(match.group(2))
    return StatementVersion.objects.filter(major=major, minor=minor).first()


def version_before(version: StatementVersion) -> StatementVersion | None:
    """The version published before `version`, without its snapshot (loaded if read)."""
    earlier = Q(major__lt=version.major) | Q(major=version.major, minor__lt=version.minor)
    versions = StatementVersion.objects.filter(earlier).only(*SUMMARY_FIELDS)
    return versions.order_by("-major", "-minor").first()


# A published version never changes (publishing only ever adds one), so its
# text per language is kept in each process once read: the snapshot is large
# (every language, the facts and the rendered HTML) and loading and decoding
# it was most of the statement page's time. The source hash in the key keeps a
# reused primary key (a test database, a restored backup) from showing old text.
_CONTENT: dict[tuple[Any, str, str], dict[str, Any]] = {}
_CONTENT_LIMIT = 32


def version_content(version: StatementVersion, language: str | None) -> dict[str, Any]:
    """The text of `version` in `language` (else the default language), as the pages show it."""
    key = (version.pk, version.source_hash, language or "")
    content = _CONTENT.get(key)
    if content is None:
        snapshot = version.snapshot  # loads the deferred field when the version came without it
        content = content_for(snapshot, language)
        if len(_CONTENT) >= _CONTENT_LIMIT:
            _CONTENT.clear()
        _CONTENT[key] = content
    return content


def version_in_force_at(moment: datetime) -> StatementVersion | None:
    """The version in force at `moment`, without its snapshot (loaded if read)."""
    versions = StatementVersion.objects.filter(published_at__lte=moment).only(*SUMMARY_FIELDS)
    return versions.order_by("-major", "-minor").first()


def acknowledged_version(user: Any) -> StatementVersion | None:
    """The newest version the person acknowledged, if any (without its snapshot)."""
    versions = StatementVersion.objects.filter(acknowledgements__user=user).only(*SUMMARY_FIELDS)
    return versions.order_by("-major", "-minor").first()


def baseline_version(user: Any) -> StatementVersion | None:
    """The version a person is taken to know: the one they acknowledged last, or
    else the one in force when they joined (they were shown it then)."""
    acknowledged = acknowledged_version(user)
    if acknowledged is not None:
        return acknowledged
    return version_in_force_at(user.date_joined)


def acknowledgement_pending(user: Any, latest: StatementVersion | None) -> bool:
    """Has a version with different content been published since the person's baseline?

    A version that only rewords the statement (same facts) asks no one to
    read it again.
    """
    if latest is None or not user.is_authenticated:
        return False
    if StatementAcknowledgement.objects.filter(user=user, version=latest).exists():
        return False
    baseline = baseline_version(user)
    if baseline is None:
        return True
    if baseline.pk == latest.pk:
        return False
    return baseline.facts_hash != latest.facts_hash


def contacts_of_organisation(organisation: Organisation) -> list[OrganisationContact]:
    """The organisation's contact persons (call inside its scope, as requests are)."""
    return list(OrganisationContact.objects.filter(organisation=organisation).order_by("name"))


def contacts_by_organisation() -> dict[Any, list[OrganisationContact]]:
    """Every organisation's contact persons, for the processor's register (Art. 30(2)(a))."""
    result: dict[Any, list[OrganisationContact]] = {}
    for contact in OrganisationContact.objects.unscoped().order_by("name"):
        result.setdefault(contact.organisation_id, []).append(contact)
    return result


def organisations_for_register() -> list[Organisation]:
    return list(Organisation.objects.filter(is_active=True).order_by("name"))
