"""Streets from the police.uk snap points the portal has imported (the real samples), and
the reverse lookup that names the street nearest a point."""

from pathlib import Path

import pytest

from geography import attribution, streets
from geography.geocoding import geocode
from geography.place import COORDINATES, STREET
from geography.reverse import describe, describe_point
from mapping.demo import import_paths
from mapping.places import street_name, street_source

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[2] / "mapping" / "data" / "policeuk"
HACKNEY, TOWER_HAMLETS = "E09000012", "E09000030"
MARE_STREET_POINT = (51.534337, -0.057322)  # the only one, on the Hackney / Tower Hamlets edge


@pytest.fixture
def imported(db):
    return import_paths(sorted(SAMPLES.glob("*.csv")))


def test_the_mapping_app_registers_its_snap_points_as_streets():
    assert street_source in streets.sources()


@pytest.mark.parametrize(
    "typed", ["Mare Street", "mare street", "  MARE   street ", "On or near Mare Street"]
)
def test_a_street_on_a_boundary_is_listed_in_both_boroughs(imported, typed):
    places = [place for place in geocode(typed) if place.kind == STREET]
    by_borough = {place.borough_code: place for place in places}
    assert set(by_borough) == {HACKNEY, TOWER_HAMLETS}
    hackney = by_borough[HACKNEY]
    assert hackney.label == "Mare Street, Hackney"
    assert (hackney.latitude, hackney.longitude) == MARE_STREET_POINT
    assert hackney.ward_code.startswith("E05")
    assert hackney.attribution == attribution.POSTCODES
    assert places[0].borough_code == HACKNEY  # same match, same points: by name


def test_a_street_in_one_borough(imported):
    (place,) = [p for p in geocode("Amhurst Road") if p.kind == STREET]
    assert (place.label, place.borough_code) == ("Amhurst Road, Hackney", HACKNEY)
    assert (place.latitude, place.longitude) == (51.553157, -0.06708)


def test_a_street_name_in_several_boroughs_lists_each(imported):
    found = streets.search("Uxbridge Road", limit=10)
    boroughs = {street.borough_code for _, street in found}
    # Ealing, Hammersmith and Fulham, Hillingdon, Hounslow (the LSOAs of its points)
    assert boroughs >= {"E09000009", "E09000013", "E09000017", "E09000018"}
    assert all(score == 3 and street.name == "Uxbridge Road" for score, street in found)


def test_exact_names_come_before_longer_ones(imported):
    labels = [place.label for place in geocode("Amhurst Road", limit=10)]
    assert labels[0] == "Amhurst Road, Hackney"
    partial = [place.label for place in geocode("Amhurst", limit=10)]
    assert "Amhurst Road, Hackney" in partial and "Amhurst Park, Hackney" in partial


def test_generic_places_are_not_streets(imported):
    assert [p for p in geocode("Supermarket") if p.kind == STREET] == []
    assert street_name("On or near Supermarket") is None
    assert street_name("On or near Queen'S Drive") == "Queen's Drive"


def test_an_address_finds_its_postcode_or_its_street(imported):
    (place,) = geocode("Flat 2, 10 Mare Street, London E8 1DY")
    assert place.label == "E8 1DY, Hackney"
    places = geocode("12 Amhurst Road, London")
    assert [p.label for p in places] == ["Amhurst Road, Hackney"]


def test_describe_point_names_the_nearest_street_and_the_points_borough(imported):
    # The borough is always the point's own (here the polygon's): the street says where.
    assert describe_point(*MARE_STREET_POINT) == "near Mare Street, Tower Hamlets"
    assert describe_point(51.5532, -0.0671) == "near Amhurst Road, Hackney"
    assert describe(51.5532, -0.0671).attribution == ""


def test_describe_point_falls_back_to_the_nearest_postcode(db):
    # No snap points imported: the nearest postcode says whereabouts.
    description = describe(51.545319, -0.057980)
    assert description.text == "near E8 1DY, Hackney"
    assert description.attribution == attribution.POSTCODES


def test_describe_point_outside_london_is_none(imported):
    assert describe_point(51.6565, -0.3903) is None  # Watford
    assert describe_point(53.48, -2.24) is None  # Manchester


def test_describe_point_reads_only_the_points_near_it(imported, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        describe_point(*MARE_STREET_POINT)


def test_typed_coordinates_are_described(imported):
    (place,) = geocode("51.553157, -0.06708")
    assert (place.kind, place.label) == (COORDINATES, "Near Amhurst Road, Hackney")
    assert (place.latitude, place.longitude) == (51.553157, -0.06708)
