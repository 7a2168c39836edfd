"""Make the English catalogue complete: every msgstr is its msgid.

The source texts are English, so the English catalogue translates each text to
itself. makemessages leaves fuzzy guesses and previous msgids behind; this
drops them. Usage: python scripts/english_catalogue.py locale/en/LC_MESSAGES/django.po
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

QUOTED = r'(".*"(?:\n".*")*)'


def english_entry(block: str) -> str | None:
    lines = [
        line
        for line in block.split("\n")
        if not line.startswith(("#|", "#~")) and line.strip() not in ("#,", "#, fuzzy")
    ]
    lines = [line.replace(", fuzzy", "") if line.startswith("#,") else line for line in lines]
    comments = [line for line in lines if line.startswith("#")]
    body = "\n".join(line for line in lines if not line.startswith("#"))
    msgid = re.search(r"^msgid " + QUOTED, body, re.M)
    if msgid is None:
        return None
    plural = re.search(r"^msgid_plural " + QUOTED, body, re.M)
    entry = [*comments, "msgid " + msgid.group(1)]
    if plural:
        entry += [
            "msgid_plural " + plural.group(1),
            "msgstr[0] " + msgid.group(1),
            "msgstr[1] " + plural.group(1),
        ]
    else:
        entry.append("msgstr " + msgid.group(1))
    return "\n".join(entry)


def main(path: Path) -> None:
    header, *blocks = path.read_text().strip().split("\n\n")
    entries = [entry for block in blocks if (entry := english_entry(block))]
    path.write_text("\n\n".join([header, *entries]) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
