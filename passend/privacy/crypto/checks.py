"""System checks: development keys in production, and data keys the master keys cannot open."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError

from passend.privacy.crypto.conf import development_keys_in_use


@checks.register(checks.Tags.security, deploy=True)
def check_development_keys(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    found = development_keys_in_use(
        getattr(settings, "PASSEND_MASTER_KEYS", ""),
        getattr(settings, "PASSEND_BLIND_INDEX_KEY", ""),
    )
    return [
        checks.Error(
            f"{name} holds the published development key.",
            hint='Generate a new key: python -c "import base64, os; '
            'print(base64.b64encode(os.urandom(32)).decode())"',
            id="crypto.E010",
        )
        for name in found
    ]


@checks.register(checks.Tags.database)
def check_data_keys_unwrap(
    app_configs: Any = None, databases: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """`manage.py check --database default`: every data key opens with the configured keys."""
    if not databases:
        return []
    from passend.privacy.crypto.errors import MasterKeyError
    from passend.privacy.crypto.keys import unwrap
    from passend.privacy.crypto.models import DataKey

    errors: list[checks.CheckMessage] = []
    try:
        for row in DataKey.objects.iterator():
            try:
                unwrap(row)
            except (MasterKeyError, ImproperlyConfigured) as error:
                errors.append(checks.Error(str(error), obj=row, id="crypto.E011"))
    except DatabaseError:
        # Not migrated yet: nothing to check.
        return []
    return errors
