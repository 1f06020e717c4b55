"""Validation of the map's query parameters, for the API and the map page alike."""

from __future__ import annotations

import datetime as dt
import math
import re

from django import forms

from geography import boundaries
from mapping.categories import CRIME_TYPES
from mapping.selectors import BBox, Filters, default_filters

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
MAX_MONTHS = 36  # police.uk keeps 36 months
MAX_POINTS_SPAN = 0.25  # degrees: points are only for street-level views


def parse_month(value: str) -> dt.date:
    match = MONTH.match(value.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise forms.ValidationError("Enter a month as YYYY-MM, for example 2025-01.")
    year = int(match.group(1))
    if not 2000 <= year <= 2100:  # police.uk data starts in 2010; year 0 is not a date
        raise forms.ValidationError("Enter a month between 2000 and 2100, for example 2025-01.")
    return dt.date(year, int(match.group(2)), 1)


class MonthField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        return parse_month(value) if value else None


class FilterForm(forms.Form):
    """Month range, crime types and borough: the map page's form and the API's filters."""

    month_from = MonthField(required=False, label="From")
    month_to = MonthField(required=False, label="To")
    category = forms.MultipleChoiceField(
        required=False,
        label="Crime types",
        choices=[(crime_type.slug, crime_type.name) for crime_type in CRIME_TYPES],
        widget=forms.CheckboxSelectMultiple,
    )
    borough = forms.ChoiceField(
        required=False,
        label="Borough",
        choices=[("", "All of London")]
        + [(area.code, area.name) for area in boundaries.boroughs()],
    )

    def clean(self):
        data = super().clean()
        if "month_from" in self.errors or "month_to" in self.errors:
            return data
        month_from, month_to = data.get("month_from"), data.get("month_to")
        if month_from is None or month_to is None:  # only then look at what data exists
            defaults = default_filters()
            month_from = month_from or defaults.month_from
            month_to = month_to or defaults.month_to
        if month_from > month_to:
            self.add_error("month_to", "The end month must not be before the start month.")
        elif (month_to.year - month_from.year) * 12 + month_to.month - month_from.month >= (
            MAX_MONTHS
        ):
            self.add_error("month_to", f"Choose at most {MAX_MONTHS} months.")
        data["month_from"], data["month_to"] = month_from, month_to
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data
        slugs = set(data.get("category") or [])
        types = tuple(t for t in CRIME_TYPES if t.slug in slugs) if slugs else CRIME_TYPES
        return Filters(data["month_from"], data["month_to"], types)

    def error_dict(self) -> dict[str, list[str]]:
        return {name: [str(message) for message in errors] for name, errors in self.errors.items()}


def parse_bbox(value: str) -> BBox:
    parts = value.split(",")
    if len(parts) != 4:
        raise forms.ValidationError("Give bbox as west,south,east,north in degrees.")
    try:
        west, south, east, north = (float(part) for part in parts)
    except ValueError as error:
        raise forms.ValidationError("bbox must be four numbers: west,south,east,north.") from error
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise forms.ValidationError("bbox must be four finite numbers.")
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise forms.ValidationError("bbox must have west < east and south < north, in range.")
    return west, south, east, north


class BBoxField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        return parse_bbox(value) if value else None


class AreaFilterForm(FilterForm):
    """The filters and a neighbourhood (ward code), for the API: data for a borough, a
    neighbourhood or all of London."""

    ward = forms.CharField(required=False, max_length=12)


class MapDataForm(AreaFilterForm):
    """The map layer: a bbox and a zoom on top of the filters and the area."""

    bbox = BBoxField(required=True)
    zoom = forms.IntegerField(required=False, min_value=0, max_value=22)

    def __init__(self, *args, kind: str = "auto", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind == "points":
            self.fields["zoom"].required = False
        else:
            self.fields["zoom"].required = kind == "auto" or kind == "cells"

    def clean(self):
        data = super().clean()
        bbox, zoom = data.get("bbox"), data.get("zoom")
        if bbox is None:
            return data
        from mapping import grid

        if self.kind == "points" or (self.kind == "auto" and zoom is not None and zoom >= 15):
            west, south, east, north = bbox
            if east - west > MAX_POINTS_SPAN or north - south > MAX_POINTS_SPAN:
                self.add_error("bbox", "This area is too large for single points: zoom in.")
        elif zoom is not None:
            cell_zoom = grid.cell_zoom_for(zoom)
            x0, y0, x1, y1 = grid.cell_range(bbox, cell_zoom)
            if (x1 - x0 + 1) * (y1 - y0 + 1) > 20_000:
                self.add_error("bbox", "This area is too large for the zoom level.")
        return data


class AreaForm(AreaFilterForm):
    kind = forms.ChoiceField(
        required=False,
        choices=[("borough", "borough"), ("ward", "ward")],
    )


class HotStreetsForm(AreaFilterForm):
    bbox = BBoxField(required=False)
    limit = forms.IntegerField(required=False, min_value=1, max_value=100)
