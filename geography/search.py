"""The "where" step's search: the geocoder's answers, kept to London."""

from __future__ import annotations

from dataclasses import dataclass, field

from geography.boundaries import borough_for, borough_name
from geography.geocoding import (
    geocode,
    looks_like_partial_postcode,
    looks_like_postcode,
    outside_london,
)
from geography.place import GeocoderUnavailable


@dataclass(frozen=True)
class PlaceSearch:
    query: str
    # label, latitude, longitude, borough (name), borough_code, kind, attribution
    places: list[dict] = field(default_factory=list)
    unavailable: bool = False
    outside_london: bool = False
    is_postcode: bool = False  # a full postcode (a district or sector is not)

    @property
    def found(self) -> bool:
        return bool(self.places)

    @property
    def attributions(self) -> list[str]:
        """The attributions the places found need, each once (show them beside them)."""
        return list(dict.fromkeys(p["attribution"] for p in self.places if p["attribution"]))

    @property
    def is_partial_postcode(self) -> bool:
        return looks_like_partial_postcode(self.query)


def search_places(query: str, *, limit: int = 5) -> PlaceSearch:
    query = " ".join(query.split())
    postcode = looks_like_postcode(query)
    try:
        results = geocode(query, limit=limit)
    except GeocoderUnavailable:
        return PlaceSearch(query=query, unavailable=True, is_postcode=postcode)
    places = []
    for place in results:
        code = place.borough_code or borough_for(place.latitude, place.longitude)
        if code is None:
            continue
        places.append(
            {
                "label": place.label,
                "latitude": round(place.latitude, 6),
                "longitude": round(place.longitude, 6),
                "borough": borough_name(code) or "",
                "borough_code": code,
                "kind": place.kind,
                "attribution": place.attribution,
            }
        )
    return PlaceSearch(
        query=query,
        places=places,
        outside_london=(bool(results) and not places) or (not results and outside_london(query)),
        is_postcode=postcode,
    )
