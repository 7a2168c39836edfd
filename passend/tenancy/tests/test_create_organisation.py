"""`manage.py create_organisation`: the operator's way to add a tenant and its first admin."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from passend.common.scope import organisation_scope
from passend.privacy.audit.models import AuditEvent
from passend.tenancy.models import Invitation, Organisation, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def create(django_capture_on_commit_callbacks: Any) -> Callable[..., str]:
    def run(*args: str) -> str:
        out = StringIO()
        # The invitation mail leaves after commit, as in production.
        with django_capture_on_commit_callbacks(execute=True):
            call_command("create_organisation", *args, stdout=out)
        return out.getvalue()

    return run


def test_it_creates_the_organisation_and_invites_its_first_admin(create: Any) -> None:
    output = create(
        "Werkpad Noord", "--slug", "werkpad-noord", "--kind", "reintegration",
        "--admin", "Beheer@Werkpad-Noord.example",
    )  # fmt: skip
    organisation = Organisation.objects.get(slug="werkpad-noord")
    assert organisation.name == "Werkpad Noord"
    assert (
        output == "Created Werkpad Noord (werkpad-noord); an invitation went to its first admin.\n"
    )
    with organisation_scope(organisation):
        invitation = Invitation.objects.get()
        assert (invitation.email, invitation.role, invitation.invited_by) == (
            "beheer@werkpad-noord.example",
            Role.ADMIN,
            None,
        )
        assert AuditEvent.objects.filter(target_model="tenancy.invitation").count() == 1
    assert [m.to for m in mail.outbox] == [["beheer@werkpad-noord.example"]]
    assert "Werkpad Noord" in mail.outbox[0].subject


def test_it_refuses_a_taken_slug_and_creates_nothing(create: Any) -> None:
    create("Eerste", "--slug", "samen", "--kind", "staffing", "--admin", "a@samen.example")
    with pytest.raises(CommandError, match="slug"):
        create("Tweede", "--slug", "samen", "--kind", "staffing", "--admin", "b@samen.example")
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Eerste"]


def test_it_refuses_a_bad_admin_address_and_keeps_no_half_organisation(create: Any) -> None:
    with pytest.raises(CommandError, match="email"):
        create("Half", "--slug", "half", "--kind", "municipality", "--admin", "not-an-address")
    assert not Organisation.objects.filter(slug="half").exists()
    assert mail.outbox == []
