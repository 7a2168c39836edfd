"""What people write in a request or a dispute, and what is answered, is stored
encrypted (issue 9, defect 6): the columns hold ciphertext, the services and
pages read plaintext. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from passend.accounts.models import User
from passend.privacy.crypto.envelope import is_token
from passend.privacy.crypto.tests.test_fields import raw
from passend.privacy.requests import services
from passend.privacy.requests.models import (
    DataSubjectRequest,
    RequestKind,
    RequestMessage,
    UnroutedRequest,
)

HEALTH = "burn-out diagnosis from the company doctor"


def assert_encrypted(model: type[Any], pk: Any, column: str, marker: str) -> None:
    stored = raw(model, pk, column)
    assert marker not in stored
    assert is_token(stored)


def test_it_stores_a_dispute_encrypted(carla_m: Any, carla: Any, scope_a: Any) -> None:
    req = services.request_dispute(
        membership=carla_m,
        model_label="accounts.User",
        field_name="name",
        object_id=str(carla.pk),
        proposed_value=f"Not on sick leave: {HEALTH}",
        reason=f"My advisor wrote down my {HEALTH}",
    )

    assert_encrypted(DataSubjectRequest, req.pk, "description", HEALTH)
    assert_encrypted(DataSubjectRequest, req.pk, "proposed_value", HEALTH)
    loaded = DataSubjectRequest.objects.get(pk=req.pk)
    assert loaded.description == f"My advisor wrote down my {HEALTH}"
    assert loaded.proposed_value == f"Not on sick leave: {HEALTH}"


def test_it_stores_the_answer_extension_and_messages_encrypted(
    carla_access: DataSubjectRequest, alice_m: Any, scope_a: Any
) -> None:
    services.request_extend(request=carla_access, by=alice_m, reason=f"Files about your {HEALTH}")
    services.request_reply(
        request=carla_access, by=alice_m, text=f"We hold your {HEALTH}", closes=True
    )

    assert_encrypted(DataSubjectRequest, carla_access.pk, "extension_reason", HEALTH)
    assert_encrypted(DataSubjectRequest, carla_access.pk, "reply", HEALTH)
    messages = list(RequestMessage.objects.filter(request=carla_access))
    assert messages
    for message in messages:
        assert "enc1:" in raw(RequestMessage, message.pk, "body")
    assert any(HEALTH in message.body for message in messages)
    assert DataSubjectRequest.objects.get(pk=carla_access.pk).reply == f"We hold your {HEALTH}"


def test_it_stores_a_request_without_an_organisation_under_the_platform_key(personas: Any) -> None:
    [unrouted] = services.request_file_public(
        name="Nobody",
        email="nobody@example.org",
        organisation=None,
        kind=RequestKind.ACCESS,
        description=f"Do you hold my {HEALTH}?",
    )
    assert isinstance(unrouted, UnroutedRequest)
    staff = User.objects.create_user("sam@platform.test", "x", is_platform_staff=True)
    services.unrouted_reply(unrouted=unrouted, by=staff, text=f"Which file about your {HEALTH}?")

    assert_encrypted(UnroutedRequest, unrouted.pk, "description", HEALTH)
    assert_encrypted(UnroutedRequest, unrouted.pk, "reply", HEALTH)
    loaded = UnroutedRequest.objects.get(pk=unrouted.pk)
    assert loaded.description == f"Do you hold my {HEALTH}?"
    assert loaded.reply == f"Which file about your {HEALTH}?"


def test_it_shows_the_admin_the_decrypted_request(
    carla_access: DataSubjectRequest, as_persona: Any, scope_a: Any
) -> None:
    carla_access.description = f"Everything, including my {HEALTH}"
    carla_access.save(update_fields=["description"])

    response = as_persona("alice", "a").get(f"/requests/{carla_access.pk}/")

    assert response.status_code == 200
    assert HEALTH in response.content.decode()
