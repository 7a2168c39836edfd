"""A concept reads in the language of the page showing it."""

from __future__ import annotations

import pytest
from django.utils import translation

from passend.taxonomy.models import Occupation

pytestmark = pytest.mark.django_db


def test_a_concept_prints_its_label_in_the_active_language_and_falls_back() -> None:
    baker = Occupation(
        uri="http://data.europa.eu/esco/occupation/t", pref_en="baker", pref_nl="bakker"
    )
    english_only = Occupation(uri="http://data.europa.eu/esco/occupation/u", pref_en="miller")

    with translation.override("nl"):
        assert (str(baker), str(english_only)) == ("bakker", "miller")
    with translation.override("en"):
        assert str(baker) == "baker"
