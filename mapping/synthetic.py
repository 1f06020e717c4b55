"""Synthetic police.uk street-level months for demos and benchmarks: NOT real crimes.

Every generated row says so in its ``Context`` column (``SYNTHETIC_CONTEXT``), and the
importer marks any force-month whose rows carry that text as synthetic, so generated
data is labelled wherever it is shown even if imported without ``--synthetic``.

What makes it realistic enough to exercise the map: about 90,000 Met rows a month at
full scale (a quarter ASB), plus a small City of London Police file; a heavy-tailed
number of incidents per location (hot streets); busier inner boroughs; seasonality (ASB
peaks in summer); shoplifting at shops; about 0.5% of rows with no location and a few
outside London, as in real files.

Where the rows are (``locations``):

* ``REAL`` (the default, and what the demo uses): only the real police.uk snap points
  of the samples in ``mapping/data/policeuk/`` (their real coordinates, "On or near"
  names and LSOAs), City of London Police rows on the City's points and Met rows on the
  others, so every street the demo knows is real and where it really is. The samples
  hold a few thousand points.
* ``INVENTED``: made-up streets spread over each borough (several snap points per
  street), as many as the scale asks for (60,000 at full scale): for benchmarks that
  need London's number of locations. Their names are not real streets.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from geography import boundaries
from mapping.categories import CRIME_TYPES
from mapping.importer import SYNTHETIC_CONTEXT

HEADER = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
]
MET = ("metropolitan", "Metropolitan Police Service", 90_000)
CITY = ("city-of-london", "City of London Police", 700)
CITY_CODE = "E09000001"

# Share of a month's rows by crime type (roughly the Met's recent mix).
TYPE_SHARE = {
    "anti-social-behaviour": 0.25,
    "violent-crime": 0.22,
    "other-theft": 0.10,
    "vehicle-crime": 0.09,
    "theft-from-the-person": 0.06,
    "shoplifting": 0.06,
    "burglary": 0.05,
    "criminal-damage-arson": 0.05,
    "public-order": 0.04,
    "robbery": 0.03,
    "drugs": 0.025,
    "bicycle-theft": 0.015,
    "other-crime": 0.009,
    "possession-of-weapons": 0.006,
}
# Relative busyness of boroughs (inner London and the West End busiest).
BUSY_BOROUGHS = {
    "Westminster": 3.0,
    "Camden": 1.7,
    "Southwark": 1.6,
    "Lambeth": 1.6,
    "Newham": 1.6,
    "Tower Hamlets": 1.6,
    "Hackney": 1.5,
    "Islington": 1.4,
    "Croydon": 1.4,
    "Kensington and Chelsea": 1.2,
    "Haringey": 1.3,
    "Brent": 1.3,
    "Ealing": 1.3,
    "Enfield": 1.2,
}
STREET_WORDS = [
    "Acacia",
    "Albany",
    "Albert",
    "Alexandra",
    "Alma",
    "Ashford",
    "Beech",
    "Belmont",
    "Birch",
    "Brook",
    "Cambridge",
    "Canal",
    "Castle",
    "Cedar",
    "Chapel",
    "Chestnut",
    "Church",
    "Clarence",
    "Cromwell",
    "Dale",
    "Elm",
    "Essex",
    "Falcon",
    "Gordon",
    "Grange",
    "Green",
    "Grove",
    "Hamilton",
    "Hazel",
    "Heath",
    "High",
    "Hill",
    "Holly",
    "Kings",
    "Lansdowne",
    "Laurel",
    "Lime",
    "Manor",
    "Maple",
    "Market",
    "Mill",
    "Milton",
    "Nelson",
    "North",
    "Oak",
    "Orchard",
    "Park",
    "Priory",
    "Queens",
    "Railway",
    "Richmond",
    "Rose",
    "Russell",
    "St John's",
    "St Mary's",
    "Sandy",
    "School",
    "Spring",
    "Station",
    "Stanley",
    "Tower",
    "Trinity",
    "Union",
    "Vicarage",
    "Victoria",
    "Warwick",
    "Wellington",
    "West",
    "Willow",
    "Windsor",
    "York",
]
STREET_KINDS = (
    "Road",
    "Street",
    "Avenue",
    "Lane",
    "Gardens",
    "Close",
    "Way",
    "Place",
    "Terrace",
    "Crescent",
    "Grove",
    "Hill",
)
PLACES = (
    "Supermarket",
    "Shopping Area",
    "Petrol Station",
    "Parking Area",
    "Nightclub",
    "Sports/Recreation Area",
    "Conference/Exhibition Centre",
    "Further/Higher Educational Building",
    "Theatre/Concert Hall",
    "Pedestrian Subway",
)
SHOPS = {"Supermarket", "Shopping Area", "Petrol Station"}
OUTCOMES = (
    "Investigation complete; no suspect identified",
    "Unable to prosecute suspect",
    "Under investigation",
    "Status update unavailable",
    "Local resolution",
    "Awaiting court outcome",
    "Further investigation is not in the public interest",
)
METRES_PER_DEGREE = 111_320.0
REAL, INVENTED = "real", "invented"
REAL_SAMPLES = Path(__file__).resolve().parent / "data" / "policeuk"


@dataclass(frozen=True)
class Snap:
    latitude: float
    longitude: float
    location: str
    lsoa_code: str
    lsoa_name: str
    weight: float
    shop: bool


def snap_pool(rng: random.Random, *, size: int, boroughs: list[boundaries.Area]) -> list[Snap]:
    """``size`` snap points spread over the boroughs, grouped along streets."""
    weights = [BUSY_BOROUGHS.get(area.name, 1.0) for area in boroughs]
    total_weight = sum(weights)
    pool: list[Snap] = []
    for area, weight in zip(boroughs, weights, strict=True):
        wanted = max(20, int(size * weight / total_weight))
        lsoas = max(2, wanted // 60)
        index = boroughs.index(area)
        while wanted > 0:
            lat, lon = _point_in(rng, area)
            if rng.random() < 0.12:
                names = [f"On or near {rng.choice(PLACES)}"]
            else:
                street = f"{rng.choice(STREET_WORDS)} {rng.choice(STREET_KINDS)}"
                names = [f"On or near {street}"] * rng.randint(2, 12)
            bearing = rng.uniform(0, math.pi)
            lsoa = rng.randrange(1, lsoas + 1)
            lsoa_name = f"{area.name} {lsoa:03d}{'ABCDE'[lsoa % 5]}"
            lsoa_code = f"E019{index:02d}{lsoa:03d}"
            for step, name in enumerate(names):
                offset = step * rng.uniform(60, 140) / METRES_PER_DEGREE
                point_lat = lat + offset * math.sin(bearing)
                point_lon = lon + offset * math.cos(bearing) / math.cos(math.radians(lat))
                place = name.removeprefix("On or near ")
                pool.append(
                    Snap(
                        round(point_lat, 6),
                        round(point_lon, 6),
                        name,
                        lsoa_code,
                        lsoa_name,
                        weight * rng.paretovariate(1.3),
                        place in SHOPS,
                    )
                )
                wanted -= 1
    return pool


def real_snap_points(folder: Path = REAL_SAMPLES) -> dict[str, list[tuple]]:
    """{borough code: [(latitude, longitude, location, lsoa code, lsoa name), ...]} of
    the distinct London snap points in the real police.uk CSV files in ``folder``.

    The borough is the one the LSOA name names ("Hackney 027B"), as the importer reads
    it, else the one the point is in; points outside London are left out."""
    by_name = {area.name.casefold(): area.code for area in boundaries.boroughs()}
    found: dict[tuple, str] = {}
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                lat_text, lon_text = row["Latitude"].strip(), row["Longitude"].strip()
                location = row["Location"].strip()
                if not lat_text or not lon_text or not location.startswith("On or near"):
                    continue
                key = (
                    round(float(lat_text), 6),
                    round(float(lon_text), 6),
                    location,
                    row["LSOA code"].strip(),
                    row["LSOA name"].strip(),
                )
                if key in found:
                    continue
                district = key[4].rsplit(" ", 1)[0].casefold() if key[4] else ""
                code = by_name.get(district) if district else None
                if code is None and not district:
                    code = boundaries.borough_for(key[0], key[1])
                if code:
                    found[key] = code
    pools: dict[str, list[tuple]] = {}
    for key, code in found.items():
        pools.setdefault(code, []).append(key)
    return pools


def real_pool(rng: random.Random, *, boroughs: list[boundaries.Area]) -> list[Snap]:
    """The real snap points in ``boroughs``, weighted like the invented ones."""
    points = real_snap_points()
    pool = []
    for area in boroughs:
        weight = BUSY_BOROUGHS.get(area.name, 1.0)
        for latitude, longitude, location, lsoa_code, lsoa_name in points.get(area.code, []):
            pool.append(
                Snap(
                    latitude,
                    longitude,
                    location,
                    lsoa_code,
                    lsoa_name,
                    weight * rng.paretovariate(1.3),
                    location.removeprefix("On or near ") in SHOPS,
                )
            )
    return pool


def _point_in(rng: random.Random, area: boundaries.Area) -> tuple[float, float]:
    min_lon, min_lat, max_lon, max_lat = area.bbox
    for _ in range(1000):
        lat, lon = rng.uniform(min_lat, max_lat), rng.uniform(min_lon, max_lon)
        if area.contains(lat, lon):
            return lat, lon
    return area.centroid


def months_ending(end: dt.date, count: int) -> list[dt.date]:
    months = []
    year, month = end.year, end.month
    for _ in range(count):
        months.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return sorted(months)


def seasonal_factor(month: dt.date, *, asb: bool) -> float:
    """Busier in summer; ASB more so (peaking in July)."""
    amplitude = 0.18 if asb else 0.06
    return 1.0 + amplitude * math.cos(2 * math.pi * (month.month - 7) / 12)


Exclude = Callable[[str, dt.date, str], bool]  # (force slug, month, type slug) -> skip?


def generate(
    *,
    out_dir: Path,
    months: list[dt.date],
    scale: float = 1.0,
    seed: int = 2025,
    exclude: Exclude | None = None,
    locations: str = REAL,
) -> list[Path]:
    """Write one street-level CSV per force and month under ``out_dir/YYYY-MM/`` (the
    layout of data.police.uk archives). Returns the files written. Deterministic.

    ``locations``: REAL (the samples' real snap points) or INVENTED (made-up streets,
    as many as ``scale`` asks for): see the module docstring."""
    if locations not in (REAL, INVENTED):
        raise ValueError(f"locations must be {REAL!r} or {INVENTED!r}, not {locations!r}")
    rng = random.Random(seed)
    areas = list(boundaries.boroughs())
    met_areas = [area for area in areas if area.code != CITY_CODE]
    city_areas = [area for area in areas if area.code == CITY_CODE]
    if locations == REAL:
        met_pool = real_pool(rng, boroughs=met_areas)
        city_pool = real_pool(rng, boroughs=city_areas)
    else:
        pool_size = max(3000, int(60_000 * math.sqrt(scale)))
        met_pool = snap_pool(rng, size=pool_size, boroughs=met_areas)
        city_pool = snap_pool(rng, size=max(200, pool_size // 100), boroughs=city_areas)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "README.txt").write_text(
        "Synthetic police.uk-format street-level files generated by "
        "manage.py generate_policeuk.\nNOT real crimes: every row says so in its Context "
        "column.\n",
        encoding="utf-8",
    )
    written = []
    for month in months:
        for (slug, name, rows), pool in ((MET, met_pool), (CITY, city_pool)):
            path = out_dir / f"{month:%Y-%m}" / f"{month:%Y-%m}-{slug}-street.csv"
            path.parent.mkdir(parents=True, exist_ok=True)
            count = max(1, int(rows * scale * rng.uniform(0.96, 1.04)))
            _write_month(rng, path, month, slug, name, count, pool, exclude)
            written.append(path)
    return written


def _write_month(
    rng: random.Random,
    path: Path,
    month: dt.date,
    slug: str,
    force_name: str,
    rows: int,
    pool: list[Snap],
    exclude: Exclude | None,
) -> None:
    general = _cumulative([snap.weight for snap in pool])
    shops = _cumulative([snap.weight * (8.0 if snap.shop else 0.2) for snap in pool])
    month_text = f"{month:%Y-%m}"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        for crime_type in CRIME_TYPES:
            if exclude is not None and exclude(slug, month, crime_type.slug):
                continue
            share = TYPE_SHARE[crime_type.slug] * seasonal_factor(month, asb=crime_type.is_asb)
            count = int(rows * share * rng.uniform(0.92, 1.08))
            weights = shops if crime_type.slug == "shoplifting" else general
            for snap in rng.choices(pool, cum_weights=weights, k=count):
                asb = crime_type.is_asb
                crime_id = "" if asb else f"{rng.getrandbits(256):064x}"
                outcome = "" if asb else rng.choice(OUTCOMES)
                chance = rng.random()
                if chance < 0.005:  # no location, as in real files
                    location = ["", "", "No location", "", ""]
                elif chance < 0.0055:  # a crime recorded outside London
                    location = [
                        f"{0.112 + rng.random() / 50:.6f}",
                        f"{51.70 + rng.random() / 50:.6f}",
                        "On or near Epping New Road",
                        "E01021712",
                        "Epping Forest 001A",
                    ]
                else:
                    location = [
                        f"{snap.longitude:.6f}",
                        f"{snap.latitude:.6f}",
                        snap.location,
                        snap.lsoa_code,
                        snap.lsoa_name,
                    ]
                writer.writerow(
                    [
                        crime_id,
                        month_text,
                        force_name,
                        force_name,
                        *location,
                        crime_type.name,
                        outcome,
                        SYNTHETIC_CONTEXT,
                    ]
                )


def _cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out
