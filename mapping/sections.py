"""The map's section on borough and neighbourhood pages: the area's crime and ASB figures,
its map, its trend and its hot streets. Registered into ``standards.sections`` by
``MappingConfig.ready``; standards pages render it without knowing this app."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from mapping import selectors
from mapping.local_data import page_context

TEMPLATE = "mapping/local_data.html"
NEIGHBOURHOOD_SPAN = 0.02  # degrees around a neighbourhood's centre for its map


def borough_section(page, request: HttpRequest | None) -> str:
    code = getattr(page, "ons_code", "") or None
    data = page_context(selectors.default_filters(), borough_code=code)
    data.update(map_id=f"local-map-{code or 'london'}", kind="borough", borough_code=code or "")
    return render_to_string(TEMPLATE, data, request=request)


def neighbourhood_section(page, request: HttpRequest | None) -> str:
    ward_code = getattr(page, "ward_code", "") or None
    latitude = getattr(page, "centre_latitude", None)
    longitude = getattr(page, "centre_longitude", None)
    bbox = None
    if latitude is not None and longitude is not None:
        bbox = (
            float(longitude) - NEIGHBOURHOOD_SPAN,
            float(latitude) - NEIGHBOURHOOD_SPAN / 1.6,
            float(longitude) + NEIGHBOURHOOD_SPAN,
            float(latitude) + NEIGHBOURHOOD_SPAN / 1.6,
        )
    filters = selectors.default_filters()
    if ward_code:
        data = page_context(
            filters, ward_code=ward_code, ward_name=getattr(page, "title", ""), bbox=bbox
        )
    else:  # no ward code yet: nothing can be counted for this neighbourhood
        data = page_context(filters, bbox=bbox)
        data.update(trend_rows=[], hot_streets=[], category_rows=[], no_area=True)
    data.update(map_id=f"local-map-{ward_code or 'neighbourhood'}", kind="neighbourhood")
    return render_to_string(TEMPLATE, data, request=request)
