"""Local crime and ASB data for borough and neighbourhood pages.

{% load mapping_tags %}
{% borough_local_data page %}        {# page.ons_code #}
{% neighbourhood_local_data page %}  {# page.ward_code, page.centre_latitude/longitude #}
"""

from __future__ import annotations

from django import template

from mapping import selectors
from mapping.local_data import page_context

register = template.Library()

NEIGHBOURHOOD_SPAN = 0.02  # degrees around a neighbourhood's centre for its map


@register.inclusion_tag("mapping/local_data.html", takes_context=True)
def borough_local_data(context, page) -> dict:
    code = getattr(page, "ons_code", "") or None
    data = page_context(selectors.default_filters(), borough_code=code)
    data.update(
        request=context.get("request"),
        map_id=f"local-map-{code or 'london'}",
        kind="borough",
        borough_code=code or "",
    )
    return data


@register.inclusion_tag("mapping/local_data.html", takes_context=True)
def neighbourhood_local_data(context, page) -> dict:
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
    data.update(
        request=context.get("request"),
        map_id=f"local-map-{ward_code or 'neighbourhood'}",
        kind="neighbourhood",
    )
    return data
