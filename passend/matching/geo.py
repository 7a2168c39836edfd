"""Distance between Dutch postcodes, from a table shipped with Passend.

Only the four digits of a postcode (PC4) are used. data/pc4.csv.gz gives a
point for every PC4 known in 2026 and, for a PC4 not in it, for its first
three (PC3) or two (PC2) digits; scripts/build_pc4_table.py writes it and
data/README.md says where its facts come from. Nothing is downloaded.

A point is the centre of the place the PC4 belongs to, not of the PC4 area
itself: every PC4 of Amsterdam is Amsterdam's centre, so two addresses in one
town are 0 km apart. `Precision` says how coarse a point is; a distance is as
coarse as the coarser of its two ends, and `Distance.rounded_km` rounds it to
match, so that an explanation can say "about 25 km". Distances are straight
lines (haversine), not routes.
"""

from __future__ import annotations

import csv
import gzip
import math
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

TABLE_PATH = Path(__file__).resolve().parent / "data" / "pc4.csv.gz"
ATTRIBUTION = (
    "Postcode places: countries-states-cities-database (ODbL 1.0), via "
    "countrystatecity-postal-codes; coordinates: GeoNames (CC BY 4.0)."
)
# Mean Earth radius (IUGG).
EARTH_RADIUS_KM = 6371.0088

# "1234 AB", "1234ab", "1234", optionally "NL-1234 AB"; Dutch PC4s run 1000-9999.
_POSTCODE = re.compile(r"^(?:NL[-\s]?)?([1-9][0-9]{3})\s*(?:[A-Z]{2})?$")


class Precision(StrEnum):
    """How coarse a point is; stored as its value ("place", "area", "region")."""

    PLACE = "place"  # the centre of the place the PC4 belongs to
    AREA = "area"  # the median of the places of its PC3 (first three digits)
    REGION = "region"  # the median of the places of its PC2 (first two digits)

    @property
    def rank(self) -> int:
        """1 for the finest, 3 for the coarsest."""
        return _RANKS[self]

    def coarser(self, other: Precision) -> Precision:
        return self if self.rank >= other.rank else other


_RANKS = {Precision.PLACE: 1, Precision.AREA: 2, Precision.REGION: 3}


# Rounding of a distance, per precision: a figure no finer than its ends.
_ROUNDING_KM = {Precision.PLACE: 1, Precision.AREA: 5, Precision.REGION: 10}
_LEVELS = {"place": Precision.PLACE, "pc3": Precision.AREA, "pc2": Precision.REGION}


@dataclass(frozen=True)
class Point:
    lat: float
    lon: float
    precision: Precision
    # The table row used: four, three or two digits.
    code: str


@dataclass(frozen=True)
class Distance:
    km: float
    precision: Precision

    @property
    def approximate(self) -> bool:
        """True when at least one end is only known by its PC3 or PC2."""
        return self.precision is not Precision.PLACE

    @property
    def rounded_km(self) -> int:
        """`km` rounded to 1, 5 or 10 km by precision; never 0 for a nonzero distance."""
        step = _ROUNDING_KM[self.precision]
        rounded = int(round(self.km / step) * step)
        return max(rounded, step) if self.km >= 0.5 else rounded


def pc4(postcode: str) -> str | None:
    """The four digits of a Dutch postcode, or None for anything else."""
    if not isinstance(postcode, str):
        return None
    match = _POSTCODE.match(postcode.strip().upper())
    return match.group(1) if match else None


@lru_cache(maxsize=1)
def _table() -> dict[str, tuple[float, float, Precision]]:
    """The shipped table, read once per process."""
    rows: dict[str, tuple[float, float, Precision]] = {}
    with gzip.open(TABLE_PATH, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = row["code"]
            precision = _LEVELS[row["level"]]
            if len(code) == 3:
                precision = precision.coarser(Precision.AREA)
            elif len(code) == 2:
                precision = Precision.REGION
            rows[code] = (float(row["lat"]), float(row["lon"]), precision)
    return rows


def postcode_point(postcode: str) -> Point | None:
    """The point of a Dutch postcode; None when it is not one or has no known region."""
    digits = pc4(postcode)
    if digits is None:
        return None
    table = _table()
    for code in (digits, digits[:3], digits[:2]):
        if code in table:
            lat, lon, precision = table[code]
            return Point(lat=lat, lon=lon, precision=precision, code=code)
    return None


def haversine_km(a: Point, b: Point) -> float:
    """Great-circle distance between two points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def distance(a: str, b: str) -> Distance | None:
    """The straight-line distance between two Dutch postcodes, with its precision."""
    first, second = postcode_point(a), postcode_point(b)
    if first is None or second is None:
        return None
    if first.code == second.code:
        return Distance(km=0.0, precision=first.precision)
    return Distance(
        km=haversine_km(first, second), precision=first.precision.coarser(second.precision)
    )


def distance_km(a: str, b: str) -> float | None:
    """The straight-line distance in km between two Dutch postcodes; None if either is not one."""
    found = distance(a, b)
    return None if found is None else found.km
