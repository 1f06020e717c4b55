"""London's 704 electoral wards (May 2022 onwards): which ward a point lies in.

Each Safer Neighbourhoods team in the Met covers one ward, so a ward code (E05...)
identifies a team. The wards come from ``data/london-wards-2024.geojson`` (ONS, OGL v3:
see ``data/README.md``), read once per process on first use.

The lookup uses a spatial index: a uniform grid of about 140 x 140 m cells over the
wards' extent. At build time every ward edge is drawn into the cells it meets; a cell
that no edge meets lies wholly inside one ward (or wholly outside London, or in the
Thames), and neighbouring such cells share their answer, so each connected run of them
needs one point-in-polygon test. A lookup is then one array read for most points, and
a test against only the wards whose edges cross its cell for the rest. The polygon test
is :func:`geography.geometry.polygon_contains`, the same rule the borough lookup uses.

Pure Python (no GeoDjango/GDAL, no new dependency); imports nothing of the portal
outside ``geography``.
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from geography.boundaries import NEAREST_BOROUGH_TOLERANCE_M
from geography.geometry import (
    Area,
    area_from_geometry,
    is_coordinate,
    nearest_area,
    segment_meets_box,
)
from geography.once import BuiltOnce

WARD_FILE = Path(__file__).resolve().parent / "data" / "london-wards-2024.geojson"

# A point in no ward (the Thames, a bridge, a street that is a ward edge, boundary
# generalisation) belongs to the nearest ward within this distance: the same rule as
# for boroughs, so a point placed in a borough can always be placed in one of its wards.
NEAREST_WARD_MAX_M = NEAREST_BOROUGH_TOLERANCE_M

CELL_LON = 0.002  # degrees: about 139 m at London's latitude
CELL_LAT = 0.00125  # degrees: about 139 m
_EDGE_MARGIN = 1e-9  # degrees: cells are widened by this when edges are drawn into them
_OUTSIDE = -1  # a cell in no ward; a boundary cell k is stored as -2 - k


@dataclass(frozen=True)
class Ward:
    """One electoral ward: its ONS code, name, borough and boundary."""

    code: str  # E05...
    name: str
    borough_code: str  # E09...
    borough_name: str
    area: Area = field(compare=False, repr=False)

    def contains(self, latitude: float, longitude: float) -> bool:
        return self.area.contains(latitude, longitude)

    def distance_m(self, latitude: float, longitude: float) -> float:
        """Distance from the point to the ward's boundary in metres (0 inside)."""
        return self.area.distance_m(latitude, longitude)

    @property
    def centroid(self) -> tuple[float, float]:
        """A representative point (latitude, longitude)."""
        return self.area.centroid


def load_wards(path: Path = WARD_FILE) -> tuple[Ward, ...]:
    """The wards of an ONS-shaped GeoJSON file (properties ``ward_code``, ``ward_name``,
    ``borough_code``, ``borough_name``), ordered by borough name, then ward name."""
    with path.open(encoding="utf-8") as handle:
        collection = json.load(handle)
    found = []
    for feature in collection["features"]:
        properties = feature["properties"]
        code, name = properties["ward_code"], properties["ward_name"]
        found.append(
            Ward(
                code=code,
                name=name,
                borough_code=properties["borough_code"],
                borough_name=properties["borough_name"],
                area=area_from_geometry(code, name, feature["geometry"], properties),
            )
        )
    return tuple(sorted(found, key=lambda ward: (ward.borough_name, ward.name, ward.code)))


class WardIndex:
    """Point-in-ward lookups over a set of non-overlapping wards."""

    def __init__(
        self, wards: Sequence[Ward], *, cell_lon: float = CELL_LON, cell_lat: float = CELL_LAT
    ) -> None:
        if not wards:
            raise ValueError("A ward index needs at least one ward")
        self.wards = tuple(wards)
        self._by_code = {ward.code: ward for ward in self.wards}
        self._cell_lon, self._cell_lat = cell_lon, cell_lat
        self._x0 = min(ward.area.bbox[0] for ward in self.wards)
        self._y0 = min(ward.area.bbox[1] for ward in self.wards)
        x1 = max(ward.area.bbox[2] for ward in self.wards)
        y1 = max(ward.area.bbox[3] for ward in self.wards)
        self._columns = int((x1 - self._x0) / cell_lon) + 1
        self._rows = int((y1 - self._y0) / cell_lat) + 1
        self._candidates: list[tuple[Ward, ...]] = []
        self._cells = self._build()

    def ward(self, code: str) -> Ward | None:
        return self._by_code.get(code)

    def ward_for(self, latitude: float, longitude: float) -> Ward | None:
        """The ward whose polygon holds the point, or None (outside, or on the Thames)."""
        fx = (longitude - self._x0) / self._cell_lon
        fy = (latitude - self._y0) / self._cell_lat
        if not (0 <= fx < self._columns and 0 <= fy < self._rows):  # NaN fails too
            return None
        value = self._cells[int(fy) * self._columns + int(fx)]
        if value >= 0:
            return self.wards[value]
        if value == _OUTSIDE:
            return None
        candidates = self._candidates[-2 - value]
        for ward in candidates:
            if ward.area.contains(latitude, longitude):
                return ward
        # Only a ward that holds the whole cell can remain (possible solely through the
        # margin cells are drawn with): look it up the slow way rather than guess.
        return self.brute_force(latitude, longitude, skip=candidates)

    def brute_force(
        self, latitude: float, longitude: float, *, skip: Iterable[Ward] = ()
    ) -> Ward | None:
        """The same answer as :meth:`ward_for` by testing every ward in turn (bounding box
        first): the benchmark's and tests' reference."""
        skipped = {ward.code for ward in skip}
        for ward in self.wards:
            if ward.code not in skipped and ward.area.contains(latitude, longitude):
                return ward
        return None

    def nearest(
        self,
        latitude: float,
        longitude: float,
        *,
        borough_code: str | None = None,
        max_m: float = NEAREST_WARD_MAX_M,
    ) -> Ward | None:
        """The ward holding the point, else the nearest within ``max_m``; only wards of
        ``borough_code`` when given. None when no such ward is that close."""
        if not is_coordinate(latitude, longitude):
            return None
        holding = self.ward_for(latitude, longitude)
        if holding is not None and borough_code in (None, holding.borough_code):
            return holding
        pool = (
            ward.area
            for ward in self.wards
            if ward is not holding and borough_code in (None, ward.borough_code)
        )
        area, _distance = nearest_area(latitude, longitude, pool, max_m=max_m)
        return self._by_code[area.code] if area is not None else None

    def _build(self) -> array:
        """Draw every edge into the cells it meets, then give each cell no edge meets the
        answer of its connected run of such cells (one polygon test per run)."""
        columns = self._columns
        touched: dict[int, set[int]] = {}
        for number, ward in enumerate(self.wards):
            for ring in ward.area.rings:
                x1, y1 = ring[-1]
                for x2, y2 in ring:
                    for cell in self._cells_meeting(x1, y1, x2, y2):
                        touched.setdefault(cell, set()).add(number)
                    x1, y1 = x2, y2

        cells = array("i", [_OUTSIDE]) * (columns * self._rows)
        shared: dict[tuple[int, ...], int] = {}
        for cell, numbers in touched.items():
            key = tuple(sorted(numbers))
            if key not in shared:
                shared[key] = len(self._candidates)
                self._candidates.append(tuple(self.wards[n] for n in key))
            cells[cell] = -2 - shared[key]

        # Runs of untouched cells along each row, joined to the runs they touch in the
        # row below: each joined region lies in one ward or in none.
        parent: list[int] = []
        runs: list[tuple[int, int, int]] = []  # (row, first column, last column)

        def root(run: int) -> int:
            while parent[run] != run:
                parent[run] = parent[parent[run]]
                run = parent[run]
            return run

        below: list[int] = []
        for row in range(self._rows):
            current: list[int] = []
            column = 0
            while column < columns:
                if (row * columns + column) in touched:
                    column += 1
                    continue
                first = column
                while column < columns and (row * columns + column) not in touched:
                    column += 1
                run = len(runs)
                runs.append((row, first, column - 1))
                parent.append(run)
                current.append(run)
            # Join overlapping runs of the two rows (both lists are sorted by column).
            i = j = 0
            while i < len(current) and j < len(below):
                _, a_first, a_last = runs[current[i]]
                _, b_first, b_last = runs[below[j]]
                if a_first <= b_last and b_first <= a_last:
                    parent[root(current[i])] = root(below[j])
                if a_last < b_last:
                    i += 1
                else:
                    j += 1
            below = current

        answer: dict[int, int] = {}
        for run, (row, first, last) in enumerate(runs):
            region = root(run)
            if region not in answer:
                latitude = self._y0 + (row + 0.5) * self._cell_lat
                longitude = self._x0 + (first + 0.5) * self._cell_lon
                ward = self.brute_force(latitude, longitude)
                answer[region] = _OUTSIDE if ward is None else self.wards.index(ward)
            value = answer[region]
            if value != _OUTSIDE:
                start = row * columns
                cells[start + first : start + last + 1] = array("i", [value]) * (last - first + 1)
        return cells

    def _cells_meeting(self, x1: float, y1: float, x2: float, y2: float) -> list[int]:
        """The cells (row * columns + column) whose slightly widened box meets the edge."""
        cw, ch, margin = self._cell_lon, self._cell_lat, _EDGE_MARGIN
        first_column = max(int((min(x1, x2) - margin - self._x0) / cw), 0)
        last_column = min(int((max(x1, x2) + margin - self._x0) / cw), self._columns - 1)
        first_row = max(int((min(y1, y2) - margin - self._y0) / ch), 0)
        last_row = min(int((max(y1, y2) + margin - self._y0) / ch), self._rows - 1)
        found = []
        for row in range(first_row, last_row + 1):
            bottom = self._y0 + row * ch
            for column in range(first_column, last_column + 1):
                left = self._x0 + column * cw
                box = (left - margin, bottom - margin, left + cw + margin, bottom + ch + margin)
                if segment_meets_box(x1, y1, x2, y2, box):
                    found.append(row * self._columns + column)
        return found


# The process-wide index over the shipped ward file, built on first use.
index: BuiltOnce[WardIndex] = BuiltOnce(lambda: WardIndex(load_wards()))


def wards() -> tuple[Ward, ...]:
    """London's 704 wards, ordered by borough name, then ward name."""
    return index().wards


def ward(code: str) -> Ward | None:
    """The ward with this ONS code (E05...), or None."""
    return index().ward(code)


def ward_for(latitude: float, longitude: float) -> Ward | None:
    """The ward whose polygon holds the point; None outside London or on the Thames
    (see :func:`nearest_ward`), and for anything that is not a coordinate."""
    if not is_coordinate(latitude, longitude):
        return None
    return index().ward_for(latitude, longitude)


def nearest_ward(
    latitude: float,
    longitude: float,
    borough_code: str | None = None,
    max_m: float = NEAREST_WARD_MAX_M,
) -> Ward | None:
    """The ward holding the point, else (on the Thames, a bridge or a ward edge) the
    nearest ward within ``max_m`` metres, of ``borough_code`` when given; else None."""
    return index().nearest(latitude, longitude, borough_code=borough_code, max_m=max_m)
