"""Django's SQLite backend, with the request transaction begun at its first write.

`ENGINE = "passend.common.sqlite"` (config/settings/base.py, SQLite only). A
writing request's transaction (`ATOMIC_REQUESTS`) is entered before the view
runs, but `BEGIN IMMEDIATE`, which takes SQLite's one write lock, is sent
only when the view first writes or enters `transaction.atomic()` (whose
SAVEPOINT would otherwise begin a transaction without the lock): until then
the view reads in autocommit. Every other transaction begins at once, as in
Django's backend. See docs/adr/0009-sqlite-concurrency.md.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.sqlite3 import base as sqlite

from passend.common.sqlite import take_begin_on_write

# Statements that leave the database as it is; any other begins the transaction.
_READS = frozenset({"SELECT", "EXPLAIN"})


def _reads_only(query: str) -> bool:
    words = query.lstrip(" \t\r\n(").split(None, 1)
    return bool(words) and words[0].upper() in _READS


class Cursor(sqlite.SQLiteCursorWrapper):
    wrapper: DatabaseWrapper

    def execute(self, query: str, params: Any = None) -> Any:
        if self.wrapper.begin_on_write and not _reads_only(query):
            self.wrapper.begin_now()
        return super().execute(query, params)

    def executemany(self, query: str, param_list: Any) -> Any:
        if self.wrapper.begin_on_write and not _reads_only(query):
            self.wrapper.begin_now()
        return super().executemany(query, param_list)


# Typed as Any: the stubs leave out the private transaction methods overridden here.
_SQLiteWrapper: Any = sqlite.DatabaseWrapper


class DatabaseWrapper(_SQLiteWrapper):
    # In the request's transaction, which has not sent its BEGIN yet.
    begin_on_write = False

    def create_cursor(self, name: str | None = None) -> Any:
        cursor = self.connection.cursor(factory=Cursor)
        cursor.wrapper = self
        return cursor

    def _start_transaction_under_autocommit(self) -> None:
        if take_begin_on_write():
            self.begin_on_write = True
        else:
            super()._start_transaction_under_autocommit()

    def begin_now(self) -> None:
        """Send the request transaction's BEGIN (IMMEDIATE: it waits for the write lock)."""
        self.begin_on_write = False
        super()._start_transaction_under_autocommit()

    def _commit(self) -> None:
        self.begin_on_write = False
        super()._commit()

    def _rollback(self) -> None:
        self.begin_on_write = False
        super()._rollback()

    def _close(self) -> None:
        self.begin_on_write = False
        super()._close()

    def _set_autocommit(self, autocommit: bool) -> None:
        self.begin_on_write = False
        super()._set_autocommit(autocommit)
