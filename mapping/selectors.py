"""Reads of map data: counts by grid cell, snap point, area and month, and hot streets.

Every function takes ``Filters`` (a month range and a selection of crime types) and
returns plain dicts and lists, ready for JSON or templates.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce

from django.db.models import ExpressionWrapper, F, FloatField, Max, Min, Q, QuerySet, Sum

from geography import boundaries
from mapping import grid
from mapping.categories import CRIME_TYPES, CrimeType
from mapping.models import AreaMonth, CellMonth, Dataset, PointMonth, SnapPoint

BBox = tuple[float, float, float, float]  # west, south, east, north


@dataclass(frozen=True)
class Filters:
    month_from: dt.date
    month_to: dt.date
    types: tuple[CrimeType, ...] = CRIME_TYPES

    @property
    def all_types(self) -> bool:
        return len(self.types) == len(CRIME_TYPES)

    def months(self) -> list[dt.date]:
        months, month = [], self.month_from
        while month <= self.month_to:
            months.append(month)
            month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
        return months


def data_version() -> tuple[dt.datetime | None, int]:
    """When data last changed, and how many datasets there are (for ETags)."""
    from django.db.models import Count

    row = Dataset.objects.aggregate(latest=Max("imported_at"), count=Count("pk"))
    return row["latest"], row["count"]


def available_months() -> list[dt.date]:
    return sorted(set(Dataset.objects.values_list("month", flat=True).distinct()))


def default_filters() -> Filters:
    """The latest 12 months with data (or this month when there is none)."""
    months = available_months()
    latest = months[-1] if months else dt.date.today().replace(day=1)
    first = dt.date(latest.year - 1, latest.month, 1)
    first = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    if months:
        first = max(first, months[0])
    return Filters(first, latest)


def is_synthetic(filters: Filters) -> bool:
    """Whether any synthetic (generated, not real) data falls in the months."""
    return Dataset.objects.filter(
        month__range=(filters.month_from, filters.month_to), synthetic=True
    ).exists()


def datasets(filters: Filters) -> list[Dataset]:
    return list(Dataset.objects.filter(month__range=(filters.month_from, filters.month_to)))


def _sums(filters: Filters) -> dict[str, Sum]:
    return {f"n_{crime_type.field}": Sum(crime_type.field) for crime_type in filters.types}


def _selected_total(filters: Filters):
    if filters.all_types:
        return Sum("total")
    return Sum(reduce(operator.add, (F(crime_type.field) for crime_type in filters.types)))


def _counts(row: dict, filters: Filters) -> tuple[int, dict[str, int]]:
    counts = {}
    for crime_type in filters.types:
        value = row[f"n_{crime_type.field}"] or 0
        if value:
            counts[crime_type.slug] = value
    return sum(counts.values()), counts


def in_area(borough_code: str | None = None, ward_code: str | None = None) -> Q:
    """The rule for which counts belong to an area: those at its snap points (a borough's
    by the borough its LSOA names, a neighbourhood's by its ward code). Empty: London."""
    area = Q()
    if borough_code:
        area &= Q(snap__borough_code=borough_code)
    if ward_code:
        area &= Q(snap__ward_code=ward_code)
    return area


def _area_cell_rows(
    filters: Filters, zoom: int, cell_range: tuple[int, int, int, int], area: Q
) -> QuerySet:
    """Cell sums of an area, added up from its snap points (each knows its tile at the
    finest grid; its cell at a coarser grid is that divided by a power of two)."""
    x0, y0, x1, y1 = cell_range
    scale = 1 << (grid.BASE_TILE_ZOOM - zoom)

    def weighted(coordinate: str) -> Sum:
        return Sum(ExpressionWrapper(F(coordinate) * F("total"), output_field=FloatField()))

    return (
        PointMonth.objects.filter(
            area,
            snap__tile_x__range=(x0 * scale, (x1 + 1) * scale - 1),
            snap__tile_y__range=(y0 * scale, (y1 + 1) * scale - 1),
            month__range=(filters.month_from, filters.month_to),
        )
        .values(x=F("snap__tile_x") / scale, y=F("snap__tile_y") / scale)
        .annotate(
            **_sums(filters),
            all_total=Sum("total"),
            lat=weighted("snap__latitude"),
            lon=weighted("snap__longitude"),
        )
        .order_by()
    )


def cells(
    filters: Filters,
    bbox: BBox,
    map_zoom: int,
    *,
    borough_code: str | None = None,
    ward_code: str | None = None,
) -> tuple[int, list[dict]]:
    """(grid zoom, cells) touching the bbox: each with its tile x, y, the centroid of its
    incidents, their total and counts by crime type. Empty cells are left out. With a
    borough or neighbourhood, only the incidents in it are counted (a cell on its edge
    counts its part)."""
    zoom = grid.cell_zoom_for(map_zoom)
    x0, y0, x1, y1 = grid.cell_range(bbox, zoom)
    area = in_area(borough_code, ward_code)
    if area:
        rows = _area_cell_rows(filters, zoom, (x0, y0, x1, y1), area)
    else:
        rows = (
            CellMonth.objects.filter(
                zoom=zoom,
                x__range=(x0, x1),
                y__range=(y0, y1),
                month__range=(filters.month_from, filters.month_to),
            )
            .values("x", "y")
            .annotate(
                **_sums(filters),
                all_total=Sum("total"),
                lat=Sum("latitude_sum"),
                lon=Sum("longitude_sum"),
            )
            .order_by()
        )
    found = []
    for row in rows:
        total, counts = _counts(row, filters)
        if not total:
            continue
        found.append(
            {
                "x": row["x"],
                "y": row["y"],
                "latitude": row["lat"] / row["all_total"],
                "longitude": row["lon"] / row["all_total"],
                "total": total,
                "counts": counts,
            }
        )
    found.sort(key=lambda cell: (cell["y"], cell["x"]))
    return zoom, found


def _in_bbox(bbox: BBox) -> Q:
    """Counts at snap points in the bbox, found through the snap points' own index (a
    small table) and then the counts' (snap, month) index."""
    west, south, east, north = bbox
    return Q(snap__latitude__range=(south, north), snap__longitude__range=(west, east))


def points(
    filters: Filters,
    bbox: BBox,
    *,
    borough_code: str | None = None,
    ward_code: str | None = None,
) -> list[dict]:
    """Snap points in the bbox (and in the borough or neighbourhood, if given) with their
    totals and counts by crime type."""
    rows = (
        PointMonth.objects.filter(
            _in_bbox(bbox),
            in_area(borough_code, ward_code),
            month__range=(filters.month_from, filters.month_to),
        )
        .values("snap_id", "snap__latitude", "snap__longitude", "snap__location")
        .annotate(**_sums(filters))
        .order_by()
    )
    found = []
    for row in rows:
        total, counts = _counts(row, filters)
        if total:
            found.append(
                {
                    "id": row["snap_id"],
                    "latitude": row["snap__latitude"],
                    "longitude": row["snap__longitude"],
                    "location": row["snap__location"],
                    "total": total,
                    "counts": counts,
                }
            )
    found.sort(key=lambda point: point["id"])
    return found


def ward_codes_in_borough(borough_code: str) -> list[str]:
    return sorted(
        SnapPoint.objects.filter(borough_code=borough_code)
        .exclude(ward_code="")
        .values_list("ward_code", flat=True)
        .distinct()
    )


def ward_names(codes: Iterable[str]) -> dict[str, str]:
    """Titles of the live neighbourhood pages for ward codes (where they exist)."""
    codes = list(codes)
    if not codes:
        return {}
    try:
        from standards.models import NeighbourhoodPage
    except ImportError:  # pragma: no cover - the standards app is always installed
        return {}
    return dict(
        NeighbourhoodPage.objects.live()
        .filter(ward_code__in=codes)
        .values_list("ward_code", "title")
    )


def area_totals(
    filters: Filters, *, kind: str = AreaMonth.BOROUGH, codes: Iterable[str] | None = None
) -> list[dict]:
    """Totals per borough (all 33, zeros included) or per neighbourhood (those asked for,
    or all with data), ordered by name."""
    query = AreaMonth.objects.filter(kind=kind, month__range=(filters.month_from, filters.month_to))
    if codes is not None:
        codes = list(codes)
        query = query.filter(code__in=codes)
    rows = {row["code"]: row for row in query.values("code").annotate(**_sums(filters)).order_by()}
    if kind == AreaMonth.BOROUGH:
        names = {area.code: area.name for area in boundaries.boroughs()}
        wanted = codes if codes is not None else list(names)
    else:
        wanted = codes if codes is not None else list(rows)
        names = ward_names(wanted)
    found = []
    for code in wanted:
        row = rows.get(code)
        total, counts = _counts(row, filters) if row else (0, {})
        found.append(
            {"code": code, "name": names.get(code, code), "total": total, "counts": counts}
        )
    found.sort(key=lambda area: area["name"])
    return found


def trend(filters: Filters, *, kind: str = AreaMonth.BOROUGH, code: str | None = None) -> list:
    """Totals per month (every month in the range, zeros included) for an area, or for all
    of London when no code is given."""
    query = AreaMonth.objects.filter(
        kind=AreaMonth.BOROUGH if code is None else kind,
        month__range=(filters.month_from, filters.month_to),
    )
    if code is not None:
        query = query.filter(code=code)
    rows = {row["month"]: row for row in query.values("month").annotate(**_sums(filters))}
    found = []
    for month in filters.months():
        row = rows.get(month)
        total, counts = _counts(row, filters) if row else (0, {})
        found.append({"month": month, "total": total, "counts": counts})
    return found


def area_trend(
    filters: Filters, *, borough_code: str | None = None, ward_code: str | None = None
) -> list[dict]:
    """The monthly rows of the area a page or the map is filtered to: a neighbourhood,
    else a borough, else all of London. A page's tables and its map's total both come
    from here, so they always agree."""
    if ward_code:
        return trend(filters, kind=AreaMonth.WARD, code=ward_code)
    return trend(filters, code=borough_code or None)


def rows_total(rows: Iterable[dict]) -> int:
    return sum(row["total"] for row in rows)


def area_total(
    filters: Filters, *, borough_code: str | None = None, ward_code: str | None = None
) -> int:
    """The number of incidents in the area over the months, of the selected types."""
    return rows_total(area_trend(filters, borough_code=borough_code, ward_code=ward_code))


def area_bbox(*, borough_code: str | None = None, ward_code: str | None = None) -> BBox | None:
    """Where a map of the area starts: a neighbourhood's snap points' bounding box (there
    is no ward boundary file), a borough's boundary box; None for London or when unknown."""
    if ward_code:
        box = SnapPoint.objects.filter(ward_code=ward_code).aggregate(
            west=Min("longitude"),
            south=Min("latitude"),
            east=Max("longitude"),
            north=Max("latitude"),
        )
        if box["west"] is None:
            return None
        return box["west"], box["south"], box["east"], box["north"]
    area = boundaries.borough(borough_code) if borough_code else None
    return area.bbox if area else None


def hot_streets(
    filters: Filters,
    *,
    borough_code: str | None = None,
    ward_code: str | None = None,
    bbox: BBox | None = None,
    limit: int = 10,
) -> list[dict]:
    """The locations with most incidents over the months, most first.

    Two steps: rank locations by their total (for every crime type this reads only an
    index), then fetch the counts by type of the leading few."""
    query: QuerySet = PointMonth.objects.filter(
        in_area(borough_code, ward_code), month__range=(filters.month_from, filters.month_to)
    )
    if bbox:
        query = query.filter(_in_bbox(bbox))
    leaders = list(
        query.values("snap_id")
        .annotate(selected=_selected_total(filters))
        .filter(selected__gt=0)
        .order_by("-selected", "snap_id")
        .values_list("snap_id", flat=True)[:limit]
    )
    rows = {
        row["snap_id"]: row
        for row in query.filter(snap_id__in=leaders)
        .values(
            "snap_id", "snap__latitude", "snap__longitude", "snap__borough_code", "snap__location"
        )
        .annotate(**_sums(filters))
        .order_by()
    }
    found = []
    for snap_id in leaders:
        row = rows[snap_id]
        total, counts = _counts(row, filters)
        found.append(
            {
                "id": snap_id,
                "location": row["snap__location"],
                "borough_code": row["snap__borough_code"],
                "borough": boundaries.borough_name(row["snap__borough_code"]) or "",
                "latitude": row["snap__latitude"],
                "longitude": row["snap__longitude"],
                "total": total,
                "counts": counts,
            }
        )
    return found
