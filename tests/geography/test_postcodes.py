"""The offline postcode lookup, against the shipped OS Code-Point Open file."""

import random
import time
from pathlib import Path

import pytest

from geography import attribution, postcodes
from geography.geocoding import geocode, outside_london
from geography.place import DISTRICT, POSTCODE, SECTOR

HACKNEY, TOWER_HAMLETS = "E09000012", "E09000030"
SHARED_FILE = Path(__file__).resolve().parents[3] / "shared/data/postcodes/london-postcodes.csv.gz"


def test_the_shipped_file_is_the_shared_one_with_its_provenance():
    if SHARED_FILE.exists():
        assert postcodes.POSTCODE_FILE.read_bytes() == SHARED_FILE.read_bytes()
    readme = " ".join((postcodes.POSTCODE_FILE.parent / "README.md").read_text().split())
    assert "london-postcodes.csv.gz" in readme
    assert "Code-Point Open" in readme
    assert "Contains OS data © Crown copyright and database right 2025." in readme
    for line in attribution.POSTCODES.split(". "):
        assert line.rstrip(".") in readme


@pytest.mark.parametrize("typed", ["E8 1DY", "e81dy", " E8  1dy ", "e8 1DY", "E81DY"])
def test_a_full_postcode_in_any_spacing_or_case(typed):
    found = postcodes.lookup(typed)
    assert (found.latitude, found.longitude) == (51.545319, -0.057980)
    assert found.borough_code == HACKNEY
    assert found.count == 1
    (place,) = geocode(typed)
    assert (place.kind, place.label) == (POSTCODE, "E8 1DY, Hackney")
    assert (place.latitude, place.longitude, place.borough_code) == (51.545319, -0.05798, HACKNEY)
    assert place.ward_code.startswith("E05")
    assert place.attribution == attribution.POSTCODES


def test_a_random_sample_of_the_file_is_each_in_its_own_borough():
    rows = list(postcodes.read_rows())
    assert len(rows) == 180_754
    sample = random.Random(13).sample(rows, 500)
    for row in sample:
        typed = row["postcode"].lower().replace(" ", "")
        found = postcodes.lookup(typed)
        assert found is not None, row["postcode"]
        assert found.borough_code == row["lad_code"], row["postcode"]
        assert found.latitude == pytest.approx(float(row["latitude"]), abs=1e-6)
        assert found.longitude == pytest.approx(float(row["longitude"]), abs=1e-6)
        (place,) = geocode(row["postcode"])
        assert place.borough_code == row["lad_code"]


def test_a_sector_is_an_area_with_its_boroughs():
    found = postcodes.lookup("e8 1")
    assert found.query.kind == postcodes.SECTOR
    assert found.borough_code == HACKNEY
    assert found.count > 100
    assert found.borough_codes[0] == HACKNEY
    assert abs(found.latitude - 51.547) < 0.01 and abs(found.longitude + 0.060) < 0.01
    (place,) = geocode("E8 1")
    assert (place.kind, place.label, place.is_area) == (
        SECTOR,
        "E8 1 (postcode sector), Hackney",
        True,
    )
    assert place.ward_code == ""


def test_a_district_is_an_area_with_every_borough_it_covers():
    found = postcodes.lookup("E8")
    assert found.query.kind == postcodes.DISTRICT
    assert found.borough_code == HACKNEY
    assert set(found.borough_codes) >= {HACKNEY, TOWER_HAMLETS}
    (place,) = geocode("e8")
    assert (place.kind, place.label) == (DISTRICT, "E8 (postcode district), Hackney")


def test_everyday_districts_cover_their_lettered_parts():
    assert postcodes.lookup("W1").borough_code == "E09000033"  # W1A-W1W: Westminster
    assert postcodes.lookup("EC1").count > 1000


@pytest.mark.parametrize("typed", ["Hackney", "E8 1DYX", "1DY", "Mare Street", "", "E", "E8 1D"])
def test_text_that_is_no_postcode_is_not_parsed_as_one(typed):
    assert postcodes.parse(typed) is None


def test_e81_is_a_district_not_a_sector():
    assert postcodes.parse("E81") == postcodes.Query(postcodes.DISTRICT, "E81")


@pytest.mark.django_db  # a district or sector not in London is then tried as a name
@pytest.mark.parametrize("typed", ["WD17 1AA", "m1 1ae", "M1", "GU1 1AA", "WD17 1"])
def test_a_postcode_of_somewhere_else_is_outside_london(typed):
    assert geocode(typed) == []
    assert outside_london(typed)


@pytest.mark.parametrize("typed", ["E8 9ZZ", "ZZ1 1ZZ", "Hackney", "E8 1DY", "W1", "WD6 1AA"])
def test_a_london_or_made_up_postcode_is_not_called_outside_london(typed):
    assert not outside_london(typed)


def test_postcodes_near_a_point_nearest_first():
    # The "Mare Street" snap point on the Hackney / Tower Hamlets edge.
    near = postcodes.within(51.534337, -0.057322, 60)
    by_postcode = {item.postcode: item for item in near}
    assert by_postcode["E8 4RR"].borough_code == HACKNEY
    assert by_postcode["E8 4RR"].distance_m == pytest.approx(48, abs=1)
    assert by_postcode["E2 9FS"].borough_code == TOWER_HAMLETS
    assert [item.distance_m for item in near] == sorted(item.distance_m for item in near)
    assert postcodes.nearest(51.545319, -0.057980).postcode == "E8 1DY"
    assert postcodes.nearest(51.0, -3.0) is None  # far from London


def test_lookups_are_fast_once_loaded():
    postcodes.index()
    rows = [row["postcode"] for row in postcodes.read_rows()][::180]
    start = time.perf_counter()
    for postcode in rows:
        assert postcodes.lookup(postcode) is not None
        postcodes.nearest(51.5, -0.1, max_m=300)
    elapsed = time.perf_counter() - start
    # About 0.2 s on an idle machine; the bound leaves room for a busy one.
    assert elapsed < 2.0, f"{len(rows)} lookups and nearest searches took {elapsed:.2f}s"
