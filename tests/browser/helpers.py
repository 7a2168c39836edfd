"""What the browser journeys share: signing in through the form."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model


def log_in(page: Any, email: str, password: str, *, language: str = "en") -> None:
    """Sign in through the login form, as a person whose saved language is `language`.

    Signing in applies the saved language (docs/architecture.md), and the
    personas are saved as Dutch speakers; the journeys read English labels, so
    they sign in as English speakers unless a test asks for Dutch.
    """
    get_user_model().objects.filter(email__iexact=email).update(preferred_language=language)
    page.goto("/accounts/login/")
    form = page.locator("form").filter(has=page.locator("input[name=password]"))
    form.locator("input[name=login]").fill(email)
    form.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        form.locator("input[name=password]").press("Enter")
