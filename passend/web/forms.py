"""How forms are drawn: an error summary on top, then each field with its
label, help text and errors, tied to the input by aria-describedby.

Labels start with a capital whatever the model's verbose_name says, and
Django's bare "---------" blank choice reads "Choose…" instead: this
renderer looks in `passend/web/templates` before Django's own form templates,
so `django/forms/widgets/select.html` there wins. It writes its options
inline instead of including a template once per option, which made a list of
a hundred career advisors a third slower to draw.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import django.forms
from django.forms.renderers import DjangoTemplates
from django.utils.functional import cached_property

FORM_TEMPLATE = "web/forms/div.html"
FIELD_TEMPLATE = "web/forms/field.html"
OWN_TEMPLATES = Path(__file__).resolve().parent / "templates"


class FormRenderer(DjangoTemplates):
    """Set FORM_RENDERER to this class and `{{ form }}` renders in Passend's style."""

    form_template_name = FORM_TEMPLATE
    field_template_name = FIELD_TEMPLATE

    @cached_property
    def engine(self) -> Any:
        return self.backend(
            {
                "APP_DIRS": True,
                "DIRS": [OWN_TEMPLATES, Path(django.forms.__file__).parent / "templates"],
                "NAME": "djangoforms",
                "OPTIONS": {},
            }
        )
