"""Every bad input is a 4xx with a plain message, never a 5xx (issue 12).

In-process with Django's test client, from a fixed seed: malformed, oversized, wrongly
encoded, control-character, very long, deeply nested, wrongly typed and badly dated input,
wrong methods and wrong content types, to every public form (each step of the report flow,
reached first), every public query string, the Open311 server, the signed case-update
endpoint and the JSON data feeds. Each test sends its share of ``PLAN`` and fails with
the method, URL and body of every request answered with a 5xx, a 4xx that is not plain
words, or XML that is not well-formed.
"""

from __future__ import annotations

import random
import time
from urllib.parse import quote

import pytest
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from reporting import ids
from reporting.forwarding.services import issue_open311_key
from reporting.models import CallbackSurvey, Status
from reporting.outbox.adapters import signing
from reporting.services import apply_update
from reporting.wizard import SESSION_KEY, STEPS
from tests.accounts.helpers import login_verified
from tests.fuzz import inputs
from tests.fuzz.cases import FORM, Case, body_cases, encode, form_cases, query_cases
from tests.local_services import HACKNEY, INBOUND_SECRET, LAMBETH, POINTS, submit
from tests.reporting.conftest import FLOW_ANSWERS, fill_flow, staff_user

pytestmark = pytest.mark.django_db

# Requests each test sends (a flow walked end to end counts every request it makes).
PLAN = {
    "report_steps": 250 * len(STEPS),
    "report_check": 200,
    "report_end_to_end": 40 * (len(STEPS) + 1),
    "find_report": 400,
    "track": 300,
    "callback": 300,
    "search": 400,
    "find_area": 400,
    "where_describe": 200,
    "map_page": 300,
    "map_feeds": 1_300,
    "open311_reads": 1_300,
    "open311_post": 800,
    "case_updates": 1_100,
    "paths": 400,
    "staff_triage": 100,
}


def rng_for(name: str) -> random.Random:
    return random.Random(f"{inputs.SEED}:{name}")


def test_the_plan_sends_at_least_ten_thousand_requests():
    assert sum(PLAN.values()) >= 10_000


def finish(fuzz, name: str, *, at_least: int | None = None) -> None:
    statuses = ", ".join(f"{status}: {n}" for status, n in sorted(fuzz.statuses.items()))
    print(f"fuzz {name}: {fuzz.sent} requests ({statuses})")  # shown with -s
    assert fuzz.sent >= (PLAN[name] if at_least is None else at_least), (fuzz.sent, PLAN[name])
    fuzz.check()


# --- the report flow ------------------------------------------------------------------------


def _answers(slug: str) -> dict:
    from django.utils import timezone

    answers = dict(FLOW_ANSWERS[slug])
    answers.pop("action", None)
    today = timezone.localdate()
    extra = {
        "where": {"action": "continue", "query": "", "place": "", "location_description": ""},
        "when": {
            "when": "date",
            "day": str(today.day),
            "month": str(today.month),
            "year": str(today.year),
            "time_of_day": "9:30pm",
        },
        "history": {"earlier_references": ""},
        "details": {"people_involved": ""},
        "contact": {"phone": "07700 900123", "contact_times": "", "safety_notes": ""},
        "equality": {"age_band": "25_34", "sex": "female", "religion": "none"},
        "photos": {"action": "continue", "remove": ""},
    }
    return {**answers, **extra.get(slug, {})}


def _photo_cases(rng: random.Random, path: str, count: int):
    """Uploads that are not photos, or not files at all, and garbage removals."""
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (2, 2)).save(buffer, format="PNG")
    png = buffer.getvalue()
    huge = png[:16] + (60_000).to_bytes(4, "big") + (60_000).to_bytes(4, "big") + png[24:]
    contents = [b"", b"MZ\x90\x00", png[:20], huge, b"GIF89a" + b"\x00" * 20, png]
    for _ in range(count):
        roll = rng.random()
        if roll < 0.6:
            name = rng.choice(["a.jpg", "../../x.png", "a\x00b.jpg", "é" * 300 + ".png", ""])
            upload = SimpleUploadedFile(
                name or "x",
                rng.choice(contents) if rng.random() < 0.8 else inputs.raw_bytes(rng),
                rng.choice(["image/jpeg", "text/html", "application/x-msdownload"]),
            )
            data = {"photos": [upload], "action": rng.choice(["upload", "continue", ""])}
            body = encode_multipart(BOUNDARY, data)
            yield Case("POST", path, body, MULTIPART_CONTENT, mutation="upload")
        elif roll < 0.8:
            body = encode([("remove", inputs.text(rng))]).encode()
            yield Case("POST", path, body, FORM, mutation="remove")
        else:
            yield from form_cases(rng, path, _answers("photos"), 1)


@pytest.mark.parametrize("index", range(len(STEPS)), ids=[step.slug for step in STEPS])
def test_report_flow_steps(fuzz, fuzz_client, hackney_central, index):
    """Each step of the session wizard, fuzzed once the steps before it are answered."""
    step = STEPS[index]
    fill_flow(fuzz_client, until=step.slug)
    path = f"/report/step/{step.slug}/"
    rng = rng_for(f"step:{step.slug}")
    count = PLAN["report_steps"] // len(STEPS)
    if step.slug == "photos":
        cases = _photo_cases(rng, path, count)
    else:
        cases = form_cases(rng, path, _answers(step.slug), count)
        if step.slug == "where":  # the place search is a second form on the same page
            search = {"action": "search", "query": "Hackney"}
            cases = [*form_cases(rng, path, search, count // 2), *list(cases)[: count // 2]]
    fuzz.run(fuzz_client, cases)
    assert fuzz.sent == count
    finish(fuzz, "report_steps", at_least=count)


def test_report_check(fuzz, fuzz_client, hackney_central):
    """'Send report': the honeypot, methods and content types; refilled once sent."""

    fill_flow(fuzz_client)
    answers = fuzz_client.session[SESSION_KEY]

    def refill():  # once a case sent the report, the next finds the same answers again
        session = fuzz_client.session
        if SESSION_KEY not in session:
            session[SESSION_KEY] = answers
            session.save()

    cases = form_cases(rng_for("check"), "/report/check/", {"website": ""}, PLAN["report_check"])
    fuzz.run(fuzz_client, cases, before=refill)
    finish(fuzz, "report_check")


def test_report_flow_end_to_end(fuzz, hackney_central):
    """Whole flows of bad answers that the forms let through, then sent: they must store."""
    rng = rng_for("end-to-end")
    while fuzz.sent < PLAN["report_end_to_end"]:
        client = Client(raise_request_exception=False)
        accepted = []  # the bad answers the steps took: a failure at "send" names them
        for step in STEPS:
            path = f"/report/step/{step.slug}/"
            good = FLOW_ANSWERS[step.slug]
            case = None
            if step.slug == "contact" and rng.random() < 0.3:  # longer than the column
                bad = {**good, "email": inputs.long_email(rng)}
                case = Case("POST", path, _good_body(bad), FORM, mutation="long_email")
            elif step.slug != "photos":
                case = next(form_cases(rng, path, good, 1))
            response = fuzz.send(client, case) if case else None
            if response is not None and response.status_code == 302:
                accepted.append(f"{step.slug}: {case.body[:300]!r}")
            else:
                fuzz.send(client, Case("POST", path, _good_body(good), FORM))
        mutation = "send after " + "; ".join(accepted)
        fuzz.send(client, Case("POST", "/report/check/", b"website=", FORM, mutation=mutation))
    finish(fuzz, "report_end_to_end")


def _good_body(good: dict) -> bytes:
    pairs = []
    for name, value in good.items():
        for one in value if isinstance(value, list) else [value]:
            pairs.append((name, one))
    return encode(pairs).encode()


# --- following a report, finding it, the call-back survey ---------------------------------


def test_find_report(fuzz, fuzz_client, db):
    report = submit(LAMBETH)
    good = {"reference": report.reference, "email": "ada@example.org"}
    cases = list(form_cases(rng_for("find"), "/report/find/", good, PLAN["find_report"] - 50))
    rng = rng_for("find-emails")
    for _ in range(50):
        cases.append(
            Case(
                "POST",
                "/report/find/",
                encode(
                    [("reference", report.reference), ("email", inputs.long_email(rng))]
                ).encode(),
                FORM,
                mutation="long_email",
            )
        )
    fuzz.run(fuzz_client, cases)
    finish(fuzz, "find_report")


def test_track(fuzz, fuzz_client, db):
    report = submit(LAMBETH)
    path = f"/report/track/{ids.tracking_token(report.tracking_nonce)}/"
    good = {"information": "It happened again last night, even louder."}
    fuzz.run(fuzz_client, form_cases(rng_for("track"), path, good, PLAN["track"]))
    finish(fuzz, "track")


def test_callback_survey(fuzz, fuzz_client, db):
    report = submit(LAMBETH)
    apply_update(report=report, status=Status.CLOSED, message="Done.", notify_resident=False)
    survey = CallbackSurvey.objects.get(report=report)
    path = f"/report/feedback/{ids.survey_token(survey.nonce)}/"
    good = {
        "told_action": "yes",
        "seriousness": "fairly",
        "know_action": "no",
        "satisfaction": "fairly_satisfied",
    }

    def unanswered():
        CallbackSurvey.objects.filter(pk=survey.pk).update(answered_at=None)

    cases = form_cases(rng_for("callback"), path, good, PLAN["callback"])
    fuzz.run(fuzz_client, cases, before=unanswered)
    finish(fuzz, "callback")


# --- search, find your area, the map ------------------------------------------------------


def test_site_search(fuzz, fuzz_client, hackney_central):
    good = {"query": "Hackney noise", "page": "2"}
    fuzz.run(fuzz_client, query_cases(rng_for("search"), "/search/", good, PLAN["search"]))
    finish(fuzz, "search")


def test_where_step_pin_words(fuzz, fuzz_client, db):
    good = {"lat": "51.534337", "lon": "-0.057322"}
    path = "/report/where/describe/"
    fuzz.run(fuzz_client, form_cases(rng_for("where-describe"), path, good, PLAN["where_describe"]))
    finish(fuzz, "where_describe")


def test_find_your_area(fuzz, fuzz_client, hackney_central):
    cases = query_cases(rng_for("area"), "/find-your-area/", {"q": "Hackney"}, PLAN["find_area"])
    fuzz.run(fuzz_client, cases)
    finish(fuzz, "find_area")


@pytest.fixture
def map_data(db):
    """A little police.uk data in Hackney: two months of points, cells and areas."""
    import datetime as dt

    from mapping import factories

    for month in (dt.date(2025, 1, 1), dt.date(2025, 2, 1)):
        dataset = factories.DatasetFactory(month=month)
        for _ in range(3):
            factories.PointMonthFactory(dataset=dataset, snap__ward_code="E05009372")
        factories.CellMonthFactory(dataset=dataset)
        factories.AreaMonthFactory(dataset=dataset)
        factories.AreaMonthFactory(dataset=dataset, kind="ward", code="E05009372")


MAP_FILTERS = {
    "month_from": "2025-01",
    "month_to": "2025-02",
    "category": ["anti-social-behaviour", "burglary"],
    "borough": HACKNEY,
}


def test_map_page(fuzz, fuzz_client, map_data):
    cases = query_cases(rng_for("map"), "/map/", MAP_FILTERS, PLAN["map_page"])
    fuzz.run(fuzz_client, cases)
    finish(fuzz, "map_page")


def test_map_data_feeds(fuzz, fuzz_client, map_data, hackney_central):
    rng = rng_for("feeds")
    bbox = "-0.06,51.54,-0.05,51.55"
    feeds = [
        ("/map/data/map.json", {**MAP_FILTERS, "bbox": bbox, "zoom": "12"}),
        ("/map/data/cells.json", {**MAP_FILTERS, "bbox": bbox, "zoom": "10"}),
        ("/map/data/points.json", {**MAP_FILTERS, "bbox": bbox}),
        ("/map/data/areas.json", {**MAP_FILTERS, "kind": "ward", "ward": "E05009372"}),
        ("/map/data/trend.json", {**MAP_FILTERS, "ward": "E05009372"}),
        ("/map/data/hot-streets.json", {**MAP_FILTERS, "bbox": bbox, "limit": "5"}),
    ]
    each = (PLAN["map_feeds"] - 100) // len(feeds)
    for path, good in feeds:
        fuzz.run(fuzz_client, query_cases(rng, path, good, each))
    ward = hackney_central.ward_code
    feed = f"/neighbourhoods/{ward}/priorities.json"
    fuzz.run(fuzz_client, query_cases(rng, feed, {}, 50))
    fuzz.run(fuzz_client, _path_cases(rng, "/neighbourhoods/{}/priorities.json", ward, 50))
    finish(fuzz, "map_feeds")


# --- Open311 --------------------------------------------------------------------------------


BASE = "/open311/v2"


def test_open311_reads(fuzz, fuzz_client, db):
    report = submit(LAMBETH)
    rng = rng_for("open311-reads")
    listing = {
        "start_date": "2024-01-01T00:00:00Z",
        "end_date": "2030-01-01T00:00:00+01:00",
        "status": "open,closed",
        "service_code": "noise,rowdy-inconsiderate",
        "jurisdiction_id": "asb.london.gov.uk",
    }
    for fmt in ("json", "xml"):
        fuzz.run(fuzz_client, query_cases(rng, f"{BASE}/requests.{fmt}", listing, 300))
        ids_query = {"service_request_id": f"{report.reference},ASB-0000-0000"}
        fuzz.run(fuzz_client, query_cases(rng, f"{BASE}/requests.{fmt}", ids_query, 50))
        jurisdiction = {"jurisdiction_id": "asb.london.gov.uk"}
        fuzz.run(fuzz_client, query_cases(rng, f"{BASE}/services.{fmt}", jurisdiction, 80))
        fuzz.run(fuzz_client, query_cases(rng, f"{BASE}/services/noise.{fmt}", {}, 40))
        path = "%s/services/{}.%s" % (BASE, fmt)  # noqa: UP031 - a template for paths
        fuzz.run(fuzz_client, _path_cases(rng, path, "noise", 40))
        path = "%s/requests/{}.%s" % (BASE, fmt)  # noqa: UP031
        fuzz.run(fuzz_client, _path_cases(rng, path, report.reference, 60))
        fuzz.run(fuzz_client, query_cases(rng, f"{BASE}/requests/{report.reference}.{fmt}", {}, 40))
        for missing in ("discovery", "tokens/abc", "requests/updates"):
            fuzz.run(fuzz_client, query_cases(rng, f"{BASE}/{missing}.{fmt}", {}, 10))
        dates = [(name, value) for name in ("start_date", "end_date") for value in inputs.DATES]
        for name, value in rng.sample(dates, 10):
            path = f"{BASE}/requests.{fmt}?{encode([(name, value)])}"
            fuzz.send(fuzz_client, Case("GET", path, mutation="bad_date"))
    finish(fuzz, "open311_reads")


def test_open311_post_requests(fuzz, fuzz_client, db):
    key = issue_open311_key(name="Fuzz")[1]
    lat, lon = POINTS[LAMBETH]
    good = {
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
    rng = rng_for("open311-post")
    for fmt in ("json", "xml"):
        path = f"{BASE}/requests.{fmt}"
        fuzz.run(fuzz_client, form_cases(rng, path, good, 330))
        for _ in range(35):
            bad = {**good, "email": inputs.long_email(rng)}
            fuzz.send(fuzz_client, Case("POST", path, _good_body(bad), FORM, mutation="email"))
        for name in ("address_string", "first_name", "phone", "description"):
            bad = {**good, name: inputs.control_text(rng, "Brixton Road \x00")}
            if name == "address_string":
                bad.pop("lat"), bad.pop("long")
            fuzz.send(fuzz_client, Case("POST", path, _good_body(bad), FORM, mutation="nul"))
        for _ in range(31):
            fuzz.send(fuzz_client, Case("POST", f"{path}?api_key={quote(key)}", b"", FORM))
    finish(fuzz, "open311_post")


# --- the case-update endpoint ---------------------------------------------------------------


def test_case_updates(fuzz, fuzz_client, webhook_config):
    report = submit(HACKNEY)
    path = f"/api/case-updates/{HACKNEY}/"
    good = {
        "update_id": "U1",
        "reference": report.reference,
        "status": "in_progress",
        "external_status_code": "investigating",
        "description": "An officer is looking into it.",
        "updated_datetime": "2026-01-02T03:04:05+00:00",
        "service_request_id": "CASE-1",
    }
    rng = rng_for("case-updates")

    def signed(body: bytes) -> dict[str, str]:
        return signing.signed_headers(INBOUND_SECRET, body)

    fuzz.run(fuzz_client, body_cases(rng, path, good, 700, sign=signed))
    # Bad signatures, timestamps and keys (the body is fine).
    body = inputs.json_dumps(good)
    stale = signing.signed_headers(INBOUND_SECRET, body, now=time.time() - 3_600)
    headers = [
        {},
        {"X-Signature": "sha256=00"},
        {"X-Signature": "sha256=00", "X-Timestamp": str(int(time.time()))},
        stale,
        signing.signed_headers("wrong-secret", body),
        {**signed(body), "X-Timestamp": "１７００００００００"},
        {**signed(body), "X-Timestamp": "-1"},
        {**signed(body), "X-Timestamp": "9" * 400},
        {**signed(body), "X-Timestamp": "1e9"},
        {"X-Signature": "sha256=é", "X-Timestamp": str(int(time.time()))},
        {"X-Signature": "x" * 10_000, "X-Timestamp": str(int(time.time()))},
        {"X-Api-Key": INBOUND_SECRET + "x"},
        {"X-Api-Key": "é"},
        {"Authorization": "Bearer "},
        {"Authorization": "Bearer é\x00"},
        {"Authorization": "Basic Zm9vOmJhcg=="},
    ]
    for index in range(200):
        fuzz.send(fuzz_client, Case("POST", path, body, "application/json", headers[index % 16]))
    # Authenticated by the API key, with bad bodies too.
    api_key = {"X-Api-Key": INBOUND_SECRET}
    fuzz.run(fuzz_client, body_cases(rng, path, good, 100, sign=lambda body: api_key))
    # Wrong methods and content types, and boroughs that are not boroughs.
    for _ in range(50):
        method = rng.choice(inputs.METHODS + ["GET"])
        fuzz.send(fuzz_client, Case(method, path, body, "application/json", signed(body)))
    for _ in range(25):
        content_type = rng.choice(inputs.CONTENT_TYPES)
        fuzz.send(fuzz_client, Case("POST", path, body, content_type, signed(body)))
    for case in _path_cases(rng, "/api/case-updates/{}/", HACKNEY, 25):
        fuzz.send(fuzz_client, Case("POST", case.path, body, "application/json", signed(body)))
    finish(fuzz, "case_updates")


# --- paths ----------------------------------------------------------------------------------


def _path_cases(rng: random.Random, template: str, good: str, count: int):
    """``template`` with its ``{}`` replaced by bad text, percent-encoded, or raw garbage."""
    for _ in range(count):
        roll = rng.random()
        if roll < 0.6:
            value = quote(inputs.text(rng, good), safe="")
        elif roll < 0.9:
            value = good + inputs.percent_garbage(rng).replace("&", "%26").replace("=", "%3D")
        else:
            value = quote(good, safe="") + "%00"
        yield Case("GET", template.format(value), mutation="path")


def test_paths(fuzz, fuzz_client, hackney_central):
    """Wagtail's pages, the flow's links and everything under them, with garbage paths."""
    rng = rng_for("paths")
    templates = [
        ("/{}/", "boroughs"),
        ("/boroughs/{}/", "hackney"),
        ("/report/step/{}/", "safety"),
        ("/report/track/{}/", "token"),
        ("/report/feedback/{}/", "token"),
        ("/report/photo/{}/", "key"),
        ("/map/data/{}.json", "map"),
        ("/{}", "search"),
    ]
    each = PLAN["paths"] // len(templates)
    for template, good in templates:
        fuzz.run(fuzz_client, _path_cases(rng, template, good, each))
    finish(fuzz, "paths")


# --- staff triage (signed in: the forms a borough's officer uses) -------------------------


def test_staff_triage(fuzz, fuzz_client, django_user_model):
    """Save status (also with no change), notes and the list's filters."""
    report = submit(HACKNEY)
    login_verified(fuzz_client, staff_user(django_user_model, "fuzz-officer", HACKNEY))
    rng = rng_for("staff")
    path = f"/admin/asb-reports/{report.pk}/"
    status = {"action": "status", "status": report.status, "message": ""}
    fuzz.run(fuzz_client, form_cases(rng, path, status, 40))
    fuzz.run(fuzz_client, form_cases(rng, path, {"action": "note", "note": "Called back."}, 30))
    filters = {
        "risk": "high",
        "category": "noise",
        "status": "received",
        "team": "E05009372",
        "date_from": "2025-01-01",
        "date_to": "2025-12-31",
    }
    fuzz.run(fuzz_client, query_cases(rng, "/admin/asb-reports/", filters, 30))
    finish(fuzz, "staff_triage")
