"""Reverse lookup: a few plain words for where a point is ("near Mare Street, Hackney").

For pages that would otherwise show a raw coordinate. The borough is always the one the
point itself is in (:func:`geography.boundaries.borough_for`); the street or postcode
only says whereabouts in it.
"""

from __future__ import annotations

from dataclasses import dataclass

from geography import attribution, boundaries, postcodes, streets

STREET_RADIUS_M = streets.NEAR_RADIUS_M  # about 250 m
POSTCODE_RADIUS_M = 500.0


@dataclass(frozen=True)
class Description:
    text: str  # "near Mare Street, Hackney"
    attribution: str = ""  # what the data used requires to be shown beside it


def describe(latitude: float, longitude: float) -> Description | None:
    """Like :func:`describe_point`, with the attribution the words need (a postcode's)."""
    code = boundaries.borough_for(latitude, longitude)
    if code is None:
        return None
    borough = boundaries.borough_name(code) or ""
    street = streets.nearest(latitude, longitude, max_m=STREET_RADIUS_M)
    if street is not None:
        return Description(f"near {street[0].name}, {borough}")
    postcode = postcodes.nearest(latitude, longitude, max_m=POSTCODE_RADIUS_M)
    if postcode is not None:
        return Description(f"near {postcode.postcode}, {borough}", attribution.POSTCODES)
    return Description(borough)


def describe_point(latitude: float, longitude: float) -> str | None:
    """ "near <street>, <borough>" from the nearest registered street point within about
    250 m; else "near <postcode>, <borough>" from the nearest postcode within 500 m;
    else the borough's name; None for a point outside London (or not a coordinate).

    Show :data:`geography.attribution.POSTCODES` beside an answer naming a postcode
    (:func:`describe` says when)."""
    description = describe(latitude, longitude)
    return description.text if description else None
