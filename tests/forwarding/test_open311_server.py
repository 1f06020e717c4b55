"""The portal as an Open311 GeoReport v2 server, checked against the spec's fields,
formats and errors."""

from __future__ import annotations

import socket
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command

from reporting.forwarding.models import Open311Submission
from reporting.forwarding.services import issue_open311_key, revoke_open311_key
from reporting.messages import CASE_REPORT
from reporting.models import Report
from reporting.outbox.models import State
from standards.categories import CATEGORIES
from tests.local_services import LAMBETH, POINTS

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"
SERVICE_FIELDS = {
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
}
REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}


@pytest.fixture
def api_key():
    return issue_open311_key(name="FixMyStreet")[1]


def _form(key, **overrides):
    lat, lon = POINTS[LAMBETH]
    form = {
        "api_key": key,
        "service_code": "rowdy-inconsiderate",
        "lat": str(lat),
        "long": str(lon),
        "description": "A group shouting and throwing bottles outside the station every night.",
        "attribute[qualifier]": "nuisance",
        "attribute[how_often]": "weekly",
        "attribute[effects][]": ["sleep", "daily_life"],
        "email": "resident@example.org",
        "first_name": "Grace",
        "last_name": "Hopper",
        "phone": "020 7946 0001",
    }
    form.update(overrides)
    return {k: v for k, v in form.items() if v is not None}


def _xml(response):
    assert response["Content-Type"].startswith("text/xml")
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)  # noqa: S314 - our own output


def test_services_list_in_json_and_xml(client):
    response = client.get(f"{BASE}/services.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    services = response.json()
    assert [s["service_code"] for s in services] == [c.code for c in CATEGORIES]
    assert all(set(s) == SERVICE_FIELDS for s in services)
    assert services[0]["metadata"] is True and services[0]["type"] == "realtime"
    root = _xml(client.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    assert len(root.findall("service")) == 13
    assert root.find("service/service_code").text == CATEGORIES[0].code
    assert root.find("service/metadata").text == "true"


def test_service_definition_lists_the_screening_questions(client):
    definition = client.get(f"{BASE}/services/noise.json").json()
    assert definition["service_code"] == "noise"
    codes = [a["code"] for a in definition["attributes"]]
    assert codes[0] == "qualifier" and "unsafe_at_home" in codes and "effects" in codes
    effects = next(a for a in definition["attributes"] if a["code"] == "effects")
    assert effects["datatype"] == "multivaluelist"
    assert {"key": "health", "name": "Your health"} in effects["values"]
    for attribute in definition["attributes"]:
        assert set(attribute) == {
            "variable",
            "code",
            "datatype",
            "required",
            "datatype_description",
            "order",
            "description",
            "values",
        }
    root = _xml(client.get(f"{BASE}/services/noise.xml"))
    assert root.tag == "service_definition"
    assert root.find("attributes/attribute/code").text == "qualifier"
    assert root.find("attributes/attribute/values/value/key").text == "personal"


def test_unknown_service_is_a_spec_error(client):
    response = client.get(f"{BASE}/services/graffiti.json")
    assert response.status_code == 404
    assert response.json() == [{"code": 404, "description": "service_code provided was not found"}]
    root = _xml(client.get(f"{BASE}/services/graffiti.xml"))
    assert root.tag == "errors"
    assert root.find("error/code").text == "404"
    assert root.find("error/description").text == "service_code provided was not found"


def test_post_request_files_a_report_through_the_same_flow(
    client, api_key, open311_config, case_system, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{BASE}/requests.json", _form(api_key))
    assert response.status_code == 200, response.content
    body = response.json()
    assert len(body) == 1 and set(body[0]) == {"service_request_id", "service_notice", "account_id"}
    report = Report.objects.get(reference=body[0]["service_request_id"])
    assert report.borough_code == LAMBETH
    assert report.category == "rowdy-inconsiderate" and report.qualifier == "nuisance"
    assert report.screening_answers == {"how_often": "weekly", "effects": ["sleep", "daily_life"]}
    assert report.contact.email == "resident@example.org"
    assert report.contact.name == "Grace Hopper"
    assert Open311Submission.objects.get(report=report).api_key.name == "FixMyStreet"
    # and it went on to the borough's case system, once
    message = report.outbox_messages.get(kind=CASE_REPORT)
    assert message.state == State.DELIVERED
    assert message.config == open311_config
    assert len(case_system.cases(reference=report.reference)) == 1
    assert message.external_id == case_system.cases(reference=report.reference)[0]["case_id"]


def test_post_request_in_xml_and_high_risk_notice(client, api_key):
    form = _form(
        api_key,
        **{
            "attribute[unsafe_at_home]": "yes",
            "attribute[vulnerable_people]": "yes",
        },
    )
    root = _xml(client.post(f"{BASE}/requests.xml", form))
    assert root.tag == "service_requests"
    reference = root.find("request/service_request_id").text
    assert Report.objects.get(reference=reference).risk_level == "high"
    assert "Urgent" in root.find("request/service_notice").text


def test_anonymous_request_without_contact_fields(client, api_key):
    response = client.post(
        f"{BASE}/requests.json",
        _form(api_key, email=None, phone=None, first_name=None, last_name=None),
    )
    report = Report.objects.get(reference=response.json()[0]["service_request_id"])
    assert report.anonymous


def test_address_string_is_geocoded(client, api_key):
    response = client.post(
        f"{BASE}/requests.json", _form(api_key, lat=None, long=None, address_string="Lambeth")
    )
    assert response.status_code == 200
    report = Report.objects.get(reference=response.json()[0]["service_request_id"])
    assert report.borough_code == LAMBETH
    assert report.location_description == "Lambeth"
    assert report.location_source == "search"


def test_address_string_that_cannot_be_placed(client, api_key):
    response = client.post(
        f"{BASE}/requests.json",
        _form(api_key, lat=None, long=None, address_string="Nowhereville Xyz"),
    )
    assert response.status_code == 400
    assert response.json() == [
        {"code": 400, "description": "address_string was not found; send lat and long"}
    ]


def test_a_postcode_address_string_is_placed_offline(client, api_key):
    response = client.post(
        f"{BASE}/requests.json", _form(api_key, lat=None, long=None, address_string="SW2 1RW")
    )
    assert response.status_code == 200
    report = Report.objects.get(reference=response.json()[0]["service_request_id"])
    assert report.borough_code == LAMBETH
    assert report.location_source == "search"


def test_address_string_when_the_online_geocoder_is_down(client, api_key, settings):
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there: the connection is refused
    settings.GEOCODER_POSTCODES = "postcodes.io"
    settings.GEOCODER_POSTCODES_URL = f"http://127.0.0.1:{port}"
    settings.GEOCODER_FALLBACK = False
    response = client.post(
        f"{BASE}/requests.json", _form(api_key, lat=None, long=None, address_string="SW2 1RW")
    )
    assert response.status_code == 503
    assert response.json() == [
        {"code": 503, "description": "The address could not be looked up; send lat and long"}
    ]


@pytest.mark.parametrize(
    ("overrides", "status", "description"),
    [
        ({"api_key": "wrong"}, 403, "api_key is missing or not valid"),
        ({"api_key": None}, 403, "api_key is missing or not valid"),
        ({"service_code": None}, 400, "service_code was not provided"),
        ({"service_code": "potholes"}, 404, "service_code provided was not found"),
        ({"jurisdiction_id": "somewhere.else"}, 404, "jurisdiction_id provided was not found"),
        ({"description": ""}, 400, "description was not provided"),
        (
            {"lat": None, "long": None},
            400,
            "A location is required: lat and long, or address_string",
        ),
        ({"lat": "51.4545", "long": "-0.9"}, 400, "The location is outside London"),
        ({"lat": "north"}, 400, "lat must be a decimal number"),
        (
            {"attribute[qualifier]": "other"},
            400,
            "attribute[qualifier] is required: personal, nuisance, environmental",
        ),
        (
            {"attribute[how_often]": "hourly"},
            400,
            "attribute[how_often] has an unknown value: hourly",
        ),
        ({"email": "not-an-email"}, 400, "email is not a valid email address"),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_errors_follow_the_spec(client, api_key, overrides, status, description, fmt):
    response = client.post(f"{BASE}/requests.{fmt}", _form(api_key, **overrides))
    assert response.status_code == status
    if fmt == "json":
        assert response.json() == [{"code": status, "description": description}]
    else:
        root = _xml(response)
        assert [(e.find("code").text, e.find("description").text) for e in root] == [
            (str(status), description)
        ]
    assert not Report.objects.exists()


def test_revoked_key_no_longer_works(client):
    row, key = issue_open311_key(name="Old client")
    revoke_open311_key(api_key=row)
    assert client.post(f"{BASE}/requests.json", _form(key)).status_code == 403


def test_get_requests_shows_public_fields_only_with_a_coarse_location(client, api_key):
    reference = client.post(f"{BASE}/requests.json", _form(api_key)).json()[0]["service_request_id"]
    personal = client.post(
        f"{BASE}/requests.json", _form(api_key, **{"attribute[qualifier]": "personal"})
    ).json()[0]["service_request_id"]
    rows = client.get(f"{BASE}/requests.json").json()
    assert {row["service_request_id"] for row in rows} == {reference, personal}
    row = next(r for r in rows if r["service_request_id"] == reference)
    assert set(row) == REQUEST_FIELDS
    assert row["status"] == "open" and row["status_notes"] == "Received"
    assert row["agency_responsible"] == "Lambeth"
    assert row["description"] == ""  # the resident's words are not published
    text = str(rows)
    for private in ("Grace", "Hopper", "resident@example.org", "7946", "bottles"):
        assert private not in text
    lat, lon = POINTS[LAMBETH]
    assert row["lat"] != lat and abs(row["lat"] - lat) <= 0.001 + 1e-9
    assert abs(row["long"] - lon) <= 0.001 + 1e-9
    assert round(row["lat"] / 0.002, 6) == round(row["lat"] / 0.002)
    hidden = next(r for r in rows if r["service_request_id"] == personal)
    assert hidden["lat"] == "" and hidden["long"] == ""  # personal ASB: no location at all
    assert row["requested_datetime"].endswith(("+00:00", "+01:00"))


def test_get_requests_filters(client, api_key):
    first = client.post(f"{BASE}/requests.json", _form(api_key)).json()[0]["service_request_id"]
    client.post(f"{BASE}/requests.json", _form(api_key, service_code="noise"))
    by_id = client.get(
        f"{BASE}/requests.json", {"service_request_id": f"{first},ASB-0000-0000"}
    ).json()
    assert [r["service_request_id"] for r in by_id] == [first]
    noise = client.get(f"{BASE}/requests.json", {"service_code": "noise"}).json()
    assert [r["service_code"] for r in noise] == ["noise"]
    assert client.get(f"{BASE}/requests.json", {"status": "closed"}).json() == []
    assert len(client.get(f"{BASE}/requests.json", {"status": "open"}).json()) == 2
    future = client.get(f"{BASE}/requests.json", {"start_date": "2100-01-01T00:00:00Z"}).json()
    assert future == []
    bad = client.get(f"{BASE}/requests.json", {"start_date": "last tuesday"})
    assert bad.status_code == 400 and bad.json()[0]["code"] == 400
    assert client.get(f"{BASE}/requests.json", {"status": "pending"}).status_code == 400


def test_get_one_request_and_unknown_id(client, api_key):
    reference = client.post(f"{BASE}/requests.json", _form(api_key)).json()[0]["service_request_id"]
    rows = client.get(f"{BASE}/requests/{reference}.json").json()
    assert len(rows) == 1 and rows[0]["service_request_id"] == reference
    root = _xml(client.get(f"{BASE}/requests/{reference}.xml"))
    assert root.tag == "service_requests"
    assert root.find("request/service_request_id").text == reference
    assert root.find("request/status").text == "open"
    missing = client.get(f"{BASE}/requests/ASB-0000-0000.json")
    assert missing.status_code == 404
    assert missing.json() == [
        {"code": 404, "description": "service_request_id provided was not found"}
    ]


def test_wrong_methods_get_405_in_the_spec_format(db):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)  # as another service calls: no CSRF token
    for method, path, allowed in [
        ("post", "/services.json", "GET"),
        ("put", "/services.json", "GET"),
        ("delete", "/services/noise.json", "GET"),
        ("put", "/requests.json", "GET, POST"),
        ("patch", "/requests/ASB-0000-0000.json", "GET"),
    ]:
        response = getattr(client, method)(f"{BASE}{path}")
        assert response.status_code == 405, (method, path)
        assert response["Allow"] == allowed
        assert response.json()[0]["code"] == 405


def test_open311_key_command_prints_a_working_key(client, capsys):
    call_command("open311_key", "Neighbourhood app")
    key = capsys.readouterr().out.strip()
    assert len(key) >= 40
    assert client.post(f"{BASE}/requests.json", _form(key)).status_code == 200


def test_a_stranger_with_the_reference_and_email_cannot_open_or_change_it(
    client, api_key, mailoutbox
):
    """The reference is public (Open311 lists it); with the victim's email too, a stranger
    still gets nothing private from Open311 or the web, and cannot add to the report."""
    from django.test import Client

    reference = client.post(f"{BASE}/requests.json", _form(api_key)).json()[0]["service_request_id"]
    report = Report.objects.get(reference=reference)
    stranger = Client()
    listing = stranger.get(f"{BASE}/requests.json").content.decode()
    detail = stranger.get(f"{BASE}/requests/{reference}.json").content.decode()
    xml = stranger.get(f"{BASE}/requests/{reference}.xml").content.decode()
    for text in (listing, detail, xml):
        assert reference in text
        for private in ("/report/track/", report.token_hash, "resident@example.org", "bottles"):
            assert private not in text
    found = stranger.post(
        "/report/find/", {"reference": reference, "email": "resident@example.org"}, follow=True
    )
    body = found.content.decode()
    assert found.status_code == 200 and "Check your email" in body
    assert "/report/track/" not in body and "bottles" not in body
    assert "Add more information" not in body
    events = report.events.count()
    # Open311 has no way to write to an existing report: POST is always a new one.
    assert (
        stranger.post(f"{BASE}/requests/{reference}.json", {"description": "x"}).status_code == 405
    )
    assert report.events.count() == events


def test_each_api_key_is_rate_limited(client, api_key, settings):
    settings.OPEN311_REQUESTS_PER_KEY_PER_HOUR = 2
    for _ in range(2):
        assert client.post(f"{BASE}/requests.json", _form(api_key)).status_code == 200
    response = client.post(f"{BASE}/requests.json", _form(api_key))
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "try again later" in response.json()[0]["description"]
    other = issue_open311_key(name="Another client")[1]
    assert client.post(f"{BASE}/requests.json", _form(other)).status_code != 429
    assert Report.objects.count() == 3
