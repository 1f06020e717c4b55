"""The "where" step: a point outside London is refused and forgotten (the step can always be
passed another way), a pin is described in words (never raw coordinates) there, on check
your answers, the confirmation and the private tracking page, and the small endpoint the
map's script asks for those words."""

import re

import pytest
from django.test import Client

from geography import attribution
from geography.reverse import describe_point
from mapping.factories import SnapPointFactory
from reporting.error_messages import OUTSIDE_LONDON_MESSAGE
from reporting.models import Report
from tests.reporting.conftest import FLOW_ANSWERS, MARE_STREET, fill_flow

pytestmark = pytest.mark.django_db

OUTSIDE = ("51.6565", "-0.3903")  # Watford
HACKNEY = "E09000012"
DESCRIBE = "/report/where/describe/"
# The only "Mare Street" snap point in the shipped February 2025 Met file
# (mapping/data/policeuk/2025-02-metropolitan-street.csv, its LSOA in Tower Hamlets).
SNAP = (51.534337, -0.057322)
AT_MARE_STREET = {
    "where": {
        **FLOW_ANSWERS["where"],
        "latitude": str(SNAP[0]),
        "longitude": str(SNAP[1]),
    }
}


def where(client, **data):
    return client.post("/report/step/where/", {"action": "continue", **data})


def input_value(body: str, name: str) -> str:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', body).group(0)
    return re.search(r'value="([^"]*)"', tag).group(1)


@pytest.fixture
def mare_street(db):
    """The snap point as the importer stores it from the shipped file."""
    return SnapPointFactory(
        latitude=SNAP[0],
        longitude=SNAP[1],
        location="On or near Mare Street",
        lsoa_code="E01035660",
        lsoa_name="Tower Hamlets 002E",
        borough_code="E09000030",
    )


def mare_street_words() -> str:
    words = describe_point(*SNAP)
    assert words and words.startswith("near Mare Street, ")
    return words


def capitalised(words: str) -> str:
    return f"{words[0].upper()}{words[1:]}"


def tracking_link(body: str) -> str:
    start = body.index("/report/track/")
    return body[start : body.index("/", start + len("/report/track/")) + 1]


@pytest.fixture
def at_where(client):
    fill_flow(client, until="where")
    return client


class TestOutsideLondon:
    def test_refused_with_the_plain_message_and_forgotten(self, at_where):
        response = where(
            at_where,
            latitude=OUTSIDE[0],
            longitude=OUTSIDE[1],
            location_source="map",
            location_description="By the station",
        )
        body = response.content.decode()
        assert response.status_code == 200
        assert f'<a href="#id_query">{OUTSIDE_LONDON_MESSAGE}</a>' in body
        assert input_value(body, "latitude") == ""
        assert input_value(body, "longitude") == ""
        assert input_value(body, "location_source") == ""
        assert "Selected place" not in body
        assert "By the station" in body  # what else was typed stays
        assert "33 London boroughs" in OUTSIDE_LONDON_MESSAGE and "101" in OUTSIDE_LONDON_MESSAGE
        assert "where" not in at_where.session["reporting_flow"]["answers"]

    def test_the_step_can_then_be_passed_with_words(self, at_where):
        where(at_where, latitude=OUTSIDE[0], longitude=OUTSIDE[1], location_source="map")
        response = where(at_where, location_description="Behind the library", borough=HACKNEY)
        assert response["Location"] == "/report/step/when/"
        stored = at_where.session["reporting_flow"]["answers"]["where"]
        assert stored["latitude"] == "" and stored["location_source"] == "description"

    def test_or_with_a_pin_inside_london(self, at_where):
        where(at_where, latitude=OUTSIDE[0], longitude=OUTSIDE[1], location_source="map")
        response = where(
            at_where,
            latitude=str(MARE_STREET[0]),
            longitude=str(MARE_STREET[1]),
            location_source="map",
        )
        assert response.status_code == 302
        stored = at_where.session["reporting_flow"]["answers"]["where"]
        assert (float(stored["latitude"]), float(stored["longitude"])) == MARE_STREET

    def test_or_with_a_search_result(self, at_where):
        at_where.post("/report/step/where/", {"action": "search", "query": "Hackney"})
        response = where(at_where, place="0", latitude=OUTSIDE[0], longitude=OUTSIDE[1])
        assert response.status_code == 302  # the chosen place wins over a stray pin
        assert at_where.session["reporting_flow"]["answers"]["where"]["location_source"] == "search"

    def test_a_place_not_in_the_list(self, at_where):
        at_where.post("/report/step/where/", {"action": "search", "query": "Hackney"})
        body = where(at_where, place="99").content.decode()
        assert '<a href="#id_place">Select one of the places we found, or search again</a>' in body


class TestPlaceInWords:
    def test_a_pin_shown_again_is_described_by_its_street(self, at_where, mare_street):
        body = where(
            at_where,
            latitude=str(SNAP[0]),
            longitude=str(SNAP[1]),
            location_source="map",
            query="x" * 201,  # some other error, so the page is shown again
        ).content.decode()
        status = re.search(r'id="where-map-status"[^>]*>(.*?)</p>', body, re.S).group(1)
        assert status == f"Selected place: {mare_street_words()}."
        assert input_value(body, "latitude") == str(SNAP[0])  # kept for the map, not shown

    def test_an_answer_changed_later_is_described(self, client, mare_street):
        fill_flow(client, AT_MARE_STREET)
        body = client.get("/report/step/where/?change=1").content.decode()
        assert f"Selected place: {mare_street_words()}." in body

    def test_check_your_answers(self, client, mare_street):
        fill_flow(client, AT_MARE_STREET)
        body = client.get("/report/check/").content.decode()
        assert f"{capitalised(mare_street_words())}<br>(Pin on the map)" in body
        assert "51.534" not in body and "-0.0573" not in body
        assert attribution.POSTCODES not in body  # a street needs no postcode credit

    def test_a_place_named_by_its_postcode_credits_the_data(self, client):
        fill_flow(client)  # no snap point near: the nearest postcode names it
        words = describe_point(*MARE_STREET)
        assert re.fullmatch(r"near [A-Z0-9]+ [0-9][A-Z]{2}, Hackney", words)
        body = client.get("/report/check/").content.decode()
        assert capitalised(words) in body and attribution.POSTCODES in body
        assert "51.545" not in body
        body = client.get("/report/step/where/?change=1").content.decode()
        assert f"Selected place: {words}." in body and attribution.POSTCODES in body

    def test_confirmation_and_tracking(self, client, mare_street):
        fill_flow(client, AT_MARE_STREET)
        client.post("/report/check/", {"website": ""})
        body = client.get("/report/sent/").content.decode()
        shown = capitalised(mare_street_words())
        assert f'id="report-place">{shown}</dd>' in body
        assert "51.534" not in body
        tracking = Client().get(tracking_link(body))
        assert tracking["Cache-Control"].startswith("private, no-store")
        page = tracking.content.decode()
        assert f'id="report-place">{shown}</dd>' in page
        assert "51.534" not in page
        assert Report.objects.get().latitude == SNAP[0]

    def test_the_borough_alone_is_not_said_twice(self, client):
        park = ("51.4426", "-0.275")  # the middle of Richmond Park: no street or postcode near
        fill_flow(
            client, {"where": {**FLOW_ANSWERS["where"], "latitude": park[0], "longitude": park[1]}}
        )
        assert describe_point(float(park[0]), float(park[1])) == "Richmond upon Thames"
        client.post("/report/check/", {"website": ""})
        body = client.get("/report/sent/").content.decode()
        assert 'id="report-place"' not in body
        assert "Richmond upon Thames" in body and park[0] not in body


class TestWithoutJavaScript:
    """The plain page: a street, a postcode or words, each through the same geocoder as
    "find your area" (geography.search over geography.geocoding)."""

    def test_a_street(self, at_where, mare_street):
        body = at_where.post(
            "/report/step/where/", {"action": "search", "query": "mare street"}
        ).content.decode()
        assert re.search(r"<label[^>]*>Mare Street, [A-Z][a-z]", body)
        response = where(at_where, place="0")
        assert response["Location"] == "/report/step/when/"
        stored = at_where.session["reporting_flow"]["answers"]["where"]
        assert stored["location_source"] == "search"
        assert describe_point(float(stored["latitude"]), float(stored["longitude"])).startswith(
            "near Mare Street, "
        )

    @pytest.mark.parametrize("query", ["E8 1DY", "e81dy", "Mare Street"])
    def test_the_same_answer_as_find_your_area(self, client, mare_street, query):
        from portal.area_finder import find_area

        area = find_area(query)
        assert area.matches
        fill_flow(client, until="where")
        body = client.post(
            "/report/step/where/", {"action": "search", "query": query}
        ).content.decode()
        first = re.search(
            r'name="place" type="radio" value="0" data-latitude="([^"]+)" '
            r'data-longitude="([^"]+)"',
            body,
        )
        assert first, body
        assert (float(first.group(1)), float(first.group(2))) == pytest.approx(
            (area.matches[0].place.latitude, area.matches[0].place.longitude), abs=1e-6
        )

    def test_words_and_a_borough(self, at_where):
        response = where(at_where, location_description="Outside the library", borough=HACKNEY)
        assert response["Location"] == "/report/step/when/"


class TestTimes:
    def test_times_read_the_gov_uk_way(self, client, hackney):
        fill_flow(
            client,
            {"when": {"when": "date", **_today(), "time_of_day": "17:30"}},
        )
        body = client.get("/report/check/").content.decode()
        assert " at 5:30pm" in body
        client.post("/report/check/", {"website": ""})
        page = Client().get(tracking_link(client.get("/report/sent/").content.decode()))
        text = page.content.decode()
        assert re.search(r"\d{1,2}(:\d{2})?(am|pm)|midday|midnight", text)
        for wrong in ("a.m.", "p.m.", "AM", "PM"):
            assert wrong not in text and wrong not in body


def _today() -> dict:
    from django.utils import timezone

    today = timezone.localdate()
    return {"day": str(today.day), "month": str(today.month), "year": str(today.year)}


class TestDescribeEndpoint:
    def test_a_point_in_london(self, client, mare_street):
        response = client.post(DESCRIBE, {"lat": SNAP[0], "lon": SNAP[1]})
        assert response.status_code == 200
        assert response.json() == {
            "inside": True,
            "label": mare_street_words(),
            "attribution": "",
            "message": "",
        }
        assert response["Cache-Control"].startswith("private, no-store")

    def test_a_point_named_by_its_postcode(self, client):
        answer = client.post(DESCRIBE, {"lat": MARE_STREET[0], "lon": MARE_STREET[1]}).json()
        assert answer["inside"] and answer["label"] == describe_point(*MARE_STREET)
        assert answer["attribution"] == attribution.POSTCODES

    def test_a_point_outside_london(self, client):
        response = client.post(DESCRIBE, {"lat": OUTSIDE[0], "lon": OUTSIDE[1]})
        assert response.json() == {
            "inside": False,
            "label": None,
            "attribution": "",
            "message": OUTSIDE_LONDON_MESSAGE,
        }

    @pytest.mark.parametrize(
        "data",
        [
            {},
            {"lat": "51.5"},
            {"lat": "north", "lon": "-0.1"},
            {"lat": "nan", "lon": "-0.1"},
            {"lat": "51.5", "lon": "inf"},
            {"lat": "91", "lon": "0"},
            {"lat": "51.5", "lon": "1e999"},
            {"lat": "51.5\x00", "lon": "-0.1"},
        ],
    )
    def test_only_numbers_are_accepted(self, client, data):
        response = client.post(DESCRIBE, data)
        assert response.status_code == 400
        assert "error" in response.json()

    def test_a_post_with_the_page_token_only(self):
        client = Client(enforce_csrf_checks=True)
        assert client.post(DESCRIBE, {"lat": "51.5", "lon": "-0.1"}).status_code == 403
        assert client.get(DESCRIBE, {"lat": "51.5", "lon": "-0.1"}).status_code == 405
