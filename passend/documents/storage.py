"""Removing stored files when their rows are gone."""

from __future__ import annotations

from typing import Any

from django.db import transaction


def remove_file_on_commit(sender: Any, instance: Any, **kwargs: Any) -> None:
    name = instance.file.name
    if not name:
        return
    storage = instance.file.storage
    transaction.on_commit(lambda: storage.delete(name), using=kwargs.get("using"))
