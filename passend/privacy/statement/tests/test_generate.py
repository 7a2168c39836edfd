"""The generated statement: every declaration shows, in plain words, in both languages."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext

from passend.privacy.datamap import (
    Basis,
    DataMap,
    Personal,
    Purpose,
    Retention,
    RetentionAction,
    Subject,
    Trigger,
    category,
    default_map,
)
from passend.privacy.recipients import get_recipient, recipients
from passend.privacy.statement.generate import (
    Labels,
    _value,
    build_snapshot,
    collect_facts,
    content_for,
    document_context,
    is_transfer,
    period_words,
    render_content,
    retention_words,
)

User = settings.AUTH_USER_MODEL


def page_text(client: Client, language: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/privacy/")
    assert response.status_code == 200
    return html.unescape(response.content.decode()).casefold()


def page_html(client: Client, language: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/privacy/")
    assert response.status_code == 200
    return response.content.decode()


def _plain(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split()).casefold()


def between(page: str, start: str, *ends: str) -> str:
    """The part of `page` from `start` up to the first of `ends` after it."""
    begin = page.index(start)
    stops = [i for i in (page.find(end, begin + len(start)) for end in ends) if i != -1]
    return page[begin : min(stops, default=len(page))]


def table_rows(fragment: str) -> list[list[str]]:
    """The body rows of the tables in `fragment`, as plain lower-case cell texts."""
    rows = []
    for body in re.findall(r"<tbody>(.*?)</tbody>", fragment, re.S):
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
            rows.append([_plain(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)])
    return rows


def declared_personal_fields() -> list[tuple[str, str, Personal]]:
    return [
        (declaration.label, name, decl)
        for declaration in default_map().registry()
        for name, decl in declaration.personal_fields().items()
    ]


def label(text: object) -> str:
    return capfirst(str(text)).casefold()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_it_shows_every_declared_category_purpose_recipient_and_retention_period(
    published_statement: Any, client: Client, language: str
) -> None:
    # Given the project's data map, whatever has been declared in it by now
    fields = declared_personal_fields()
    assert fields, "the data map declares personal fields"
    # When anyone reads the statement
    page = page_html(client, language)
    facts = collect_facts()
    data = between(page, '<section id="data"', "</section>")
    retention_rows = table_rows(between(page, '<section id="retention"', "</section>"))
    purpose_rows = table_rows(between(page, '<section id="purposes"', "</section>"))
    recipient_rows = table_rows(between(page, '<section id="recipients"', "</section>"))
    # Then each field's category has a row under its subject that shows its
    # purposes, basis, retention and recipients; and the other sections agree
    missing = []
    with translation.override(language):
        for model, name, decl in fields:
            where = f"{model}.{name}"
            cat = category(decl.category)
            assert cat is not None, f"{where}: unknown category {decl.category}"
            subject = _value(decl.subject)
            rows = table_rows(between(data, f'<h3 id="data-{subject}"', "<h3", "</section>"))
            row = next((r for r in rows if r[0].startswith(label(cat.label))), None)
            if row is None:
                missing.append(f"{where}: no row for {cat.label} under {subject}")
                continue
            retention = retention_words(facts["fields"][where]["retention"]).casefold()
            expected = [(1, label(Purpose(p).label)) for p in decl.purposes]
            expected.append((2, label(Basis(decl.basis).label)))
            expected.append((3, retention))
            expected += [(4, str(get_recipient(key).name).casefold()) for key in decl.recipients]
            missing += [f"{where}: {text}" for column, text in expected if text not in row[column]]
            if not any(r[0] == label(cat.label) and retention in r[1] for r in retention_rows):
                missing.append(f"{where}: retention section lacks {retention}")
            for p in decl.purposes:
                if not any(
                    r[0] == label(Purpose(p).label) and label(cat.label) in r[2]
                    for r in purpose_rows
                ):
                    missing.append(f"{where}: purposes section lacks {p} for {cat.key}")
        for recipient in recipients():
            name = str(recipient.name).casefold()
            if not any(r[0].startswith(name) for r in recipient_rows):
                missing.append(f"recipient {recipient.key}")
    assert missing == []


def test_it_lists_every_personal_field_in_the_field_appendix(
    published_statement: Any, client: Client
) -> None:
    text = page_text(client, "en")
    with translation.override("en"):
        content = render_content(collect_facts())
    for key, label in content["labels"]["fields"].items():
        assert label.casefold() in text, key


def test_it_covers_the_topics_a_dutch_privacy_statement_must(
    published_statement: Any, client: Client
) -> None:
    text = page_text(client, "en")
    for phrase in [
        "is the controller",
        "as its processor",
        "right of access",
        "right to rectification",
        "right to erasure",
        "right to restriction",
        "right to data portability",
        "right to object",
        "autoriteit persoonsgegevens",
        "functional cookies",
        "encrypted",
        "changes to this statement",
        "sub-processors",
    ]:
        assert phrase in text, phrase
    assert 'href="https://autoriteitpersoonsgegevens.nl"' in text


def test_it_says_retention_in_plain_words() -> None:
    with translation.override("en"):
        four_weeks = {"trigger": Trigger.REGISTRATION.value, "seconds": 28 * 86400,
                      "action": RetentionAction.DELETE.value, "legal_obligation": None}  # fmt: skip
        seven_years = {"trigger": Trigger.END_OF_FISCAL_YEAR.value,
                       "seconds": 7 * 365 * 86400, "action": RetentionAction.KEEP.value,
                       "legal_obligation": "AWR art. 52"}  # fmt: skip
        anonymised = {"trigger": Trigger.CREATED.value, "seconds": 90 * 86400,
                      "action": RetentionAction.ANONYMISE.value,
                      "legal_obligation": None}  # fmt: skip
        expiry = {"trigger": Trigger.EXPIRED.value, "seconds": 0,
                  "action": RetentionAction.DELETE.value, "legal_obligation": None}  # fmt: skip
        assert retention_words(four_weeks) == "Deleted 4 weeks after registration."  # type: ignore[arg-type]
        assert retention_words(seven_years) == (  # type: ignore[arg-type]
            "Kept 7 years after the end of the fiscal year, as AWR art. 52 requires."
        )
        assert retention_words(anonymised) == (  # type: ignore[arg-type]
            "Anonymised 90 days after the record is created."
        )
        assert retention_words(expiry) == (  # type: ignore[arg-type]
            "Deleted immediately after the record expires or is revoked."
        )
        assert retention_words(None) == "No retention period is set."


def test_it_counts_periods_in_the_largest_whole_unit() -> None:
    with translation.override("en"):
        assert period_words(365 * 86400) == "1 year"
        assert period_words(5 * 365 * 86400) == "5 years"
        assert period_words(14 * 86400) == "2 weeks"
        assert period_words(30 * 86400) == "30 days"
        assert period_words(1 * 86400) == "1 day"
        assert period_words(8 * 3600) == "8 hours"
        assert period_words(90) == "1 hour"


def test_it_knows_which_locations_are_transfers_outside_the_eea() -> None:
    assert not is_transfer("NL/EU", "")
    assert not is_transfer("EU", "")
    assert not is_transfer("DE, NL", "")
    assert is_transfer("US", "")
    assert is_transfer("EU", "standard contractual clauses")
    assert not is_transfer("", "")


def small_map(**extra: Personal) -> DataMap:
    from django.apps import apps

    datamap = DataMap()
    retention = Retention(
        trigger=Trigger.CREATED, period=timedelta(days=28), action=RetentionAction.DELETE
    )
    fields = {
        "email": Personal(
            subject=Subject.CANDIDATE, category="user.contact.email",
            purposes=(Purpose.MEDIATION,), basis=Basis.CONTRACT, retention=retention,
            recipients=("hosting", "nowhere"),
        ),
        **extra,
    }  # fmt: skip
    datamap.declare(apps.get_model(User), fields=fields)
    return datamap


def test_it_shows_a_recipient_the_register_lacks_by_its_key() -> None:
    # A key the map names but the register does not hold is shown, never dropped.
    facts = collect_facts(small_map(), recipients())
    assert facts["recipients"]["nowhere"]["registered"] is False
    assert facts["recipients"]["nowhere"]["categories"] == ["user.contact.email"]
    with translation.override("en"):
        labels = Labels(facts, recipients(), small_map())
        context = document_context(facts, labels)
        page = render_content(facts, datamap=small_map(), register=recipients())["html"]
    rows = context["recipient_rows"] + context["processor_rows"]
    assert any(row[0][0] == "nowhere" for row in rows)
    recipient_rows = table_rows(between(page, '<section id="recipients"', "</section>"))
    assert any(row[0] == "nowhere" for row in recipient_rows)


def test_it_marks_sensitive_and_special_categories(db: Any) -> None:
    health = Personal(
        subject=Subject.CANDIDATE, category="user.health_and_medical",
        purposes=(Purpose.COACHING,), basis=Basis.CONSENT, art9="9(2)(a) explicit consent",
        sensitive=True,
        retention=Retention(trigger=Trigger.CONSENT_WITHDRAWN, period=timedelta(0),
                            action=RetentionAction.DELETE),
    )  # fmt: skip
    datamap = small_map(name=health)
    facts = collect_facts(datamap, recipients())
    with translation.override("en"):
        context = document_context(facts, Labels(facts, recipients(), datamap))
    cells = [row[0] for subject in context["subjects"] for row in subject["rows"]]
    health_cell = next(c for c in cells if c[0] == "Health data")
    assert "Sensitive: encrypted, and every view is recorded." in health_cell
    assert "Special category, processed under GDPR Art. 9(2)(a) explicit consent." in health_cell


def test_it_snapshots_every_language_and_hashes_language_independently(db: Any) -> None:
    with translation.override("nl"):
        in_dutch = build_snapshot()
    with translation.override("en"):
        in_english = build_snapshot()
    assert set(in_dutch["content"]) == {"nl", "en"}
    assert in_dutch["hashes"] == in_english["hashes"]
    assert content_for(in_dutch, "en")["title"] == "Privacy statement"
    assert content_for(in_dutch, "xx") == in_dutch["content"][settings.LANGUAGE_CODE]
    assert content_for({}, "en") == {"title": "", "html": "", "labels": {}}


def test_it_writes_the_prose_from_the_template_in_the_chosen_language(db: Any) -> None:
    # The statement's sentences live in statement/document/statement.html
    snapshot = build_snapshot()
    english = snapshot["content"]["en"]["html"]
    dutch = snapshot["content"]["nl"]["html"]
    assert '<h2 id="who-title">1. Who is responsible for your data?</h2>' in english
    assert "Under the General Data Protection Regulation (GDPR) you have the right to:" in english
    assert 'href="/account/"' in english
    assert 'href="/privacy/versions/"' in english
    with translation.override("nl"):
        who = gettext("Who is responsible for your data?")
    assert who != "Who is responsible for your data?", "the Dutch catalogue translates it"
    assert f"1. {who}</h2>" in dutch
    assert "Who is responsible for your data?" not in dutch
