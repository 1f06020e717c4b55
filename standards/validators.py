"""Validators for standards pages: codes, GeoJSON boundaries and the no-personal-phone rule."""

from __future__ import annotations

import json
import re

from django.core.exceptions import ValidationError

from geography import boundaries

WARD_CODE_RE = re.compile(r"^E05\d{6}$")
# UK mobile numbers (07..., +44 7..., 0044 7...): personal phones never go on a public page.
MOBILE_RE = re.compile(r"(?:\+|00)\s*44\s*\(?0?\)?\s*7(?:[\s-]*\d){9}|\b07(?:[\s-]*\d){9}\b")
# Any run of 7 or more digits, spaces or dashes allowed between them: a phone number.
PHONE_LIKE_RE = re.compile(r"(?:\+|\b)\d(?:[\s-]*\d){6,}")


def validate_borough_code(value: str) -> None:
    if boundaries.borough(value) is None:
        raise ValidationError(
            "Enter the ONS code of a London borough, from E09000001 to E09000033.",
            code="invalid_borough_code",
        )


def validate_ward_code(value: str) -> None:
    if not WARD_CODE_RE.match(value or ""):
        raise ValidationError(
            "Enter an ONS ward code: E05 followed by 6 digits, like E05009372.",
            code="invalid_ward_code",
        )


def validate_not_mobile_number(value: str) -> None:
    """A team's public phone number must be a shared line (101 or a station), not a mobile."""
    if value and MOBILE_RE.search(value):
        raise ValidationError(
            "Do not publish a mobile number: use 101 or a shared team or station line.",
            code="personal_phone",
        )


def validate_no_phone_number(value: str) -> None:
    """Team members are listed by role and name only: never with a phone number."""
    if value and PHONE_LIKE_RE.search(value):
        raise ValidationError(
            "Do not include phone numbers for individual officers. Put the team's shared "
            "contact details on the page instead.",
            code="personal_phone",
        )


def parse_boundary(
    text: str, *, code: str = "boundary", name: str = "boundary"
) -> boundaries.Area | None:
    """The boundary as an Area, or None when blank. Raises ValidationError when unusable.

    Accepts a GeoJSON Polygon or MultiPolygon geometry, or a Feature holding one.
    Coordinates are longitude, latitude (WGS84).
    """
    if not (text or "").strip():
        return None
    try:
        data = json.loads(text)
    except ValueError as error:
        raise ValidationError(
            "The boundary is not valid GeoJSON: %(error)s",
            params={"error": error},
            code="invalid_geojson",
        ) from error
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = data.get("geometry") or {}
    if not isinstance(data, dict):
        raise ValidationError("The boundary must be a GeoJSON geometry.", code="invalid_geojson")
    try:
        area = boundaries.area_from_geometry(code, name, data)
    except (ValueError, TypeError, KeyError, IndexError) as error:
        raise ValidationError(
            "The boundary must be a GeoJSON Polygon or MultiPolygon in longitude, latitude "
            "order: %(error)s",
            params={"error": error},
            code="invalid_geojson",
        ) from error
    min_lon, min_lat, max_lon, max_lat = area.bbox
    if not (boundaries.in_london(min_lat, min_lon) or boundaries.in_london(max_lat, max_lon)) and (
        not boundaries.in_london((min_lat + max_lat) / 2, (min_lon + max_lon) / 2)
    ):
        raise ValidationError(
            "The boundary is not in London. Check the coordinates are longitude, latitude.",
            code="boundary_outside_london",
        )
    return area


def validate_boundary(text: str) -> None:
    parse_boundary(text)
