"""Distances between Dutch postcodes from the shipped PC4 table."""

from __future__ import annotations

import gzip

import pytest

from passend.matching import geo
from passend.matching.geo import Distance, Precision


def test_amsterdam_to_rotterdam_is_about_57_km():
    km = geo.distance_km("1012 AB", "3011 AA")
    assert km == pytest.approx(57, abs=3)


def test_utrecht_to_groningen_is_about_160_km():
    assert geo.distance_km("3511", "9711") == pytest.approx(160, abs=10)


def test_the_distance_is_the_same_both_ways():
    assert geo.distance_km("5611", "7511") == geo.distance_km("7511", "5611")


def test_a_postcode_is_0_km_from_itself():
    assert geo.distance_km("1012 AB", "1012 XY") == 0.0


def test_two_postcodes_of_one_town_share_its_centre():
    assert geo.distance_km("1011", "1102") == 0.0


@pytest.mark.parametrize("written", ["1012AB", "1012 ab", "1012", " 1012  AB ", "NL-1012 AB"])
def test_a_postcode_is_read_however_it_is_written(written):
    point = geo.postcode_point(written)
    assert point is not None
    assert point.code == "1012"


@pytest.mark.parametrize(
    "written",
    ["", "AB 1012", "0123 AB", "123", "12345", "1012 ABC", "B-1000", "D-10115", "SW1A 1AA"],
)
def test_anything_but_a_dutch_postcode_has_no_point(written):
    assert geo.postcode_point(written) is None


def test_a_distance_to_something_that_is_not_a_postcode_is_unknown():
    assert geo.distance_km("1012 AB", "not a postcode") is None
    assert geo.distance("12345", "3011") is None


def test_a_known_town_postcode_is_placed_at_its_town():
    point = geo.postcode_point("3511 AA")
    assert point is not None
    assert point.precision is Precision.PLACE
    assert (point.lat, point.lon) == pytest.approx((52.09, 5.12), abs=0.02)


def test_a_postcode_missing_from_the_table_falls_back_to_its_region():
    # PO boxes 1000-1009 are no PC4 area of their own: Amsterdam's region answers.
    point = geo.postcode_point("1001 AA")
    assert point is not None
    assert point.code in {"100", "10"}
    assert point.precision in {Precision.AREA, Precision.REGION}
    assert geo.distance_km("1001", "1012") == pytest.approx(0, abs=15)


def test_the_table_has_a_region_for_every_two_digit_area():
    for region in range(10, 100):
        assert geo.postcode_point(f"{region}99") is not None


def test_a_distance_is_as_coarse_as_its_coarser_end():
    found = geo.distance("1012", "1001")
    assert found is not None
    assert found.precision in {Precision.AREA, Precision.REGION}
    assert found.approximate


def test_precision_is_stored_as_a_word_and_ordered_by_coarseness():
    assert Precision.PLACE == "place"
    assert Precision.PLACE.coarser(Precision.REGION) is Precision.REGION
    assert Precision.AREA.coarser(Precision.PLACE) is Precision.AREA


def test_an_exact_distance_is_rounded_to_the_kilometre():
    assert Distance(km=57.4, precision=Precision.PLACE).rounded_km == 57
    assert not Distance(km=57.4, precision=Precision.PLACE).approximate


def test_an_approximate_distance_is_rounded_to_5_or_10_km():
    assert Distance(km=23.0, precision=Precision.AREA).rounded_km == 25
    assert Distance(km=23.0, precision=Precision.REGION).rounded_km == 20


def test_a_short_approximate_distance_is_never_rounded_to_nothing():
    assert Distance(km=1.2, precision=Precision.REGION).rounded_km == 10
    assert Distance(km=0.0, precision=Precision.REGION).rounded_km == 0


def test_the_table_covers_every_pc4_and_is_read_once():
    with gzip.open(geo.TABLE_PATH, "rt", encoding="utf-8") as handle:
        header = handle.readline().strip()
    assert header == "code,lat,lon,level"
    table = geo._table()
    assert sum(1 for code in table if len(code) == 4) > 4000
    assert geo._table() is table
    assert all(50.7 < lat < 53.6 and 3.3 < lon < 7.3 for lat, lon, _ in table.values())
