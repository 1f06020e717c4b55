"""London's geography: which borough (and which neighbourhood) a point lies in.

Pure Python over the real borough boundary file, with no GeoDjango/GDAL (the geometry
is in ``geometry.py``, shared with ``wards.py``). This module imports no app of the
portal: callers pass neighbourhood areas in.

Coordinates are WGS84 decimal degrees, latitude then longitude in arguments, and
longitude then latitude inside GeoJSON geometries.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path

# Area, area_from_geometry and EARTH_RADIUS_M live in geography.geometry (shared with
# wards.py) and are re-exported for the callers that have always found them here.
from geography.geometry import EARTH_RADIUS_M as EARTH_RADIUS_M
from geography.geometry import Area, area_from_geometry, is_coordinate, nearest_area

BOUNDARY_FILE = Path(__file__).resolve().parent / "data" / "london-boroughs.geojson"

# A point outside every polygon but within this distance of one belongs to the nearest
# borough: the Thames (about 250-750 m wide in London) and boundary rounding.
NEAREST_BOROUGH_TOLERANCE_M = 1000.0


@cache
def boroughs() -> tuple[Area, ...]:
    """The 33 London boroughs (City of London included), ordered by name."""
    with BOUNDARY_FILE.open(encoding="utf-8") as handle:
        collection = json.load(handle)
    areas = [
        area_from_geometry(
            feature["properties"]["gss_code"],
            feature["properties"]["name"],
            feature["geometry"],
            feature["properties"],
        )
        for feature in collection["features"]
    ]
    return tuple(sorted(areas, key=lambda area: area.name))


def borough_choices() -> list[tuple[str, str]]:
    """(ONS code, name) of every borough, for model and form fields."""
    return [(area.code, area.name) for area in boroughs()]


@cache
def _boroughs_by_code() -> dict[str, Area]:
    return {area.code: area for area in boroughs()}


def borough(code: str) -> Area | None:
    return _boroughs_by_code().get(code)


def borough_name(code: str) -> str | None:
    area = borough(code)
    return area.name if area else None


CITY_OF_LONDON = "E09000001"


def council_name(code: str) -> str | None:
    """The local authority's usual name: "Hackney Council", "City of London Corporation"."""
    if code == CITY_OF_LONDON:
        return "City of London Corporation"
    name = borough_name(code)
    return f"{name} Council" if name else None


def area_for(
    latitude: float,
    longitude: float,
    areas: Iterable[Area],
    *,
    tolerance_m: float = 0.0,
) -> Area | None:
    """The area containing the point; else the nearest within ``tolerance_m``; else None."""
    candidates = list(areas)
    for area in candidates:
        if area.contains(latitude, longitude):
            return area
    if tolerance_m <= 0:
        return None
    return nearest_area(latitude, longitude, candidates, max_m=tolerance_m)[0]


def borough_for(latitude: float, longitude: float) -> str | None:
    """ONS code of the borough for a point: the one containing it, or the nearest one for a
    point on the Thames or just off a boundary; None outside London."""
    if not is_coordinate(latitude, longitude):
        return None
    area = area_for(latitude, longitude, boroughs(), tolerance_m=NEAREST_BOROUGH_TOLERANCE_M)
    return area.code if area else None


def in_london(latitude: float, longitude: float) -> bool:
    return borough_for(latitude, longitude) is not None
