"""The text of a CV: PDF with pypdf, DOCX with python-docx (tables included).

Runs on bytes that `documents.validation.check_upload` already judged by
content (a PDF or a Word document, no active content, no zip bomb). What can
still go wrong here is told with an `ExtractionFailed` whose message is meant
for the page: an encrypted PDF, a scan without a text layer, a damaged file.
Work is bounded: at most `MAX_PAGES` pages and `MAX_CHARS` characters are
read; beyond that the text is cut and `Extracted.truncated` says so.
"""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

MAX_PAGES = 20
MAX_CHARS = 100_000
# Fewer letters than this in the whole file: a scan or a picture of a CV.
MIN_LETTERS = 40


class ExtractionFailed(Exception):
    """The file holds no text we can read; `message` says why, for the page."""

    def __init__(self, message: Promise | str, *, code: str):
        super().__init__(str(message))
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Extracted:
    text: str
    pages: int
    truncated: bool


def extract_text(data: bytes, content_type: str) -> Extracted:
    if content_type == PDF:
        extracted = _pdf_text(data)
    elif content_type == DOCX:
        extracted = _docx_text(data)
    else:
        raise ExtractionFailed(
            _("Only PDF and Word (.docx) files can be read."), code="type_not_allowed"
        )
    letters = sum(1 for char in extracted.text if char.isalpha())
    if letters < MIN_LETTERS:
        raise ExtractionFailed(
            _(
                "We found no text in this file. Is it a scan or a photo of a CV? "
                "Upload a PDF or Word file made with a word processor, or fill in "
                "the profile by hand."
            ),
            code="no_text",
        )
    return extracted


def _cut(parts: list[str], pages: int, truncated: bool) -> Extracted:
    text = "\n".join(parts)
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
        truncated = True
    return Extracted(text=text.replace("\x00", ""), pages=pages, truncated=truncated)


def _unreadable() -> ExtractionFailed:
    return ExtractionFailed(
        _("The file is damaged or could not be read. Save it again as PDF or Word and retry."),
        code="unreadable",
    )


def _pdf_text(data: bytes) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            # An empty user password opens many "protected" PDFs (printing or
            # copying restricted); any other password we do not ask for.
            try:
                opened = bool(reader.decrypt(""))
            except (FileNotDecryptedError, NotImplementedError, PdfReadError, ValueError):
                opened = False
            if not opened:
                raise ExtractionFailed(
                    _(
                        "This PDF is protected with a password. Save it without the "
                        "password and upload it again."
                    ),
                    code="encrypted",
                )
        total = len(reader.pages)
        parts: list[str] = []
        size = 0
        for number in range(min(total, MAX_PAGES)):
            page_text = reader.pages[number].extract_text() or ""
            parts.append(page_text)
            size += len(page_text)
            if size > MAX_CHARS:
                break
        return _cut(parts, total, total > MAX_PAGES)
    except ExtractionFailed:
        raise
    except Exception:  # pypdf raises many kinds on hostile or broken files
        logger.info("A PDF could not be read for CV import.", exc_info=True)
        raise _unreadable() from None


def _docx_text(data: bytes) -> Extracted:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
        parts: list[str] = []
        for section in document.sections:
            for paragraph in section.header.paragraphs:
                if paragraph.text.strip():
                    parts.append(paragraph.text)
        size = 0
        for line in _body_lines(document):
            parts.append(line)
            size += len(line)
            if size > MAX_CHARS:
                break
        return _cut(parts, 1, False)
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        logger.info("A DOCX could not be read for CV import: %s", type(error).__name__)
        raise _unreadable() from None
    except Exception:
        logger.info("A DOCX could not be read for CV import.", exc_info=True)
        raise _unreadable() from None


def _body_lines(document: Any) -> Iterator[str]:
    """Paragraphs and tables in the order they stand; a table cell by cell,
    row by row, each merged cell once."""
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    body = document.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, document).text
        elif child.tag == qn("w:tbl"):
            yield from _table_lines(Table(child, document), depth=0)


def _table_lines(table: Any, *, depth: int) -> Iterator[str]:
    """A row's cells side by side on one line (a period beside a role stays
    beside it), a cell's further paragraphs after it; a layout table (long
    cells) cell after cell; each merged cell once."""
    seen: set[int] = set()
    kept: list[Any] = []  # the cells' elements stay alive, so their ids stay theirs
    for row in table.rows:
        firsts: list[str] = []
        rests: list[str] = []
        inner: list[Any] = []
        cells: list[list[str]] = []
        for cell in row.cells:
            key = id(cell._tc)
            if key in seen:
                continue
            seen.add(key)
            kept.append(cell._tc)
            cells.append([p.text.strip() for p in cell.paragraphs if p.text.strip()])
            inner.extend(cell.tables if depth < 2 else [])
        if any(len(texts) > 3 for texts in cells):
            # A table used for the page's layout (a sidebar beside the main
            # column): one cell after the other.
            for texts in cells:
                yield from texts
                yield ""
            cells = []
        for texts in cells:
            if texts:
                firsts.append(texts[0])
                rests.extend(texts[1:])
        if firsts:
            yield "  ".join(firsts)
        yield from rests
        for table_inside in inner:
            yield from _table_lines(table_inside, depth=depth + 1)
    yield ""
