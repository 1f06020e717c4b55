import re

import pytest
from playwright.sync_api import expect

from mapping.demo import import_paths
from tests.browser.conftest import assert_accessible
from tests.mapping.conftest import CITY, MET

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_map_page_is_accessible_and_keyboard_operable(site_page, live_server, home_page):
    import_paths([CITY, MET])
    site_page.goto(live_server.url + "/map/?month_from=2025-02&month_to=2025-05")
    assert (
        site_page.get_by_role("heading", level=1).inner_text()
        == "Crime and anti-social behaviour in London"
    )
    status = site_page.locator("[data-mapping-status]")
    status.filter(has_text="Showing").wait_for()
    markers = site_page.locator(".leaflet-marker-icon[role=button]")
    assert markers.count() > 0
    assert "incident" in markers.first.get_attribute("aria-label")
    # The tables carry the same numbers for anyone not using the map.
    assert site_page.get_by_role("table", name="By borough").is_visible()
    assert_accessible(site_page, name="mapping-london")

    # Keyboard: focus a circle and press Enter to zoom in.
    zoom_before = site_page.evaluate("window.mappingMaps['london-map'].getZoom()")
    markers.first.focus()
    site_page.keyboard.press("Enter")
    site_page.wait_for_function(
        f"window.mappingMaps['london-map'].getZoom() > {zoom_before}", timeout=5000
    )


def test_map_page_filters_work_without_javascript(browser, live_server):
    import_paths([CITY])
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(live_server.url) else route.abort()
        ),
    )
    page.goto(live_server.url + "/map/")
    page.get_by_label("Borough").select_option("E09000001")
    page.get_by_label("Anti-social behaviour").check()
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"City of London$"))
    expect(page.get_by_role("table", name="By type, in City of London")).to_be_visible()
    # axe needs JavaScript, so this page is checked with it in the test above.
    page.screenshot(path="var/screenshots/mapping-london-no-js.png", full_page=True)
    context.close()
