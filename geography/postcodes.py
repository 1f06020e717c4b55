"""London's postcodes, offline: full postcodes, districts ("E8") and sectors ("E8 1").

The data is OS Code-Point Open for the 33 London authorities (see ``data/README.md``;
its attribution is :data:`geography.attribution.POSTCODES`). The file is read once per
process, on first use, into compact arrays rather than one Python object per postcode:

* ``keys``: one ``bytes`` of fixed-width 7-byte keys, sorted: the outward code padded
  to 4 characters, then the inward code (``"E8  1DY"``, ``"SW1A1AA"``). A full postcode
  is found by binary search; a district or sector is the run of keys sharing its prefix.
* ``lat`` / ``lon``: ``array('i')`` of microdegrees (the file's 6 decimals, exactly);
  ``lad`` / ``ward``: small integer indexes into tuples of codes.
* a grid of about 550 x 350 m cells (postcode numbers sorted by cell, and each cell's
  run), for the nearest postcode to a point and the postcodes within a radius.

Built in about half a second; the arrays hold about 2.5 MB (lookups are a binary search).
"""

from __future__ import annotations

import bisect
import csv
import gzip
import io
import math
import re
from array import array
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from geography.once import BuiltOnce

POSTCODE_FILE = Path(__file__).resolve().parent / "data" / "london-postcodes.csv.gz"
KEY_WIDTH = 7
NO_COORDINATES = 60  # positional_quality of a postcode without a grid reference
CELL = 5_000  # grid cell size in microdegrees (0.005 degrees)
EARTH_RADIUS_M = 6_371_008.8

OUTWARD = r"[A-Z]{1,2}[0-9][0-9A-Z]?"
FULL_RE = re.compile(rf"^({OUTWARD})([0-9][A-Z]{{2}})$")
PARTIAL_RE = re.compile(rf"^({OUTWARD})(?: ([0-9]))?$")

FULL, SECTOR, DISTRICT = "postcode", "sector", "district"
# The UK's postcode areas (the letters a postcode starts with), to tell a postcode
# outside London (its district has no London postcode) from text that is no postcode.
_UK_AREAS_TEXT = (
    "AB AL B BA BB BD BF BH BL BN BR BS BT BX CA CB CF CH CM CO CR CT CV CW DA DD DE DG "
    "DH DL DN DT DY E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE "
    "KA KT KW KY L LA LD LE LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL "
    "PO PR RG RH RM S SA SE SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB "
    "W WA WC WD WF WN WR WS WV YO ZE"
)
UK_AREAS = frozenset(_UK_AREAS_TEXT.split())


@dataclass(frozen=True)
class Query:
    """A postcode-shaped query: a full postcode, a sector or a district."""

    kind: str  # FULL, SECTOR or DISTRICT
    outward: str
    inward: str = ""  # "1DY" for a full postcode, "1" for a sector

    @property
    def text(self) -> str:
        """The formatted postcode, sector or district ("E8 1DY", "E8 1", "E8")."""
        return f"{self.outward} {self.inward}".strip()

    @property
    def prefix(self) -> bytes:
        return (self.outward.ljust(4) + self.inward).encode("ascii")


@dataclass(frozen=True)
class PostcodeArea:
    """What a postcode query found: one postcode's point, or the mean of a sector's or
    district's points with the borough most of them are in."""

    query: Query
    latitude: float
    longitude: float
    borough_code: str  # ONS E09 code
    ward_code: str  # ONS E05 code (of the postcode, or the commonest in the area)
    count: int  # postcodes averaged (1 for a full postcode)
    borough_codes: tuple[str, ...]  # every borough with a postcode in the area, commonest first


@dataclass(frozen=True)
class Nearby:
    postcode: str
    latitude: float
    longitude: float
    borough_code: str
    ward_code: str
    distance_m: float


def parse(text: str) -> Query | None:
    """The postcode, sector or district ``text`` names, in any case or spacing; else None.

    A full postcode may be typed without its space ("e81dy"); a sector needs one
    ("E8 1"), since "E81" is also the shape of a district.
    """
    squashed = "".join(text.split()).upper()
    match = FULL_RE.match(squashed)
    if match:
        return Query(FULL, match.group(1), match.group(2))
    match = PARTIAL_RE.match(" ".join(text.split()).upper())
    if match:
        outward, sector = match.groups()
        return Query(SECTOR, outward, sector) if sector else Query(DISTRICT, outward)
    return None


def looks_like_postcode(text: str) -> bool:
    """Whether ``text`` is a full postcode in any spacing (not a district or sector)."""
    query = parse(text)
    return query is not None and query.kind == FULL


class _Index:
    """The compact, sorted postcode arrays (see the module docstring)."""

    def __init__(self, path: Path) -> None:
        rows = []
        lad_codes: dict[str, int] = {}
        ward_codes: dict[str, int] = {}
        with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            next(reader)  # header
            for postcode, latitude, longitude, lad, ward, quality in reader:
                if not latitude or int(quality or NO_COORDINATES) >= NO_COORDINATES:
                    continue
                outward, _, inward = postcode.partition(" ")
                rows.append(
                    (
                        (outward.ljust(4) + inward).encode("ascii"),
                        round(float(latitude) * 1_000_000),
                        round(float(longitude) * 1_000_000),
                        lad_codes.setdefault(lad, len(lad_codes)),
                        ward_codes.setdefault(ward, len(ward_codes)),
                    )
                )
        rows.sort()
        self.lad_codes = tuple(lad_codes)
        self.ward_codes = tuple(ward_codes)
        self.keys = b"".join(row[0] for row in rows)
        self.districts = frozenset(row[0][:4].rstrip().decode("ascii") for row in rows)
        self.count = len(rows)
        self.lat = array("i", (row[1] for row in rows))
        self.lon = array("i", (row[2] for row in rows))
        self.lad = array("B", (row[3] for row in rows))
        self.ward = array("H", (row[4] for row in rows))
        del rows
        cell_of = [
            _cell(lat // CELL, lon // CELL) for lat, lon in zip(self.lat, self.lon, strict=True)
        ]
        self.by_cell = array("I", sorted(range(self.count), key=cell_of.__getitem__))
        self.cell_runs: dict[int, tuple[int, int]] = {}
        start = 0
        for cell, group in groupby(cell_of[number] for number in self.by_cell):
            end = start + sum(1 for _ in group)
            self.cell_runs[cell] = (start, end)
            start = end

    def key(self, number: int) -> bytes:
        return self.keys[number * KEY_WIDTH : (number + 1) * KEY_WIDTH]

    def postcode(self, number: int) -> str:
        key = self.key(number).decode("ascii")
        return f"{key[:4].rstrip()} {key[4:]}"

    def range_for(self, prefix: bytes) -> tuple[int, int]:
        """(first, end) numbers of the postcodes whose key starts with ``prefix``."""
        keys = _Keys(self)
        first = bisect.bisect_left(keys, prefix)
        end = bisect.bisect_left(keys, prefix + b"\xff", lo=first)
        return first, end

    def near(self, latitude: float, longitude: float, radius_m: float) -> Iterator[int]:
        """Numbers of the postcodes in the grid cells a circle of ``radius_m`` touches."""
        lat_u, lon_u = round(latitude * 1_000_000), round(longitude * 1_000_000)
        d_lat = radius_m / 111_195.0 * 1_000_000
        d_lon = d_lat / max(math.cos(math.radians(latitude)), 0.01)
        for row in range(int((lat_u - d_lat) // CELL), int((lat_u + d_lat) // CELL) + 1):
            for column in range(int((lon_u - d_lon) // CELL), int((lon_u + d_lon) // CELL) + 1):
                run = self.cell_runs.get(_cell(row, column))
                if run:
                    yield from self.by_cell[run[0] : run[1]]


class _Keys:
    """The sorted keys as a sequence, for ``bisect``, without splitting them up."""

    def __init__(self, index: _Index) -> None:
        self._index = index

    def __len__(self) -> int:
        return self._index.count

    def __getitem__(self, number: int) -> bytes:
        return self._index.key(number)


def _cell(row: int, column: int) -> int:
    return row * 1_000_000 + column


# The process-wide index, built on first use (about half a second).
index: BuiltOnce[_Index] = BuiltOnce(lambda: _Index(POSTCODE_FILE))


def lookup(text: str) -> PostcodeArea | None:
    """The postcode, sector or district ``text`` names, if it is in London; else None
    (also for text that is not postcode-shaped: see :func:`parse`)."""
    query = parse(text)
    return find(query) if query else None


def find(query: Query) -> PostcodeArea | None:
    data = index()
    first, end = data.range_for(query.prefix)
    if query.kind == FULL:
        end = first + 1 if first < data.count and data.key(first) == query.prefix else first
    elif first >= end and query.kind == DISTRICT and len(query.outward) < 4:
        # "W1", "EC1", "SW1" in everyday use: the districts W1A-W1W, EC1A-EC1Y...
        first = data.range_for(query.outward.encode("ascii") + b"A")[0]
        end = data.range_for(query.outward.encode("ascii") + b"Z")[1]
    if first >= end:
        return None
    count = end - first
    boroughs = Counter(data.lad[first:end])
    wards = Counter(data.ward[first:end])
    return PostcodeArea(
        query=query,
        latitude=sum(data.lat[first:end]) / count / 1_000_000,
        longitude=sum(data.lon[first:end]) / count / 1_000_000,
        borough_code=data.lad_codes[boroughs.most_common(1)[0][0]],
        ward_code=data.ward_codes[wards.most_common(1)[0][0]],
        count=count,
        borough_codes=tuple(data.lad_codes[code] for code, _ in boroughs.most_common()),
    )


def outside_london(query: Query) -> bool:
    """Whether ``query`` is a real-looking postcode or district of somewhere else: its
    postcode area is one of the UK's and London has no postcode in its district (so
    "WD17 1AA" and "M1" are outside London; "E8 9ZZ", which does not exist, is not)."""
    area = re.match(r"[A-Z]+", query.outward).group(0)
    if area not in UK_AREAS or find(query) is not None:
        return False
    districts = index().districts
    if query.outward in districts:
        return False
    # "W1" or "EC1" (London's districts W1A-W1W...) are London's too.
    return not any(
        d.startswith(query.outward) and d[len(query.outward) :].isalpha() for d in districts
    )


def within(latitude: float, longitude: float, radius_m: float) -> list[Nearby]:
    """The postcodes within ``radius_m`` metres of the point, nearest first."""
    data = index()
    lat_u, lon_u = latitude * 1_000_000, longitude * 1_000_000
    d_lat = radius_m / 111_195.0 * 1_000_000
    d_lon = d_lat / max(math.cos(math.radians(latitude)), 0.01)
    lats, lons = data.lat, data.lon
    found = []
    for number in data.near(latitude, longitude, radius_m):
        # The box first (integer arithmetic), the great circle only for what is in it.
        if abs(lats[number] - lat_u) > d_lat or abs(lons[number] - lon_u) > d_lon:
            continue
        lat, lon = lats[number] / 1_000_000, lons[number] / 1_000_000
        distance = distance_m(latitude, longitude, lat, lon)
        if distance <= radius_m:
            found.append(
                Nearby(
                    data.postcode(number),
                    lat,
                    lon,
                    data.lad_codes[data.lad[number]],
                    data.ward_codes[data.ward[number]],
                    distance,
                )
            )
    found.sort(key=lambda item: item.distance_m)
    return found


def nearest(latitude: float, longitude: float, *, max_m: float = 500.0) -> Nearby | None:
    """The nearest postcode within ``max_m`` metres, or None (looking close first: in
    central London there are thousands of postcodes within 500 m)."""
    for radius in (*(r for r in (60.0, 180.0) if r < max_m), max_m):
        found = within(latitude, longitude, radius)
        if found:
            return found[0]
    return None


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def read_rows(path: Path = POSTCODE_FILE) -> Iterator[dict[str, str]]:
    """Every row of the postcode file as a dict (for tests and the bench)."""
    with gzip.open(path, "rb") as raw:
        yield from csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8", newline=""))
