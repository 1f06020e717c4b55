"""The offline geocoder: London's boroughs and the portal's own neighbourhoods by name."""

from __future__ import annotations

from mapping import geography
from portal.geocoding import Place
from standards import selectors


def _score(query: str, name: str) -> int:
    """3 exact, 2 prefix, 1 substring, 0 no match (case-insensitive)."""
    query, name = query.casefold(), name.casefold()
    if query == name:
        return 3
    if name.startswith(query):
        return 2
    if query in name:
        return 1
    return 0


def search_gazetteer(query: str, *, limit: int = 5) -> list[Place]:
    candidates: list[tuple[int, Place]] = []
    for area in geography.boroughs():
        score = _score(query, area.name)
        if score:
            latitude, longitude = area.centroid
            candidates.append((score, Place(f"{area.name}, London", latitude, longitude)))
    for name, latitude, longitude in selectors.neighbourhood_places():
        score = _score(query, name)
        if score:
            candidates.append((score, Place(name, latitude, longitude)))
    candidates.sort(key=lambda item: (-item[0], item[1].label))
    return [place for _, place in candidates[:limit]]
