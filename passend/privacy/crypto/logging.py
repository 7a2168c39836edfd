"""A logging filter that masks BSN- and IBAN-shaped values before any handler writes them.

Masked: every IBAN that python-stdnum accepts (with or without spaces, any
case), and every BSN-shaped number that passes the eleven test: 9 digits, or
8 (older numbers lose their leading zero), written plainly or grouped with
spaces, dots or dashes ("1112.22.333", "111 222 333"). About one in eleven
random 9-digit numbers passes the test too and is masked as well: a log line
losing an order number is cheap, a BSN in a log is not.

The filter rewrites the record itself (message with its arguments, exception
text and stack), so every handler after it sees only the masked text.
Installed on the console handler in config/settings/base.py (LOGGING).
"""

from __future__ import annotations

import logging
import re

from stdnum import iban as stdnum_iban
from stdnum.nl import bsn as stdnum_bsn

BSN_MASK = "[BSN]"
IBAN_MASK = "[IBAN]"

_SEP = r"[ .\-]"
# A run of digit groups joined by single separators, not glued to other digits.
_DIGIT_RUN = re.compile(rf"(?<!\d)(?<!\d{_SEP})\d+(?:{_SEP}\d+)*")
_IBAN_START = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}")
_IBAN_MIN, _IBAN_MAX = 15, 34


def _mask_ibans(text: str) -> str:
    out: list[str] = []
    position = 0
    for start_match in _IBAN_START.finditer(text):
        start = start_match.start()
        if start < position:
            continue
        # Walk forward over letters and digits, allowing single spaces between
        # groups; remember every prefix long enough to be an IBAN.
        compact: list[str] = []
        ends: list[tuple[int, str]] = []
        index = start
        while index < len(text) and len(compact) < _IBAN_MAX:
            char = text[index]
            if char.isascii() and char.isalnum():
                compact.append(char)
                index += 1
                if len(compact) >= _IBAN_MIN:
                    ends.append((index, "".join(compact)))
            elif char == " " and index + 1 < len(text) and text[index + 1].isalnum():
                index += 1
            else:
                break
        for end, candidate in reversed(ends):
            followed_by_alnum = end < len(text) and text[end].isascii() and text[end].isalnum()
            if not followed_by_alnum and stdnum_iban.is_valid(candidate):
                out.append(text[position:start])
                out.append(IBAN_MASK)
                position = end
                break
    out.append(text[position:])
    return "".join(out)


def _mask_run(match: re.Match[str]) -> str:
    """Mask every BSN inside a run of digit groups ("BSN 111222333 of 123 45").

    A BSN is one group of 8 or 9 digits, or adjacent groups of 9 digits in
    all (so "2024-01-15", eight digits in three groups, stays).
    """
    pieces = re.split(f"({_SEP})", match.group(0))
    groups = pieces[0::2]
    span_of: list[int | None] = [None] * len(groups)
    start = 0
    while start < len(groups):
        digits = ""
        for end in range(start, len(groups)):
            digits += groups[end]
            if len(digits) > 9:
                break
            single = end == start
            if (len(digits) == 9 or (single and len(digits) == 8)) and stdnum_bsn.is_valid(digits):
                for index in range(start, end + 1):
                    span_of[index] = start
                start = end
                break
        start += 1
    out: list[str] = []
    for index, group in enumerate(groups):
        continues_span = (
            index > 0 and span_of[index] is not None and (span_of[index] == span_of[index - 1])
        )
        if continues_span:
            continue
        if index > 0:
            out.append(pieces[2 * index - 1])
        out.append(group if span_of[index] is None else BSN_MASK)
    return "".join(out)


def mask_sensitive(text: str) -> str:
    """`text` with every IBAN and BSN-shaped value replaced by a marker."""
    if not text:
        return text
    return _DIGIT_RUN.sub(_mask_run, _mask_ibans(text))


class MaskPersonalDataFilter(logging.Filter):
    """Masks BSNs and IBANs in the message, its arguments and exception text. Never drops."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed format: mask what there is
            message = f"{record.msg} {record.args}"
        record.msg = mask_sensitive(message)
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = mask_sensitive(logging.Formatter().formatException(record.exc_info))
            # Handlers without this filter format exc_info themselves; keep
            # the type and traceback out of reach of the unmasked message.
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = mask_sensitive(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_sensitive(record.stack_info)
        return True
