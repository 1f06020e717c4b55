"""London's geography: which borough (and which neighbourhood) a point lies in.

Pure Python over the real borough boundary file, with no GeoDejango/GDAL. This module
imports no app of the portal: callers pass neighbourhood areas in.

Coordinates are WGS84 decimal degrees, latitude then longitude in arguments, and
longitude then latitude inside GeoJSON geometries.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

BOUNDARY_FILE = Path(__file__).resolve().parent / "data" / "london-boroughs.geojson"

# A point outside every polygon but within this distance of one belongs to the nearest
# borough: the Thames (about 250-750 m wide in London) and boundary rounding.
NEAREST_BOROUGH_TOLERANCE_M = 1000.0
EARTH_RADIUS_M = 6_371_008.8

Ring = Sequence[tuple[float, float]]  # (lon, lat) pairs


@dataclass(frozen=True)
class Area:
    """A named polygon (or multipolygon) with a precomputed bounding box."""

    code: str
    name: str
    polygons: tuple[tuple[Ring, ...], ...]  # each polygon: outer ring, then holes
    bbox: tuple[float, float, float, float]  # min lon, min lat, max lon, max lat
    properties: dict

    def contains(self, latitude: float, longitude: float) -> bool:
        min_lon, min_lat, max_lon, max_lat = self.bbox
        if not (min_lon <= longitude <= max_lon and min_lat <= latitude <= max_lat):
            return False
        return any(_polygon_contains(polygon, longitude, latitude) for polygon in self.polygons)

    def distance_m(self, latitude: float, longitude: float) -> float:
        """Distance from the point to the area's boundary in metres (0 inside)."""
        if self.contains(latitude, longitude):
            return 0.0
        return min(
            _distance_to_ring_m(ring, longitude, latitude)
            for polygon in self.polygons
            for ring in polygon
        )

    @property
    def centroid(self) -> tuple[float, float]:
        """An interior-ish representative point (latitude, longitude): the outer ring's centroid,
        or the bbox centre when that falls outside."""
        outer = max((polygon[0] for polygon in self.polygons), key=_ring_area)
        lon, lat = _ring_centroid(outer)
        if self.contains(lat, lon):
            return (lat, lon)
        min_lon, min_lat, max_lon, max_lat = self.bbox
        return ((min_lat + max_lat) / 2, (min_lon + max_lon) / 2)


def area_from_geometry(
    code: str, name: str, geometry: dict, properties: dict | None = None
) -> Area:
    """Build an Area from a GeoJSON Polygon or MultiPolygon geometry."""
    kind = geometry.get("type")
    if kind == "Polygon":
        raw_polygons = [geometry["coordinates"]]
    elif kind == "MultiPolygon":
        raw_polygons = geometry["coordinates"]
    else:
        raise ValueError(f"Expected a Polygon or MultiPolygon, got {kind!r}")
    polygons = tuple(
        tuple(tuple((float(x), float(y)) for x, y, *_ in ring) for ring in polygon)
        for polygon in raw_polygons
    )
    if not polygons or not polygons[0] or len(polygons[0][0]) < 4:
        raise ValueError("A polygon needs at least four positions in its outer ring")
    lons = [x for polygon in polygons for x, _ in polygon[0]]
    lats = [y for polygon in polygons for _, y in polygon[0]]
    return Area(
        code=code,
        name=name,
        polygons=polygons,
        bbox=(min(lons), min(lats), max(lons), max(lats)),
        properties=dict(properties or {}),
    )


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
    margin_lat = tolerance_m / 111_000.0
    margin_lon = margin_lat / max(math.cos(math.radians(latitude)), 0.01)
    nearest, nearest_distance = None, tolerance_m
    for area in candidates:
        min_lon, min_lat, max_lon, max_lat = area.bbox
        if not (
            min_lon - margin_lon <= longitude <= max_lon + margin_lon
            and min_lat - margin_lat <= latitude <= max_lat + margin_lat
        ):
            continue
        distance = area.distance_m(latitude, longitude)
        if distance <= nearest_distance:
            nearest, nearest_distance = area, distance
    return nearest


def borough_for(latitude: float, longitude: float) -> str | None:
    """ONS code of the borough for a point: the one containing it, or the nearest one for a
    point on the Thames or just off a boundary; None outside London."""
    if not _is_coordinate(latitude, longitude):
        return None
    area = area_for(latitude, longitude, boroughs(), tolerance_m=NEAREST_BOROUGH_TOLERANCE_M)
    return area.code if area else None


def in_london(latitude: float, longitude: float) -> bool:
    return borough_for(latitude, longitude) is not None


def _is_coordinate(latitude: float, longitude: float) -> bool:
    try:
        return (
            math.isfinite(latitude)
            and math.isfinite(longitude)
            and (-90 <= latitude <= 90 and -180 <= longitude <= 180)
        )
    except TypeError:
        return False


def _polygon_contains(polygon: tuple[Ring, ...], x: float, y: float) -> bool:
    if not _ring_contains(polygon[0], x, y):
        return False
    return not any(_ring_contains(hole, x, y) for hole in polygon[1:])


def _ring_contains(ring: Ring, x: float, y: float) -> bool:
    """Even-odd ray casting."""
    inside = False
    x1, y1 = ring[-1]
    for x2, y2 in ring:
        if (y2 > y) != (y1 > y):
            crossing = x2 + (y - y2) * (x1 - x2) / (y1 - y2)
            if x < crossing:
                inside = not inside
        x1, y1 = x2, y2
    return inside


def _distance_to_ring_m(ring: Ring, lon: float, lat: float) -> float:
    """Shortest distance from the point to the ring's edges, on a local flat projection."""
    scale_x = math.cos(math.radians(lat)) * math.pi * EARTH_RADIUS_M / 180.0
    scale_y = math.pi * EARTH_RADIUS_M / 180.0
    best = math.inf
    ax, ay = (ring[-1][0] - lon) * scale_x, (ring[-1][1] - lat) * scale_y
    for px, py in ring:
        bx, by = (px - lon) * scale_x, (py - lat) * scale_y
        dx, dy = bx - ax, by - ay
        length2 = dx * dx + dy * dy
        t = 0.0 if length2 == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / length2))
        cx, cy = ax + t * dx, ay + t * dy
        best = min(best, cx * cx + cy * cy)
        ax, ay = bx, by
    return math.sqrt(best)


def _ring_area(ring: Ring) -> float:
    return abs(
        sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False)) / 2
    )


def _ring_centroid(ring: Ring) -> tuple[float, float]:
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        cross = x1 * y2 - x2 * y1
        area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if area == 0:
        xs, ys = zip(*ring, strict=False)
        return (sum(xs) / len(xs), sum(ys) / len(ys))
    return (cx / (3 * area), cy / (3 * area))
