"""The "where" step's search: the geocoder's answers, kept to London."""

from __future__ import annotations

from dataclasses import dataclass, field

from geography.boundaries import borough_for, borough_name
from geography.geocoding import geocode, looks_like_postcode
from geography.place import GeocoderUnavailable


@dataclass(frozen=True)
class PlaceSearch:
    query: str
    places: list[dict] = field(default_factory=list)  # label, latitude, longitude, borough
    unavailable: bool = False
    outside_london: bool = False
    is_postcode: bool = False

    @property
    def found(self) -> bool:
        return bool(self.places)


def search_places(query: str, *, limit: int = 5) -> PlaceSearch:
    query = " ".join(query.split())
    postcode = looks_like_postcode(query)
    try:
        results = geocode(query, limit=limit)
    except GeocoderUnavailable:
        return PlaceSearch(query=query, unavailable=True, is_postcode=postcode)
    places = []
    for place in results:
        code = borough_for(place.latitude, place.longitude)
        if code is None:
            continue
        places.append(
            {
                "label": place.label,
                "latitude": round(place.latitude, 6),
                "longitude": round(place.longitude, 6),
                "borough": borough_name(code) or "",
            }
        )
    return PlaceSearch(
        query=query,
        places=places,
        outside_london=bool(results) and not places,
        is_postcode=postcode,
    )
