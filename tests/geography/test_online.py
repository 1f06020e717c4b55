"""postcodes.io through its adapter, against a local server answering as postcodes.io does
(https://postcodes.io/docs: /postcodes/{postcode}, /outcodes/{outcode}); no network."""

import socket

import pytest
from django.test import override_settings

from geography import attribution
from geography.geocoding import geocode, outside_london
from geography.place import DISTRICT, POSTCODE, GeocoderUnavailable
from tests.fake_services import local_json_server

HACKNEY = "E09000012"
E8_1DY = {
    "status": 200,
    "result": {
        "postcode": "E8 1DY",
        "quality": 1,
        "longitude": -0.05798,
        "latitude": 51.545319,
        "country": "England",
        "region": "London",
        "outcode": "E8",
        "incode": "1DY",
        "admin_district": "Hackney",
        "admin_ward": "Hackney Central",
        "codes": {"admin_district": HACKNEY, "admin_ward": "E05009372"},
    },
}
WATFORD = {
    "status": 200,
    "result": {
        "postcode": "WD17 1AA",
        "longitude": -0.3967,
        "latitude": 51.6578,
        "admin_district": "Watford",
        "codes": {"admin_district": "E07000103", "admin_ward": "E05013220"},
    },
}
E8_OUTCODE = {
    "status": 200,
    "result": {
        "outcode": "E8",
        "longitude": -0.0661,
        "latitude": 51.5438,
        "admin_district": ["Hackney", "Islington", "Tower Hamlets"],
        "admin_ward": ["Hackney Central", "Haggerston"],
        "country": ["England"],
    },
}
NOT_FOUND = {"status": 404, "error": "Postcode not found"}


def postcodes_io(path, query):
    answers = {
        "/postcodes/E81DY": E8_1DY,
        "/postcodes/WD171AA": WATFORD,
        "/outcodes/E8": E8_OUTCODE,
    }
    return (200, answers[path]) if path in answers else (404, NOT_FOUND)


def online(url, **more):
    return override_settings(GEOCODER_POSTCODES="postcodes.io", GEOCODER_POSTCODES_URL=url, **more)


def closed_port() -> int:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


def test_a_postcode_from_postcodes_io():
    with local_json_server(postcodes_io) as (url, log), online(url, GEOCODER_TIMEOUT=2):
        (place,) = geocode(" e8  1dy ")
    assert (place.kind, place.label, place.borough_code) == (POSTCODE, "E8 1DY, Hackney", HACKNEY)
    assert (place.latitude, place.longitude, place.ward_code) == (51.545319, -0.05798, "E05009372")
    assert place.attribution == attribution.POSTCODES
    (request,) = log
    assert request["path"] == "/postcodes/E81DY"
    assert "london-asb-portal" in request["headers"]["User-Agent"]


def test_a_district_from_postcodes_io_is_in_the_borough_at_its_centre():
    with local_json_server(postcodes_io) as (url, _), online(url):
        (place,) = geocode("E8")
    assert (place.kind, place.label, place.borough_code) == (
        DISTRICT,
        "E8 (postcode district), Hackney",
        HACKNEY,
    )


def test_a_sector_is_answered_offline_since_postcodes_io_has_no_lookup_for_it():
    with local_json_server(postcodes_io) as (url, log), online(url):
        (place,) = geocode("E8 1")
    assert place.label == "E8 1 (postcode sector), Hackney"
    assert log == []


@pytest.mark.django_db
def test_postcodes_outside_london_or_unknown_are_not_found():
    with local_json_server(postcodes_io) as (url, _), online(url):
        assert geocode("WD17 1AA") == []
        assert geocode("E8 9ZZ") == []  # 404
    assert outside_london("WD17 1AA") and not outside_london("E8 9ZZ")


@pytest.mark.parametrize(
    "answer", [(500, {"status": 500}), (200, {"status": 200}), (200, ["not", "an", "object"])]
)
def test_bad_answers_fall_back_to_the_offline_file(answer):
    with local_json_server(lambda path, query: answer) as (url, _), online(url):
        (place,) = geocode("E8 1DY")
    assert place.borough_code == HACKNEY


def test_without_fallback_a_failure_is_unavailable():
    with online(f"http://127.0.0.1:{closed_port()}", GEOCODER_FALLBACK=False):
        with pytest.raises(GeocoderUnavailable):
            geocode("E8 1DY")


def test_a_server_that_never_answers_times_out():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    try:
        with online(url, GEOCODER_TIMEOUT=0.3, GEOCODER_FALLBACK=False):
            with pytest.raises(GeocoderUnavailable):
                geocode("E8 1DY")
        with online(url, GEOCODER_TIMEOUT=0.3):
            (place,) = geocode("E8 1DY")  # the offline file stands in
        assert place.borough_code == HACKNEY
    finally:
        listener.close()
