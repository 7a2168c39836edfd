"""How forms are drawn: an error summary on top, then each field with its
label, help text and errors, tied to the input by aria-describedby."""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates

FORM_TEMPLATE = "web/forms/div.html"
FIELD_TEMPLATE = "web/forms/field.html"


class FormRenderer(DjangoTemplates):
    """Set FORM_RENDERER to this class and `{{ form }}` renders in Passend's style."""

    form_template_name = FORM_TEMPLATE
    field_template_name = FIELD_TEMPLATE
