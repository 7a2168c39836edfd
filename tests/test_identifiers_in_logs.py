"""A BSN or IBAN never reaches a URL we make, nor any log line (issue 9, defect 4).

1. The candidate search posts: a name comes back as `?q=`, a BSN or IBAN is
   refused and never put in a URL.
2. Every URL pattern (the authorisation matrix's routes, the libraries',
   the admin's and the API's) is requested with a BSN and an IBAN, compact
   and spaced, in every string path parameter and in the query string, and
   every form is posted with them in every field. Everything logged meanwhile
   is captured: every handler's stream, pytest's capture of the root logger,
   the development server's request log (Django's WSGIRequestHandler) and
   gunicorn's access log (gunicorn's own Logger) for each of those requests.
   Neither number may appear in any of it, however it is spaced or encoded.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import uuid
from collections.abc import Iterator
from datetime import timedelta
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote

import pytest
from django.core.servers.basehttp import WSGIRequestHandler
from django.test import Client
from django.urls import NoReverseMatch, reverse

from conftest import client_for
from passend.api.services import api_token_create
from tests.test_authorisation_matrix import (
    ADMIN,
    ANON,
    CAND,
    EMP,
    LIBRARY_ROUTES,
    LOGIN,
    OTHER,
    PERSONA,
    PRO,
    ROUTES,
    Row,
    all_route_names,
    objects_of_a,
)

BSN = "111222333"
BSN_SPACED = "111 222 333"
IBAN = "NL91ABNA0417164300"
IBAN_SPACED = "NL91 ABNA 0417 1643 00"
IDENTIFIERS = (BSN, BSN_SPACED, IBAN, IBAN_SPACED)
IN_EVERY_FIELD = f"BSN {BSN} ({BSN_SPACED}), IBAN {IBAN} ({IBAN_SPACED})"
QUERY = {"q": BSN, "search": IBAN_SPACED, "iban": IBAN, "next": f"/candidates/?q={BSN_SPACED}"}
FIELD_NAMES = ("q", "name", "email", "description", "text", "title", "reason", "bsn", "iban")
PLACEHOLDER = re.compile(r"<(?:(\w+):)?(\w+)>|\(\?P<(\w+)>")
REFUSED = (403, 404, 405, LOGIN)


def leaks(text: str) -> list[str]:
    """The identifiers in `text`, however they are spaced, dotted or URL-encoded."""
    squeezed = re.sub(r"%20|[\s+.\-]", "", text).upper()
    return [number for number in (BSN, IBAN) if number in squeezed]


def test_it_finds_identifiers_however_they_are_written() -> None:
    assert leaks(f"GET /x/?q={BSN_SPACED.replace(' ', '+')} HTTP/1.1") == [BSN]
    assert leaks(quote(f"/x/{IBAN_SPACED.lower()}/")) == [IBAN]
    assert leaks("GET /x/?q=[BSN]&iban=[IBAN] 200") == []


# --- 1. The candidate search ------------------------------------------------


@pytest.mark.django_db
def test_it_posts_the_candidate_search_and_keeps_only_a_name_in_the_url(as_persona: Any) -> None:
    bob = as_persona("bob", "a")

    page = bob.get(reverse("candidates:list")).content.decode()
    response = bob.post(reverse("candidates:list"), {"q": "Carla"})

    assert re.search(r'<form method="post"[^>]*role="search"', page)
    assert response.status_code == 302
    assert response["Location"] == reverse("candidates:list") + "?q=Carla"


@pytest.mark.django_db
@pytest.mark.parametrize("typed", IDENTIFIERS)
def test_it_refuses_a_bsn_or_iban_as_a_search_and_puts_it_in_no_url(
    as_persona: Any, typed: str
) -> None:
    bob = as_persona("bob", "a")

    page = bob.post(reverse("candidates:list"), {"q": typed})
    rows = bob.post(reverse("candidates:list"), {"q": typed}, headers={"HX-Request": "true"})

    assert page.status_code == 200  # answered on the posted page: no redirect, no URL
    assert "never a search key" in page.content.decode()
    assert rows.status_code == 200
    assert "never a search key" in rows.content.decode()
    assert "<html" not in rows.content.decode()


@pytest.mark.django_db
def test_it_does_not_search_by_a_bsn_typed_into_the_address(as_persona: Any) -> None:
    response = as_persona("bob", "a").get(reverse("candidates:list"), {"q": BSN})

    assert response.status_code == 200
    assert "never a search key" in response.content.decode()
    assert response.context["page"].paginator.count == 0


# --- 2. Every route, every form, every log -----------------------------------


class Logs:
    """Everything written to logs while it is active."""

    def __init__(self, caplog: pytest.LogCaptureFixture) -> None:
        self.caplog = caplog
        self.streams: list[io.StringIO] = []
        self._restore: list[tuple[logging.StreamHandler[Any], Any]] = []
        # Set up after Django's logging, as in a worker with --preload: the
        # filter Django put on gunicorn's loggers must hold for its handlers.
        self.gunicorn = self._gunicorn_logger()
        for logger in [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]:
            for handler in getattr(logger, "handlers", []):
                if isinstance(handler, logging.StreamHandler) and not isinstance(
                    handler, logging.FileHandler
                ):
                    stream = io.StringIO()
                    self._restore.append((handler, handler.setStream(stream)))
                    self.streams.append(stream)
        self._runserver = WSGIRequestHandler.__new__(WSGIRequestHandler)
        self._runserver.request = None  # the socket; the log line does not use it
        self._runserver.client_address = ("127.0.0.1", 50000)

    @staticmethod
    def _gunicorn_logger() -> Any:
        from gunicorn.config import Config
        from gunicorn.glogging import Logger

        config = Config()
        config.set("accesslog", "-")
        config.set("errorlog", "-")
        return Logger(config)

    def close(self) -> None:
        for handler, previous in self._restore:
            handler.setStream(previous)
        for name in ("gunicorn.access", "gunicorn.error"):
            logger = logging.getLogger(name)
            for handler in [h for h in logger.handlers if getattr(h, "_gunicorn", False)]:
                logger.removeHandler(handler)
            logger.propagate = True

    def served(self, response: Any) -> None:
        """Log the request as runserver and gunicorn would."""
        environ = dict(response.wsgi_request.environ)
        uri = quote(environ["PATH_INFO"])
        if environ.get("QUERY_STRING"):
            uri += "?" + environ["QUERY_STRING"]
        environ.update(RAW_URI=uri, SERVER_PROTOCOL="HTTP/1.1", HTTP_REFERER="http://x" + uri)
        self._runserver.requestline = f"{environ['REQUEST_METHOD']} {uri} HTTP/1.1"
        self._runserver.log_request(response.status_code, len(response.content or b""))
        self.gunicorn.access(
            SimpleNamespace(status=f"{response.status_code} X", sent=1, headers=[]),
            SimpleNamespace(headers=[("REFERER", "http://x" + uri)]),
            environ,
            timedelta(milliseconds=5),
        )

    def text(self) -> str:
        return "\n".join([self.caplog.text, *(s.getvalue() for s in self.streams)])


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> Iterator[Logs]:
    caplog.set_level(logging.DEBUG)
    captured = Logs(caplog)
    try:
        yield captured
    finally:
        captured.close()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


def _visitor(expected: dict[str, Any] | None) -> str:
    """The first persona the route lets in (so the view itself runs), else the admin."""
    for visitor in (ADMIN, PRO, CAND, EMP, OTHER, ANON):
        if expected and expected.get(visitor) not in REFUSED:
            return visitor
    return ADMIN


def _defaults(objects: dict[str, Any], row: Row | None) -> dict[str, Any]:
    values: dict[str, Any] = {
        "candidate_id": objects["candidate"].pk,
        "trajectory_id": objects["trajectory"].pk,
        "task_id": objects["task"].pk,
        "document_id": objects["document"].pk,
        "occupation_id": objects["occupation"].pk,
        "kind": "work",
    }
    if row is not None and row.kwargs is not None:
        values.update(row.kwargs(objects))
    return values


def _urls(name: str, pattern: str, defaults: dict[str, Any]) -> list[str]:
    """The route with real arguments and the identifiers in its query string, and
    with each identifier in each path parameter that takes text."""
    kwargs: dict[str, Any] = {}
    textual: list[tuple[str, str]] = []
    for converter, key, regex_key in PLACEHOLDER.findall(pattern):
        key = key or regex_key
        converter = converter or ("str" if key else "")
        kwargs[key] = defaults.get(key, uuid.uuid4() if converter == "uuid" else "1")
        if converter in ("str", "slug", "path", "") and not key.endswith("_label"):
            textual.append((key, converter))
    urls = []
    with contextlib.suppress(NoReverseMatch):
        urls.append(reverse(name, kwargs=kwargs or None))
    for key, converter in textual:
        for value in IDENTIFIERS:
            if converter == "slug" and " " in value:
                continue
            try:
                urls.append(reverse(name, kwargs={**kwargs, key: value}))
            except NoReverseMatch:
                continue
    return urls


def _form_fields(html: str) -> set[str]:
    return set(re.findall(r'name="([^"]+)"', html)) - {"csrfmiddlewaretoken"}


@pytest.mark.django_db
def test_no_bsn_or_iban_reaches_any_log(personas: Any, logs: Logs) -> None:
    objects = objects_of_a(personas)
    _token, secret = api_token_create(
        user=personas["alice"],
        organisation=personas.organisations["a"],
        name="logs",
        expires_in_days=1,
    )
    api = Client(headers={"Authorization": f"Bearer {secret}"}, raise_request_exception=False)
    requests = 0

    def client(visitor: str) -> Client:
        if visitor == ANON:
            return Client(raise_request_exception=False)
        organisation = personas.organisations["b" if visitor == OTHER else "a"]
        signed_in = client_for(personas[PERSONA[visitor]], organisation)
        signed_in.raise_request_exception = False
        return signed_in

    for name, pattern in all_route_names():
        row = ROUTES.get(name) or LIBRARY_ROUTES.get(name)
        urls = _urls(name, pattern, _defaults(objects, row))
        if not urls:
            continue
        if name.startswith("api:"):
            for url in urls:
                logs.served(api.get(url, QUERY))
                body = dict.fromkeys(FIELD_NAMES, IN_EVERY_FIELD)
                logs.served(api.post(url, body, content_type="application/json"))
                requests += 2
            continue
        getter = client(_visitor(row.get if row else None))
        page = None
        for index, url in enumerate(urls):
            response = getter.get(url, QUERY if index == 0 else None)
            logs.served(response)
            requests += 1
            if index == 0:
                page = response
        if row is None or row.post is None:
            continue
        fields = set(FIELD_NAMES) | set(row.data)
        if page is not None and page.get("Content-Type", "").startswith("text/html"):
            fields |= _form_fields(page.content.decode(errors="replace"))
        poster = client(_visitor(row.post))
        for url in urls:
            logs.served(poster.post(url, dict.fromkeys(fields, IN_EVERY_FIELD)))
            requests += 1

    output = logs.text()
    assert requests > 300
    assert "Not Found" in output  # the capture works: 404s are logged, with their paths
    assert "[BSN]" in output
    assert "[IBAN]" in output
    found = leaks(output)
    lines = [line for line in output.splitlines() if leaks(line)][:10]
    assert found == [], "\n".join(lines)
