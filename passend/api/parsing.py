"""The API's request parser: every value an operation receives passes the
shared input rules (passend/common/inputs.py) first.

Query strings, form fields and JSON bodies are checked after authentication
and before any schema sees them, so an operation never handles a NUL byte, a
control character or a lone surrogate, whatever its schema says.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja.errors import ValidationError
from ninja.parser import Parser

from passend.common.inputs import text_problems


def _refuse(value: Any, source: str) -> None:
    errors = [
        {"loc": (location,), "msg": message, "type": "text"}
        for location, message in text_problems(value, (source,))
    ]
    if errors:
        raise ValidationError(errors)


def _source(data: MultiValueDict[str, Any], request: HttpRequest) -> str:
    if data is request.GET:
        return "query"
    return "file" if data is request.FILES else "form"


class InputParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        # Ninja answers 400 to anything raised here; problems.install turns a
        # ValidationError behind that 400 back into a 422 with its errors.
        data = json.loads(request.body)
        _refuse(data, "body")
        return data

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        # An uploaded file is checked by its name; its content is the upload checks' job.
        values = {
            key: [getattr(value, "name", value) for value in items] for key, items in data.lists()
        }
        _refuse(
            {key: items[0] if len(items) == 1 else items for key, items in values.items()},
            _source(data, request),
        )
        return super().parse_querydict(data, list_fields, request)
