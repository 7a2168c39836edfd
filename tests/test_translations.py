"""Dutch first, English too: both catalogues are complete."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def _entries(language: str) -> list[tuple[str, list[str], bool]]:
    text = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text()
    entries = []
    for block in text.strip().split("\n\n")[1:]:
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in block.splitlines())
        head = block.split("msgstr")[0].split("msgid_plural")[0]
        msgid = "".join(re.findall(r'^(?:msgid )?"(.*)"$', head, re.M))
        strings = re.findall(r'^msgstr(?:\[\d\])? "(.*)"((?:\n".*")*)', block, re.M)
        values = [first + "".join(re.findall(r'"(.*)"', rest)) for first, rest in strings]
        entries.append((msgid, values, fuzzy))
    return entries


@pytest.mark.parametrize("language", ["nl", "en"])
def test_it_has_a_complete_catalogue(language):
    entries = _entries(language)
    assert len(entries) > 100
    missing = [msgid for msgid, values, _fuzzy in entries if not all(values)]
    fuzzy = [msgid for msgid, _values, is_fuzzy in entries if is_fuzzy]
    assert missing == [], f"untranslated in {language}: {missing[:10]}"
    assert fuzzy == [], f"fuzzy in {language}: {fuzzy[:10]}"


def test_it_has_the_same_messages_in_dutch_and_english():
    assert {m for m, _v, _f in _entries("nl")} == {m for m, _v, _f in _entries("en")}


def test_it_keeps_every_placeholder_in_the_dutch_translation():
    for msgid, values, _fuzzy in _entries("nl"):
        wanted = sorted(re.findall(r"%\(\w+\)[sd]", msgid))
        for value in values:
            assert sorted(re.findall(r"%\(\w+\)[sd]", value)) == wanted, msgid
