"""Named places offline: London's boroughs by name, and the places apps register.

Apps that publish places of their own (the standards app's neighbourhood pages) register
a source at start-up with :func:`register_source`; this module imports no app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from geography import boundaries
from geography.place import AREA, BOROUGH, Place

PlaceSource = Callable[[], Iterable[tuple[str, float, float]]]  # (label, latitude, longitude)

_sources: list[PlaceSource] = []


def register_source(source: PlaceSource) -> None:
    """Add a source of named places; registering the same source twice has no effect."""
    if source not in _sources:
        _sources.append(source)


def match_score(query: str, name: str) -> int:
    """3 exact, 2 prefix, 1 substring, 0 no match (case-insensitive)."""
    query, name = query.casefold(), name.casefold()
    if query == name:
        return 3
    if name.startswith(query):
        return 2
    if query in name:
        return 1
    return 0


def scored_places(query: str) -> list[tuple[int, Place]]:
    """(match score, place) of every borough and registered place matching ``query``."""
    candidates: list[tuple[int, Place]] = []
    for area in boundaries.boroughs():
        score = match_score(query, area.name)
        if score:
            latitude, longitude = area.centroid
            place = Place(
                f"{area.name}, London", latitude, longitude, kind=BOROUGH, borough_code=area.code
            )
            candidates.append((score, place))
    for source in _sources:
        for name, latitude, longitude in source():
            score = match_score(query, name)
            if score:
                candidates.append((score, Place(name, latitude, longitude, kind=AREA)))
    candidates.sort(key=lambda item: (-item[0], item[1].label))
    return candidates


def search_gazetteer(query: str, *, limit: int = 5) -> list[Place]:
    return [place for _, place in scored_places(query)[:limit]]
