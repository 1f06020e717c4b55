"""JSON shapes of the map data API (GeoJSON for features, longitude before latitude).

To keep responses small, a feature's ``counts`` is a list of numbers in the order of the
response's ``categories`` (police.uk slugs); ``total`` is their sum.
"""

from __future__ import annotations

from mapping import grid
from mapping.selectors import Filters


def _round(value: float) -> float:
    return round(value, 6)


def counts_list(filters: Filters, counts: dict[str, int]) -> list[int]:
    """Counts by type as a list in the order of the response's ``categories``."""
    return [counts.get(crime_type.slug, 0) for crime_type in filters.types]


def envelope(filters: Filters, *, synthetic: bool) -> dict:
    data = {
        "months": {"from": f"{filters.month_from:%Y-%m}", "to": f"{filters.month_to:%Y-%m}"},
        "categories": [crime_type.slug for crime_type in filters.types],
        "synthetic": synthetic,
    }
    if synthetic:
        data["notice"] = "Synthetic demo data - not real crimes."
    return data


def cells_collection(
    filters: Filters, cells: list[dict], *, cell_zoom: int, synthetic: bool
) -> dict:
    features = [
        {
            "type": "Feature",
            "id": f"{cell_zoom}/{cell['x']}/{cell['y']}",
            "geometry": {
                "type": "Point",
                "coordinates": [_round(cell["longitude"]), _round(cell["latitude"])],
            },
            "properties": {
                "bbox": [_round(v) for v in grid.tile_bounds(cell["x"], cell["y"], cell_zoom)],
                "total": cell["total"],
                "counts": counts_list(filters, cell["counts"]),
            },
        }
        for cell in cells
    ]
    return {
        "type": "FeatureCollection",
        "kind": "cells",
        "cell_zoom": cell_zoom,
        **envelope(filters, synthetic=synthetic),
        "total": sum(cell["total"] for cell in cells),
        "features": features,
    }


def points_collection(filters: Filters, points: list[dict], *, synthetic: bool) -> dict:
    features = [
        {
            "type": "Feature",
            "id": point["id"],
            "geometry": {
                "type": "Point",
                "coordinates": [_round(point["longitude"]), _round(point["latitude"])],
            },
            "properties": {
                "location": point["location"],
                "total": point["total"],
                "counts": counts_list(filters, point["counts"]),
            },
        }
        for point in points
    ]
    return {
        "type": "FeatureCollection",
        "kind": "points",
        **envelope(filters, synthetic=synthetic),
        "total": sum(point["total"] for point in points),
        "features": features,
    }


def month_rows(rows: list[dict]) -> list[dict]:
    return [{**row, "month": f"{row['month']:%Y-%m}"} for row in rows]
