"""Each 5xx (and each unreadable answer) the fuzz found, pinned down as a plain request, on
SQLite and PostgreSQL alike (test_fuzz.py finds them again from its seed)."""

from __future__ import annotations

import json
import random
import xml.etree.ElementTree as ET  # noqa: S405 - parses only the portal's own output

import pytest
from django.urls import reverse

from reporting.forwarding.open311 import formats
from reporting.forwarding.services import issue_open311_key
from reporting.models import Report, ReportContact
from reporting.outbox.adapters import signing
from tests.fuzz import inputs
from tests.local_services import HACKNEY, INBOUND_SECRET, LAMBETH, POINTS, submit
from tests.reporting.conftest import fill_flow

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"
BAD_DATETIMES = [
    "2024-02-30T00:00:00Z",  # well-formed, but no such day
    "2024-01-01T25:61:61Z",
    "2024-01-01T00:00:00+99:00",
    "0001-01-01T00:00:00+05:00",  # before datetime.min in UTC
    "9999-12-31T23:59:59-05:00",  # after datetime.max in UTC
    "0001-01-01T00:00:00Z",  # 90 days before it does not exist
]


def _xml(response):
    return ET.fromstring(response.content)  # noqa: S314 - our own output


# --- email addresses longer than the column (PostgreSQL: DataError) ------------------------


def test_an_email_longer_than_the_column_is_a_form_error(client, hackney_central):
    assert ReportContact._meta.get_field("email").max_length == 254
    fill_flow(client, until="contact")
    rng = random.Random(inputs.SEED)
    for length in (255, 300, 320):
        email = inputs.long_email(rng, length)
        assert len(email) == length
        response = client.post(
            "/report/step/contact/",
            {"contact_me": "yes", "email": email, "safe_to_contact": "yes"},
        )
        assert response.status_code == 200
        assert "Enter an email address of 254 characters or fewer" in response.content.decode()


def test_an_email_as_long_as_the_column_is_stored(client, hackney_central):
    email = inputs.long_email(random.Random(1), 254)
    contact = {"contact_me": "yes", "email": email, "safe_to_contact": "yes", "phone": ""}
    fill_flow(client, {"contact": contact})
    assert client.post("/report/check/", {"website": ""})["Location"] == "/report/sent/"
    assert Report.objects.get().contact.email == email


def test_find_my_report_refuses_an_email_longer_than_the_column(client, db):
    report = submit(LAMBETH)
    email = inputs.long_email(random.Random(2), 300)
    response = client.post("/report/find/", {"reference": report.reference, "email": email})
    assert response.status_code == 200
    assert "Enter an email address of 254 characters or fewer" in response.content.decode()


# --- Open311: NUL characters, long emails, impossible dates, control characters in XML ------


@pytest.fixture
def open311_form():
    lat, lon = POINTS[LAMBETH]
    return {
        "api_key": issue_open311_key(name="Found")[1],
        "service_code": "noise",
        "lat": str(lat),
        "long": str(lon),
        "description": "Music from the flat above every night until 4am.",
        "attribute[qualifier]": "nuisance",
        "email": "resident@example.org",
    }


@pytest.mark.parametrize(
    "field", ["description", "phone", "first_name", "last_name", "address_string", "email"]
)
def test_open311_post_refuses_nul_characters(client, open311_form, field):
    form = {**open311_form, field: "Brixton\x00Road"}
    response = client.post(f"{BASE}/requests.json", form)
    assert response.status_code == 400
    assert response.json() == [
        {"code": 400, "description": f"{field} must not contain NUL characters"}
    ]
    assert not Report.objects.exists()


def test_open311_post_refuses_an_email_longer_than_the_column(client, open311_form):
    form = {**open311_form, "email": inputs.long_email(random.Random(3), 290)}
    response = client.post(f"{BASE}/requests.json", form)
    assert response.status_code == 400
    assert response.json()[0]["description"] == "email must be 254 characters or fewer"


@pytest.mark.parametrize("name", ["service_code", "service_request_id", "status"])
def test_open311_get_refuses_nul_characters(client, db, name):
    response = client.get(f"{BASE}/requests.json", {name: "noise\x00"})
    assert response.status_code == 400
    assert response.json()[0]["description"] == f"{name} must not contain NUL characters"


@pytest.mark.parametrize("value", [*BAD_DATETIMES, "2024-02-30"])
@pytest.mark.parametrize("name", ["start_date", "end_date"])
def test_open311_impossible_dates_are_a_400(client, db, name, value):
    response = client.get(f"{BASE}/requests.json", {name: value})
    assert response.status_code == 400
    assert response.json()[0]["description"].startswith(f"{name} must be a W3C date-time")


def test_open311_xml_is_well_formed_whatever_the_fields_hold(client, open311_form):
    """A description with \\x01\\x0b\\x1f (the portal keeps it; XML 1.0 cannot hold it)."""
    form = {**open311_form, "description": "Shouting \x01\x0b\x1f every night at the bus stop."}
    filed = client.post(f"{BASE}/requests.xml", form)
    assert filed.status_code == 200, filed.content
    reference = _xml(filed).find("request/service_request_id").text
    assert Report.objects.get(reference=reference).description.startswith("Shouting \x01")
    for path in (f"{BASE}/requests.xml", f"{BASE}/requests/{reference}.xml"):
        assert _xml(client.get(path)).find("request/service_request_id").text == reference
    # An error that repeats what was sent, control characters and all.
    bad = {**open311_form, "attribute[how_often]": "\x01\x0b\x1f\ufffe"}
    error = _xml(client.post(f"{BASE}/requests.xml", bad))
    assert error.find("error/description").text.endswith("\ufffd" * 4)


def test_every_xml_text_is_made_safe():
    rows = [{"description": "a\x01\x0b\x1f\x7fb\ud800c", "nested": {"x": "\x00"}, "n": 1}]
    root = ET.fromstring(formats.to_xml("rows", "row", rows))  # noqa: S314
    assert root.find("row/description").text == "a\ufffd\ufffd\ufffd\x7fb\ufffdc"
    assert root.find("row/nested/x").text == "\ufffd"


# --- the signed case-update endpoint ------------------------------------------------------


def _post_update(client, data, *, raw: bytes | None = None):
    body = raw if raw is not None else json.dumps(data).encode()
    return client.post(
        reverse("forwarding:case_update", args=[HACKNEY]),
        data=body,
        content_type="application/json",
        headers=signing.signed_headers(INBOUND_SECRET, body),
    )


@pytest.fixture
def update(webhook_config):
    report = submit(HACKNEY)
    return {
        "update_id": "U1",
        "reference": report.reference,
        "status": "in_progress",
        "description": "An officer is looking into it.",
        "updated_datetime": "2026-01-02T03:04:05+00:00",
    }


@pytest.mark.parametrize("value", BAD_DATETIMES)
def test_case_update_with_an_impossible_date_is_a_400(client, update, value):
    response = _post_update(client, {**update, "updated_datetime": value})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_datetime"


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_case_update_nested_too_deeply_is_a_400(client, update, depth):
    response = _post_update(client, None, raw=inputs.deep_json(depth, kind="object"))
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_json", "detail": "The body is nested too deeply."}
    deep: object = "x"
    for _ in range(500):
        deep = [deep]
    response = _post_update(client, {**update, "description": deep})
    assert response.status_code == 400
    assert response.json()["detail"] == "description must be a string."


@pytest.mark.parametrize(
    ("field", "value", "detail"),
    [
        ("description", "Seen\x00today", "description must not contain NUL characters."),
        ("update_id", "U\x00", "update_id must not contain NUL characters."),
        ("reference", "ASB-\x00", "reference must not contain NUL characters."),
        ("status", "\ud800", "status must be valid Unicode text."),
        ("description", "a\udfffb", "description must be valid Unicode text."),
        ("update_id", {"id": 1}, "update_id must be a string or a whole number."),
        ("status", ["closed"], "status must be a string."),
        ("reference", True, "reference must be a string."),
        ("update_id", 1.5, "update_id must be a string or a whole number."),
    ],
)
def test_case_update_fields_of_the_wrong_kind_are_a_400(client, update, field, value, detail):
    response = _post_update(client, {**update, field: value})
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_field", "detail": detail}


def test_case_update_with_a_numbered_update_and_huge_text_is_applied(client, update):
    response = _post_update(client, {**update, "update_id": 17, "description": "x" * 10_000})
    assert response.status_code == 200, response.content
    report = Report.objects.get(reference=update["reference"])
    assert report.events.get(external_id=f"case:{HACKNEY}:17").message == "x" * 4_000


@pytest.mark.parametrize("timestamp", ["１７００００００００", "9" * 400, "-1", "1e9", " 1"])
def test_case_update_with_a_timestamp_that_is_not_whole_seconds_is_a_401(client, update, timestamp):
    body = json.dumps(update).encode()
    headers = {**signing.signed_headers(INBOUND_SECRET, body), "X-Timestamp": timestamp}
    response = client.post(
        reverse("forwarding:case_update", args=[HACKNEY]),
        data=body,
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 401
    assert response.json()["error"] == "bad_signature"


# --- codes in paths (PostgreSQL: DataError on NUL) -----------------------------------------


def test_codes_in_paths_with_nul_characters_are_not_found(client, hackney_central):
    ward = hackney_central.ward_code
    assert client.get(f"/neighbourhoods/{ward}/priorities.json").status_code == 200
    assert client.get(f"/neighbourhoods/{ward}%00/priorities.json").status_code == 404
    body = b"{}"
    response = client.post(
        f"/api/case-updates/{HACKNEY}%00/",
        data=body,
        content_type="application/json",
        headers=signing.signed_headers(INBOUND_SECRET, body),
    )
    assert response.status_code == 401
    assert response.json()["error"] == "not_configured"


# --- wrong methods ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("put", "/search/", "GET"),
        ("delete", "/map/data/areas.json", "GET"),
        ("patch", "/report/step/safety/", "GET or POST"),
        ("get", f"/api/case-updates/{HACKNEY}/", "POST"),
    ],
)
def test_a_wrong_method_is_a_405_in_words(client, db, method, path, allowed):
    response = getattr(client, method)(path)
    assert response.status_code == 405
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    words = response.content.decode()
    assert words.startswith(f"This address does not accept {method.upper()} requests.")
    assert f"Use {allowed}." in words
