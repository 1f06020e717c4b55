"""Find a resident's borough and neighbourhood from what they type (place name, street,
postcode or coordinates)."""

from __future__ import annotations

from dataclasses import dataclass, field

from geography import boundaries
from geography.geocoding import (
    geocode,
    looks_like_partial_postcode,
    looks_like_postcode,
    outside_london,
)
from geography.place import GeocoderUnavailable, Place
from standards import selectors


@dataclass
class AreaMatch:
    place: Place
    borough_code: str
    borough: object | None  # standards.models.BoroughPage
    neighbourhood: object | None  # standards.models.NeighbourhoodPage

    @property
    def borough_name(self) -> str:
        return boundaries.borough_name(self.borough_code) or ""

    @property
    def council_name(self) -> str:
        return boundaries.council_name(self.borough_code) or ""

    @property
    def wider_than_a_team(self) -> bool:
        """A postcode district or sector, or a borough: it can span several teams."""
        return self.place.is_area


@dataclass
class AreaSearch:
    query: str
    matches: list[AreaMatch] = field(default_factory=list)
    unavailable: bool = False
    outside_london: list[Place] = field(default_factory=list)
    postcode_outside_london: bool = False  # e.g. "WD17 1AA": a postcode of elsewhere

    @property
    def is_outside_london(self) -> bool:
        """Nothing in London, and what was found (or the postcode typed) is elsewhere."""
        return not self.matches and (bool(self.outside_london) or self.postcode_outside_london)

    @property
    def is_postcode(self) -> bool:
        return looks_like_postcode(self.query)

    @property
    def is_partial_postcode(self) -> bool:
        return looks_like_partial_postcode(self.query)

    @property
    def attributions(self) -> list[str]:
        """What the data behind the matches requires to be shown, each once."""
        return list(dict.fromkeys(m.place.attribution for m in self.matches if m.place.attribution))


def find_area(query: str) -> AreaSearch:
    """Geocode ``query`` and attach the borough and neighbourhood page of each place found."""
    search = AreaSearch(query=query)
    try:
        places = geocode(query)
    except GeocoderUnavailable:
        search.unavailable = True
        return search
    seen: set[str] = set()
    for place in places:
        code = place.borough_code or boundaries.borough_for(place.latitude, place.longitude)
        if code is None:
            search.outside_london.append(place)
            continue
        borough = selectors.borough_page_for_code(code)
        neighbourhood = None if place.is_area else _neighbourhood(place, borough)
        key = f"{place.label}:{code}:{getattr(neighbourhood, 'pk', '')}"
        if key in seen:
            continue
        seen.add(key)
        search.matches.append(AreaMatch(place, code, borough, neighbourhood))
    if not places:
        search.postcode_outside_london = outside_london(query)
    return search


def _neighbourhood(place: Place, borough):
    """The place's team: by its ward when the source knows it, else by its point, and
    only a team of the borough the place was found in."""
    found = None
    if place.ward_code:
        found = selectors.live_neighbourhood_for_ward_code(place.ward_code)
    if found is None:
        found = selectors.neighbourhood_page_for_point(place.latitude, place.longitude)
    if found is None or borough is None or not found.path.startswith(borough.path):
        return None
    return found
