"""The view wrapper of django-ratelimit: atomic counting, fixed windows, purgeable keys."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory

from passend.common.ratelimit import Limit
from passend.common.tests.ratelimit import all_at_once, hold_rate_window, slow_cache
from passend.common.tests.ratelimit_urls import LIMIT

RATE = 5


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.mark.urls("passend.common.tests.ratelimit_urls")
@pytest.mark.parametrize("attempt", range(3))
def test_it_refuses_exactly_one_of_n_plus_one_requests_sent_at_once(
    settings: Any, monkeypatch: pytest.MonkeyPatch, attempt: int
) -> None:
    settings.TEST_VIEW_RATE_LIMIT = f"{RATE}/h"
    hold_rate_window(monkeypatch)
    slow_cache(monkeypatch)

    responses = all_at_once(RATE + 1, lambda: Client().get("/limited/"))

    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200] * RATE + [429]
    refused = next(response for response in responses if response.status_code == 429)
    assert int(refused["Retry-After"]) >= 1


def test_it_counts_again_when_the_window_turns(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.TEST_VIEW_RATE_LIMIT = "1/m"
    clock = hold_rate_window(monkeypatch)
    request = RequestFactory().get("/")

    first = LIMIT.hit(request, "10.0.0.1")
    second = LIMIT.hit(request, "10.0.0.1")
    clock.now += second.retry_after
    third = LIMIT.hit(request, "10.0.0.1")

    assert (first.allowed, second.allowed, third.allowed) == (True, False, True)
    assert 1 <= second.retry_after <= 60


def test_it_counts_each_value_apart(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.TEST_VIEW_RATE_LIMIT = "1/h"
    hold_rate_window(monkeypatch)
    request = RequestFactory().get("/")

    assert LIMIT.hit(request, "a").allowed
    assert not LIMIT.hit(request, "a").allowed
    assert LIMIT.hit(request, "b").allowed


def test_it_names_the_cache_keys_that_hold_a_count(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.TEST_VIEW_RATE_LIMIT = "1/h"
    hold_rate_window(monkeypatch)
    request = RequestFactory().get("/")
    LIMIT.hit(request, "someone")

    cache.delete_many(LIMIT.cache_keys("someone"))

    assert LIMIT.hit(request, "someone").allowed


def test_it_reads_the_rate_from_settings_on_every_request(
    settings: Any,
) -> None:
    limit = Limit(group="passend.tests.rate", setting="TEST_RATE", default="7/m")

    assert limit.rate() == "7/m"
    settings.TEST_RATE = "3/h"
    assert limit.rate() == "3/h"
