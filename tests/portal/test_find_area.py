import datetime as dt
import socket
from pathlib import Path

import pytest
from django.test import override_settings

from mapping.demo import import_paths, real_data_covers
from mapping.synthetic import REAL, generate, months_ending
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


def closed_port() -> int:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


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
    # Postcodes are answered offline by default; Nominatim answers names when configured.
    hackney, central = hackney_tree
    lat, lon = central.centre
    with local_json_server(nominatim_at(lat, lon, "Mare Street, E8 1DY")) as (url, _):
        with override_settings(GEOCODER="nominatim", GEOCODER_URL=url):
            search = find_area("Narrow Way")
    assert search.matches[0].place.label == "Mare Street, E8 1DY"
    assert (search.matches[0].borough, search.matches[0].neighbourhood) == (hackney, central)


def test_a_place_outside_london_is_reported_as_such(hackney_tree):
    with local_json_server(nominatim_at(51.6565, -0.3903, "Watford")) as (url, _):
        with override_settings(GEOCODER="nominatim", GEOCODER_URL=url):
            search = find_area("Watford")
    assert search.matches == []
    assert [p.label for p in search.outside_london] == ["Watford"]


def test_page_offers_the_borough_list_when_the_geocoder_cannot_answer(client, hackney_tree):
    with override_settings(
        GEOCODER_POSTCODES="postcodes.io",
        GEOCODER_POSTCODES_URL=f"http://127.0.0.1:{closed_port()}",
        GEOCODER_FALLBACK=False,
    ):
        response = client.get("/find-your-area/", {"q": "E8 1DY"})
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


# The offline geocoder: postcodes, streets from imported police.uk snap points, names.

SAMPLES = Path(__file__).resolve().parents[2] / "mapping" / "data" / "policeuk"
ATTRIBUTION = "Contains OS data © Crown copyright and database right 2025."


@pytest.fixture
def demo_map(db, tmp_path):
    """The demo's map data: the real samples, and synthetic months on their snap points."""
    import_paths(sorted(SAMPLES.glob("*.csv")))
    generate(
        out_dir=tmp_path,
        months=months_ending(dt.date(2025, 4, 1), 2),
        scale=0.01,
        exclude=real_data_covers,
        locations=REAL,
    )
    import_paths([tmp_path], synthetic=True)


@pytest.mark.parametrize("typed", ["E8 1DY", "e81dy", " E8  1dy "])
def test_a_postcode_in_any_spacing_finds_its_borough_and_team(hackney_tree, typed):
    hackney, central = hackney_tree
    (match,) = find_area(typed).matches
    assert match.place.label == "E8 1DY, Hackney"
    assert (match.place.latitude, match.place.longitude) == (51.545319, -0.05798)
    assert (match.borough_code, match.borough, match.neighbourhood) == (
        "E09000012",
        hackney,
        central,
    )


def test_mare_street_is_placed_in_hackney_on_the_demo_content(hackney_tree, demo_map):
    hackney, _ = hackney_tree
    matches = find_area("Mare Street").matches
    assert [m.place.label for m in matches] == [
        "Mare Street, Hackney",
        "Mare Street, Tower Hamlets",
    ]
    assert (matches[0].borough_code, matches[0].borough) == ("E09000012", hackney)
    assert matches[1].borough is None  # Tower Hamlets has no published page here


def test_a_street_in_one_borough(hackney_tree, demo_map):
    hackney, _ = hackney_tree
    (match,) = find_area("Amhurst Road").matches
    assert (match.place.label, match.borough) == ("Amhurst Road, Hackney", hackney)


def test_a_street_in_several_boroughs_lists_each(hackney_tree, demo_map):
    labels = [m.place.label for m in find_area("Uxbridge Road").matches]
    assert len(labels) >= 4
    assert all(label.startswith("Uxbridge Road, ") for label in labels)
    assert "Uxbridge Road, Ealing" in labels


def test_a_district_or_sector_is_an_area_without_one_team(client, hackney_tree):
    hackney, _ = hackney_tree
    for typed, label in (
        ("E8", "E8 (postcode district), Hackney"),
        ("e8 1", "E8 1 (postcode sector), Hackney"),
    ):
        (match,) = find_area(typed).matches
        assert (match.place.label, match.borough, match.neighbourhood) == (label, hackney, None)
        assert match.wider_than_a_team
    html = client.get("/find-your-area/", {"q": "E8 1"}).content.decode()
    assert "E8 1 (postcode sector), Hackney" in html
    assert "This area has more than one Safer Neighbourhoods team" in html
    assert 'href="/boroughs/hackney/"' in html


def test_a_ward_and_team_name_finds_its_team(hackney_tree):
    _, central = hackney_tree
    assert find_area("hackney central").matches[0].neighbourhood == central


@pytest.mark.parametrize("typed", ["WD17 1AA", "m1 1ae", "GU1"])
def test_a_postcode_outside_london_says_where_to_go(client, hackney_tree, typed):
    search = find_area(typed)
    assert search.matches == [] and search.is_outside_london
    html = client.get("/find-your-area/", {"q": typed}).content.decode()
    assert "is outside London. This service covers the 32 London boroughs" in html
    assert 'href="https://www.gov.uk/find-local-council"' in html
    assert 'href="tel:101"' in html


def test_a_london_postcode_that_does_not_exist_is_not_found(client, hackney_tree):
    search = find_area("E8 9ZZ")
    assert search.matches == [] and not search.is_outside_london
    html = client.get("/find-your-area/", {"q": "E8 9ZZ"}).content.decode()
    assert "We could not find “E8 9ZZ” in London" in html
    assert "This service covers London only" in html


def test_nonsense_is_not_found_and_the_page_says_what_to_try(client, hackney_tree, demo_map):
    for typed in ("xqzv", "!!!", "12345", "a" * 500, "Mare\x00Street"):
        response = client.get("/find-your-area/", {"q": typed})
        assert response.status_code == 200
        assert "We could not find" in response.content.decode()


def test_results_from_postcode_data_show_its_attribution(client, hackney_tree, demo_map):
    for typed in ("E8 1DY", "E8", "Mare Street"):
        html = client.get("/find-your-area/", {"q": typed}).content.decode()
        assert ATTRIBUTION in html
        assert "Contains Royal Mail data © Royal Mail copyright and database right 2025." in html
    html = client.get("/find-your-area/", {"q": "Hackney"}).content.decode()
    assert ATTRIBUTION not in html  # a borough name used no postcode data


def test_page_places_mare_street_and_e8_1dy_in_hackney(client, hackney_tree, demo_map):
    for typed in ("Mare Street", "E8 1DY", "e81dy"):
        html = client.get("/find-your-area/", {"q": typed}).content.decode()
        assert 'href="/boroughs/hackney/"' in html
        assert "Hackney Council" in html
    html = client.get("/find-your-area/", {"q": "e81dy"}).content.decode()
    assert 'href="/boroughs/hackney/hackney-central/"' in html
