"""Find a resident's borough and neighbourhood from what they type (place name or postcode)."""

from __future__ import annotations

from dataclasses import dataclass, field

from geography import boundaries
from geography.geocoding import geocode, looks_like_postcode
from geography.place import GeocoderUnavailable, Place
from standards import selectors


@dataclass
class AreaMatch:
    place: Place
    borough: object | None  # standards.models.BoroughPage
    neighbourhood: object | None  # standards.models.NeighbourhoodPage


@dataclass
class AreaSearch:
    query: str
    matches: list[AreaMatch] = field(default_factory=list)
    unavailable: bool = False
    outside_london: list[Place] = field(default_factory=list)

    @property
    def is_postcode(self) -> bool:
        return looks_like_postcode(self.query)


def find_area(query: str) -> AreaSearch:
    """Geocode ``query`` and attach the borough and neighbourhood page of each place found."""
    search = AreaSearch(query=query)
    try:
        places = geocode(query)
    except GeocoderUnavailable:
        search.unavailable = True
        return search
    seen_boroughs: set[str] = set()
    for place in places:
        code = boundaries.borough_for(place.latitude, place.longitude)
        if code is None:
            search.outside_london.append(place)
            continue
        neighbourhood = selectors.neighbourhood_page_for_point(place.latitude, place.longitude)
        key = f"{code}:{getattr(neighbourhood, 'pk', '')}"
        if key in seen_boroughs:
            continue
        seen_boroughs.add(key)
        search.matches.append(
            AreaMatch(
                place=place,
                borough=selectors.borough_page_for_code(code),
                neighbourhood=neighbourhood,
            )
        )
    return search
