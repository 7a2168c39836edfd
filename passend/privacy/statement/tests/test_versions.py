"""Versioning (J8, P13): a changed map publishes a new numbered, dated version; old
versions stay readable; a page shows what changed."""

from __future__ import annotations

import html
from dataclasses import replace
from datetime import datetime, timedelta
from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone, translation

from passend.privacy.datamap import (
    Basis,
    DataMap,
    Personal,
    Purpose,
    Retention,
    RetentionAction,
    Subject,
    Trigger,
)
from passend.privacy.recipients import Recipient, RecipientKind, recipients
from passend.privacy.statement import services
from passend.privacy.statement.diff import ADDED, CHANGED, REMOVED, diff_snapshots
from passend.privacy.statement.generate import build_snapshot
from passend.privacy.statement.models import StatementVersion

RETENTION = Retention(
    trigger=Trigger.CREATED, period=timedelta(days=28), action=RetentionAction.DELETE
)


def field(category: str, *, purposes: tuple[Purpose, ...] = (Purpose.MEDIATION,),
          retention: Retention = RETENTION, recipients: tuple[str, ...] = ("hosting",)
          ) -> Personal:  # fmt: skip
    return Personal(
        subject=Subject.CANDIDATE, category=category, purposes=purposes, basis=Basis.CONTRACT,
        retention=retention, recipients=recipients,
    )  # fmt: skip


def user_map(**fields: Personal) -> DataMap:
    datamap = DataMap()
    datamap.declare(apps.get_model(settings.AUTH_USER_MODEL), fields=fields)
    return datamap


V1 = {"email": field("user.contact.email")}
V2 = {**V1, "name": field("user.name")}


def at(day: int, month: int = 1) -> datetime:
    return timezone.make_aware(datetime(2026, month, day, 12, 0))


def text_of(response: Any) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_it_publishes_version_1_0_once_and_not_again_while_nothing_changes(db: Any) -> None:
    first, created = services.statement_publish(datamap=user_map(**V1), now=at(5))
    assert (first.number, created) == ("1.0", True)
    again, created_again = services.statement_publish(datamap=user_map(**V1), now=at(9))
    assert (again.pk, created_again) == (first.pk, False)
    assert StatementVersion.objects.count() == 1
    assert again.published_at == at(5)


def test_it_publishes_a_new_number_and_date_when_the_map_changes(db: Any) -> None:
    services.statement_publish(datamap=user_map(**V1), now=at(5))
    # When a field is added under an existing purpose: a minor version
    second, created = services.statement_publish(datamap=user_map(**V2), now=at(10, 2))
    assert (second.number, created) == ("1.1", True)
    assert second.published_at == at(10, 2)
    # When a new purpose appears: a major version
    v3 = {**V2, "name": field("user.name", purposes=(Purpose.MEDIATION, Purpose.NEWSLETTER))}
    third, _ = services.statement_publish(datamap=user_map(**v3), now=at(1, 3))
    assert third.number == "2.0"
    # Reverting to an earlier map is a change too
    fourth, created = services.statement_publish(datamap=user_map(**V1), now=at(2, 3))
    assert (fourth.number, created) == ("2.1", True)
    hashes = {v.source_hash for v in StatementVersion.objects.all()}
    assert len(hashes) == 3


def test_it_publishes_a_new_version_when_the_recipients_register_changes(db: Any) -> None:
    register = recipients()
    services.statement_publish(datamap=user_map(**V1), register=register, now=at(5))
    extra = Recipient(
        key="payroll", name="Payroll bureau", kind=RecipientKind.PROCESSOR,
        purpose=Purpose.PAYMENTS, basis=Basis.CONTRACT, location="US",
        safeguards="EU standard contractual clauses", description="Runs the payroll.",
    )  # fmt: skip
    version, created = services.statement_publish(
        datamap=user_map(**V1), register=[*register, extra], now=at(6)
    )
    assert created
    assert version.number == "2.0"
    assert version.recipients_hash != StatementVersion.objects.get(major=1).recipients_hash
    assert version.map_hash == StatementVersion.objects.get(major=1).map_hash


def test_it_stores_the_map_hash_of_the_data_map(db: Any) -> None:
    datamap = user_map(**V1)
    version, _ = services.statement_publish(datamap=datamap)
    assert version.map_hash == datamap.map_hash()
    assert version.snapshot["hashes"]["map"] == datamap.map_hash()


def test_it_shows_the_version_number_and_date_at_the_top(db: Any, client: Client) -> None:
    version, _ = services.statement_publish(now=at(22, 11))
    text = text_of(client.get("/privacy/"))
    assert f"Version {version.number} \u2013 22-11-2026" in text


def test_it_keeps_old_versions_readable_exactly_as_they_were(db: Any, client: Client) -> None:
    services.statement_publish(datamap=user_map(**V2), now=at(5))
    services.statement_publish(datamap=user_map(**V1), now=at(6))
    old = client.get("/privacy/versions/1.0/")
    text = text_of(old)
    assert "Version 1.0 \u2013 05-01-2026" in text
    assert "User: name" in text  # the field that 1.1 no longer has
    assert "an earlier version" in text
    assert "User: name" not in text_of(client.get("/privacy/versions/1.1/"))
    listing = text_of(client.get("/privacy/versions/"))
    assert "/privacy/versions/1.0/" in listing
    assert "/privacy/versions/1.1/" in listing
    assert "/privacy/changes/?from=1.0&to=1.1" in listing


@pytest.mark.parametrize("number", ["9.9", "abc", "1", "1.0.0", "-1.0"])
def test_it_answers_404_for_an_unknown_version(db: Any, client: Client, number: str) -> None:
    services.statement_publish(datamap=user_map(**V1))
    assert client.get(f"/privacy/versions/{number}/").status_code == 404
    assert client.get("/privacy/changes/", {"from": number, "to": "1.0"}).status_code == 404
    assert client.get("/privacy/changes/", {"from": "1.0", "to": number}).status_code == 404


def test_it_lists_an_added_field_in_the_changes(db: Any, client: Client) -> None:
    services.statement_publish(datamap=user_map(**V1), now=at(5))
    services.statement_publish(datamap=user_map(**V2), now=at(6))
    text = text_of(client.get("/privacy/changes/", {"from": "1.0", "to": "1.1"}))
    assert "From version 1.0 (05-01-2026) to version 1.1 (06-01-2026)." in text
    assert "User: name" in text
    assert "added" in text
    # and the structured diff says so precisely
    old, new = StatementVersion.objects.filter(major=1).order_by("minor")
    diff = diff_snapshots(old.snapshot, new.snapshot, language="en")
    fields = next(g for g in diff.groups if g.key == "fields")
    assert [(e.change, e.key) for e in fields.entries] == [(ADDED, "accounts.User.name")]
    categories = next(g for g in diff.groups if g.key == "categories")
    assert [(e.change, e.label) for e in categories.entries] == [(ADDED, "Name")]


def test_it_lists_removed_and_changed_fields_with_before_and_after(db: Any) -> None:
    longer = Retention(
        trigger=Trigger.CREATED, period=timedelta(days=365), action=RetentionAction.DELETE
    )
    old = build_snapshot(user_map(**V2))
    new = build_snapshot(user_map(email=field("user.contact.email", retention=longer)))
    with translation.override("en"):
        diff = diff_snapshots(old, new, language="en")
    fields = next(g for g in diff.groups if g.key == "fields")
    entries = {e.key: e for e in fields.entries}
    assert entries["accounts.User.name"].change == REMOVED
    changed = entries["accounts.User.email"]
    assert changed.change == CHANGED
    assert [(d.attribute, d.before, d.after) for d in changed.details] == [
        ("Retention", "Deleted 4 weeks after the record is created.",
         "Deleted 1 year after the record is created."),
    ]  # fmt: skip


def test_it_says_when_only_the_wording_changed(db: Any) -> None:
    register = recipients()
    reworded = [replace(r, description="Other words.") for r in register]
    old = build_snapshot(user_map(**V1), register)
    new = build_snapshot(user_map(**V1), reworded)
    diff = diff_snapshots(old, new, language="en")
    assert diff.wording_changed
    assert not diff.facts_changed
    assert not diff.groups
    assert not diff_snapshots(old, old).wording_changed
    assert diff_snapshots(old, old).is_empty


def test_it_compares_the_latest_with_the_one_before_by_default(db: Any, client: Client) -> None:
    services.statement_publish(datamap=user_map(**V1), now=at(5))
    services.statement_publish(datamap=user_map(**V2), now=at(6))
    services.statement_publish(now=at(7))  # the real map: the current version
    text = text_of(client.get("/privacy/changes/"))
    # the real map adds purposes to the small one: a major version
    assert "From version 1.1 (06-01-2026) to version 2.0 (07-01-2026)." in text


def test_it_publishes_from_the_command_only_when_something_changed(db: Any) -> None:
    out = StringIO()
    call_command("publish_statement", stdout=out)
    assert "Published privacy statement version 1.0" in out.getvalue()
    out = StringIO()
    call_command("publish_statement", stdout=out)
    assert "unchanged at version 1.0" in out.getvalue()
    assert StatementVersion.objects.count() == 1


def test_it_never_publishes_on_a_page_view(db: Any, client: Client) -> None:
    # Given a published version, and then a data map that has moved on
    services.statement_publish(datamap=user_map(**V1), now=at(5))
    # When anyone reads the statement pages
    for path in ("/privacy/", "/privacy/versions/", "/privacy/versions/1.0/", "/privacy/changes/"):
        assert client.get(path).status_code == 200, path
    # Then they read the published version; only publish_statement publishes
    assert StatementVersion.objects.count() == 1
    assert "Version 1.0 \u2013 05-01-2026" in text_of(client.get("/privacy/"))
    call_command("publish_statement", stdout=StringIO())
    assert StatementVersion.objects.count() == 2


def test_it_renders_the_stored_language_the_reader_chose(db: Any, client: Client) -> None:
    # Given a version whose Dutch content differs from its English content
    snapshot = build_snapshot()
    snapshot["content"]["nl"]["title"] = "Privacyverklaring"
    hashes = snapshot["hashes"]
    StatementVersion.objects.create(
        major=1, minor=0, map_hash=hashes["map"], recipients_hash=hashes["recipients"],
        facts_hash=hashes["facts"], source_hash=hashes["source"], snapshot=snapshot,
    )  # fmt: skip
    # Dutch by cookie
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    dutch = text_of(client.get("/privacy/"))
    assert '<html lang="nl">' in dutch
    assert "<h1>Privacyverklaring</h1>" in dutch
    # the language switcher takes the reader to English on the same page
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/privacy/"})
    assert response.status_code == 302
    assert response["Location"] == "/privacy/"
    english = text_of(client.get("/privacy/"))
    assert '<html lang="en">' in english
    assert "<h1>Privacy statement</h1>" in english
    assert StatementVersion.objects.count() == 1


def test_it_still_shows_a_version_stored_before_the_statement_was_html(
    db: Any, client: Client
) -> None:
    # Given a version published as sections of blocks (snapshot format 1)
    old_content = {
        "title": "Privacy statement",
        "sections": [{"id": "who", "title": "Who is responsible", "blocks": [
            {"type": "p", "text": "Words of <the> old version."},
            {"type": "table", "caption": "Old table", "head": ["Data"], "rows": [[["E-mail"]]],
             "collapsed": False},
        ]}],
        "labels": {},
    }  # fmt: skip
    hashes = {"map": "m", "recipients": "r", "facts": "f", "content": "c", "source": "s"}
    StatementVersion.objects.create(
        major=1, minor=0, map_hash="m", recipients_hash="r", facts_hash="f", source_hash="s",
        snapshot={"format": 1, "facts": {"fields": {}, "recipients": {}},
                  "content": {"en": old_content}, "hashes": hashes},
    )  # fmt: skip
    # When someone reads it, it shows exactly as it was published
    page = client.get("/privacy/versions/1.0/").content.decode()
    assert '<section id="who"' in page
    assert "Words of &lt;the&gt; old version." in page
    assert "Old table</caption>" in page
    assert "E-mail" in page
