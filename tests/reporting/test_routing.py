"""Routing a point to its borough (and SN team)."""

import pytest

from geography.boundaries import boroughs
from reporting.routing import OutsideLondon, route_borough, route_point

# Bridges: the middle of the river is outside every borough polygon, so the nearest wins.
BRIDGES = [
    ("Tower Bridge", 51.5055, -0.0754, {"E09000030", "E09000028"}),  # Tower Hamlets/Southwark
    ("Westminster Bridge", 51.5008, -0.1219, {"E09000033", "E09000022"}),  # Westminster/Lambeth
    ("London Bridge", 51.5079, -0.0877, {"E09000001", "E09000028"}),  # City/Southwark
]
OUTSIDE = [
    ("Watford", 51.6565, -0.3903),
    ("Dartford", 51.4461, 0.2178),
    ("Epsom", 51.3360, -0.2670),
    ("Brighton", 50.8225, -0.1372),
]


@pytest.mark.django_db
@pytest.mark.parametrize("name,lat,lon,expected", BRIDGES)
def test_thames_bridges_route_to_a_riverside_borough(name, lat, lon, expected):
    assert route_point(lat, lon).borough_code in expected


@pytest.mark.django_db
@pytest.mark.parametrize("name,lat,lon", OUTSIDE)
def test_points_outside_london_are_refused(name, lat, lon):
    with pytest.raises(OutsideLondon):
        route_point(lat, lon)


@pytest.mark.django_db
def test_every_boroughs_interior_routes_to_itself():
    for area in boroughs():
        lat, lon = area.centroid
        route = route_point(lat, lon)
        assert route.borough_code == area.code, area.name
        assert route.borough_name == area.name


@pytest.mark.django_db
def test_without_a_borough_page_the_fallback_inbox_gets_it(settings):
    settings.REPORTING_FALLBACK_INBOX = "fallback@example.invalid"
    route = route_point(51.5450, -0.0553)
    assert route.borough_page is None
    assert route.inbox == "fallback@example.invalid"
    assert route.team_email == ""


@pytest.mark.django_db
def test_borough_page_and_team_are_found(hackney_central):
    route = route_point(51.5450, -0.0553)
    assert route.borough_code == "E09000012"
    assert route.inbox == route.borough_page.asb_inbox_email
    assert route.neighbourhood_page.pk == hackney_central.pk
    assert route.team_email == hackney_central.team_email
    assert route.ward_code == "E05009372"


@pytest.mark.django_db
def test_route_by_borough_for_described_places():
    assert route_borough("E09000022").borough_name == "Lambeth"
    with pytest.raises(OutsideLondon):
        route_borough("E07000001")


def _extreme_vertices(area):
    """The westmost, eastmost, southmost and northmost vertices (lat, lon) of an area."""
    points = [(lat, lon) for polygon in area.polygons for lon, lat in polygon[0]]
    return {
        "west": min(points, key=lambda p: p[1]),
        "east": max(points, key=lambda p: p[1]),
        "south": min(points, key=lambda p: p[0]),
        "north": max(points, key=lambda p: p[0]),
    }


# London's outer edge: the extreme vertex of these boroughs on that side is London's edge.
EDGES = [("Hillingdon", "west"), ("Havering", "east"), ("Croydon", "south"), ("Enfield", "north")]
STEP = {"west": (0, -1), "east": (0, 1), "south": (-1, 0), "north": (1, 0)}


@pytest.mark.django_db
@pytest.mark.parametrize("name,side", EDGES)
def test_just_outside_the_edge(name, side):
    area = next(a for a in boroughs() if a.name == name)
    lat, lon = _extreme_vertices(area)[side]
    dlat, dlon = STEP[side]
    degrees_lon_per_km = 1 / 69.5  # at London's latitude
    degrees_lat_per_km = 1 / 111.0

    def moved(km):
        return lat + dlat * km * degrees_lat_per_km, lon + dlon * km * degrees_lon_per_km

    # 400 m beyond the boundary (a boundary road, a GPS wobble): the nearest borough.
    assert route_point(*moved(0.4)).borough_code == area.code
    # 3 km beyond: outside London, with the message about where to report instead.
    with pytest.raises(OutsideLondon):
        route_point(*moved(3))
