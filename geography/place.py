"""What a geocoder answers with, and how it says it cannot answer."""

from __future__ import annotations

from dataclasses import dataclass

# Place.kind: what kind of thing answered.
POSTCODE = "postcode"
SECTOR = "sector"  # "E8 1": the mean of its postcodes
DISTRICT = "district"  # "E8": the mean of its postcodes
STREET = "street"
BOROUGH = "borough"
AREA = "area"  # a place an app registered (a neighbourhood page)
COORDINATES = "coordinates"  # the query was a latitude and longitude
ONLINE = "online"  # an online geocoder's answer (Nominatim)


@dataclass(frozen=True)
class Place:
    label: str
    latitude: float
    longitude: float
    kind: str = ONLINE
    # The borough (ONS E09 code) and ward (E05) when the source knows them, e.g. a
    # postcode's own borough, which near a boundary can differ from the polygon's.
    borough_code: str = ""
    ward_code: str = ""
    attribution: str = ""  # text the data's licence requires beside the answer

    @property
    def is_area(self) -> bool:
        """A postcode district or sector, or a borough: wider than one neighbourhood."""
        return self.kind in (SECTOR, DISTRICT, BOROUGH)


class GeocoderUnavailable(Exception):
    """The geocoding service could not answer (down, slow, or cannot handle this query)."""
