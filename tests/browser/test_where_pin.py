"""The "where" step's pin, in Chromium on a phone and on a desktop: a pin dropped outside
London is explained, can be removed (its latitude and longitude go with it) or moved back
into London, and the report is sent with the place named by its street, never as numbers.

axe-core runs on every page of the flow, at each width. Tiles are stubbed (site_page).
"""

import pytest
from playwright.sync_api import expect

from mapping.factories import SnapPointFactory
from reporting.error_messages import OUTSIDE_LONDON_MESSAGE
from reporting.models import Report
from tests.browser.conftest import SCREENSHOT_DIR, assert_accessible
from tests.browser.test_reporting_flow import (
    answer_screening_and_contact,
    answer_steps_after_where,
    start_to_qualifier,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WATFORD = (51.6565, -0.3903)
# The only "Mare Street" snap point in the shipped February 2025 Met file.
MARE_STREET = (51.534337, -0.057322)
WIDTHS = {"phone": (375, 812), "desktop": (1280, 900)}


def centre_map_on(page, point: tuple[float, float]) -> None:
    page.evaluate(
        "([lat, lng]) => window.reportingWhereMap.map.setView([lat, lng], 17, {animate: false})",
        list(point),
    )


def tap_map_centre(page) -> None:
    """Select the middle of the map (where centre_map_on put the point)."""
    page.locator("#where-map").scroll_into_view_if_needed()
    box = page.locator("#where-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def hidden_point(page) -> tuple[str, str, str]:
    return (
        page.locator("#id_latitude").input_value(),
        page.locator("#id_longitude").input_value(),
        page.locator("#id_location_source").input_value(),
    )


@pytest.mark.parametrize("width", WIDTHS, ids=list(WIDTHS))
def test_a_pin_outside_london_is_explained_removed_and_moved(
    site_page, live_server, home_page, width
):
    SnapPointFactory(
        latitude=MARE_STREET[0],
        longitude=MARE_STREET[1],
        location="On or near Mare Street",
        lsoa_code="E01035660",
        lsoa_name="Tower Hamlets 002E",
        borough_code="E09000030",
    )
    page = site_page
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))

    def check(name):
        # From the top, as the page opens: scrolled, the sticky "Exit this page" button
        # lies over whatever is under it, and axe counts that against the target below.
        page.wait_for_load_state("load")
        expect(page.locator("h1")).to_be_visible()
        page.evaluate("() => window.scrollTo(0, 0)")
        assert_accessible(page, name=f"where-pin-{width}-{name}")

    start_to_qualifier(page, live_server.url, check)
    status = page.locator("#where-map-status")
    message = page.locator("#where-map-error")
    remove = page.get_by_role("button", name="Remove the pin")
    expect(page.locator("#where-map.leaflet-container")).to_be_visible()
    expect(remove).to_be_hidden()

    # A pin in Watford: the message says why and what to do, and the pin can go.
    centre_map_on(page, WATFORD)
    tap_map_centre(page)
    expect(message).to_be_visible()
    expect(message).to_contain_text(OUTSIDE_LONDON_MESSAGE)
    expect(status).to_contain_text("The pin is outside London")
    expect(remove).to_be_visible()
    assert hidden_point(page)[2] == "map"
    check("outside")

    remove.click()
    expect(remove).to_be_hidden()
    expect(message).to_be_hidden()
    expect(status).to_contain_text("Pin removed")
    assert hidden_point(page) == ("", "", "")
    assert page.locator(".leaflet-marker-icon").count() == 0
    check("removed")

    # Sent anyway with a pin outside London: refused, the pin forgotten, nothing lost.
    tap_map_centre(page)
    expect(message).to_be_visible()
    page.get_by_label("Describe the place").fill("By the bus stop")
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text(OUTSIDE_LONDON_MESSAGE)
    assert page.title().startswith("Error: ")
    assert hidden_point(page) == ("", "", "")
    assert page.locator(".leaflet-marker-icon").count() == 0
    expect(page.get_by_label("Describe the place")).to_have_value("By the bus stop")
    check("refused")

    # Dropped outside again, then moved into London: the message goes, the street is named.
    centre_map_on(page, WATFORD)
    tap_map_centre(page)
    expect(message).to_be_visible()
    centre_map_on(page, MARE_STREET)
    tap_map_centre(page)
    expect(message).to_be_hidden()
    expect(status).to_contain_text("Pin placed near Mare Street, ")
    assert page.locator(".leaflet-marker-icon").count() == 1
    latitude, longitude, source = hidden_point(page)
    assert abs(float(latitude) - MARE_STREET[0]) < 0.0005
    assert abs(float(longitude) - MARE_STREET[1]) < 0.0005
    assert source == "map"
    page.screenshot(path=str(SCREENSHOT_DIR / f"where-pin-{width}-inside-viewport.png"))
    check("inside")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="When did it happen?")).to_be_visible()

    answer_steps_after_where(page, check)
    check("photos")
    page.get_by_role("button", name="Continue without photos").click()
    answer_screening_and_contact(page, check)

    check("check")
    place = page.locator(".govuk-summary-list__row").filter(
        has=page.get_by_text("Place", exact=True)
    )
    expect(place).to_contain_text("Near Mare Street, ")
    expect(place).not_to_contain_text(latitude[:6])
    page.get_by_role("button", name="Send report").click()

    expect(page.get_by_role("heading", name="Report sent")).to_be_visible()
    report = Report.objects.get()
    assert report.location_source == "map"
    assert report.location_description == "By the bus stop"
    expect(page.locator("#report-place")).to_contain_text("Near Mare Street, ")
    content = page.content()
    assert latitude[:6] not in content and longitude[:6] not in content
    check("confirmation")

    page.goto(page.locator("#tracking-link").get_attribute("href"))
    expect(page.locator("#report-place")).to_contain_text("Near Mare Street, ")
    assert latitude[:6] not in page.content()
    check("track")
