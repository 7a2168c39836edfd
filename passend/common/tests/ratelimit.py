"""Test helpers for rate limits: a clock that stands still, and N+1 requests at once."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache.backends.locmem import LocMemCache


class StillClock:
    """Stands in for `time` in django_ratelimit.core, so a test's requests
    all fall in one window (a fixed window may otherwise turn mid-test)."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def time(self) -> float:
        return self.now


def hold_rate_window(monkeypatch: pytest.MonkeyPatch) -> StillClock:
    clock = StillClock()
    monkeypatch.setattr("django_ratelimit.core.time", clock)
    return clock


def slow_cache(monkeypatch: pytest.MonkeyPatch, seconds: float = 0.1) -> None:
    """Give every read and write of the local-memory cache a network's delay.

    Like Redis over a network, each operation waits before it acts (the
    operation itself stays atomic), so requests sent at once really overlap:
    a read-modify-write lets them all read the same count.
    """
    for name in ("get", "set", "add", "incr"):
        operation = getattr(LocMemCache, name)

        def delayed(*args: Any, _operation: Any = operation, **kwargs: Any) -> Any:
            time.sleep(seconds)
            return _operation(*args, **kwargs)

        monkeypatch.setattr(LocMemCache, name, delayed)


def all_at_once(count: int, send: Callable[[], Any]) -> list[Any]:
    """Call `send` from `count` threads released together by a barrier; their results."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = send()
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert all(not thread.is_alive() for thread in threads)
    return results
