"""Acknowledgement (J8): a signed-in person is told once about a new version, reads
what changed, confirms, and is not asked again."""

from __future__ import annotations

import html
from dataclasses import replace
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import client_for
from passend.privacy.audit.models import AuditEvent
from passend.privacy.recipients import recipients
from passend.privacy.statement import middleware, selectors, services
from passend.privacy.statement.middleware import NOTIFIED, memo_key
from passend.privacy.statement.models import StatementAcknowledgement, StatementVersion
from passend.privacy.statement.tests.test_versions import V1, V2, user_map

NOTICE = "of the privacy statement was published on"


def notified(client: Any) -> bool:
    return cache.get(memo_key(client.session.session_key, NOTIFIED)) is not None


def publish(days_ago: int = 0, **kwargs: Any) -> StatementVersion:
    version, _ = services.statement_publish(now=timezone.now() - timedelta(days=days_ago), **kwargs)
    return version


def notices(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if NOTICE in str(m)]


def test_it_shows_the_notice_on_the_next_page_and_not_after_acknowledging(
    alice: Any, org_a: Any
) -> None:
    version = publish()
    client = client_for(alice, org_a)
    # The next page shows the notice, with a link to what changed
    first = client.get("/")
    assert first.status_code == 200
    text = html.unescape(first.content.decode())
    assert f"Version {version.number} of the privacy statement was published on" in text
    # a real link, not escaped markup
    link = '<a href="/privacy/acknowledge/?next=%2F">Read what changed</a>'
    assert link in first.content.decode()
    # Once per session: the page after that does not repeat it
    assert notices(client.get("/account/")) == []
    # A new session reminds again while not acknowledged
    assert len(notices(client_for(alice, org_a).get("/"))) == 1
    # The acknowledgement page shows the button
    page = client.get("/privacy/acknowledge/", {"next": "/"})
    assert f"I have read version {version.number}" in page.content.decode()
    # Confirming records it and returns to where they were
    response = client.post("/privacy/acknowledge/", {"version": version.number, "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    ack = StatementAcknowledgement.objects.get(user=alice)
    assert ack.version == version
    assert ack.acknowledged_at <= timezone.now()
    # and no session is told again
    assert notices(client_for(alice, org_a).get("/")) == []
    assert not selectors.acknowledgement_pending(alice, version)


def test_it_asks_again_when_a_later_version_changes_the_processing(alice: Any) -> None:
    first = publish(days_ago=3, datamap=user_map(**V1))
    services.statement_acknowledge(user=alice, version=first)
    assert not selectors.acknowledgement_pending(alice, first)
    second = publish(datamap=user_map(**V2))
    assert selectors.acknowledgement_pending(alice, second)
    # the page shows the changes since the version they acknowledged
    client = client_for(alice)
    text = html.unescape(client.get("/privacy/acknowledge/").content.decode())
    assert f"changes since version {first.number}" in text
    assert "User: name" in text


def test_it_does_not_ask_again_when_only_the_wording_changed(alice: Any) -> None:
    first = publish(days_ago=3, datamap=user_map(**V1))
    services.statement_acknowledge(user=alice, version=first)
    reworded = [replace(r, description="Other words.") for r in recipients()]
    second = publish(datamap=user_map(**V1), register=reworded)
    assert second.pk != first.pk
    assert not selectors.acknowledgement_pending(alice, second)


def test_it_does_not_ask_someone_who_joined_after_the_version(db: Any) -> None:
    version = publish(days_ago=2)
    newcomer = get_user_model().objects.create_user("newcomer@passend.test", "x" * 12)
    assert not selectors.acknowledgement_pending(newcomer, version)
    assert notices(client_for(newcomer).get("/")) == []


def test_it_asks_everyone_who_joined_before_the_first_version(alice: Any, bob: Any) -> None:
    version = publish()
    assert selectors.acknowledgement_pending(alice, version)
    assert selectors.acknowledgement_pending(bob, version)
    assert not selectors.acknowledgement_pending(alice, None)


def test_it_never_puts_the_notice_on_privacy_pages_api_logout_or_htmx(
    alice: Any, org_a: Any
) -> None:
    publish()
    client = client_for(alice, org_a)
    # the statement page itself shows the confirmation form instead
    page = client.get("/privacy/")
    assert notices(page) == []
    assert "This statement has changed" in page.content.decode()
    assert notices(client.get("/", HTTP_HX_REQUEST="true")) == []
    client.get("/api/v1/openapi.json")
    client.get("/privacy/versions/")
    assert not notified(client)
    assert notices(client.post("/accounts/logout/")) == []
    # whereas an ordinary page does get it
    client = client_for(alice, org_a)
    assert len(notices(client.get("/"))) == 1
    assert notified(client)


def test_it_records_the_acknowledgement_once_and_audits_it(alice: Any) -> None:
    version = publish()
    first = services.statement_acknowledge(user=alice, version=version)
    again = services.statement_acknowledge(user=alice, version=version)
    assert first.pk == again.pk
    assert StatementAcknowledgement.objects.filter(user=alice).count() == 1
    events = AuditEvent.objects.unscoped().filter(
        target_model="statement.statementacknowledgement", subject_user_id=alice.pk
    )
    assert events.count() == 1


def test_it_rejects_acknowledging_an_unknown_version(alice: Any) -> None:
    publish()
    response = client_for(alice).post("/privacy/acknowledge/", {"version": "7.3"})
    assert response.status_code == 404
    assert not StatementAcknowledgement.objects.exists()


def test_it_sends_anonymous_visitors_to_log_in_before_acknowledging(
    client: Client, db: Any
) -> None:
    publish()
    for response in (client.get("/privacy/acknowledge/"), client.post("/privacy/acknowledge/")):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_it_never_redirects_off_site_after_acknowledging(alice: Any) -> None:
    version = publish()
    response = client_for(alice).post(
        "/privacy/acknowledge/", {"version": version.number, "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/privacy/"


def test_it_shows_a_confirmed_page_after_acknowledging(alice: Any) -> None:
    version = publish()
    services.statement_acknowledge(user=alice, version=version)
    text = client_for(alice).get("/privacy/acknowledge/").content.decode()
    assert f"You have confirmed that you read version {version.number}." in text
    assert "I have read version" not in text


def test_it_remembers_the_notice_without_writing_to_the_database(alice: Any, org_a: Any) -> None:
    # Given a version alice has not read, and one she is settled with
    for settled in (False, True):
        StatementVersion.objects.all().delete()
        version = publish()
        if settled:
            services.statement_acknowledge(user=alice, version=version)
        client = client_for(alice, org_a)
        # When she opens pages
        with CaptureQueriesContext(connection) as queries:
            client.get("/")
            client.get("/account/")
        # Then the notice (or its absence) is remembered without any write
        writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(
            ("INSERT", "UPDATE", "DELETE"))]  # fmt: skip
        assert writes == [], settled


def test_it_asks_for_the_newest_version_once_per_process_within_the_setting(
    alice: Any, org_a: Any, settings: Any
) -> None:
    settings.PASSEND_STATEMENT_NOTICE_SECONDS = 3600
    middleware._LATEST[:] = [0.0, None]
    first = publish(days_ago=3, datamap=user_map(**V1))
    services.statement_acknowledge(user=alice, version=first)
    client = client_for(alice, org_a)
    client.get("/")  # reads the newest version once

    with CaptureQueriesContext(connection) as queries:
        client_for(alice, org_a).get("/account/")
    assert not [q for q in queries if "statement_statementversion" in q["sql"]]

    # Within the setting a newer version waits for the memo to expire ...
    second = publish(datamap=user_map(**V2))
    assert notices(client_for(alice, org_a).get("/")) == []
    # ... and is told once it has.
    middleware._LATEST[0] = -3600.0
    text = html.unescape(client_for(alice, org_a).get("/").content.decode())
    assert f"Version {second.number} of the privacy statement" in text
