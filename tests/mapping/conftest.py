import csv
from collections import Counter
from pathlib import Path

import pytest

from mapping.demo import import_paths

SAMPLES = Path(__file__).resolve().parents[2] / "mapping" / "data" / "policeuk"
CITY = SAMPLES / "2025-05-city-of-london-street.csv"
MET = SAMPLES / "2025-02-metropolitan-street.csv"
HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
    "LSOA name,Crime type,Last outcome category,Context"
)


def file_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def type_counts_in_london(path: Path) -> Counter:
    """The file's own count per crime type, of rows with a location and a London LSOA
    (computed here with the csv module, independently of the importer)."""
    from geography import boundaries

    districts = {area.name for area in boundaries.boroughs()}
    counts = Counter()
    for row in file_rows(path):
        if row["Longitude"] and row["LSOA name"].rsplit(" ", 1)[0] in districts:
            counts[row["Crime type"]] += 1
    return counts


@pytest.fixture
def samples(db):
    """Both real police.uk samples imported."""
    return import_paths([CITY, MET])


def write_csv(path: Path, lines: list[str], *, bom: bool = False) -> Path:
    text = "\n".join(lines) + "\n"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def row(
    *,
    month="2024-03",
    force="Metropolitan Police Service",
    lon="-0.141",
    lat="51.515",
    location="On or near Oxford Street",
    lsoa_code="E01004734",
    lsoa_name="Westminster 013B",
    crime_type="Anti-social behaviour",
) -> str:
    crime_id = "" if crime_type == "Anti-social behaviour" else "abc123"
    return ",".join(
        [
            crime_id,
            month,
            force,
            force,
            lon,
            lat,
            location,
            lsoa_code,
            lsoa_name,
            crime_type,
            "",
            "",
        ]
    )
