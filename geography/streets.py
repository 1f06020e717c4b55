"""Streets by name, and the street nearest a point, from sources apps register.

geography imports no app: the mapping app registers the police.uk snap points it has
imported (``mapping.places``) with :func:`register_source` at start-up. A source answers
in its own store (the database), so this module never holds a list of every street.

The one rule this module adds is the borough a street is in. A street point belongs to
the borough its position falls in *and* to the boroughs of the postcodes within
:data:`BOUNDARY_RADIUS_M` of it: streets often are borough boundaries, and police.uk's
snap point for a street on a boundary may sit on either side (the only "Mare Street"
point in the February 2025 Met file lies on Regent's Canal, in Tower Hamlets by
point-in-polygon, with Hackney postcodes 48 m away).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from geography import boundaries, postcodes
from geography.gazetteer import match_score

BOUNDARY_RADIUS_M = 60.0
NEAR_RADIUS_M = 250.0
MAX_POINTS_PER_QUERY = 2_000
ON_OR_NEAR = re.compile(r"^on or near\s+", re.IGNORECASE)  # as police.uk writes locations


@dataclass(frozen=True)
class StreetPoint:
    """A point on a named street, as a source knows it."""

    name: str  # "Mare Street": no "On or near"
    latitude: float
    longitude: float
    borough_code: str = ""  # where the source says it is (may be blank)
    ward_code: str = ""


@dataclass(frozen=True)
class Street:
    """One street name in one borough, at the mean of its points there."""

    name: str
    borough_code: str
    latitude: float
    longitude: float
    ward_code: str
    points: int

    @property
    def label(self) -> str:
        borough = boundaries.borough_name(self.borough_code)
        return f"{self.name}, {borough}" if borough else self.name


class StreetSource(Protocol):
    def search(self, query: str, limit: int) -> Iterable[StreetPoint]:
        """Points of the streets whose name matches ``query`` (case-insensitive), best
        names first (exact, then starting with it, then containing it), every point of
        at most ``limit`` names."""

    def near(self, latitude: float, longitude: float, radius_m: float) -> Iterable[StreetPoint]:
        """Street points in the box around the point ``radius_m`` metres each way."""


_sources: list[StreetSource] = []


def register_source(source: StreetSource) -> None:
    """Add a source of street points; registering an equal source twice has no effect."""
    if source not in _sources:
        _sources.append(source)


def sources() -> tuple[StreetSource, ...]:
    return tuple(_sources)


def boroughs_of(point: StreetPoint) -> dict[str, str]:
    """{borough code: ward code} of the boroughs a street point belongs to: its own (or
    the one containing it), then those of the postcodes within BOUNDARY_RADIUS_M."""
    found: dict[str, str] = {}
    own = point.borough_code or boundaries.borough_for(point.latitude, point.longitude)
    if own:
        found[own] = point.ward_code
    for nearby in postcodes.within(point.latitude, point.longitude, BOUNDARY_RADIUS_M):
        found.setdefault(nearby.borough_code, nearby.ward_code)
        if own == nearby.borough_code and not found[own]:
            found[own] = nearby.ward_code
    return found


def search(query: str, *, limit: int = 5) -> list[tuple[int, Street]]:
    """(match score, street) for each (street name, borough) matching ``query``, best first:
    by score, then by how many points the street has in the borough, then by label."""
    query = ON_OR_NEAR.sub("", " ".join(query.split()))
    if len(query) < 3:
        return []
    groups: dict[tuple[str, str], list[tuple[StreetPoint, str]]] = {}
    for source in _sources:
        for count, point in enumerate(source.search(query, limit)):
            if count >= MAX_POINTS_PER_QUERY:
                break
            for borough_code, ward_code in boroughs_of(point).items():
                groups.setdefault((point.name.casefold(), borough_code), []).append(
                    (point, ward_code)
                )
    streets = []
    for (_, borough_code), members in groups.items():
        points = [point for point, _ in members]
        wards = [ward for _, ward in members if ward]
        streets.append(
            (
                match_score(query, points[0].name),
                Street(
                    name=points[0].name,
                    borough_code=borough_code,
                    latitude=sum(p.latitude for p in points) / len(points),
                    longitude=sum(p.longitude for p in points) / len(points),
                    ward_code=max(set(wards), key=wards.count) if wards else "",
                    points=len(points),
                ),
            )
        )
    streets.sort(key=lambda item: (-item[0], -item[1].points, item[1].label))
    return [item for item in streets if item[0]][:limit]


def nearest(
    latitude: float, longitude: float, *, max_m: float = NEAR_RADIUS_M
) -> tuple[StreetPoint, float] | None:
    """The registered street point nearest the point within ``max_m`` metres, with its
    distance; None when there is none."""
    best: tuple[StreetPoint, float] | None = None
    for source in _sources:
        for point in source.near(latitude, longitude, max_m):
            distance = postcodes.distance_m(latitude, longitude, point.latitude, point.longitude)
            if distance <= max_m and (best is None or distance < best[1]):
                best = (point, distance)
    return best
