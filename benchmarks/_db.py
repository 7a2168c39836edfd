"""A throw-away test database for a benchmark: a SQLite file in a temporary
folder (the embedded default, as `make run` uses it) or a test database on the
configured PostgreSQL. Import after `django.setup()`."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator

from django.db import connection
from django.test.utils import setup_test_environment


@contextlib.contextmanager
def test_database(prefix: str) -> Iterator[str]:
    """Create the test database, yield the engine's name, destroy it afterwards."""
    setup_test_environment()
    directory = ""
    if connection.vendor == "sqlite":
        directory = tempfile.mkdtemp(prefix=f"bench-{prefix}-")
        connection.settings_dict["TEST"]["NAME"] = f"{directory}/db"
        engine = "SQLite file"
    else:
        engine = connection.vendor
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield engine
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        if directory:
            shutil.rmtree(directory, ignore_errors=True)
