"""The header's language switch remembers the choice; sign-ins are audited."""

from __future__ import annotations

from conftest import client_for
from passend.accounts.models import User
from passend.demo.personas import DEMO_PASSWORD
from passend.privacy.audit.models import AuditEvent


def test_the_header_language_switch_saves_the_choice_on_the_account(personas):
    carla = personas["carla"]
    client = client_for(carla, personas.organisations["a"])
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert User.objects.get(pk=carla.pk).preferred_language == "en"
    assert client.cookies["django_language"].value == "en"
    changed = AuditEvent.objects.unscoped().filter(
        action="update", subject_user_id=carla.pk, target_model="accounts.user"
    )
    assert changed.count() == 1


def test_an_unknown_language_changes_nothing(personas):
    carla = personas["carla"]
    before = User.objects.get(pk=carla.pk).preferred_language
    client_for(carla, personas.organisations["a"]).post("/i18n/setlang/", {"language": "xx"})
    assert User.objects.get(pk=carla.pk).preferred_language == before


def test_an_anonymous_visitor_switches_language_with_a_cookie_only(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.cookies["django_language"].value == "en"


def test_signing_in_is_recorded_on_the_audit_trail(client, personas):
    client.post("/accounts/login/", {"login": "carla@passend.test", "password": DEMO_PASSWORD})
    logins = AuditEvent.objects.unscoped().filter(
        action="login", subject_user_id=personas["carla"].pk
    )
    assert logins.count() == 1
    assert logins.get().organisation_id is None
