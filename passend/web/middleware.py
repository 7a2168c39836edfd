"""Headers Django does not set itself: a strict Content-Security-Policy and
Permissions-Policy (all scripts and styles are served from our own origin),
and `Cache-Control: no-store, private` on everything but static files."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # The API docs page loads Swagger UI from ninja's static files and runs an
        # inline bootstrap script, so it gets its own, slightly wider policy.
        if request.path.startswith("/api/v1/docs"):
            response.setdefault(
                "Content-Security-Policy",
                CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace(
                    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
                ),
            )
        else:
            response.setdefault("Content-Security-Policy", CSP)
        response.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        return response


class NoStoreMiddleware:
    """`Cache-Control: no-store, private` on every response Django makes.

    Pages, API answers, errors and redirects may all carry personal data (a
    receipt or an invitation is personal without a sign-in too), so none may
    be kept by a browser's back/forward cache, a shared proxy or a CDN.
    Listed right after WhiteNoise, which answers static files before this
    runs: those stay cacheable.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(response, "public_cache", False):
            # A public job page for a visitor (vacancies.public_views.public_page).
            return response
        # Added to what a view set (never_cache's no-cache, must-revalidate stay).
        patch_cache_control(response, no_store=True, private=True)
        return response
