from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from passend.common.tests.ratelimit import hold_rate_window
from passend.privacy.audit.models import AuditEvent
from passend.privacy.requests import services
from passend.privacy.requests.models import DataSubjectRequest, RequestKind


@pytest.fixture(autouse=True)
def _fresh_rate_limits(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    hold_rate_window(monkeypatch)  # the fixed window cannot turn mid-test
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def alice_m(personas: Any) -> Any:
    return personas.memberships["alice"]


@pytest.fixture
def carla_m(personas: Any) -> Any:
    return personas.memberships["carla"]


@pytest.fixture
def carla_access(carla_m: Any, scope_a: Any) -> DataSubjectRequest:
    """Carla asks for access from her account: identity verified."""
    return services.request_file_own(
        membership=carla_m, kind=RequestKind.ACCESS, description="All of it"
    )


@pytest.fixture
def anonymous_access(org_a: Any) -> DataSubjectRequest:
    """Someone typing carla's name asks org A for access through the public form."""
    [req] = services.request_file_public(
        name="Carla Bakker",
        email="carla@passend.test",
        organisation=org_a,
        kind=RequestKind.ACCESS,
        description="Send me everything",
    )
    assert isinstance(req, DataSubjectRequest)
    return req


def received_days_ago(req: DataSubjectRequest, days: int) -> DataSubjectRequest:
    """Move a request's receipt (and due date) into the past."""
    from passend.privacy.requests import deadlines

    received_at = timezone.now() - timedelta(days=days)
    DataSubjectRequest.objects.unscoped().filter(pk=req.pk).update(
        received_at=received_at,
        due_on=deadlines.due_date(timezone.localdate(received_at)),
    )
    req.refresh_from_db()
    return req


def set_due(req: DataSubjectRequest, due: date) -> DataSubjectRequest:
    DataSubjectRequest.objects.unscoped().filter(pk=req.pk).update(due_on=due)
    req.refresh_from_db()
    return req


def events_for(req: Any) -> Any:
    return AuditEvent.objects.unscoped().filter(target_id=str(req.pk)).order_by("id")
