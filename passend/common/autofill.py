"""Autofill tokens for a person's own details (WCAG 2.2, 1.3.5 Identify Input
Purpose): browsers and assistive tools can then fill and label them.

Only for fields about the person filling in the form. A form about someone
else (an advisor editing a candidate) gets `autocomplete="off"` on the same
fields instead, so the browser does not offer the advisor's own details.

Leaf layer: imports Django only.
"""

from __future__ import annotations

from django.forms import BaseForm

# Field name -> HTML autocomplete token.
TOKENS: dict[str, str] = {
    "name": "name",
    "first_name": "given-name",
    "last_name": "family-name",
    "email": "email",
    "phone": "tel",
    "street": "address-line1",
    "postcode": "postal-code",
    "city": "address-level2",
    "country": "country-name",
    "date_of_birth": "bday",
    "gender": "sex",
    "preferred_language": "language",
}


def autofill(form: BaseForm, *, own: bool = True, only: tuple[str, ...] = ()) -> None:
    """Mark the form's personal fields with their autocomplete token (`own`),
    or switch autofill off for them (details of someone else). A token the
    form set itself is kept; `only` limits which fields are marked."""
    for name, field in form.fields.items():
        token = TOKENS.get(name)
        if token is None or (only and name not in only):
            continue
        field.widget.attrs.setdefault("autocomplete", token if own else "off")
