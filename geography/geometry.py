"""Plane geometry on WGS84 polygons: the one point-in-polygon rule of the portal.

Pure Python, no GeoDjango/GDAL. Boroughs (``boundaries.py``) and wards (``wards.py``)
are both :class:`Area` objects built from GeoJSON geometries. This module imports
nothing of the portal.

Coordinates are WGS84 decimal degrees, latitude then longitude in arguments, and
longitude then latitude inside GeoJSON geometries.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

EARTH_RADIUS_M = 6_371_008.8
METRES_PER_DEGREE_LAT = math.pi * EARTH_RADIUS_M / 180.0

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
        return any(polygon_contains(polygon, longitude, latitude) for polygon in self.polygons)

    def distance_m(self, latitude: float, longitude: float) -> float:
        """Distance from the point to the area's boundary in metres (0 inside)."""
        if self.contains(latitude, longitude):
            return 0.0
        return min(
            distance_to_ring_m(ring, longitude, latitude)
            for polygon in self.polygons
            for ring in polygon
        )

    def near_bbox(self, latitude: float, longitude: float, distance_m: float) -> bool:
        """Whether the point is within about ``distance_m`` of the bounding box."""
        margin_lat = distance_m / METRES_PER_DEGREE_LAT
        margin_lon = margin_lat / max(math.cos(math.radians(latitude)), 0.01)
        min_lon, min_lat, max_lon, max_lat = self.bbox
        return (
            min_lon - margin_lon <= longitude <= max_lon + margin_lon
            and min_lat - margin_lat <= latitude <= max_lat + margin_lat
        )

    @property
    def rings(self) -> Iterable[Ring]:
        """Every ring of every polygon: outer rings and holes."""
        return (ring for polygon in self.polygons for ring in polygon)

    @property
    def centroid(self) -> tuple[float, float]:
        """An interior-ish representative point (latitude, longitude): the outer ring's centroid,
        or the bbox centre when that falls outside."""
        outer = max((polygon[0] for polygon in self.polygons), key=ring_area)
        lon, lat = ring_centroid(outer)
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


def nearest_area(
    latitude: float, longitude: float, areas: Iterable[Area], *, max_m: float
) -> tuple[Area | None, float]:
    """The area nearest the point (0 m if one contains it) within ``max_m``, and its
    distance; (None, inf) when none is that close."""
    nearest, nearest_distance = None, math.inf
    for area in areas:
        if not area.near_bbox(latitude, longitude, min(max_m, nearest_distance)):
            continue
        distance = area.distance_m(latitude, longitude)
        if distance <= max_m and distance < nearest_distance:
            nearest, nearest_distance = area, distance
            if distance == 0.0:
                break
    return nearest, nearest_distance


def is_coordinate(latitude: float, longitude: float) -> bool:
    """Whether the pair is a finite latitude and longitude."""
    try:
        return (
            math.isfinite(latitude)
            and math.isfinite(longitude)
            and (-90 <= latitude <= 90 and -180 <= longitude <= 180)
        )
    except TypeError:
        return False


def polygon_contains(polygon: tuple[Ring, ...], x: float, y: float) -> bool:
    """Whether (x, y) = (lon, lat) is inside the outer ring and outside every hole."""
    if not ring_contains(polygon[0], x, y):
        return False
    return not any(ring_contains(hole, x, y) for hole in polygon[1:])


def ring_contains(ring: Ring, x: float, y: float) -> bool:
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


def distance_to_ring_m(ring: Ring, lon: float, lat: float) -> float:
    """Shortest distance from the point to the ring's edges, on a local flat projection."""
    scale_x = math.cos(math.radians(lat)) * METRES_PER_DEGREE_LAT
    scale_y = METRES_PER_DEGREE_LAT
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


def segment_meets_box(
    x1: float, y1: float, x2: float, y2: float, box: tuple[float, float, float, float]
) -> bool:
    """Whether the segment meets the closed box (min x, min y, max x, max y): their
    bounding boxes overlap and the box's corners are not all strictly on one side."""
    min_x, min_y, max_x, max_y = box
    if max(x1, x2) < min_x or min(x1, x2) > max_x or max(y1, y2) < min_y or min(y1, y2) > max_y:
        return False
    dx, dy = x2 - x1, y2 - y1
    sides = [
        dx * (cy - y1) - dy * (cx - x1)
        for cx, cy in ((min_x, min_y), (max_x, min_y), (min_x, max_y), (max_x, max_y))
    ]
    return not (all(side > 0 for side in sides) or all(side < 0 for side in sides))


def ring_area(ring: Ring) -> float:
    return abs(
        sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False)) / 2
    )


def ring_centroid(ring: Ring) -> tuple[float, float]:
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
