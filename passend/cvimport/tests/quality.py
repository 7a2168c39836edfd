"""Precision and recall of the parser per field, against generated CVs with known contents.

Shared by test_quality.py (minimums on a small set) and
benchmarks/bench_cv_import.py (the measured table in docs/cvimport.md).
Values are compared casefolded with runs of spaces collapsed; lists as
multisets, so a value found twice where it stands once counts once right and
once wrong.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from passend.cvimport.extract import DOCX, PDF, ExtractionFailed, extract_text
from passend.cvimport.parsing import ParsedCv, parse_cv
from passend.cvimport.tests.cv_fixtures import GeneratedCv, Truth

FIELDS = (
    "work.role",
    "work.employer",
    "work.dates",
    "education.programme",
    "education.institution",
    "education.dates",
    "skills",
    "languages",
    "email",
    "phone",
    "postcode",
    "city",
    "language",
)


@dataclass
class Tally:
    right: int = 0
    found: int = 0
    expected: int = 0

    @property
    def precision(self) -> float:
        return self.right / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.expected if self.expected else 1.0

    def add(self, found: list[str], expected: list[str]) -> None:
        found_counts = Counter(_norm(v) for v in found if v)
        expected_counts = Counter(_norm(v) for v in expected if v)
        self.right += sum((found_counts & expected_counts).values())
        self.found += sum(found_counts.values())
        self.expected += sum(expected_counts.values())


def _norm(value: str) -> str:
    return re.sub(r"\s+", " ", value.casefold()).strip()


def _dates(start: str, end: str, current: bool) -> str:
    return f"{start}|{'current' if current else end}"


def compare(parsed: ParsedCv | None, truth: Truth, tallies: dict[str, Tally]) -> None:
    work = parsed.work if parsed else []
    education = parsed.education if parsed else []
    tallies["work.role"].add([w.role for w in work], [w.role for w in truth.work])
    tallies["work.employer"].add([w.employer for w in work], [w.employer for w in truth.work])
    tallies["work.dates"].add(
        [_dates(w.start, w.end, w.current) for w in work],
        [_dates(w.start, w.end, w.current) for w in truth.work],
    )
    tallies["education.programme"].add(
        [e.programme for e in education], [e.programme for e in truth.education]
    )
    tallies["education.institution"].add(
        [e.institution for e in education], [e.institution for e in truth.education]
    )
    tallies["education.dates"].add(
        [_dates(e.start, e.end, False) for e in education],
        [_dates(e.start, e.end, False) for e in truth.education],
    )
    tallies["skills"].add([s for s, _level in parsed.skills] if parsed else [], truth.skills)
    tallies["languages"].add(
        [f"{item.language}:{item.level}" for item in parsed.languages] if parsed else [],
        [f"{code}:{level}" for code, level in truth.languages.items()],
    )
    contact = parsed.contact if parsed else None
    for name in ("email", "phone", "postcode", "city"):
        tallies[name].add([getattr(contact, name)] if contact else [], [getattr(truth, name)])
    tallies["language"].add([parsed.language] if parsed else [], [truth.language])


def parse_file(cv: GeneratedCv) -> ParsedCv | None:
    content_type = PDF if cv.truth.file_type == "pdf" else DOCX
    try:
        return parse_cv(extract_text(cv.data, content_type).text)
    except ExtractionFailed:
        return None


def measure(cvs: list[GeneratedCv]) -> dict[str, Tally]:
    tallies = {name: Tally() for name in FIELDS}
    for cv in cvs:
        compare(parse_file(cv), cv.truth, tallies)
    return tallies


def table(tallies: dict[str, Tally]) -> str:
    rows = ["| field | precision | recall | found | expected |", "|---|---:|---:|---:|---:|"]
    for name, tally in tallies.items():
        rows.append(
            f"| {name} | {tally.precision:.2f} | {tally.recall:.2f} | {tally.found} | "
            f"{tally.expected} |"
        )
    return "\n".join(rows)


def misses(cvs: list[GeneratedCv], field: str) -> list[dict[str, Any]]:
    """For looking into a field's mistakes while improving the parser."""
    out = []
    for cv in cvs:
        tallies = {name: Tally() for name in FIELDS}
        parsed = parse_file(cv)
        compare(parsed, cv.truth, tallies)
        tally = tallies[field]
        if tally.right != tally.found or tally.right != tally.expected:
            out.append({"name": cv.name, "layout": cv.truth.layout, "parsed": parsed})
    return out
