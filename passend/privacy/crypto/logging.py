"""A logging filter that masks BSN- and IBAN-shaped values before any handler writes them.

Masked: every IBAN that python-stdnum accepts (with or without spaces, any
case), and every BSN-shaped number that passes the eleven test: 9 digits, or
8 (older numbers lose their leading zero), written plainly or grouped with
spaces, dots or dashes ("1112.22.333", "111 222 333"). In URLs, as request
lines and access logs write them, a space is "+" or "%20" ("111+222+333",
"NL91%20ABNA%20..."): those count as spaces. About one in eleven random
9-digit numbers passes the test too and is masked as well: a log line losing
an order number is cheap, a BSN in a log is not.

The filter rewrites the record itself (message with its arguments, exception
text, stack, and the extra attributes Django and gunicorn attach: the request
becomes a masked "METHOD path?query" string), so every handler after it sees
only the masked text.

Installed twice over by `configure` (settings.LOGGING_CONFIG): on every
handler (config/settings/base.py puts it on each one in LOGGING, and
`configure` on any other handler found on a logger, such as gunicorn's own),
and on the loggers that write request lines and paths themselves
(REQUEST_LOGGERS), so a handler added to one of them later is covered too.
"""

from __future__ import annotations

import logging
import logging.config
import re
from typing import Any

from stdnum import iban as stdnum_iban
from stdnum.nl import bsn as stdnum_bsn

BSN_MASK = "[BSN]"
IBAN_MASK = "[IBAN]"

# "%20" (a space in a URL) is swapped for this one character, a separator,
# while masking, so that its digits are not taken for part of a number.
_URL_SPACE = "\x00"
_SEP = rf"[ .\-+{_URL_SPACE}]"
# A run of digit groups joined by single separators, not glued to other digits.
_DIGIT_RUN = re.compile(rf"(?<!\d)(?<!\d{_SEP})\d+(?:{_SEP}\d+)*")
_IBAN_GAP = frozenset({" ", "+", _URL_SPACE})
# Other percent-escapes become characters from a private-use block.
_PERCENT_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
_ESCAPE_BASE = 0xE000
_SWAPPED = re.compile(f"[{_URL_SPACE}{chr(_ESCAPE_BASE)}-{chr(_ESCAPE_BASE + 0x1FF)}]")
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
            elif char in _IBAN_GAP and index + 1 < len(text) and text[index + 1].isalnum():
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
    if "%" not in text or _SWAPPED.search(text):
        return _mask(text)
    # Percent-escapes in URLs: "%20" is a space; any other escape ("%22"
    # before a number) is one boundary character, so that its hex digits are
    # not read as part of the number. Swapped back afterwards.
    escapes: dict[str, str] = {}

    def swap(match: re.Match[str]) -> str:
        code = match.group(0)
        if code == "%20":
            return _URL_SPACE
        return escapes.setdefault(code, chr(_ESCAPE_BASE + len(escapes)))

    masked = _mask(_PERCENT_ESCAPE.sub(swap, text)).replace(_URL_SPACE, "%20")
    for code, char in escapes.items():
        masked = masked.replace(char, code)
    return masked


def _mask(text: str) -> str:
    return _DIGIT_RUN.sub(_mask_run, _mask_ibans(text))


def contains_personal_number(text: str) -> bool:
    """Whether `text` holds a BSN- or IBAN-shaped value (what `mask_sensitive` masks)."""
    return mask_sensitive(text) != text


# Attributes every LogRecord has; anything else on a record came in `extra`.
_STANDARD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
}

# Loggers that write request lines and paths (with their query strings)
# themselves: the filter sits on the logger too, before any handler.
REQUEST_LOGGERS = ("django.request", "django.server", "gunicorn.access", "gunicorn.error")


def _masked_extra(value: Any) -> Any:
    if isinstance(value, str):
        return mask_sensitive(value)
    if hasattr(value, "get_full_path") and hasattr(value, "method"):
        # Django's request, which django.request attaches: a handler that
        # formats it would write the path and query string unmasked.
        return mask_sensitive(f"{value.method} {value.get_full_path()}")
    return value


class MaskPersonalDataFilter(logging.Filter):
    """Masks BSNs and IBANs in the message, arguments, exception text and extras. Never drops."""

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
        for name, value in list(vars(record).items()):
            if name not in _STANDARD_ATTRIBUTES:
                setattr(record, name, _masked_extra(value))
        return True


def _has_mask(filterer: logging.Filterer) -> bool:
    return any(isinstance(f, MaskPersonalDataFilter) for f in filterer.filters)


def install_masking() -> None:
    """Put the filter on every handler any logger has now, and on REQUEST_LOGGERS."""
    mask = MaskPersonalDataFilter()
    loggers: list[logging.Logger] = [logging.getLogger()]
    loggers += [
        logger
        for logger in list(logging.Logger.manager.loggerDict.values())
        if isinstance(logger, logging.Logger)
    ]
    loggers += [logging.getLogger(name) for name in REQUEST_LOGGERS]
    for logger in loggers:
        if logger.name in REQUEST_LOGGERS and not _has_mask(logger):
            logger.addFilter(mask)
        for handler in logger.handlers:
            if not _has_mask(handler):
                handler.addFilter(mask)


def _install_masking_on_signal(**kwargs: Any) -> None:
    install_masking()


def configure(config: dict[str, Any]) -> None:
    """settings.LOGGING_CONFIG: apply LOGGING, then `install_masking`.

    In a gunicorn worker Django configures logging after gunicorn set up its
    own handlers (access log, error log), so those are masked too. A Celery
    worker sets up its handlers after Django: they are masked when Celery
    says it is done (after_setup_logger, after_setup_task_logger).
    """
    logging.config.dictConfig(config)
    install_masking()
    try:
        from celery import signals
    except ImportError:  # pragma: no cover - Celery is a dependency
        return
    for signal in (signals.after_setup_logger, signals.after_setup_task_logger):
        signal.connect(_install_masking_on_signal, weak=False, dispatch_uid="passend.mask_logs")
