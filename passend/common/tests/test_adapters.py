"""The shared adapter helpers: one 404, one way to put a service's errors on a form."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import RequestFactory

from passend.common.adapters import apply_errors, form_status, get_or_404, submit
from passend.tenancy.models import Organisation


class NameForm(forms.Form):
    name = forms.CharField()


def test_it_finds_the_row(org_a: Any) -> None:
    assert get_or_404(Organisation.objects.all(), org_a.pk) == org_a


@pytest.mark.parametrize("pk", [uuid.uuid4(), "not-a-uuid", "", "1" * 200])
def test_it_answers_404_to_a_missing_or_malformed_id(personas: Any, pk: Any) -> None:
    with pytest.raises(Http404):
        get_or_404(Organisation.objects.all(), pk)


def test_it_puts_a_field_error_on_its_field_and_the_rest_on_the_form() -> None:
    form = NameForm({"name": "Carla"})
    assert form.is_valid()

    apply_errors(form, ValidationError({"name": "Taken.", "kvk_number": "Unknown."}))

    assert form.errors["name"] == ["Taken."]
    assert form.non_field_errors() == ["Unknown."]


def test_it_puts_an_error_without_a_field_on_the_form() -> None:
    form = NameForm({"name": "Carla"})
    assert form.is_valid()

    apply_errors(form, ValidationError("Not now."))

    assert form.non_field_errors() == ["Not now."]


def test_it_saves_a_valid_post_once() -> None:
    request = RequestFactory().post("/", {"name": "Carla"})
    form = NameForm(request.POST)
    saved: list[dict[str, Any]] = []

    assert submit(request, form, saved.append)
    assert saved == [{"name": "Carla"}]


def test_it_does_not_save_a_form_shown_or_invalid() -> None:
    def save(data: dict[str, Any]) -> None:
        raise AssertionError("saved")

    shown = RequestFactory().get("/")
    assert not submit(shown, NameForm(), save)
    assert form_status(shown) == 200
    posted = RequestFactory().post("/", {"name": ""})
    assert not submit(posted, NameForm(posted.POST), save)
    assert form_status(posted) == 400


def test_it_shows_the_services_refusal_on_the_form() -> None:
    request = RequestFactory().post("/", {"name": "Carla"})
    form = NameForm(request.POST)

    def save(data: dict[str, Any]) -> None:
        raise ValidationError({"name": "Taken."})

    assert not submit(request, form, save)
    assert form.errors["name"] == ["Taken."]
