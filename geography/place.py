"""What a geocoder answers with, and how it says it cannot answer."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Place:
    label: str
    latitude: float
    longitude: float


class GeocoderUnavailable(Exception):
    """The geocoding service could not answer (down, slow, or cannot handle this query)."""
