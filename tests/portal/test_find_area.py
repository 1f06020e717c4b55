import pytest
from django.test import override_settings

from portal.area_finder import find_area
from standards import demo_content, factories
from tests.fake_services import local_json_server

pytestmark = pytest.mark.django_db


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def hackney_tree(home_page):
    index = factories.BoroughIndexPageFactory(parent=home_page)
    hackney = publish(factories.BoroughPageFactory(parent=index, ons_code="E09000012"))
    publish(factories.BoroughPageFactory(parent=index, ons_code="E09000022"))
    spec = next(
        s for s in demo_content.NEIGHBOURHOODS["E09000012"] if s["title"] == "Hackney Central"
    )
    central = publish(
        factories.NeighbourhoodPageFactory(
            parent=hackney, **factories.demo_neighbourhood_kwargs(spec)
        )
    )
    return hackney, central


def nominatim_at(latitude, longitude, label="Somewhere, London"):
    return lambda path, query: (
        200,
        [{"lat": str(latitude), "lon": str(longitude), "display_name": label, "place_id": 1}],
    )


def test_a_borough_name_finds_the_borough_page(hackney_tree):
    hackney, _ = hackney_tree
    search = find_area("Hackney")
    assert not search.unavailable
    assert search.matches[0].borough == hackney


def test_a_neighbourhood_name_finds_its_team(hackney_tree):
    hackney, central = hackney_tree
    search = find_area("Hackney Central")
    match = search.matches[0]
    assert (match.borough, match.neighbourhood) == (hackney, central)


def test_a_postcode_through_nominatim_finds_borough_and_team(hackney_tree):
    hackney, central = hackney_tree
    lat, lon = central.centre
    with local_json_server(nominatim_at(lat, lon, "Mare Street, E8 1DY")) as (url, _):
        with override_settings(GEOCODER="nominatim", GEOCODER_URL=url):
            search = find_area("E8 1DY")
    assert search.matches[0].place.label == "Mare Street, E8 1DY"
    assert (search.matches[0].borough, search.matches[0].neighbourhood) == (hackney, central)


def test_a_place_outside_london_is_reported_as_such(hackney_tree):
    with local_json_server(nominatim_at(51.6565, -0.3903, "Watford")) as (url, _):
        with override_settings(GEOCODER="nominatim", GEOCODER_URL=url):
            search = find_area("Watford")
    assert search.matches == []
    assert [p.label for p in search.outside_london] == ["Watford"]


def test_page_offers_the_borough_list_when_the_geocoder_cannot_answer(client, hackney_tree):
    response = client.get("/find-your-area/", {"q": "E8 1DY"})  # the gazetteer has no postcodes
    html = response.content.decode()
    assert response.status_code == 200
    assert "We cannot look up postcodes at the moment" in html
    assert 'href="/boroughs/hackney/"' in html
    assert 'href="/boroughs/lambeth/"' in html


def test_page_links_the_borough_and_team_found(client, hackney_tree):
    html = client.get("/find-your-area/", {"q": "Hackney Central"}).content.decode()
    assert "Safer Neighbourhoods team:" in html
    assert 'href="/boroughs/hackney/hackney-central/"' in html


def test_page_says_when_nothing_matches(client, hackney_tree):
    html = client.get("/find-your-area/", {"q": "Atlantis"}).content.decode()
    assert "We could not find “Atlantis”" in html


def test_page_escapes_what_was_typed(client, hackney_tree):
    html = client.get("/find-your-area/", {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_search_finds_borough_pages(client, hackney_tree):
    html = client.get("/search/", {"query": "Hackney"}).content.decode()
    assert 'href="/boroughs/hackney/"' in html


@pytest.mark.parametrize("query", ['"', '"Hackney', "#", "a\x00b", "(", "*", "'", "NEAR(", "-"])
def test_search_syntax_and_control_characters_are_only_words(client, hackney_tree, query):
    response = client.get("/search/", {"query": query})
    assert response.status_code == 200
    if "Hackney" in query:
        assert 'href="/boroughs/hackney/"' in response.content.decode()
