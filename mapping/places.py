"""The streets police.uk's snap points name, as a street source for geography.

Registered by ``mapping.apps`` with :func:`geography.streets.register_source`; every
answer is a query on ``SnapPoint`` (there may be hundreds of thousands), never a list of
everything. Locations read "On or near Mare Street"; police.uk also names public places
("On or near Supermarket"), which are not streets and are left out.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

from django.db.models import Q

from geography.streets import StreetPoint
from mapping.models import SnapPoint

PREFIX = "On or near "
# The generic places police.uk snaps crimes to, from the real files: not streets.
NOT_STREETS = frozenset(
    {
        "Airport/Airfield",
        "Bus/Coach Station",
        "Conference/Exhibition Centre",
        "Ferry Terminal",
        "Further/Higher Educational Building",
        "Hospital",
        "Nightclub",
        "Parking Area",
        "Park/Open Space",
        "Pedestrian Subway",
        "Petrol Station",
        "Police Station",
        "Prison",
        "Shopping Area",
        "Sports/Recreation Area",
        "Supermarket",
        "Theatre/Concert Hall",
    }
)
NOT_STREET_LOCATIONS = tuple(PREFIX + name for name in sorted(NOT_STREETS))
NAMES_PER_RESULT = 4  # distinct names read per result wanted (a name may be in 2 boroughs)
METRES_PER_DEGREE = 111_195.0
_CAPITAL_AFTER_APOSTROPHE = re.compile(r"'S\b")


def street_name(location: str) -> str | None:
    """ "Mare Street" for "On or near Mare Street"; None for a place that is not a street.

    police.uk capitalises after an apostrophe ("St Martin'S Le Grand"); that is undone.
    """
    name = " ".join(location.removeprefix(PREFIX).split())
    if not name or name in NOT_STREETS or name.casefold() == "no location":
        return None
    return _CAPITAL_AFTER_APOSTROPHE.sub("'s", name)


def _streets():
    return SnapPoint.objects.exclude(location__in=NOT_STREET_LOCATIONS)


def _points(rows) -> Iterator[StreetPoint]:
    for location, latitude, longitude, borough_code, ward_code in rows:
        name = street_name(location)
        if name:
            yield StreetPoint(name, latitude, longitude, borough_code, ward_code)


class SnapPointStreets:
    """geography.streets.StreetSource over the imported snap points."""

    fields = ("location", "latitude", "longitude", "borough_code", "ward_code")

    def search(self, query: str, limit: int) -> Iterator[StreetPoint]:
        query = " ".join(query.removeprefix(PREFIX).split())
        if not query:
            return
        wanted = max(1, limit) * NAMES_PER_RESULT
        names: list[str] = []
        # Exact names first, then names starting with the query, then containing it:
        # each a bounded query, the next only if the earlier ones found too few.
        for condition in (
            Q(location__iexact=PREFIX + query),
            Q(location__istartswith=PREFIX + query),
            Q(location__icontains=query),
        ):
            if len(names) >= wanted:
                break
            found = (
                _streets()
                .filter(condition, location__istartswith=PREFIX)
                .exclude(location__in=names)
                .values_list("location", flat=True)
                .distinct()
                .order_by("location")[: wanted - len(names)]
            )
            names.extend(found)
        if names:
            rows = _streets().filter(location__in=names).values_list(*self.fields)
            order = {name: rank for rank, name in enumerate(names)}
            yield from _points(sorted(rows, key=lambda row: order[row[0]]))

    def near(self, latitude: float, longitude: float, radius_m: float) -> Iterator[StreetPoint]:
        d_lat = radius_m / METRES_PER_DEGREE
        d_lon = d_lat / max(math.cos(math.radians(latitude)), 0.01)
        rows = (
            _streets()
            .filter(
                latitude__range=(latitude - d_lat, latitude + d_lat),
                longitude__range=(longitude - d_lon, longitude + d_lon),
                location__startswith=PREFIX,
            )
            .values_list(*self.fields)
        )
        yield from _points(rows)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SnapPointStreets)

    def __hash__(self) -> int:
        return hash(SnapPointStreets)


street_source = SnapPointStreets()
