"""RFC 9457 problem details: the one error format of the API.

Every error under /api/v1/ leaves as `application/problem+json` with `type`,
`title`, `status`, `detail` and `instance`; validation errors add `errors`.
The exception handlers of the ninja API produce them for operations, and
`ApiMiddleware` rewrites whatever else answers with an error there (unknown
paths, wrong methods, crashes outside an operation).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from http import HTTPStatus
from typing import Any

from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connections, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

logger = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"
# RFC 9457 4.2.1: with "about:blank" the title is the status phrase (it may be localised).
BLANK_TYPE = "about:blank"
WWW_AUTHENTICATE = 'Bearer realm="Passend API"'
WWW_AUTHENTICATE_INVALID = 'Bearer realm="Passend API", error="invalid_token"'

TITLES: dict[int, Promise] = {
    400: _("Bad Request"),
    401: _("Unauthorized"),
    403: _("Forbidden"),
    404: _("Not Found"),
    405: _("Method Not Allowed"),
    406: _("Not Acceptable"),
    413: _("Content Too Large"),
    415: _("Unsupported Media Type"),
    422: _("Unprocessable Content"),
    429: _("Too Many Requests"),
    500: _("Internal Server Error"),
    503: _("Service Unavailable"),
}

DETAILS: dict[int, Promise] = {
    400: _("The request could not be understood."),
    401: _("Send a valid personal access token (Authorization: Bearer psd_…) or sign in."),
    403: _("You are not allowed to do this."),
    404: _("There is nothing here, or it is not yours to see."),
    405: _("This method is not allowed on this address."),
    406: _("This address cannot answer in a format you accept."),
    413: _("The request is too large."),
    415: _("This content type is not supported here."),
    422: _("The request has invalid values; see errors."),
    429: _("Too many requests. Wait a moment and try again."),
    500: _("Something went wrong on our side. It has been logged; please try again later."),
    503: _("The service is temporarily unavailable. Please try again later."),
}


class Problem(Exception):
    """Raise from an operation to answer with this status and a translated detail."""

    def __init__(self, status: int, detail: str | Promise | None = None) -> None:
        self.status = status
        self.detail = detail
        super().__init__(status)


def title_for(status: int) -> str:
    if status in TITLES:
        return str(TITLES[status])
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return str(TITLES[500])


def detail_for(status: int) -> str:
    if status in DETAILS:
        return str(DETAILS[status])
    return str(DETAILS[500]) if status >= 500 else str(DETAILS[400])


def problem_body(
    request: HttpRequest,
    status: int,
    detail: str | Promise | None = None,
    errors: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": BLANK_TYPE,
        "title": title_for(status),
        "status": status,
        "detail": str(detail) if detail is not None else detail_for(status),
        "instance": request.path,
    }
    if errors is not None:
        body["errors"] = errors
    return body


def _encode(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode()


def _www_authenticate(request: HttpRequest) -> str:
    presented = "Authorization" in request.headers
    return WWW_AUTHENTICATE_INVALID if presented else WWW_AUTHENTICATE


def problem_response(
    request: HttpRequest,
    status: int,
    detail: str | Promise | None = None,
    errors: list[dict[str, str]] | None = None,
) -> HttpResponse:
    response = HttpResponse(
        _encode(problem_body(request, status, detail, errors)),
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
    )
    if status == 401:
        response["WWW-Authenticate"] = _www_authenticate(request)
    return response


def is_problem(response: HttpResponseBase) -> bool:
    return str(response.get("Content-Type", "")).startswith(PROBLEM_CONTENT_TYPE)


def as_problem(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    """Rewrite an error response that is not yet a problem document into one.

    The response object itself is kept, so headers set on the way (Allow on
    405, the security headers) survive; only the body and its type change.
    """
    if response.status_code < 400 or is_problem(response) or response.streaming:
        return response
    assert isinstance(response, HttpResponse)
    response.content = _encode(problem_body(request, response.status_code))
    response["Content-Type"] = PROBLEM_CONTENT_TYPE
    if response.status_code == 401 and not response.has_header("WWW-Authenticate"):
        response["WWW-Authenticate"] = _www_authenticate(request)
    return response


def validation_errors(raw: Iterable[dict[str, Any]]) -> list[dict[str, str]]:
    """Ninja's pydantic errors as `location` (e.g. "query.page") and `message`."""
    return [
        {
            "location": ".".join(str(part) for part in error.get("loc", ())),
            "message": str(error.get("msg", "")),
        }
        for error in raw
    ]


def django_validation_errors(error: DjangoValidationError) -> list[dict[str, str]]:
    """A Django ValidationError's messages, per field where it has fields."""
    if hasattr(error, "error_dict"):
        return [
            {"location": "body" if field == "__all__" else f"body.{field}", "message": message}
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    return [{"location": "body", "message": message} for message in error.messages]


def _roll_back() -> None:
    # With ATOMIC_REQUESTS a handled exception would otherwise commit whatever
    # the operation wrote before it failed. A read on SQLite runs without the
    # request's transaction (ATOMIC_REQUESTS is false for it, docs/adr/0009):
    # there is none to mark, and an enclosing one is not the request's.
    for alias in connections:
        connection = connections[alias]
        if connection.in_atomic_block and connection.settings_dict["ATOMIC_REQUESTS"]:
            transaction.set_rollback(True, using=alias)


def install(api: NinjaAPI) -> None:
    """Make every error an operation can raise answer as a problem document."""

    def on_problem(request: HttpRequest, exc: Any) -> HttpResponse:
        assert isinstance(exc, Problem)
        _roll_back()
        return problem_response(request, exc.status, exc.detail)

    def on_authentication(request: HttpRequest, exc: Any) -> HttpResponse:
        return problem_response(request, 401)

    def on_http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        assert isinstance(exc, HttpError)
        if isinstance(exc.__cause__, ValidationError):
            # Refused by passend.api.parsing while ninja read the body.
            return on_validation(request, exc.__cause__)
        # Ninja's own messages are English-only; the status says enough.
        _roll_back()
        return problem_response(request, exc.status_code)

    def on_not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        _roll_back()
        return problem_response(request, 404)

    def on_permission_denied(request: HttpRequest, exc: Any) -> HttpResponse:
        _roll_back()
        return problem_response(request, 403)

    def on_validation(request: HttpRequest, exc: Any) -> HttpResponse:
        assert isinstance(exc, ValidationError)
        _roll_back()
        return problem_response(request, 422, errors=validation_errors(exc.errors))

    def on_django_validation(request: HttpRequest, exc: Any) -> HttpResponse:
        # A service refused a value the schema let through: still the client's input.
        assert isinstance(exc, DjangoValidationError)
        _roll_back()
        return problem_response(request, 422, errors=django_validation_errors(exc))

    def on_too_large(request: HttpRequest, exc: Any) -> HttpResponse:
        # DATA_UPLOAD_MAX_MEMORY_SIZE and its siblings, raised when the body is read.
        _roll_back()
        return problem_response(request, 413)

    def on_crash(request: HttpRequest, exc: Any) -> HttpResponse:
        _roll_back()
        # The traceback goes to the log; the client learns nothing about internals.
        logger.exception("Unhandled error in API operation %s %s", request.method, request.path)
        return problem_response(request, 500)

    api.add_exception_handler(Problem, on_problem)
    api.add_exception_handler(AuthenticationError, on_authentication)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(PermissionDenied, on_permission_denied)
    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(DjangoValidationError, on_django_validation)
    for too_large in (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent):
        api.add_exception_handler(too_large, on_too_large)
    api.add_exception_handler(Exception, on_crash)


__all__ = [
    "PROBLEM_CONTENT_TYPE",
    "Problem",
    "as_problem",
    "install",
    "problem_response",
]
