"""Small pieces every view and access function shares, so no app copies them.

Leaf layer: this module imports Django only, never an app of Passend.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Model, QuerySet
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render

M = TypeVar("M", bound=Model)


def get_or_404(queryset: QuerySet[M], pk: Any) -> M:
    """The row `pk` of `queryset`, or 404.

    A malformed id (not a UUID, not a number) is a 404 too: "missing", "not
    yours" and "not an id" get the same answer.
    """
    try:
        return queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValidationError, ValueError):
        raise Http404 from None


def apply_errors(form: BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field where the form
    has that field, otherwise among the errors of the whole form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def submit(request: HttpRequest, form: BaseForm, save: Callable[[dict[str, Any]], object]) -> bool:
    """On a POST with valid data, run `save(form.cleaned_data)`: True when it saved.

    A ValidationError from the service lands on the form (see `apply_errors`),
    and the caller renders the form again with `form_status(request)`.
    """
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        save(form.cleaned_data)
    except ValidationError as error:
        apply_errors(form, error)
        return False
    return True


def form_status(request: HttpRequest) -> int:
    """400 for a form posted back with errors, 200 for a form shown."""
    return 400 if request.method == "POST" else 200


def confirm_first(
    request: HttpRequest,
    *,
    question: str,
    confirm_label: str,
    cancel_url: str,
    detail: str = "",
) -> HttpResponse | None:
    """Ask before a destructive action: None on a POST (go ahead), otherwise the
    confirmation page, whose form posts back to the same URL.

    The page is what a person without JavaScript sees after the first click on
    a `web/_confirm.html` button; with JavaScript the same question opens in a
    dialog on the page itself. Reading it writes nothing. Call it after the
    access check, so the page is never shown for someone else's object.
    """
    if request.method == "POST":
        return None
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "POST"])
    context = {
        "question": question,
        "confirm_label": confirm_label,
        "cancel_url": cancel_url,
        "detail": detail,
    }
    return render(request, "web/confirm.html", context)
