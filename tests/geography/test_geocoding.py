import socket

import pytest
from django.test import override_settings

from geography.geocoding import geocode, looks_like_postcode
from geography.place import GeocoderUnavailable
from tests.fake_services import local_json_server

NOMINATIM_HACKNEY = [
    {
        "place_id": 1,
        "lat": "51.5450",
        "lon": "-0.0553",
        "display_name": "Mare Street, Hackney, London, E8 1DY, United Kingdom",
        "boundingbox": ["51.54", "51.55", "-0.06", "-0.05"],
        "importance": 0.6,
    }
]


@pytest.mark.parametrize(
    "text,expected",
    [("E8 1DY", True), ("e81dy", True), ("SW1A 1AA", True), ("Hackney", False), ("E8", False)],
)
def test_postcode_detection(text, expected):
    assert looks_like_postcode(text) is expected


def test_nominatim_adapter_asks_for_london_only_and_parses_places():
    with local_json_server(lambda path, query: (200, NOMINATIM_HACKNEY)) as (url, log):
        with override_settings(GEOCODER="nominatim", GEOCODER_URL=url, GEOCODER_TIMEOUT=2):
            places = geocode("  Mare   Street ")
    assert [(p.label, p.latitude, p.longitude) for p in places] == [
        ("Mare Street, Hackney, London, E8 1DY, United Kingdom", 51.545, -0.0553)
    ]
    (request,) = log
    assert request["path"] == "/search"
    assert request["query"]["q"] == ["Mare Street"]
    assert request["query"]["countrycodes"] == ["gb"]
    assert request["query"]["bounded"] == ["1"]
    assert "london-asb-portal" in request["headers"]["User-Agent"]


def test_nominatim_errors_become_geocoder_unavailable():
    with local_json_server(lambda path, query: (503, {"error": "busy"})) as (url, _):
        with override_settings(GEOCODER="nominatim", GEOCODER_URL=url, GEOCODER_FALLBACK=False):
            with pytest.raises(GeocoderUnavailable):
                geocode("Hackney")


@pytest.mark.django_db
def test_when_nominatim_fails_the_offline_geocoder_answers():
    with local_json_server(lambda path, query: (503, {"error": "busy"})) as (url, log):
        with override_settings(GEOCODER="nominatim", GEOCODER_URL=url):
            places = geocode("Hackney")
            with pytest.raises(GeocoderUnavailable):  # and offline knows nothing either
                geocode("Atlantis")
    assert places[0].label == "Hackney, London"
    assert len(log) == 2


def test_nominatim_timeout_becomes_geocoder_unavailable():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts the connection but never answers
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    try:
        # Without the timeout this would wait forever on a server that never answers.
        with override_settings(
            GEOCODER="nominatim", GEOCODER_URL=url, GEOCODER_TIMEOUT=0.3, GEOCODER_FALLBACK=False
        ):
            with pytest.raises(GeocoderUnavailable):
                geocode("Hackney")
    finally:
        listener.close()


def test_refused_connection_becomes_geocoder_unavailable():
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    with override_settings(
        GEOCODER="nominatim", GEOCODER_URL=f"http://127.0.0.1:{port}", GEOCODER_FALLBACK=False
    ):
        with pytest.raises(GeocoderUnavailable):
            geocode("Hackney")


@pytest.mark.django_db
def test_gazetteer_finds_boroughs_by_name():
    places = geocode("richmond")
    assert places[0].label == "Richmond upon Thames, London"


@pytest.mark.django_db
def test_gazetteer_prefers_exact_matches():
    labels = [p.label for p in geocode("Hackney")]
    assert labels[0] == "Hackney, London"


def test_postcodes_are_answered_offline_by_default():
    (place,) = geocode("E8 1DY")
    assert (place.label, place.borough_code) == ("E8 1DY, Hackney", "E09000012")


@pytest.mark.django_db
def test_nul_characters_and_overlong_queries_are_harmless():
    assert geocode("Hack\x00ney") == []
    assert geocode("Hackney" + "x" * 500) == []  # cut to MAX_QUERY_LENGTH, then no match


def test_empty_query_returns_nothing():
    assert geocode("   ") == []


def test_unknown_backend_is_unavailable():
    with override_settings(GEOCODER="nonsense"), pytest.raises(GeocoderUnavailable):
        geocode("Hackney")
