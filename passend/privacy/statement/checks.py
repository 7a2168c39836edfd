"""`manage.py check --database default`: the published statement matches the code.

Pages only read the latest published version; `publish_statement` (run at
deploy time, after `migrate`) writes a new one. This check says when that step
was missed: nothing published yet, or the data map, the recipients register or
the statement's wording changed since the latest version.

It is a Warning, not an Error, on purpose: `migrate` runs the database checks
before it migrates, and right after a deploy the map has usually moved on; an
Error would stop the very migration that must come before publishing. The
deploy steps run `check --database default --fail-level WARNING` after
publishing, where it fails.
"""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.db import connections

HINT = "Run: python manage.py publish_statement"


@checks.register(checks.Tags.database)
def check_statement_published(
    app_configs: Any = None, databases: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    if not databases or "default" not in databases:
        return []
    from passend.privacy.statement import selectors
    from passend.privacy.statement.generate import build_snapshot
    from passend.privacy.statement.models import StatementVersion

    if StatementVersion._meta.db_table not in connections["default"].introspection.table_names():
        return []  # not migrated yet: `migrate` runs this check before it creates the table
    latest = selectors.version_latest_summary()
    if latest is None:
        return [
            checks.Warning(
                "No privacy statement version has been published.", hint=HINT, id="statement.W001"
            )
        ]
    hashes = build_snapshot()["hashes"]
    if latest.source_hash == hashes["source"]:
        return []
    full = selectors.version_latest()
    stored = full.snapshot.get("hashes", {}) if full is not None else {}
    # The content follows from the map and the register; only if both are
    # unchanged did the wording (a template or a translation) change.
    drifted = [
        label
        for key, label in (("map", "the data map"), ("recipients", "the recipients register"))
        if stored.get(key) != hashes[key]
    ] or ["the wording"]
    return [
        checks.Warning(
            f"The privacy statement has drifted from the code: {' and '.join(drifted)} changed "
            f"since version {latest.number}.",
            hint=HINT,
            id="statement.W002",
        )
    ]
