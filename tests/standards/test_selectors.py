import json

import pytest

from standards import factories, selectors
from tests.standards.conftest import publish

pytestmark = pytest.mark.django_db

# Points in Hackney: near the Narrow Way (Hackney Central), near Hackney Downs park.
NARROW_WAY = (51.5462, -0.0560)
HACKNEY_DOWNS_PARK = (51.5555, -0.0615)
BRIXTON = (51.4613, -0.1156)
OUTSIDE_LONDON = (51.75, -1.25)  # Oxford


def test_live_borough_pages_and_lookup_by_code(hackney, lambeth):
    assert selectors.live_borough_pages() == [hackney, lambeth]
    assert selectors.borough_page_for_code("E09000022") == lambeth
    assert selectors.borough_page_for_code("E09000001") is None
    lambeth.unpublish()
    assert selectors.live_borough_pages() == [hackney]
    assert selectors.borough_page_for_code("E09000022") is None


def test_nearest_centre_within_the_borough(hackney_central, hackney_downs, coldharbour):
    assert selectors.neighbourhood_page_for_point(*NARROW_WAY) == hackney_central
    assert selectors.neighbourhood_page_for_point(*HACKNEY_DOWNS_PARK) == hackney_downs
    assert selectors.neighbourhood_page_for_point(*BRIXTON) == coldharbour
    assert selectors.neighbourhood_page_for_point(*OUTSIDE_LONDON) is None


def test_no_neighbourhood_in_a_borough_without_pages(hackney_central, borough_index):
    camden = publish(factories.BoroughPageFactory(parent=borough_index, ons_code="E09000007"))
    assert camden.neighbourhoods().count() == 0
    # Camden Town: in Camden, never matched to a Hackney team.
    assert selectors.neighbourhood_page_for_point(51.5390, -0.1426) is None


def test_boundary_wins_over_nearest_centre(hackney_central, hackney_downs):
    # A small boundary for Hackney Downs that takes in a point nearer Hackney Central's centre.
    point = (51.5475, -0.0560)
    assert selectors.neighbourhood_page_for_point(*point) == hackney_central
    ring = [[-0.0600, 51.5470], [-0.0520, 51.5470], [-0.0520, 51.5600], [-0.0600, 51.5600]]
    hackney_downs.boundary = json.dumps({"type": "Polygon", "coordinates": [ring + [ring[0]]]})
    publish(hackney_downs)
    assert selectors.neighbourhood_page_for_point(*point) == hackney_downs
    # Outside that boundary, teams without a boundary are still found by their centre.
    assert selectors.neighbourhood_page_for_point(*NARROW_WAY) == hackney_central


def test_cache_is_invalidated_on_publish_and_unpublish(
    hackney_central, hackney_downs, django_assert_num_queries
):
    assert selectors.neighbourhood_page_for_point(*NARROW_WAY) == hackney_central
    selectors.neighbourhood_areas()
    with django_assert_num_queries(0):
        selectors.neighbourhood_areas()
    hackney_central.unpublish()
    assert selectors.neighbourhood_page_for_point(*NARROW_WAY) == hackney_downs
    publish(hackney_central)
    assert selectors.neighbourhood_page_for_point(*NARROW_WAY) == hackney_central


def test_neighbourhood_places(hackney_central, coldharbour):
    places = selectors.neighbourhood_places()
    assert ("Hackney Central, Hackney", 51.5466, -0.0553) in places
    assert ("Coldharbour, Lambeth", 51.4605, -0.1075) in places


def test_gazetteer_finds_neighbourhoods(hackney_central):
    from geography.gazetteer import search_gazetteer

    places = search_gazetteer("Hackney Central")
    assert places[0].label == "Hackney Central, Hackney"


def test_borough_page_contract(hackney, hackney_central, hackney_downs):
    assert list(hackney.neighbourhoods()) == [hackney_central, hackney_downs]
    assert hackney_central.borough_page == hackney
    assert hackney_central.ward_code == "E05009372"
    commitment = hackney.commitment_for("visit_high_risk")
    assert commitment.metric == "visit_high_risk"
    assert commitment.target_hours in (24, 48)
    assert hackney.commitment_for("no_such_metric") is None


def test_point_just_outside_the_only_boundaries_goes_to_the_nearest(hackney_central):
    ring = [[-0.0600, 51.5400], [-0.0500, 51.5400], [-0.0500, 51.5450], [-0.0600, 51.5450]]
    hackney_central.boundary = json.dumps({"type": "Polygon", "coordinates": [ring + [ring[0]]]})
    publish(hackney_central)
    assert selectors.neighbourhood_page_for_point(51.5470, -0.0550) == hackney_central  # 220 m
    assert selectors.neighbourhood_page_for_point(51.5600, -0.0550) is None  # 1.6 km
