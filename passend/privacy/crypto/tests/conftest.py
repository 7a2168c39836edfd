from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection

from passend.privacy.crypto.keys import forget_cached_keys
from passend.privacy.crypto.tests.testmodels import MEDIA, TEST_MODELS


@pytest.fixture(scope="session")
def crypto_tables(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock():
        existing = set(connection.introspection.table_names())
        with connection.schema_editor() as editor:
            for model in TEST_MODELS:
                if model._meta.db_table not in existing:
                    editor.create_model(model)
    yield
    with django_db_blocker.unblock(), connection.schema_editor() as editor:
        for model in TEST_MODELS:
            editor.delete_model(model)
    shutil.rmtree(MEDIA, ignore_errors=True)


@pytest.fixture
def crypto_db(crypto_tables: None, db: Any) -> Iterator[None]:
    """The test models' tables, and a key cache that starts empty."""
    forget_cached_keys()
    yield
    forget_cached_keys()
