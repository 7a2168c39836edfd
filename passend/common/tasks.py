"""The one way to start background work: `enqueue_on_commit(task, *ids)`.

A task is sent only once the transaction that wrote its rows has committed,
so a worker never looks for a row it cannot see yet (or one that was rolled
back). Outside a transaction it is sent at once. A task takes ids and short
strings, never objects: it reads what it needs from the database itself.

Nothing else calls `.delay()` or `.apply_async()`; `passend/common/tests/test_tasks.py`
greps the code base for that.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction

Argument = str | int | None


def _check(value: object) -> None:
    if value is not None and not isinstance(value, str | int):
        raise TypeError(f"a task takes ids and short strings, not {type(value).__name__}")


def enqueue_on_commit(
    task: Any, *args: Argument, using: str | None = None, **kwargs: Argument
) -> None:
    """Send `task(*args, **kwargs)` to the queue once the current transaction commits."""
    for value in (*args, *kwargs.values()):
        _check(value)
    transaction.on_commit(partial(task.apply_async, args=args, kwargs=kwargs), using=using)
