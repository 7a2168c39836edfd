"""The API's rate limit, counted by django-ratelimit through its ninja throttle."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from passend.api.tests.helpers import get, make_token, problem
from passend.api.throttling import rate_keys
from passend.common.tests.ratelimit import all_at_once, hold_rate_window, slow_cache
from passend.privacy.erasure.caches import purge_person_caches

RATE = 5


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.mark.urls("passend.api.tests.rate_limit_urls")
@pytest.mark.parametrize("attempt", range(3))
def test_it_answers_exactly_one_of_n_plus_one_requests_sent_at_once_with_a_429_problem(
    settings: Any, monkeypatch: pytest.MonkeyPatch, attempt: int
) -> None:
    settings.TEST_NINJA_RATE_LIMIT = f"{RATE}/h"
    hold_rate_window(monkeypatch)
    slow_cache(monkeypatch)

    responses = all_at_once(RATE + 1, lambda: Client().get("/throttled/ping"))

    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200] * RATE + [429]
    refused = next(response for response in responses if response.status_code == 429)
    assert problem(refused)["status"] == 429
    assert int(refused["Retry-After"]) >= 1


def test_it_lets_the_person_in_again_when_the_window_turns(
    alice: Any, org_a: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.API_RATE_LIMIT = "1/m"
    clock = hold_rate_window(monkeypatch)
    raw = make_token(alice, org_a)

    assert get("/api/v1/me", raw).status_code == 200
    refused = get("/api/v1/me", raw)
    clock.now += int(refused["Retry-After"])

    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert get("/api/v1/me", raw).status_code == 200


def test_it_keeps_the_persons_count_under_the_keys_erasure_purges(
    alice: Any, org_a: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.API_RATE_LIMIT = "1/h"
    hold_rate_window(monkeypatch)
    raw = make_token(alice, org_a)
    assert get("/api/v1/me", raw).status_code == 200
    assert cache.get_many(rate_keys(alice.pk))  # the count is where erasure looks

    purge_person_caches(alice.pk)

    assert get("/api/v1/me", raw).status_code == 200
