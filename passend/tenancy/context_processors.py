from typing import Any

from django.http import HttpRequest


def organisation(request: HttpRequest) -> dict[str, Any]:
    return {
        "membership": getattr(request, "membership", None),
        "organisation": getattr(request, "organisation", None),
        "memberships": getattr(request, "memberships", []),
    }
