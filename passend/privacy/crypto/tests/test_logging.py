from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from passend.privacy.crypto.logging import (
    BSN_MASK,
    IBAN_MASK,
    MaskPersonalDataFilter,
    mask_sensitive,
)

BSN = "111222333"
IBAN = "NL91ABNA0417164300"


@pytest.fixture
def console() -> Iterator[io.StringIO]:
    """The output of the console handler that settings.LOGGING installs on the root logger."""
    handlers = [
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, MaskPersonalDataFilter) for f in h.filters)
    ]
    assert handlers, "LOGGING must put the masking filter on the console handler"
    handler = handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        yield stream
    finally:
        handler.setStream(previous)


def test_it_masks_bsn_and_iban_in_logged_messages_and_arguments(console: io.StringIO) -> None:
    logger = logging.getLogger("passend.tests.crypto")

    logger.warning("Candidate with BSN %s paid to %s", BSN, "nl91 abna 0417 1643 00")
    logger.warning(f"inline {BSN[:4]}.{BSN[4:6]}.{BSN[6:]} and {IBAN}")
    logger.warning("dict %(bsn)s", {"bsn": BSN})

    output = console.getvalue()
    assert BSN not in output
    assert "1112.22.333" not in output
    assert IBAN not in output
    assert "abna 0417" not in output.lower()
    assert output.count(BSN_MASK) == 3
    assert output.count(IBAN_MASK) == 2


def test_it_masks_values_inside_an_exception_traceback(console: io.StringIO) -> None:
    logger = logging.getLogger("passend.tests.crypto")

    def pay(iban: str, bsn: str) -> None:
        raise ValueError(f"payout to {iban} for {bsn} failed")

    try:
        pay(IBAN, BSN)
    except ValueError:
        logger.exception("payout failed")

    output = console.getvalue()
    assert "Traceback" in output
    assert "ValueError: payout to [IBAN] for [BSN] failed" in output
    assert BSN not in output
    assert IBAN not in output


def test_it_masks_a_stack_and_a_malformed_format() -> None:
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "BSN %s %s", (BSN,), None, sinfo=f"Stack {IBAN}"
    )

    assert MaskPersonalDataFilter().filter(record) is True
    assert BSN not in record.getMessage()
    assert record.stack_info == f"Stack {IBAN_MASK}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("bsn 111222333.", "bsn [BSN]."),
        ("1112.22.333", "[BSN]"),
        ("111 222 333 en 123456782", "[BSN] en [BSN]"),
        ("111-222-333", "[BSN]"),
        ("10000008", "[BSN]"),  # an eight-digit BSN (leading zero dropped)
        ("nl91abna0417164300", "[IBAN]"),
        ("NL91 ABNA 0417 1643 00 is the account", "[IBAN] is the account"),
        ("DE89370400440532013000", "[IBAN]"),
        # As URLs write them: request lines, access logs, referers.
        ("GET /c/?q=111+222+333&page=2 HTTP/1.1", "GET /c/?q=[BSN]&page=2 HTTP/1.1"),
        ("/c/111%20222%20333/", "/c/[BSN]/"),
        ("?q=foo%20111222333%20bar", "?q=foo%20[BSN]%20bar"),
        ("?iban=NL91+ABNA+0417+1643+00&x=1", "?iban=[IBAN]&x=1"),
        ("?iban=nl91%20abna%200417%201643%2000", "?iban=[IBAN]"),
        ("?q=%22111222333%22&r=%40111222333", "?q=%22[BSN]%22&r=%40[BSN]"),
        ("next=%2Fc%2FNL91ABNA0417164300%2F", "next=%2Fc%2F[IBAN]%2F"),
    ],
)
def test_it_masks_the_shapes_people_write(text: str, expected: str) -> None:
    assert mask_sensitive(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "order 111222334",  # fails the eleven test
        "2024-01-15 12:30",
        "1234567890 digits",
        "NL00ABNA0000000000",  # fails the IBAN check
        "/static/app.js?v=%2010 and %20",
        "request took 123 ms for 45 rows",
        "",
    ],
)
def test_it_leaves_other_numbers_alone(text: str) -> None:
    assert mask_sensitive(text) == text


def test_every_configured_log_handler_masks_bsn_and_iban() -> None:
    from django.conf import settings

    handlers = settings.LOGGING["handlers"]
    assert handlers
    for name, handler in handlers.items():
        assert "mask_personal_data" in handler.get("filters", []), name


def test_it_masks_the_request_django_attaches_and_other_extras() -> None:
    from django.test import RequestFactory

    request = RequestFactory().get(f"/candidates/{BSN}/", {"iban": IBAN})
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found", (), None
    )
    record.request = request
    record.status_code = 404
    record.note = f"for {BSN}"

    MaskPersonalDataFilter().filter(record)

    assert record.request == f"GET /candidates/{BSN_MASK}/?iban={IBAN_MASK}"
    assert record.note == f"for {BSN_MASK}"
    assert record.status_code == 404


def test_it_sits_on_the_loggers_that_write_requests_and_on_every_handler() -> None:
    from passend.privacy.crypto.logging import REQUEST_LOGGERS

    for name in REQUEST_LOGGERS:
        logger = logging.getLogger(name)
        assert any(isinstance(f, MaskPersonalDataFilter) for f in logger.filters), name
    for logger in [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]:
        for handler in getattr(logger, "handlers", []):
            if type(handler).__module__.startswith("_pytest"):
                continue
            if isinstance(handler, logging.NullHandler):  # libraries add these on import
                continue
            assert any(isinstance(f, MaskPersonalDataFilter) for f in handler.filters), logger


def test_it_masks_the_handlers_a_celery_worker_sets_up_after_django() -> None:
    from celery import signals

    logger = logging.getLogger("celery.task")
    handler = logging.StreamHandler(io.StringIO())
    logger.addHandler(handler)
    try:
        signals.after_setup_task_logger.send(sender=None, logger=logger)

        assert any(isinstance(f, MaskPersonalDataFilter) for f in handler.filters)
    finally:
        logger.removeHandler(handler)
