"""The ninja API at /api/v1/: assembly, authentication, errors, documentation.

Apps add their routers here. `api_operations()` lists every operation, so
the authorisation matrix test can prove each one is covered.
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI, Swagger
from ninja.openapi.schema import OpenAPISchema

from passend.api import endpoints
from passend.api.auth import SessionAuth, TokenAuth
from passend.api.parsing import InputParser
from passend.api.throttling import PersonRateThrottle
from passend.candidates import api as candidates_api
from passend.coaching import api as coaching_api
from passend.common.api import problems
from passend.common.api.problems import PROBLEM_CONTENT_TYPE
from passend.documents import api as documents_api
from passend.matching import api as matching_api
from passend.taxonomy import api as taxonomy_api
from passend.vacancies import api as vacancies_api
from passend.vacancies import api_applications as applications_api

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

DESCRIPTION = """\
The Passend API. Authenticate with a personal access token
(`Authorization: Bearer psd_…`, created under *Account → API tokens*); a
token works in the one organisation it was made for. A signed-in browser
session works too (unsafe methods then need the CSRF token), in the
organisation chosen in the switcher.

Errors are RFC 9457 problem details (`application/problem+json`).
"""


class PassendAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        # Error responses are problem documents, not plain JSON.
        for path_item in schema.get("paths", {}).values():
            for method, operation in path_item.items():
                if method not in HTTP_METHODS:
                    continue
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        response["content"] = {PROBLEM_CONTENT_TYPE: content["application/json"]}
        return schema


class OfflineSwagger(Swagger):
    """Swagger UI from ninja's own static files: no CDN, works offline."""

    template = "api/docs.html"


api = PassendAPI(
    title="Passend API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=[TokenAuth(), SessionAuth()],
    parser=InputParser(),
    throttle=[PersonRateThrottle()],
    docs=OfflineSwagger(settings={"validatorUrl": None, "persistAuthorization": False}),
)
problems.install(api)
api.add_router("", endpoints.router)
api.add_router("/candidates", candidates_api.router)
api.add_router("/coaching", coaching_api.router)
api.add_router("/documents", documents_api.router)
api.add_router("/taxonomy", taxonomy_api.router)
api.add_router("/vacancies", vacancies_api.router)
api.add_router("/matching", matching_api.router)
api.add_router("/public", vacancies_api.public_router)
# Applications span /vacancies/{id}/…, /applications/…, /proposals/… and /me/….
api.add_router("", applications_api.router)


def api_operations() -> list[tuple[str, str]]:
    """Every (METHOD, path) of the API, e.g. ("GET", "/api/v1/me"), sorted.

    Paths keep their OpenAPI placeholders (`{id}`); a test checks that the
    schema holds every routed operation, so nothing can hide from this list.
    """
    schema = api.get_openapi_schema()
    return sorted(
        (method.upper(), path)
        for path, path_item in schema["paths"].items()
        for method in path_item
        if method in HTTP_METHODS
    )
