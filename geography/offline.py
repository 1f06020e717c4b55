"""The offline geocoder: postcodes, then streets, then boroughs and registered places.

No network. Postcodes come from the OS Code-Point Open file (:mod:`geography.postcodes`),
streets from the sources apps register (:mod:`geography.streets`: police.uk's snap
points), boroughs from the boundary file and neighbourhood names from the standards app
(:mod:`geography.gazetteer`).
"""

from __future__ import annotations

import re

from geography import attribution, boundaries, gazetteer, postcodes, streets
from geography.place import COORDINATES, DISTRICT, POSTCODE, SECTOR, STREET, Place
from geography.reverse import describe

COORDINATES_RE = re.compile(r"^\s*(-?\d{1,2}(?:\.\d+)?)\s*[, ]\s*(-?\d{1,3}(?:\.\d+)?)\s*$")
POSTCODE_IN_TEXT = re.compile(r"\b[A-Z]{1,2}[0-9][0-9A-Z]?\s*[0-9][A-Z]{2}\b", re.IGNORECASE)
HOUSE_NUMBER_RE = re.compile(r"^\s*(?:flat\s+\w+\s+)?\d+[a-z]?(?:-\d+[a-z]?)?\s+", re.IGNORECASE)
KIND_NAMES = {SECTOR: "postcode sector", DISTRICT: "postcode district"}


def postcode_places(query: postcodes.Query) -> list[Place]:
    """The postcode, sector or district as one place; [] when it is not in London."""
    found = postcodes.find(query)
    if found is None:
        return []
    borough = boundaries.borough_name(found.borough_code) or "London"
    kind = {postcodes.FULL: POSTCODE, postcodes.SECTOR: SECTOR, postcodes.DISTRICT: DISTRICT}[
        query.kind
    ]
    text = query.text if kind == POSTCODE else f"{query.text} ({KIND_NAMES[kind]})"
    return [
        Place(
            f"{text}, {borough}",
            round(found.latitude, 6),
            round(found.longitude, 6),
            kind=kind,
            borough_code=found.borough_code,
            ward_code=found.ward_code if kind == POSTCODE else "",
            attribution=attribution.POSTCODES,
        )
    ]


def coordinate_places(query: str) -> list[Place] | None:
    """A typed "latitude, longitude" as a place described in words; None if not one."""
    match = COORDINATES_RE.match(query)
    if not match:
        return None
    latitude, longitude = float(match.group(1)), float(match.group(2))
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    described = describe(latitude, longitude)
    if described is None:
        return [Place(f"{latitude}, {longitude}", latitude, longitude, kind=COORDINATES)]
    label = described.text[0].upper() + described.text[1:]
    return [Place(label, latitude, longitude, kind=COORDINATES, attribution=described.attribution)]


def name_places(query: str, limit: int) -> list[Place]:
    """Streets, boroughs and registered places whose names match, best match first (at
    equal match, streets first)."""
    candidates: list[tuple[int, int, Place]] = []
    for score, street in streets.search(query, limit=limit):
        place = Place(
            street.label,
            round(street.latitude, 6),
            round(street.longitude, 6),
            kind=STREET,
            borough_code=street.borough_code,
            ward_code=street.ward_code,
            # Which boroughs a street is in is read from the postcodes near it.
            attribution=attribution.POSTCODES,
        )
        candidates.append((score, 0, place))
    for score, place in gazetteer.scored_places(query):
        candidates.append((score, 1, place))
    candidates.sort(key=lambda item: (-item[0], item[1]))
    return [place for *_, place in candidates[:limit]]


def address_places(query: str, limit: int) -> list[Place]:
    """For an address ("12 Mare Street, London E8 1DY"): its postcode if it has one in
    London, else the streets named in its parts (house numbers left off)."""
    for match in POSTCODE_IN_TEXT.finditer(query):
        parsed = postcodes.parse(match.group(0))
        if parsed is not None and parsed.kind == postcodes.FULL:
            places = postcode_places(parsed)
            if places:
                return places
    for part in query.split(","):
        street = HOUSE_NUMBER_RE.sub("", part).strip()
        if street and street != query:
            places = [p for p in name_places(street, limit) if p.kind == STREET]
            if places:
                return places
    return []


def names(query: str, limit: int) -> list[Place]:
    """Places by name; failing that, what an address names (its postcode, its street)."""
    return name_places(query, limit) or address_places(query, limit)
