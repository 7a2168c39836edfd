"""Validators for Dutch identifiers, built on python-stdnum (no hand-written checksums).

Each returns the compact, normalised value so services store one canonical form.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import bsn as stdnum_bsn
from stdnum.nl import btw as stdnum_btw
from stdnum.nl import postcode as stdnum_postcode

# Since 2016 a KvK number is eight digits without a check digit, which is why
# python-stdnum has no module for it: the shape is all there is to check.
_KVK = re.compile(r"^\d{8}$")


def normalise_kvk(value: str) -> str:
    compact = re.sub(r"[\s.]", "", value or "")
    if not _KVK.match(compact):
        raise ValidationError(_("Enter a valid KvK number: eight digits."), code="invalid_kvk")
    return compact


def normalise_btw(value: str) -> str:
    try:
        return "NL" + str(stdnum_btw.validate(value))
    except StdnumError:
        raise ValidationError(
            _("Enter a valid Dutch VAT (BTW) number, such as NL000099998B57."),
            code="invalid_btw",
        ) from None


def normalise_iban(value: str) -> str:
    try:
        return str(stdnum_iban.validate(value))
    except StdnumError:
        raise ValidationError(
            _("Enter a valid IBAN, such as NL91 ABNA 0417 1643 00."), code="invalid_iban"
        ) from None


def normalise_bsn(value: str) -> str:
    try:
        return str(stdnum_bsn.validate(value))
    except StdnumError:
        raise ValidationError(
            _("Enter a valid BSN: nine digits that pass the eleven test."), code="invalid_bsn"
        ) from None


def normalise_postcode(value: str) -> str:
    try:
        return str(stdnum_postcode.validate(value))
    except StdnumError:
        raise ValidationError(
            _("Enter a valid Dutch postcode, such as 1234 AB."), code="invalid_postcode"
        ) from None


def validate_kvk(value: str) -> None:
    normalise_kvk(value)


def validate_btw(value: str) -> None:
    normalise_btw(value)


def validate_iban(value: str) -> None:
    normalise_iban(value)


def validate_postcode(value: str) -> None:
    normalise_postcode(value)
