"""Turning a place name, address or postcode into coordinates.

The rest of the portal calls :func:`geocode` and never a geocoding service directly.
Which service answers is chosen by settings (``GEOCODER``):

* ``gazetteer`` (the default, no network): London's borough names and the names of the
  neighbourhoods the portal publishes. It does not know streets or postcodes.
* ``nominatim``: an OpenStreetMap Nominatim server at ``GEOCODER_URL`` through geopy,
  restricted to Greater London, with a timeout of ``GEOCODER_TIMEOUT`` seconds.

Every failure of the service (timeout, refused connection, bad answer) becomes
:class:`GeocoderUnavailable`, so callers can say so and offer another way.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from geopy.exc import GeopyError
from geopy.geocoders import Nominatim

from geography.gazetteer import search_gazetteer
from geography.place import GeocoderUnavailable, Place

# Greater London with a margin: (south, west), (north, east).
LONDON_VIEWBOX = ((51.28, -0.52), (51.70, 0.34))
MAX_QUERY_LENGTH = 200
POSTCODE_RE = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?\s*[0-9][A-Z]{2}$", re.IGNORECASE)


def looks_like_postcode(query: str) -> bool:
    return bool(POSTCODE_RE.match(query.strip()))


def normalise_query(query: str) -> str:
    return " ".join(query.split())[:MAX_QUERY_LENGTH]


def geocode(query: str, *, limit: int = 5) -> list[Place]:
    """Places matching ``query`` in London, best first; [] when nothing matches.

    Raises GeocoderUnavailable when the configured service cannot answer.
    """
    query = normalise_query(query)
    if not query:
        return []
    backend = _BACKENDS.get(settings.GEOCODER)
    if backend is None:
        raise GeocoderUnavailable(f"Unknown geocoder {settings.GEOCODER!r}")
    return backend(query, limit)


def _nominatim(query: str, limit: int) -> list[Place]:
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
    except (GeopyError, ValueError, OSError) as error:
        raise GeocoderUnavailable(str(error)) from error
    return [Place(r.address, r.latitude, r.longitude) for r in results or []]


def _gazetteer(query: str, limit: int) -> list[Place]:
    if looks_like_postcode(query):
        raise GeocoderUnavailable("The offline gazetteer does not know postcodes.")
    return search_gazetteer(query, limit=limit)


_BACKENDS: dict[str, Callable[[str, int], list[Place]]] = {
    "nominatim": _nominatim,
    "gazetteer": _gazetteer,
}
