"""Turning a place name, street, postcode or coordinates into places in London.

The rest of the portal calls :func:`geocode` and never a geocoding service directly.
Settings choose who answers:

* ``GEOCODER`` for names: ``offline`` (the default; ``gazetteer`` is an old name for it)
  or ``nominatim`` (an OpenStreetMap Nominatim server at ``GEOCODER_URL``).
* ``GEOCODER_POSTCODES`` for postcodes: ``offline`` (the default) or ``postcodes.io``
  (at ``GEOCODER_POSTCODES_URL``).

Offline (:mod:`geography.offline`, no network) answers postcodes, districts and sectors
from the OS Code-Point Open file, streets from police.uk's snap points, then boroughs
and neighbourhood names. A typed "latitude, longitude" is always answered offline.

An online service that fails (timeout, refused connection, bad answer) raises
:class:`GeocoderUnavailable`, unless ``GEOCODER_FALLBACK`` (the default) lets the
offline geocoder answer instead and it finds something. A well-formed postcode that is
not in London is not a failure: the answer is [] ("not found in London").
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings

from geography import offline, online, postcodes
from geography.place import GeocoderUnavailable, Place

MAX_QUERY_LENGTH = 200
OFFLINE = "offline"
NAME_BACKENDS: dict[str, Callable[[str, int], list[Place]] | None] = {
    OFFLINE: None,
    "gazetteer": None,  # the offline geocoder's old name
    "nominatim": online.nominatim,
}
POSTCODE_BACKENDS: dict[str, Callable[[postcodes.Query], list[Place] | None] | None] = {
    OFFLINE: None,
    "postcodes.io": online.postcodes_io,
}


def looks_like_postcode(query: str) -> bool:
    """A full postcode in any case and spacing ("E8 1DY", "e81dy")."""
    return postcodes.looks_like_postcode(query)


def looks_like_partial_postcode(query: str) -> bool:
    """A postcode district or sector ("E8", "E8 1")."""
    parsed = postcodes.parse(query)
    return parsed is not None and parsed.kind != postcodes.FULL


def outside_london(query: str) -> bool:
    """Whether ``query`` is a postcode (or district or sector) of somewhere outside London,
    e.g. "WD17 1AA": :func:`geocode` answers [] for it, and this says why."""
    parsed = postcodes.parse(normalise_query(query))
    return parsed is not None and postcodes.outside_london(parsed)


def normalise_query(query: str) -> str:
    return " ".join(query.split())[:MAX_QUERY_LENGTH]


def geocode(query: str, *, limit: int = 5) -> list[Place]:
    """Places matching ``query``, best first; [] when nothing matches.

    Raises GeocoderUnavailable when a configured online service cannot answer and the
    offline geocoder (if allowed to stand in) finds nothing either.
    """
    query = normalise_query(query)
    if not query or "\x00" in query:
        return []
    parsed = postcodes.parse(query)
    if parsed is not None:
        places = _with_fallback(
            _backend(POSTCODE_BACKENDS, "GEOCODER_POSTCODES"),
            lambda: offline.postcode_places(parsed),
            parsed,
        )
        if places or parsed.kind == postcodes.FULL:
            return places[:limit]
    coordinates = offline.coordinate_places(query)
    if coordinates is not None:
        return coordinates
    return _with_fallback(
        _backend(NAME_BACKENDS, "GEOCODER"),
        lambda: offline.names(query, limit),
        query,
        limit,
    )


def _backend(backends: dict, setting: str):
    name = getattr(settings, setting, OFFLINE)
    if name not in backends:
        raise GeocoderUnavailable(f"Unknown geocoder {name!r} in {setting}")
    return backends[name]


def _with_fallback(online_backend, offline_answer: Callable[[], list[Place]], *args):
    if online_backend is None:
        return offline_answer()
    try:
        places = online_backend(*args)
    except GeocoderUnavailable:
        if not getattr(settings, "GEOCODER_FALLBACK", True):
            raise
        places = offline_answer()
        if not places:
            raise
        return places
    return offline_answer() if places is None else places
