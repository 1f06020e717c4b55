"""Online geocoders, used only when settings ask for them (see :mod:`geography.geocoding`).

* Nominatim (OpenStreetMap) at ``GEOCODER_URL``, through geopy, for places.
* postcodes.io at ``GEOCODER_POSTCODES_URL``, through requests, for full postcodes and
  districts (a sector, which it has no lookup for, is answered offline).

Both send ``GEOCODER_USER_AGENT`` and give up after ``GEOCODER_TIMEOUT`` seconds; every
failure (timeout, refused connection, an error status, an answer that is not what was
expected) becomes :class:`GeocoderUnavailable`.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import requests
from django.conf import settings
from geopy.exc import GeopyError
from geopy.geocoders import Nominatim

from geography import attribution, boundaries, postcodes
from geography.place import DISTRICT, POSTCODE, GeocoderUnavailable, Place

# Greater London with a margin: (south, west), (north, east).
LONDON_VIEWBOX = ((51.28, -0.52), (51.70, 0.34))


def nominatim(query: str, limit: int) -> list[Place]:
    parts = urlsplit(settings.GEOCODER_URL)
    geocoder = Nominatim(
        user_agent=settings.GEOCODER_USER_AGENT,
        domain=parts.netloc + parts.path.rstrip("/"),
        scheme=parts.scheme or "https",
        timeout=settings.GEOCODER_TIMEOUT,
    )
    try:
        results = geocoder.geocode(
            query,
            exactly_one=False,
            limit=limit,
            country_codes="gb",
            viewbox=LONDON_VIEWBOX,
            bounded=True,
        )
        return [Place(r.address, r.latitude, r.longitude) for r in results or []]
    except (GeopyError, ValueError, TypeError, KeyError, OSError) as error:
        raise GeocoderUnavailable(str(error)) from error


def postcodes_io(query: postcodes.Query) -> list[Place] | None:
    """The postcode or district from postcodes.io; [] when there is no such postcode or
    it is outside London; None for a query it cannot answer (a sector)."""
    if query.kind == postcodes.FULL:
        path, kind = f"/postcodes/{quote(query.outward + query.inward)}", POSTCODE
    elif query.kind == postcodes.DISTRICT:
        path, kind = f"/outcodes/{quote(query.outward)}", DISTRICT
    else:
        return None
    url = settings.GEOCODER_POSTCODES_URL.rstrip("/") + path
    try:
        response = requests.get(
            url,
            headers={"User-Agent": settings.GEOCODER_USER_AGENT, "Accept": "application/json"},
            timeout=settings.GEOCODER_TIMEOUT,
            allow_redirects=False,
        )
        if response.status_code == 404:
            return []
        response.raise_for_status()
        result = response.json()["result"]
        latitude, longitude = result["latitude"], result["longitude"]
        if latitude is None or longitude is None:  # a postcode with no grid reference
            return []
        place = _postcodes_io_place(query, kind, result, float(latitude), float(longitude))
        return [place] if place else []
    except (requests.RequestException, ValueError, TypeError, KeyError) as error:
        raise GeocoderUnavailable(f"postcodes.io: {error}") from error


def _postcodes_io_place(
    query: postcodes.Query, kind: str, result: dict, latitude: float, longitude: float
) -> Place | None:
    """The answer as a place, if it is in London (as the offline file, London only)."""
    codes = result.get("codes") or {}
    borough_code = codes.get("admin_district") or ""
    if kind == DISTRICT:  # a district answers with its boroughs' names, not codes
        named = _london_boroughs_named(result.get("admin_district"))
        at_centre = boundaries.borough_for(latitude, longitude)
        borough_code = at_centre if at_centre in named else (named[0] if named else "")
    borough = boundaries.borough_name(borough_code)
    if borough is None:
        return None
    text = query.text if kind == POSTCODE else f"{query.text} (postcode district)"
    return Place(
        f"{text}, {borough}",
        latitude,
        longitude,
        kind=kind,
        borough_code=borough_code,
        ward_code=(codes.get("admin_ward") or "") if kind == POSTCODE else "",
        attribution=attribution.POSTCODES,
    )


def _london_boroughs_named(names: object) -> list[str]:
    """The ONS codes of the London boroughs among postcodes.io's district names."""
    by_name = {area.name.casefold(): area.code for area in boundaries.boroughs()}
    found = (
        [by_name.get(str(name).casefold()) for name in names or []]
        if isinstance(names, list)
        else []
    )
    return [code for code in found if code]
