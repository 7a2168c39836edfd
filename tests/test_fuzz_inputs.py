"""No input gives a server error (issue 9, defect 15).

Hypothesis posts generated values (empty, huge, NUL bytes, control and
right-to-left characters, far dates, negative and huge numbers, wrong JSON
types) into every field of

- every form on every page of the authorisation matrix, as a person the
  matrix lets onto that page (forms are found by reading the pages, so a new
  form is fuzzed the day it appears), and
- every operation of the API's matrix, its query parameters and its body as
  the OpenAPI document describes them, as a permitted person,

and fails on any 5xx. Each example runs in a savepoint that is rolled back,
so examples do not build on each other's writes. `derandomize=True` makes a
run reproducible; the example counts keep a pass under a minute.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from passend.api.api import api
from passend.api.tests import test_api_matrix as api_matrix
from passend.api.tests.helpers import make_token
from tests import test_authorisation_matrix as matrix

# PASSEND_FUZZ_SCALE=20 for a deeper search than the one every pass can afford.
SCALE = int(os.environ.get("PASSEND_FUZZ_SCALE", "1"))
WEB_EXAMPLES = 6 * SCALE
API_EXAMPLES = 25 * SCALE
FUZZ = settings(
    max_examples=WEB_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)

# Values a person (or a script) can send, as text: a form field carries nothing else.
NASTY_TEXT = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x01\x02\x08\x0b\x0c\x1b[31m\x7f",
    "\t\r\n",
    "\u202eevil\u202c",
    "\u200b\ufeff",
    "\u0645\u0631\u062d\u0628\u0627",
    "🙂" * 50,
    "x" * 10_000,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00",
    "../../etc/passwd",
    "-1",
    "0",
    "99999999999999999999",
    "-99999999999999999999",
    "1e308",
    "NaN",
    "0001-01-01",
    "9999-12-31",
    "1899-12-31",
    "2026-02-30",
    "10000-01-01",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "25:61",
    "00000000-0000-0000-0000-000000000000",
    "not-a-uuid",
]
# Put into every field of every form, every run.
SWEEP = ["\x00", "9999-12-31", "0001-01-01", "99999999999999999999", "-1", "x" * 10_000]
JSON_SWEEP = [None, [], {"a": "b"}, 10**30, -(2**63), True, 1.5, "\ud800"]
text_values = st.one_of(st.sampled_from(NASTY_TEXT), st.text(max_size=40))

# JSON adds types: numbers, booleans, null, lists and objects where text belongs, and back.
json_scalars = st.one_of(
    text_values,
    st.sampled_from(["\ud800", "a\udfffb"]),  # lone surrogates: only JSON can carry them
    st.integers(),
    st.sampled_from([0, -1, 2**31, 2**63, 10**30, -(10**30)]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=5,
)


def with_real(real: list[Any], nasty: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly nasty values, sometimes a real one, so that later checks are reached too."""
    return st.one_of(nasty, st.sampled_from(real)) if real else nasty


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


def rolled_back(send: Any) -> Any:
    with transaction.atomic():
        response = send()
        transaction.set_rollback(True)
    return response


def no_server_error(response: Any, what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code}"


# The pages: find every form, then post generated values into it.


@dataclass
class FoundForm:
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> values seen
    files: set[str] = field(default_factory=set)


# A valid-looking value per input type, so that one bad field among good ones
# gets past the form to the service behind it.
PLAUSIBLE = {
    "text": "Gewoon tekst",
    "email": "fuzz@example.org",
    "url": "https://example.org/",
    "tel": "+31612345678",
    "number": "5",
    "date": "2026-01-15",
    "time": "09:30",
    "datetime-local": "2026-01-15T09:30",
    # Never the personas' password: closing one's account would sign the reader out.
    "password": "not-the-password",
}


class FormParser(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__()
        self.page = page
        self.forms: list[FoundForm] = []
        self._form: FoundForm | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._form = FoundForm(urlsplit(urljoin(self.page, a.get("action") or "")).path)
            self.forms.append(self._form)
            return
        form = self._form
        if form is None or not a.get("name") or a["name"] == "csrfmiddlewaretoken":
            if tag == "option" and form is not None and self._select:
                form.fields[self._select].append(a.get("value", ""))
            return
        name = a["name"]
        values = form.fields.setdefault(name, [])
        kind = a.get("type", "text")
        if tag == "input" and kind == "file":
            form.files.add(name)
            del form.fields[name]
        elif tag == "input":
            values.append(a.get("value") or PLAUSIBLE.get(kind, "on" if kind == "checkbox" else ""))
        elif tag == "textarea":
            values.append("Gewoon een tekst.")
        elif tag == "select":
            self._select = name

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


# Who reads each page: the first of these the matrix lets in.
READERS = [matrix.PRO, matrix.ADMIN, matrix.CAND, matrix.EMP, matrix.ANON]
# Forms whose success ends the session: fuzzing them would sign the reader out.
SKIP_ACTIONS = {"/accounts/logout/"}


def find_forms(
    personas: Any, objects: dict[str, Any]
) -> dict[tuple[str, str], tuple[str, FoundForm]]:
    """Every POST form on the matrix's pages, by (action, field names): (reader, form)."""
    clients = {
        visitor: matrix._client(personas, visitor) for visitor in READERS
    }  # one session per reader
    found: dict[tuple[str, str], tuple[str, FoundForm]] = {}
    for table in (matrix.ROUTES, matrix.LIBRARY_ROUTES):
        for name, row in table.items():
            if row.get is None:
                continue
            url = reverse(name, kwargs=row.kwargs(objects) if row.kwargs else None)
            for visitor in READERS:
                if row.get.get(visitor) != 200:
                    continue
                response = clients[visitor].get(url)
                if response.status_code != 200 or "html" not in response["Content-Type"]:
                    continue
                parser = FormParser(url)
                parser.feed(response.content.decode())
                for form in parser.forms:
                    if form.action in SKIP_ACTIONS:
                        continue
                    # The same form on several pages, or for several readers, once.
                    key = (form.action, ",".join(sorted([*form.fields, *form.files])))
                    found.setdefault(key, (visitor, form))
    return found


def form_data(form: FoundForm) -> st.SearchStrategy[dict[str, Any]]:
    """One nasty value in every field, every field bad at once, or one bad field
    among plausible ones."""
    real = {name: sorted(set(values) - {""}) or [""] for name, values in form.fields.items()}
    bad = {name: with_real(values, text_values) for name, values in real.items()}
    good = {name: st.sampled_from(values) for name, values in real.items()}
    files = {
        name: st.builds(
            SimpleUploadedFile,
            name=st.sampled_from(["cv.pdf", "a\x00b.pdf", "\u202efdp.exe", "x" * 300, ".pdf"]),
            content=st.sampled_from([b"", b"%PDF-1.7\n%%EOF\n", b"\x00" * 64, b"GIF89a"]),
        )
        for name in form.files
    }
    one_bad = [st.fixed_dictionaries({**good, name: text_values, **files}) for name in real]
    same_everywhere = st.builds(
        lambda value, uploads: {**dict.fromkeys(real, value), **uploads},
        st.sampled_from(NASTY_TEXT),
        st.fixed_dictionaries(files),
    )
    return st.one_of(same_everywhere, st.fixed_dictionaries({**bad, **files}), st.one_of(*one_bad))


@pytest.mark.django_db
def test_it_never_answers_a_form_post_with_a_server_error(personas: Any) -> None:
    objects = matrix.objects_of_a(personas)
    forms = find_forms(personas, objects)
    assert len(forms) > 30, "the pages hold fewer forms than expected: is the parser broken?"

    for (action, _names), (visitor, form) in sorted(forms.items()):
        fuzz_form(matrix._client(personas, visitor), visitor, action, form)()


def fuzz_form(client: Client, visitor: str, action: str, form: FoundForm) -> Any:
    @FUZZ
    @given(data=form_data(form))
    def post(data: dict[str, Any]) -> None:
        for upload in data.values():
            if isinstance(upload, SimpleUploadedFile):
                upload.seek(0)
        response = rolled_back(lambda: client.post(action, data))
        what = f"POST {action} as {visitor} with {data!r:.300}"
        no_server_error(response, what)
        # A reader who lost their session would test nothing but the login redirect.
        assert visitor == matrix.ANON or not matrix._matches(response, matrix.LOGIN), what

    # Always tried, before the generated ones: the values most likely to break a form.
    for value in SWEEP:
        post = example(data=dict.fromkeys(form.fields, value))(post)
    return post


# The API: every operation, its query parameters and body from the OpenAPI document.

# Whom the matrix permits for writes is not in its rows (they are sent without a
# body there): an advisor, except for a candidate's own profile.
API_WRITER = {("PATCH", "/api/v1/candidates/me"): api_matrix.CAND}
API_FUZZ = settings(FUZZ, max_examples=API_EXAMPLES)
API_READERS = [api_matrix.PRO, api_matrix.CAND, api_matrix.ADMIN, api_matrix.EMP]


def api_persona(method: str, path: str) -> str:
    if (method, path) in API_WRITER:
        return API_WRITER[method, path]
    row = api_matrix.MATRIX[method, path]
    return next(v for v in API_READERS if row[v] < 400 or row[v] == 422)


def resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    for key in ("allOf", "anyOf"):
        for option in schema.get(key, []):
            resolved = resolve(option, components)
            if resolved.get("type") != "null":
                return {**resolved, **{k: v for k, v in schema.items() if k != key}}
    return schema


def real_values(schema: dict[str, Any], name: str, real_ids: dict[str, list[str]]) -> list[Any]:
    values: list[Any] = list(schema.get("enum", []))
    if "default" in schema and schema["default"] is not None:
        values.append(schema["default"])
    values += real_ids.get(name, [])
    fmt = schema.get("format")
    values += {
        "date": ["2026-01-15"],
        "date-time": ["2026-01-15T10:00:00+01:00"],
        "uuid": [],
    }.get(fmt or "", ["Gewoon tekst"] if schema.get("type") == "string" else [])
    if schema.get("type") == "integer":
        values.append(1)
    return values


def operation_strategy(
    operation: dict[str, Any], components: dict[str, Any], real_ids: dict[str, list[str]]
) -> st.SearchStrategy[dict[str, Any]]:
    query = {
        p["name"]: with_real(
            real_values(resolve(p["schema"], components), p["name"], real_ids), text_values
        )
        for p in operation.get("parameters", [])
        if p["in"] == "query"
    }
    content = operation.get("requestBody", {}).get("content", {})
    body: dict[str, st.SearchStrategy[Any]] = {}
    kind = "none"
    for media, spec in content.items():
        kind = "multipart" if media.startswith("multipart") else "json"
        schema = resolve(spec["schema"], components)
        for name, prop in schema.get("properties", {}).items():
            prop = resolve(prop, components)
            if prop.get("format") == "binary":
                body[name] = st.builds(
                    SimpleUploadedFile,
                    name=st.sampled_from(["cv.pdf", "a\x00b.pdf", "\u202efdp.exe", "x" * 300]),
                    content=st.sampled_from([b"", b"%PDF-1.7\n%%EOF\n", b"\x00" * 64]),
                )
                continue
            real = real_values(prop, name, real_ids)
            nasty = text_values if kind == "multipart" else json_values
            body[name] = with_real(real, nasty)
    optional_query = st.fixed_dictionaries({}, optional=query)
    if kind == "json":
        whole = st.one_of(
            st.fixed_dictionaries({}, optional=body),
            st.fixed_dictionaries({}, optional=body),
            json_values,  # not an object at all
        )
    else:
        whole = st.fixed_dictionaries({}, optional=body)
    return st.fixed_dictionaries({"query": optional_query, "body": whole, "kind": st.just(kind)})


def send(client: Client, method: str, path: str, token: str, data: dict[str, Any]) -> Any:
    headers = {"Authorization": f"Bearer {token}"}
    url = f"{path}?{urlencode(data['query'])}" if data["query"] else path
    if data["kind"] == "multipart":
        for upload in data["body"].values():
            if isinstance(upload, SimpleUploadedFile):
                upload.seek(0)
        return client.post(url, data["body"], headers=headers)
    if data["kind"] == "json":
        body = json.dumps(data["body"])
        return client.generic(method, url, body, content_type="application/json", headers=headers)
    return client.generic(method, url, headers=headers)


@pytest.mark.django_db
def test_it_never_answers_an_api_call_with_a_server_error(personas: Any, settings: Any) -> None:
    settings.API_RATE_LIMIT = "1000000/m"
    objects = matrix.objects_of_a(personas)
    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    real_ids = {
        "candidate_id": [str(objects["candidate"].pk)],
        "scheme_id": [str(objects["scheme"].pk)],
        "professional_id": [str(personas.memberships["bob"].pk)],
        "kind": ["cv", "work"],
    }
    tokens = {
        visitor: make_token(personas[key], personas.organisations[org])
        for visitor, (key, org) in api_matrix.PERSONA.items()
    }
    client = Client()
    checked = 0
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method.upper() == "DELETE" or method not in ("get", "post", "put", "patch"):
                continue
            key = (method.upper(), path)
            url = api_matrix.fill(path, objects)
            token = tokens[api_persona(*key)]
            strategy = operation_strategy(operation, components, real_ids)
            fuzz_operation(client, key[0], url, token, operation, components, strategy)()
            checked += 1
    assert checked == len([op for op in api_matrix.MATRIX if op[0] != "DELETE"])


def fields_of(
    operation: dict[str, Any], components: dict[str, Any]
) -> tuple[list[str], list[str], str]:
    """An operation's query parameter names, (non-file) body field names and body kind."""
    query = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
    body: list[str] = []
    kind = "none"
    for media, spec in operation.get("requestBody", {}).get("content", {}).items():
        kind = "multipart" if media.startswith("multipart") else "json"
        properties = resolve(spec["schema"], components).get("properties", {})
        body += [n for n, prop in properties.items() if prop.get("format") != "binary"]
    return query, body, kind


def fuzz_operation(
    client: Client,
    method: str,
    url: str,
    token: str,
    operation: dict[str, Any],
    components: dict[str, Any],
    strategy: Any,
) -> Any:
    @API_FUZZ
    @given(data=strategy)
    def call(data: dict[str, Any]) -> None:
        response = rolled_back(lambda: send(client, method, url, token, data))
        no_server_error(response, f"{method} {url} with {data!r:.300}")

    query, body, kind = fields_of(operation, components)
    sweeps = [{"query": dict.fromkeys(query, v), "body": dict.fromkeys(body, v)} for v in SWEEP]
    if kind == "json":  # and what only JSON can carry
        sweeps += [{"query": {}, "body": dict.fromkeys(body, v)} for v in JSON_SWEEP]
    for sweep in sweeps:
        call = example(data={**sweep, "kind": kind})(call)
    return call


# Path parameters: an id that is no id is 404 or 422, on every operation.

BAD_IDS = ["not-a-uuid", "0", "-1", "99999999999999999999", "00000000-0000-0000-0000-000000000000"]


@pytest.mark.django_db
@pytest.mark.parametrize("bad", BAD_IDS)
def test_it_answers_4xx_to_a_malformed_id_in_any_api_path(personas: Any, bad: str) -> None:
    token = make_token(personas["bob"], personas.organisations["a"])
    client = Client()
    for method, path in api_matrix.MATRIX:
        if "{" not in path:
            continue
        url = re.sub(r"\{\w+\}", bad, path)

        response = client.generic(method, url, headers={"Authorization": f"Bearer {token}"})

        assert response.status_code in (404, 422), f"{method} {url}: {response.status_code}"
