"""Request tests for every step of the report flow and its errors, and for following a report."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from geography import attribution
from reporting.models import EqualityResponse, PendingUpload, Report, ReportPhoto
from reporting.outbox import services as outbox
from reporting.services import add_staff_note, apply_update
from tests.reporting.conftest import fill_flow
from tests.reporting.test_ids_and_photos import image_bytes

pytestmark = pytest.mark.django_db


def step(client, slug, data=None, **extra):
    url = f"/report/step/{slug}/"
    return client.post(url, data, **extra) if data is not None else client.get(url)


def errors_of(response) -> str:
    body = response.content.decode()
    assert response.status_code == 200, response.status_code
    assert "There is a problem" in body, body[:2000]
    return body


def test_start_page_says_what_to_expect(client):
    body = client.get("/report/").content.decode()
    assert "Report anti-social behaviour" in body
    assert 'href="/report/step/safety/"' in body
    assert "Call 999" in body


def test_steps_cannot_be_skipped(client):
    response = step(client, "details")
    assert response.status_code == 302
    assert response["Location"] == "/report/step/safety/"
    assert client.get("/report/check/")["Location"] == "/report/step/safety/"


def test_answers_lost_with_the_session_are_explained(client):
    response = step(client, "details", {"description": "Loud music every night until 3am."})
    assert response["Location"] == "/report/step/safety/?expired=1"
    body = client.get(response["Location"]).content.decode()
    assert "We could not find your earlier answers" in body
    assert client.post("/report/check/", {"website": ""})["Location"].endswith("?expired=1")


def test_unknown_step_is_404(client):
    assert step(client, "nonsense").status_code == 404


class TestSafety:
    def test_an_answer_is_required(self, client):
        body = errors_of(step(client, "safety", {}))
        assert "Select yes if anyone is in danger" in body
        assert 'href="#id_danger"' in body

    def test_danger_sends_people_to_999(self, client):
        response = step(client, "safety", {"danger": "yes"})
        assert response["Location"] == "/report/call-999/"
        body = client.get("/report/call-999/").content.decode()
        assert "Call 999 now" in body and "18000" in body and "999 BSL" in body

    def test_no_danger_continues(self, client):
        assert step(client, "safety", {"danger": "no"})["Location"] == "/report/step/category/"


class TestCategoryAndQualifier:
    def test_every_category_is_explained(self, client):
        step(client, "safety", {"danger": "no"})
        body = step(client, "category").content.decode()
        from standards.categories import CATEGORIES

        for category in CATEGORIES:
            assert category.label in body
            assert category.explanation in body

    def test_errors(self, client):
        step(client, "safety", {"danger": "no"})
        assert "Select the kind" in errors_of(step(client, "category", {}))
        assert "Select the kind" in errors_of(step(client, "category", {"category": "hoax-calls"}))
        step(client, "category", {"category": "noise"})
        body = step(client, "qualifier").content.decode()
        assert "It was aimed at me, or at someone specific" in body
        assert "Select who or what" in errors_of(step(client, "qualifier", {}))


class TestWhere:
    @pytest.fixture
    def at_where(self, client):
        fill_flow(client, until="where")
        return client

    def post(self, client, **data):
        return step(client, "where", {"action": "continue", **data})

    def test_the_page_works_without_javascript(self, at_where):
        body = step(at_where, "where").content.decode()
        assert 'name="query"' in body
        assert 'name="latitude"' in body and 'name="longitude"' in body
        assert 'name="location_description"' in body and 'name="borough"' in body
        assert 'id="where-map"' in body  # the enhancement, shown only with JavaScript

    def test_nothing_given(self, at_where):
        body = errors_of(self.post(at_where))
        assert "Search for the place, put a pin on the map, or describe where it happened" in body

    def test_empty_search(self, at_where):
        body = errors_of(step(at_where, "where", {"action": "search", "query": " "}))
        assert "Enter an address, street, postcode or place" in body

    def test_search_lists_places_to_choose(self, at_where):
        body = step(at_where, "where", {"action": "search", "query": "Hackney"}).content.decode()
        assert 'name="place"' in body
        assert "Hackney" in body
        response = self.post(at_where, place="0")
        assert response["Location"] == "/report/step/when/"
        stored = at_where.session["reporting_flow"]["answers"]["where"]
        assert stored["location_source"] == "search"
        assert stored["latitude"]

    def test_a_postcode_is_found_with_the_data_credited(self, at_where):
        body = step(at_where, "where", {"action": "search", "query": "e81dy"}).content.decode()
        assert 'name="place"' in body
        assert "E8 1DY" in body and "(Hackney)" in body
        assert attribution.POSTCODES in body
        response = self.post(at_where, place="0")
        assert response["Location"] == "/report/step/when/"
        assert at_where.session["reporting_flow"]["answers"]["where"]["location_source"] == (
            "search"
        )

    def test_no_match(self, at_where):
        body = step(at_where, "where", {"action": "search", "query": "Qwertyuiop"}).content.decode()
        assert "We could not find" in body

    def test_outside_london(self, at_where):
        body = errors_of(self.post(at_where, latitude="51.6565", longitude="-0.3903"))
        assert "outside London" in body
        assert "101" in body

    def test_only_one_coordinate(self, at_where):
        body = errors_of(self.post(at_where, latitude="51.5"))
        assert "Enter the longitude as well" in body

    def test_not_a_number(self, at_where):
        errors_of(self.post(at_where, latitude="north", longitude="west"))

    def test_a_pin_on_the_map(self, at_where):
        response = self.post(
            at_where, latitude="51.545", longitude="-0.0553", location_source="map"
        )
        assert response.status_code == 302
        assert at_where.session["reporting_flow"]["answers"]["where"]["location_source"] == "map"

    def test_typed_coordinates_are_recorded_as_such(self, at_where):
        self.post(at_where, latitude="51.545", longitude="-0.0553", location_source="bogus")
        assert (
            at_where.session["reporting_flow"]["answers"]["where"]["location_source"]
            == "coordinates"
        )

    def test_a_description_needs_the_borough(self, at_where):
        body = errors_of(self.post(at_where, location_description="Behind the library"))
        assert "Select the borough where it happened" in body
        response = self.post(
            at_where, location_description="Behind the library", borough="E09000022"
        )
        assert response.status_code == 302


class TestWhen:
    @pytest.fixture
    def at_when(self, client):
        fill_flow(client, until="when")
        return client

    @pytest.mark.parametrize(
        "data,message",
        [
            ({}, "Select when it happened"),
            ({"when": "date"}, "Enter the date it happened"),
            ({"when": "date", "day": "3", "month": "2"}, "Date it happened must include a year"),
            ({"when": "date", "day": "31", "month": "2", "year": "2026"}, "must be a real date"),
            ({"when": "date", "day": "1", "month": "1", "year": "2999"}, "today or in the past"),
            ({"when": "date", "day": "1", "month": "1", "year": "2001"}, "within the last year"),
        ],
    )
    def test_errors(self, at_when, data, message):
        assert message in errors_of(step(at_when, "when", data))

    def test_bad_time(self, at_when):
        from django.utils import timezone

        today = timezone.localdate()
        data = {"when": "date", "day": today.day, "month": today.month, "year": today.year}
        assert "Enter a time like" in errors_of(
            step(at_when, "when", {**data, "time_of_day": "25:99"})
        )
        assert step(at_when, "when", {**data, "time_of_day": "9:30pm"}).status_code == 302


def test_time_parsing():
    from datetime import time

    from reporting.forms import parse_time

    assert parse_time("21:30") == time(21, 30)
    assert parse_time("9:30pm") == time(21, 30)
    assert parse_time("9pm") == time(21, 0)
    assert parse_time("12am") == time(0, 0)
    assert parse_time("12.15 p.m.") == time(12, 15)
    assert parse_time("midnight") == time(0, 0)
    assert parse_time("") is None
    with pytest.raises(ValueError):
        parse_time("13pm")


class TestDetailsAndScreening:
    @pytest.fixture
    def at_details(self, client):
        fill_flow(client, until="details")
        return client

    def test_description_rules(self, at_details):
        assert "Enter what happened" in errors_of(step(at_details, "details", {"description": ""}))
        assert "a little more" in errors_of(step(at_details, "details", {"description": "noise"}))
        body = errors_of(step(at_details, "details", {"description": "x" * 5001}))
        assert "5000 characters or fewer" in body

    def test_history_needs_answers(self, client):
        fill_flow(client, until="history")
        body = errors_of(step(client, "history", {}))
        assert "Select how often this has happened" in body
        assert "Select if you have reported this problem before" in body

    def test_none_of_these_cannot_be_combined(self, client):
        fill_flow(client, until="impact")
        body = errors_of(
            step(client, "impact", {"effects": ["sleep", "none"], "unsafe_at_home": "no"})
        )
        assert "on its own" in body
        body = errors_of(step(client, "impact", {"unsafe_at_home": "no"}))
        assert "Select what it has affected, or ‘None of these’" in body

    def test_vulnerability_questions_are_asked_in_plain_words(self, client):
        fill_flow(client, until="vulnerability")
        body = step(client, "vulnerability").content.decode()
        assert "targeted because of who they are" in body
        assert "hate incident" in body


class TestPhotos:
    @pytest.fixture
    def at_photos(self, client):
        fill_flow(client, until="photos")
        return client

    def upload(self, client, *files, action="upload"):
        return client.post("/report/step/photos/", {"photos": list(files), "action": action})

    def test_upload_preview_and_remove(self, at_photos):
        response = self.upload(at_photos, SimpleUploadedFile("a.jpg", image_bytes(), "image/jpeg"))
        assert response.status_code == 302
        upload = PendingUpload.objects.get()
        body = step(at_photos, "photos").content.decode()
        assert f"/report/photo/{upload.key}/" in body
        preview = at_photos.get(f"/report/photo/{upload.key}/")
        assert preview.status_code == 200 and preview["Content-Type"] == "image/jpeg"
        assert Client().get(f"/report/photo/{upload.key}/").status_code == 404  # another session
        at_photos.post("/report/step/photos/", {"remove": upload.key})
        assert not PendingUpload.objects.exists()

    def test_not_an_image(self, at_photos):
        response = self.upload(at_photos, SimpleUploadedFile("a.jpg", b"MZ\x90\x00", "image/jpeg"))
        body = errors_of(response)
        assert "a.jpg must be a JPG, PNG, WebP or HEIC photo" in body
        assert not PendingUpload.objects.exists()

    def test_at_most_three(self, at_photos):
        files = [SimpleUploadedFile(f"{i}.jpg", image_bytes(), "image/jpeg") for i in range(4)]
        assert "up to 3 photos" in errors_of(self.upload(at_photos, *files))
        assert not PendingUpload.objects.exists()

    def test_too_big(self, at_photos, settings):
        settings.REPORTING_PHOTO_MAX_BYTES = 1024 * 1024
        big = SimpleUploadedFile("big.jpg", b"x" * (1024 * 1024 + 10), "image/jpeg")
        assert "smaller than 1 MB" in errors_of(self.upload(at_photos, big))

    def test_photos_reach_the_report(self, client, hackney):
        fill_flow(client, until="photos")
        self.upload(
            client, SimpleUploadedFile("a.jpg", image_bytes(), "image/jpeg"), action="continue"
        )
        fill_flow(client)  # the other steps again; photos stay
        client.post("/report/check/", {"website": ""})
        assert ReportPhoto.objects.filter(report=Report.objects.get()).count() == 1
        assert not PendingUpload.objects.exists()


class TestContact:
    @pytest.fixture
    def at_contact(self, client):
        fill_flow(client, until="contact")
        return client

    def test_details_needed_unless_anonymous(self, at_contact):
        body = errors_of(
            step(at_contact, "contact", {"contact_me": "yes", "safe_to_contact": "yes"})
        )
        assert "Enter an email address or a phone number" in body
        body = errors_of(step(at_contact, "contact", {"contact_me": "yes", "email": "nope"}))
        assert "Enter an email address in the correct format, like name@example.com" in body
        assert "Select if it is safe for us to contact you" in body
        body = errors_of(
            step(
                at_contact,
                "contact",
                {"contact_me": "yes", "phone": "abc", "safe_to_contact": "yes"},
            )
        )
        assert "Enter a phone number" in body

    def test_anonymous_is_explained_and_allowed(self, at_contact):
        body = step(at_contact, "contact").content.decode()
        assert "We will not be able to call you back" in body
        assert (
            step(at_contact, "contact", {"contact_me": "no", "email": "ignored"}).status_code == 302
        )


def test_check_answers_shows_everything_escaped_with_change_links(client):
    fill_flow(
        client, {"details": {"description": "<script>alert('x')</script> shouting every night"}}
    )
    body = client.get("/report/check/").content.decode()
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert" in body
    assert "/report/step/where/?change=1" in body
    assert "Noise" in body and "Ada Resident" in body
    # Change an answer and come straight back to check.
    response = client.post("/report/step/category/?change=1", {"category": "fireworks"})
    assert response["Location"] == "/report/check/"
    assert "Fireworks" in client.get("/report/check/").content.decode()


class TestSubmit:
    def test_submit_then_confirmation(self, filled_client, hackney):
        response = filled_client.post("/report/check/", {"website": ""})
        assert response["Location"] == "/report/sent/"
        report = Report.objects.get()
        body = filled_client.get("/report/sent/").content.decode()
        assert report.reference in body
        assert "/report/track/" in body
        assert "Hackney" in body
        commitment = hackney.commitment_for("first_contact")
        assert commitment is not None
        assert f"{commitment.text} {commitment.target_text}." in body
        assert "That means by" in body
        assert "08 08 16 89 111" in body
        assert filled_client.get("/report/sent/")["Cache-Control"].startswith("private")
        # The flow is over: its answers are gone from the session.
        assert "reporting_flow" not in filled_client.session

    def test_a_second_click_does_not_make_a_second_report(self, filled_client):
        filled_client.post("/report/check/", {"website": ""})
        response = filled_client.post("/report/check/", {"website": ""})
        assert response["Location"] == "/report/sent/"
        assert Report.objects.count() == 1

    def test_honeypot_gets_a_clear_message_and_nothing_is_stored(self, filled_client):
        response = filled_client.post("/report/check/", {"website": "http://spam.example"})
        assert response.status_code == 400
        assert "Your report was not sent" in response.content.decode()
        assert Report.objects.count() == 0

    def test_rate_limit(self, client, settings):
        settings.REPORTING_SUBMISSIONS_PER_HOUR = 2
        for _ in range(2):
            fill_flow(client)
            assert client.post("/report/check/", {"website": ""}).status_code == 302
        fill_flow(client)
        response = client.post("/report/check/", {"website": ""})
        assert response.status_code == 429
        body = response.content.decode()
        assert "Too many attempts" in body and "101" in body
        assert Report.objects.count() == 2

    def test_csrf_is_enforced(self, hackney):
        client = Client(enforce_csrf_checks=True)
        fill_flow_csrf = client.post("/report/step/safety/", {"danger": "no"})
        assert fill_flow_csrf.status_code == 403

    def test_high_risk_confirmation_gives_support(self, client):
        fill_flow(
            client,
            {
                "impact": {"effects": ["health"], "unsafe_at_home": "yes"},
                "vulnerability": {
                    "targeted": ["disability"],
                    "health_worsened": "yes",
                    "vulnerable_people": "no",
                },
            },
        )
        client.post("/report/check/", {"website": ""})
        body = client.get("/report/sent/").content.decode()
        assert "contact you urgently" in body
        assert "Victim Support" in body and "101" in body and "999" in body
        assert Report.objects.get().urgent_callback

    def test_equality_answers_are_stored_apart(self, client):
        fill_flow(client, {"equality": {"age_band": "25_34", "religion": "prefer_not"}})
        client.post("/report/check/", {"website": ""})
        response = EqualityResponse.objects.get()
        assert response.age_band == "25_34"
        assert response.religion == ""


class TestFollowing:
    @pytest.fixture
    def report_and_link(self, filled_client):
        filled_client.post("/report/check/", {"website": ""})
        report = Report.objects.get()
        body = filled_client.get("/report/sent/").content.decode()
        start = body.index("/report/track/")
        link = body[start : body.index("/", start + len("/report/track/")) + 1]
        return report, link

    def test_timeline_without_personal_details_or_staff_notes(self, report_and_link, admin_user):
        report, link = report_and_link
        add_staff_note(report=report, user=admin_user, note="Secret staff note")
        apply_update(report=report, status="assigned", message="PC Jones will call you.")
        response = Client().get(link)
        body = response.content.decode()
        assert response.status_code == 200
        assert report.reference in body
        assert "PC Jones will call you." in body
        assert "Secret staff note" not in body
        assert "ada@example.com" not in body and "Ada Resident" not in body
        assert response["Referrer-Policy"] == "same-origin"
        assert "noindex" in response["X-Robots-Tag"]

    def test_add_information_while_open(self, report_and_link):
        report, link = report_and_link
        client = Client()
        assert "Enter the information" in errors_of(client.post(link, {"information": ""}))
        response = client.post(link, {"information": "It happened again at 2am."})
        assert response.status_code == 302
        assert report.events.filter(kind="resident_info").exists()
        assert "We have added your information" in client.get(response["Location"]).content.decode()
        apply_update(report=report, status="closed", message="The tenant was warned.")
        body = client.get(link).content.decode()
        assert "The tenant was warned." in body
        assert 'name="information"' not in body

    def test_a_wrong_token_is_404(self, client):
        assert client.get("/report/track/not-a-real-token/").status_code == 404

    def _link_emails(self, mailoutbox):
        outbox.drain_now()
        return [m for m in mailoutbox if m.subject.startswith("Your private link")]

    def test_find_emails_the_link_and_never_shows_it(self, report_and_link, mailoutbox):
        """A stranger who knows the reference and the victim's email gets no way in: the
        link goes to the victim's mailbox, never to the screen."""
        report, link = report_and_link
        client = Client()
        response = client.post(
            "/report/find/", {"reference": report.reference.lower(), "email": "ADA@example.com"}
        )
        assert response.status_code == 302 and response["Location"] == "/report/find/sent/"
        page = client.get(response["Location"])
        assert link not in page.content.decode() and report.reference not in page.content.decode()
        assert "Check your email" in page.content.decode()
        assert client.get("/report/track/", follow=True).status_code == 404
        (sent,) = self._link_emails(mailoutbox)
        assert sent.to == ["ada@example.com"] and link in sent.body

    @pytest.mark.parametrize("which", ["email", "reference", "neither"])
    def test_find_answers_the_same_whatever_is_wrong(self, report_and_link, which, mailoutbox):
        report, _ = report_and_link
        data = {"reference": report.reference, "email": "ada@example.com"}
        if which in ("email", "neither"):
            data["email"] = "other@example.com"
        if which in ("reference", "neither"):
            data["reference"] = "ASB-0000-0000"
        right = Client().post(
            "/report/find/", {"reference": report.reference, "email": "ada@example.com"}
        )
        wrong = Client().post("/report/find/", data)
        assert (wrong.status_code, wrong["Location"]) == (right.status_code, right["Location"])
        assert len(self._link_emails(mailoutbox)) == 1  # only for the right details

    def test_find_sends_one_link_in_a_quarter_hour(self, report_and_link, mailoutbox):
        report, _ = report_and_link
        for _ in range(3):
            Client().post(
                "/report/find/", {"reference": report.reference, "email": "ada@example.com"}
            )
        assert len(self._link_emails(mailoutbox)) == 1

    def test_find_sends_nothing_when_email_is_not_safe(self, report_and_link, mailoutbox):
        report, _ = report_and_link
        report.contact.safe_to_contact = False
        report.contact.save()
        response = Client().post(
            "/report/find/", {"reference": report.reference, "email": "ada@example.com"}
        )
        assert response["Location"] == "/report/find/sent/"
        assert not self._link_emails(mailoutbox)

    def test_find_is_rate_limited_per_address_and_per_reference(self, client, settings):
        settings.REPORTING_LOOKUPS_PER_HOUR = 3
        data = {"reference": "ASB-0000-0000", "email": "a@example.com"}
        for _ in range(3):
            client.post("/report/find/", data)
        assert client.post("/report/find/", data).status_code == 429
        other = {"reference": "ASB-1111-1111", "email": "a@example.com"}
        assert client.post("/report/find/", other).status_code == 429  # the same address
        # the same reference from another address: limited too (a guesser with many IPs)
        elsewhere = Client(REMOTE_ADDR="10.9.8.7")
        assert elsewhere.post("/report/find/", data).status_code == 429
        assert Client(REMOTE_ADDR="10.9.8.6").post("/report/find/", other).status_code == 302


def test_a_send_retried_after_the_session_was_lost_files_no_second_report(client):
    """The report was stored but the session write after it failed (an outage): the
    resident's session still holds the answers and sends again. One report, and the
    confirmation shows it."""
    fill_flow(client)
    flow_state = client.session["reporting_flow"]
    client.post("/report/check/", {"website": ""})
    (report,) = Report.objects.all()
    session = client.session
    session["reporting_flow"] = flow_state  # as if the write after submitting never happened
    session.pop("reporting_submitted", None)
    session.save()
    response = client.post("/report/check/", {"website": ""})
    assert response.status_code == 302 and response["Location"] == "/report/sent/"
    assert list(Report.objects.all()) == [report]
    assert report.reference in client.get("/report/sent/").content.decode()
