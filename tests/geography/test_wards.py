"""Point-in-ward lookups over London's 704 wards, against the shipped ONS ward file."""

import csv
import hashlib
import random
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from geography import boundaries, wards
from geography.geometry import area_from_geometry
from geography.wards import Ward, WardIndex

ROOT = Path(__file__).resolve().parents[2]
SHARED_FILE = ROOT.parent / "shared/data/boundaries/london-wards-2024.geojson"
MET_FILE = ROOT / "mapping/data/policeuk/2025-02-metropolitan-street.csv"
WARD_FILE_SHA256 = "43c77a995ce4be4bcca37afd125809d92a34035b1e0fdf72bc718672b9230bd7"
LONDON_BBOX = (-0.5104, 51.2868, 0.3340, 51.6919)  # min lon, min lat, max lon, max lat
CITY_OF_LONDON, HACKNEY = "E09000001", "E09000012"
WESTMINSTER, LAMBETH = "E09000033", "E09000022"


def test_the_shipped_file_is_the_shared_one_with_its_provenance():
    data = wards.WARD_FILE.read_bytes()
    assert hashlib.sha256(data).hexdigest() == WARD_FILE_SHA256
    if SHARED_FILE.exists():
        assert data == SHARED_FILE.read_bytes()
    readme = " ".join((wards.WARD_FILE.parent / "README.md").read_text().split())
    assert "london-wards-2024.geojson" in readme
    assert WARD_FILE_SHA256 in readme
    assert "Source: Office for National Statistics licensed under the Open Government" in readme


def test_all_704_wards_are_loaded_in_the_33_boroughs():
    every = wards.wards()
    assert len(every) == 704
    assert len({ward.code for ward in every}) == 704
    assert all(ward.code.startswith("E05") for ward in every)
    per_borough = Counter(ward.borough_code for ward in every)
    assert set(per_borough) == {area.code for area in boundaries.boroughs()}
    assert per_borough[CITY_OF_LONDON] == 25
    assert sum(per_borough.values()) - per_borough[CITY_OF_LONDON] == 679
    for ward in every:
        assert ward.borough_name == boundaries.borough_name(ward.borough_code)
    assert wards.ward("E05000000") is None


def test_hackney_central():
    hackney_central = wards.ward("E05009372")
    assert (hackney_central.name, hackney_central.borough_code) == ("Hackney Central", HACKNEY)
    assert wards.ward_for(51.5450, -0.0553) == hackney_central
    assert wards.nearest_ward(51.5450, -0.0553) == hackney_central
    latitude, longitude = hackney_central.centroid
    assert wards.ward_for(latitude, longitude) == hackney_central


def test_a_point_outside_london_is_in_no_ward():
    for latitude, longitude in [
        (51.7520, -1.2577),  # Oxford
        (51.6950, -0.2000),  # just north of London's bounding box
        (51.3000, 0.3000),  # inside the bounding box, in Kent
        (float("nan"), -0.05),
    ]:
        assert wards.ward_for(latitude, longitude) is None
    assert wards.ward_for("51.5", None) is None
    assert wards.nearest_ward(51.7520, -1.2577) is None
    assert wards.nearest_ward(float("nan"), 0.0) is None


def test_a_thames_point_goes_to_a_ward_of_a_bank():
    latitude, longitude = 51.5008, -0.1219  # Westminster Bridge, mid-river
    assert wards.ward_for(latitude, longitude) is None
    nearest = wards.nearest_ward(latitude, longitude)
    assert nearest.borough_code in {WESTMINSTER, LAMBETH}
    assert nearest.distance_m(latitude, longitude) < 300
    # Asked for a given borough (the one the report was routed to), its nearest ward.
    south = wards.nearest_ward(latitude, longitude, borough_code=LAMBETH)
    assert south.borough_code == LAMBETH
    assert wards.nearest_ward(latitude, longitude, max_m=1) is None


def test_a_point_in_one_borough_asked_for_another_gets_that_borough_s_nearest_ward():
    # In Stoke Newington (Hackney), about 3 km from Tower Hamlets: too far for 1,000 m.
    assert wards.nearest_ward(51.5615, -0.0750, borough_code="E09000030") is None
    near = wards.nearest_ward(51.5615, -0.0750, borough_code="E09000030", max_m=5000)
    assert (near.code, near.borough_code) == ("E05009331", "E09000030")  # Bethnal Green West
    assert 2500 < near.distance_m(51.5615, -0.0750) < 3500


def test_the_index_agrees_with_brute_force_on_random_points():
    index = wards.index()
    rng = random.Random(14)
    min_lon, min_lat, max_lon, max_lat = LONDON_BBOX
    placed = 0
    for _ in range(3000):
        latitude, longitude = rng.uniform(min_lat, max_lat), rng.uniform(min_lon, max_lon)
        found = index.ward_for(latitude, longitude)
        assert found == index.brute_force(latitude, longitude), (latitude, longitude)
        placed += found is not None
    assert 1500 < placed < 2500  # Greater London fills about 60% of its bounding box


def test_the_index_agrees_with_brute_force_near_ward_edges():
    index = wards.index()
    rng = random.Random(15)
    for ward in rng.sample(wards.wards(), 60):
        ring = ward.area.polygons[0][0]
        for lon, lat in rng.sample(list(ring), min(10, len(ring))):
            latitude = lat + rng.uniform(-2e-5, 2e-5)
            longitude = lon + rng.uniform(-2e-5, 2e-5)
            assert index.ward_for(latitude, longitude) == index.brute_force(latitude, longitude)


def _square(x0: float, y0: float, size: float) -> list[list[float]]:
    return [[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size], [x0, y0]]


def _ward(code: str, geometry: dict) -> Ward:
    return Ward(code, code, "E09000099", "Test", area_from_geometry(code, code, geometry))


def test_holes_and_multipolygons():
    # A ward with a hole, a second ward filling the hole, and a two-part ward.
    doughnut = _ward(
        "E05999991",
        {
            "type": "Polygon",
            "coordinates": [_square(0.0, 51.0, 0.01), _square(0.003, 51.003, 0.004)],
        },
    )
    filling = _ward(
        "E05999992", {"type": "Polygon", "coordinates": [_square(0.003, 51.003, 0.004)]}
    )
    islands = _ward(
        "E05999993",
        {
            "type": "MultiPolygon",
            "coordinates": [[_square(0.02, 51.0, 0.002)], [_square(0.03, 51.005, 0.002)]],
        },
    )
    index = WardIndex([doughnut, filling, islands])
    assert index.ward_for(51.001, 0.001) == doughnut
    assert index.ward_for(51.005, 0.005) == filling
    assert index.ward_for(51.001, 0.021) == islands
    assert index.ward_for(51.006, 0.031) == islands
    assert index.ward_for(51.006, 0.025) is None  # between the islands
    assert index.nearest(51.006, 0.025) == islands
    rng = random.Random(16)
    for _ in range(2000):
        latitude, longitude = rng.uniform(50.999, 51.011), rng.uniform(-0.001, 0.033)
        assert index.ward_for(latitude, longitude) == index.brute_force(latitude, longitude)


def test_the_met_file_s_rows_are_placed_in_the_borough_their_lsoa_names():
    """Done when (issue 14): of the located rows of the real Met file, at least 99% are
    placed in a ward of the borough named by their LSOA ("Hackney 001A" -> Hackney), and
    the rest lie within 50 m of that borough's edge."""
    codes = {area.name: area.code for area in boundaries.boroughs()}
    with MET_FILE.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["Latitude"] and row["Longitude"]]
    assert len(rows) == 3739
    placed, edge, outside_london = 0, [], 0
    for row in rows:
        latitude, longitude = float(row["Latitude"]), float(row["Longitude"])
        borough_code = codes.get(row["LSOA name"].rsplit(" ", 1)[0])
        if borough_code is None:
            # The Met polices a few streets just outside Greater London (4 rows here).
            outside_london += 1
            continue
        ward = wards.ward_for(latitude, longitude)
        if ward is not None and ward.borough_code == borough_code:
            placed += 1
        else:
            edge.append((latitude, longitude, borough_code))
    assert outside_london == 4
    assert placed / (placed + len(edge)) >= 0.99
    for latitude, longitude, borough_code in edge:
        nearest = wards.nearest_ward(latitude, longitude, borough_code=borough_code, max_m=50)
        assert nearest is not None, (latitude, longitude, borough_code)
        assert nearest.borough_code == borough_code


def test_the_wards_are_loaded_once_per_process_even_from_many_threads(monkeypatch):
    monkeypatch.setattr(wards.index, "_value", None)  # built afresh here
    with ThreadPoolExecutor(max_workers=8) as pool:
        indexes = list(pool.map(lambda _: wards.index(), range(8)))
    assert all(index is indexes[0] for index in indexes)
    assert wards.index() is indexes[0]
    assert len(indexes[0].wards) == 704
