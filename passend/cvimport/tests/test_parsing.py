"""Reading a CV's text: periods, headings, entries, languages, contact details."""

from __future__ import annotations

import pytest

from passend.cvimport.extract import DOCX, MAX_PAGES, PDF, ExtractionFailed, extract_text
from passend.cvimport.parsing import (
    detect_language,
    find_period,
    heading_of,
    language_items,
    parse_cv,
    skill_items,
)
from passend.cvimport.tests import cv_fixtures


@pytest.mark.parametrize(
    ("text", "start", "end", "current"),
    [
        ("2019 - heden", "2019", "", True),
        ("jan 2018 \u2013 mrt 2020", "2018-01", "2020-03", False),
        ("2015-2019", "2015", "2019", False),
        ("March 2017 to present", "2017-03", "", True),
        ("03-2016 t/m 11-2018", "2016-03", "2018-11", False),
        ("since 2021", "2021", "", True),
    ],
)
def test_it_reads_periods_in_dutch_and_english(text, start, end, current):
    period = find_period(text)
    assert period is not None
    assert (period.start, period.end, period.current) == (start, end, current)


def test_it_does_not_take_a_postcode_or_phone_number_for_a_period():
    assert find_period("3512 AB Utrecht") is None
    assert find_period("06-12345678") is None


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Werkervaring", "work"),
        ("WORK EXPERIENCE:", "work"),
        ("Opleidingen", "education"),
        ("Kennis en vaardigheden", "skills"),
        ("Languages", "languages"),
    ],
)
def test_it_finds_headings_in_both_languages(line, kind):
    assert heading_of(line) == (kind, "")


def test_it_reads_a_heading_with_its_content_on_the_same_line():
    assert heading_of("Talen: Nederlands, Engels") == ("languages", "Nederlands, Engels")


def test_it_tells_dutch_from_english_and_from_german():
    assert (
        detect_language("Ik heb vijf jaar ervaring als medewerker bij de klantenservice.") == "nl"
    )
    assert (
        detect_language("I was responsible for the planning of the team and the customers.") == "en"
    )
    german = "Ich war für die Beratung der Kunden und die Kasse verantwortlich und mit dem Team"
    assert detect_language(german) == "de"


def test_it_reads_languages_with_their_levels():
    items = language_items(["Nederlands - moedertaal", "English (fluent), Duits: basis"])
    assert [(i.language, i.level) for i in items] == [
        ("nl", "native"),
        ("en", "fluent"),
        ("de", "basic"),
    ]


def test_it_reads_skills_from_lists_and_keeps_brackets_together():
    items = skill_items(["Python (expert), SQL; Microsoft Office (Word, Excel)", "• plannen"])
    assert items == [
        ("Python", "expert"),
        ("SQL", ""),
        ("Microsoft Office (Word, Excel)", ""),
        ("plannen", ""),
    ]


def test_it_reads_a_small_dutch_cv():
    text = """Sanne de Jong
Kerkstraat 12, 3512 AB Utrecht
06-12345678
sanne@example.org

Werkervaring
2019 - heden
Medewerker klantenservice
Coolblue, Rotterdam
• Vragen van klanten beantwoorden.
jan 2016 - mrt 2019  Magazijnmedewerker bij PostNL

Opleiding
2012 - 2015
Logistiek medewerker (MBO niveau 2)
ROC Midden Nederland
Diploma behaald
"""
    parsed = parse_cv(text)
    assert parsed.language == "nl"
    assert (parsed.contact.email, parsed.contact.phone) == ("sanne@example.org", "+31612345678")
    assert (parsed.contact.postcode, parsed.contact.city) == ("3512 AB", "Utrecht")
    assert (parsed.contact.street, parsed.contact.house_number) == ("Kerkstraat", "12")
    assert [(w.role, w.employer, w.start, w.current) for w in parsed.work] == [
        ("Medewerker klantenservice", "Coolblue", "2019", True),
        ("Magazijnmedewerker", "PostNL", "2016-01", False),
    ]
    assert parsed.work[0].description == "Vragen van klanten beantwoorden."
    [education] = parsed.education
    assert (education.programme, education.institution) == (
        "Logistiek medewerker",
        "ROC Midden Nederland",
    )
    assert (education.level, education.completed) == ("MBO niveau 2", True)


@pytest.mark.parametrize("file_type", ["pdf", "docx"])
def test_it_reads_the_text_of_a_pdf_and_a_docx_with_tables(file_type):
    cv = cv_fixtures.example_cv("en", file_type, "table")
    text = extract_text(cv.data, PDF if file_type == "pdf" else DOCX).text
    assert cv.truth.email in text
    assert cv.truth.work[0].role in text


def test_it_says_a_scan_has_no_text():
    with pytest.raises(ExtractionFailed) as raised:
        extract_text(cv_fixtures.scanned_pdf(), PDF)
    assert raised.value.code == "no_text"


def test_it_says_a_pdf_with_a_password_cannot_be_read():
    with pytest.raises(ExtractionFailed) as raised:
        extract_text(cv_fixtures.encrypted_pdf(), PDF)
    assert raised.value.code == "encrypted"


def test_it_says_a_broken_file_cannot_be_read():
    with pytest.raises(ExtractionFailed) as raised:
        extract_text(b"%PDF-1.4\nnot really a pdf", PDF)
    assert raised.value.code in ("unreadable", "no_text")
    with pytest.raises(ExtractionFailed):
        extract_text(b"PK\x03\x04 not a zip", DOCX)


def test_it_reads_only_the_first_pages_of_a_long_pdf():
    extracted = extract_text(cv_fixtures.long_pdf(MAX_PAGES + 5), PDF)
    assert extracted.truncated
    assert extracted.pages == MAX_PAGES + 5
