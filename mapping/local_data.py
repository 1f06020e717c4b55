"""Everything a page shows about an area's crime and ASB: tables, trend chart, hot
streets and the map's settings. Shared by the London map page and the template tags."""

from __future__ import annotations

from django.urls import reverse

from geography import boundaries
from mapping import charts, selectors
from mapping.categories import CRIME_TYPES
from mapping.models import AreaMonth
from mapping.selectors import Filters

LONDON_BBOX = (-0.5104, 51.2868, 0.3340, 51.6919)


def _bbox_of(borough_code: str | None) -> tuple[float, float, float, float]:
    area = boundaries.borough(borough_code) if borough_code else None
    return area.bbox if area else LONDON_BBOX


def period_text(filters: Filters) -> str:
    """The months in words, as the page's heading says them: "February 2025 to May 2025"."""
    first = f"{filters.month_from:%B %Y}"
    if filters.month_to == filters.month_from:
        return first
    return f"{first} to {filters.month_to:%B %Y}"


def page_context(
    filters: Filters,
    *,
    borough_code: str | None = None,
    ward_code: str | None = None,
    ward_name: str = "",
    bbox: tuple[float, float, float, float] | None = None,
    hot_street_limit: int = 10,
) -> dict:
    trend_rows = selectors.area_trend(filters, borough_code=borough_code, ward_code=ward_code)
    if ward_code:
        area_name = ward_name or ward_code
    else:
        area_name = boundaries.borough_name(borough_code) if borough_code else "London"
    category_rows = [
        {
            "type": crime_type,
            "total": sum(row["counts"].get(crime_type.slug, 0) for row in trend_rows),
        }
        for crime_type in filters.types
    ]
    if ward_code:
        areas, areas_kind = [], ""
    elif borough_code:
        codes = selectors.ward_codes_in_borough(borough_code)
        areas = selectors.area_totals(filters, kind=AreaMonth.WARD, codes=codes)
        areas_kind = "neighbourhood"
    else:
        areas, areas_kind = selectors.area_totals(filters), "borough"
    asb_selected = any(crime_type.is_asb for crime_type in filters.types)
    for area in areas:
        area["asb"] = area["counts"].get("anti-social-behaviour", 0)
        area["crime"] = area["total"] - area["asb"]
    for row in trend_rows:
        row["asb"] = row["counts"].get("anti-social-behaviour", 0)
        row["crime"] = row["total"] - row["asb"]
    chart = charts.bar_chart(
        [(f"{row['month']:%B %Y}", f"{row['month']:%b}", row["total"]) for row in trend_rows]
    )
    hot = selectors.hot_streets(
        filters, borough_code=borough_code, ward_code=ward_code, limit=hot_street_limit
    )
    months = [f"{filters.month_from:%Y-%m}", f"{filters.month_to:%Y-%m}"]
    return {
        "filters": filters,
        "area_name": area_name,
        "synthetic": selectors.is_synthetic(filters),
        "category_rows": category_rows,
        "grand_total": selectors.rows_total(trend_rows),
        "areas": areas,
        "areas_kind": areas_kind,
        "asb_selected": asb_selected,
        "trend_rows": trend_rows,
        "chart": chart,
        "hot_streets": hot,
        "map_config": {
            "dataUrl": reverse("mapping:map_data"),
            # The map starts on the area, and draws and counts only what is in it.
            "bbox": list(
                selectors.area_bbox(borough_code=borough_code, ward_code=ward_code)
                or bbox
                or _bbox_of(borough_code)
            ),
            "borough": borough_code or "",
            "ward": ward_code or "",
            "areaName": area_name,
            "period": period_text(filters),
            "monthFrom": months[0],
            "monthTo": months[1],
            "categories": (
                [] if len(filters.types) == len(CRIME_TYPES) else [t.slug for t in filters.types]
            ),
            "pointsMinZoom": 15,
        },
    }
