"""A resident files a report in Chromium: with the map, and again with JavaScript off.

axe-core runs on every page of the flow. With JavaScript off axe cannot run in that page,
so each page's HTML (its scripts removed) is checked in a second, script-free page.
"""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from reporting.models import Report
from tests.browser.conftest import assert_accessible

pytestmark = [
    pytest.mark.browser,
    # serialized_rollback restores the root page and site that migrations create.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

VULNERABILITY_HEALTH = "Has a health condition or disability been made worse by this?"
VULNERABILITY_PEOPLE = "Are children or other vulnerable people affected?"


def answer_steps_after_where(page, check, *, anonymous=False):
    """when .. equality, calling check(name) on each page before answering."""
    check("reporting-when")
    page.get_by_label("It is still happening, or it keeps happening").check()
    page.get_by_role("button", name="Continue").click()

    check("reporting-history")
    page.get_by_label("Every week or more often").check()
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Continue").click()

    check("reporting-details")
    page.get_by_label("What happened?").fill(
        "Loud music and shouting from the flat below every night until 4am."
    )
    page.get_by_role("button", name="Continue").click()


def answer_screening_and_contact(page, check, *, anonymous=False):
    check("reporting-impact")
    page.get_by_label("Your sleep").check()
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Continue").click()

    check("reporting-vulnerability")
    page.get_by_label("No, or I do not know").check()
    page.get_by_role("group", name=VULNERABILITY_HEALTH).get_by_label("No", exact=True).check()
    page.get_by_role("group", name=VULNERABILITY_PEOPLE).get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Continue").click()

    check("reporting-contact")
    if anonymous:
        page.get_by_label("No, I want to report anonymously").check()
    else:
        page.get_by_label("Yes, I will give my contact details").check()
        page.get_by_label("Your name").fill("Ada Resident")
        page.get_by_label("Email address").fill("ada@example.com")
        page.get_by_label("Email", exact=True).check()
        page.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Continue").click()

    check("reporting-equality")
    page.get_by_role("button", name="Continue").click()


def start_to_qualifier(page, base_url, check):
    page.goto(base_url + "/report/")
    check("reporting-start")
    page.get_by_role("button", name="Start now").click()

    page.get_by_role("button", name="Continue").click()  # nothing chosen: an error
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check("reporting-safety-error")
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Continue").click()

    expect(
        page.get_by_role("heading", name="What kind of anti-social behaviour is it?")
    ).to_be_visible()
    check("reporting-category")
    page.get_by_label("Noise").check()
    page.get_by_role("button", name="Continue").click()

    check("reporting-qualifier")
    page.get_by_label("It was aimed at me, or at someone specific").check()
    page.get_by_role("button", name="Continue").click()


def test_file_a_report_with_the_map(site_page, live_server, home_page):
    page = site_page

    def check(name):
        assert_accessible(page, name=name)

    start_to_qualifier(page, live_server.url, check)

    # Where: the map is shown, the plain coordinate fields are not.
    expect(page.locator("#where-map.leaflet-container")).to_be_visible()
    assert page.locator("#where-map").is_visible()
    assert not page.get_by_label("Latitude").is_visible()
    check("reporting-where")
    page.locator("#where-map").click()  # the map opens on central London
    expect(page.locator("#where-map-status")).to_contain_text("Pin placed near ")
    expect(page.locator("#where-map-status")).to_contain_text(", Westminster.")
    # central London has no street points in this test: the nearest postcode, credited
    expect(page.locator("#where-map-attribution")).to_contain_text("Contains OS data")
    assert page.locator("#id_latitude").input_value()
    page.get_by_role("button", name="Continue").click()

    answer_steps_after_where(page, check)
    check("reporting-photos")
    page.get_by_role("button", name="Continue without photos").click()
    answer_screening_and_contact(page, check)

    check("reporting-check")
    assert "Pin on the map" in page.content()
    page.get_by_role("button", name="Send report").click()

    report = Report.objects.get()
    assert report.location_source == "map"
    assert report.borough_code == "E09000033"  # Westminster: central London
    expect(page.get_by_role("heading", name="Report sent")).to_be_visible()
    assert report.reference in page.locator(".govuk-panel").inner_text()
    check("reporting-confirmation")

    page.goto(page.locator("#tracking-link").get_attribute("href"))
    assert report.reference in page.get_by_role("heading", level=1).inner_text()
    check("reporting-track")


@pytest.fixture
def no_js_pages(browser, live_server):
    """A page with JavaScript off (the resident's) and a script-free page to run axe in."""

    def only_live_server(route):
        if route.request.url.startswith(live_server.url):
            return route.continue_()
        return route.abort()

    resident_context = browser.new_context(java_script_enabled=False)
    checker_context = browser.new_context()
    resident = resident_context.new_page()
    checker = checker_context.new_page()
    for page in (resident, checker):
        page.route("**/*", only_live_server)
        page.set_default_timeout(10_000)
    yield resident, checker
    resident_context.close()
    checker_context.close()


def test_file_a_report_without_javascript(no_js_pages, live_server, home_page, tmp_path):
    page, checker = no_js_pages

    def check(name):
        html = re.sub(r"<script\b.*?</script>", "", page.content(), flags=re.S | re.I)
        html = html.replace("<head>", f'<head><base href="{live_server.url}/">', 1)
        checker.set_content(html, wait_until="load")
        assert_accessible(checker, name=f"{name}-nojs")

    start_to_qualifier(page, live_server.url, check)

    # Where, without JavaScript: search, choose a place from the list; no map.
    expect(page.get_by_role("heading", name="Where did it happen?")).to_be_visible()
    expect(page.locator("#where-map")).to_be_hidden()
    page.get_by_label("Search for an address, street, postcode or place").fill("Hackney")
    page.get_by_role("button", name="Search").click()
    check("reporting-where-results")
    page.get_by_role("radio").first.check()
    page.get_by_role("button", name="Continue").click()

    answer_steps_after_where(page, check)

    # Photos work without JavaScript too.
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "blue").save(buffer, format="JPEG")
    photo = tmp_path / "rubbish.jpg"
    photo.write_bytes(buffer.getvalue())
    check("reporting-photos")
    page.get_by_label("Choose photos").set_input_files(str(photo))
    page.get_by_role("button", name="Upload photos").click()
    expect(page.get_by_role("img", name="Photo 1 you added")).to_be_visible()
    check("reporting-photos-added")
    page.get_by_role("button", name="Continue", exact=True).click()

    answer_screening_and_contact(page, check, anonymous=True)

    check("reporting-check")
    assert "Anonymous" in page.content()
    page.get_by_role("button", name="Send report").click()

    report = Report.objects.get()
    assert report.anonymous
    assert report.location_source == "search"
    assert report.borough_code == "E09000012"
    assert report.photos.count() == 1
    expect(page.get_by_role("heading", name="Report sent")).to_be_visible()
    check("reporting-confirmation")

    page.goto(page.locator("#tracking-link").get_attribute("href"))
    page.get_by_label("Add more information").fill("It happened again tonight.")
    page.get_by_role("button", name="Add information").click()
    expect(page.get_by_text("We have added your information")).to_be_visible()
    check("reporting-track-added")


def test_find_and_emergency_pages_are_accessible(site_page, live_server, home_page):
    site_page.goto(live_server.url + "/report/find/")
    site_page.get_by_role("button", name="Email me the link").click()
    expect(site_page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(site_page, name="reporting-find-error")
    site_page.get_by_label("Report reference").fill("ASB-0000-0000")
    site_page.get_by_label("Email address").fill("someone@example.org")
    site_page.get_by_role("button", name="Email me the link").click()
    expect(site_page.get_by_role("heading", name="Check your email")).to_be_visible()
    assert_accessible(site_page, name="reporting-find-sent")
    site_page.goto(live_server.url + "/report/call-999/")
    assert_accessible(site_page, name="reporting-call-999")
