"""An axe sweep of every public page type on demo-like content, at a phone's width
(375 px) and a desktop's (1280 px): no serious or critical WCAG 2.2 AA violation, nothing
scrolls sideways on a phone, and the navigation, footer and favicon work.

The report steps and the map have their own sweeps (test_reporting_flow.py and
test_mapping_map.py)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.portal.public_site import build_public_site, public_urls

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def public_site(home_page):
    return build_public_site(home_page)


@pytest.mark.parametrize(("size", "viewport"), [("375", PHONE), ("1280", DESKTOP)])
def test_every_public_page_is_accessible(site_page, live_server, public_site, size, viewport):
    site_page.set_viewport_size(viewport)
    for name, url in public_urls(public_site).items():
        response = site_page.goto(live_server.url + url)
        assert response.status == (404 if name == "not-found" else 200), name
        expect(site_page.get_by_role("heading", level=1)).to_be_visible()
        if viewport is PHONE:
            width = site_page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{name} scrolls sideways on a phone ({width}px)"
        assert_accessible(site_page, name=f"public-{name}-{size}")


def test_navigation_on_a_phone(site_page, live_server, public_site):
    site_page.set_viewport_size(PHONE)
    site_page.goto(live_server.url + "/find-your-area/")
    menu = site_page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()  # GOV.UK Frontend collapses the navigation on a phone
    menu.click()
    navigation = site_page.get_by_role("navigation", name="Main")
    for label in ("Report ASB", "Find your area", "Follow your report", "Maps"):
        expect(navigation.get_by_role("link", name=label)).to_be_visible()
    expect(navigation.locator("[aria-current=page]")).to_have_text("Find your area")
    navigation.get_by_role("link", name="Follow your report").click()
    expect(site_page.locator("[aria-current=page]")).to_have_text("Follow your report")


def test_navigation_without_javascript(browser, live_server, public_site):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(live_server.url) else route.abort()
        ),
    )
    page.goto(live_server.url + "/")
    navigation = page.get_by_role("navigation", name="Main")
    for label in ("Report ASB", "Find your area", "Follow your report", "Maps"):
        expect(navigation.get_by_role("link", name=label)).to_be_visible()
    context.close()


def test_footer_phone_numbers_and_favicon(site_page, live_server, public_site):
    site_page.set_viewport_size(PHONE)
    site_page.goto(live_server.url + "/")
    footer = site_page.locator("footer")
    for name in ("Privacy notice", "Accessibility statement", "Cookies", "Contact"):
        expect(footer.get_by_role("link", name=name)).to_be_visible()
    expect(site_page.locator('a[href="tel:999"]').first).to_be_visible()
    expect(footer.locator('a[href="tel:+448081689111"]')).to_have_text("08 08 16 89 111")
    footer.get_by_role("link", name="Accessibility statement").click()
    expect(site_page.get_by_role("heading", level=1)).to_have_text("Accessibility statement")
    icon = site_page.request.get(live_server.url + "/favicon.ico")
    assert icon.status == 200 and icon.body()[:4] == b"\x00\x00\x01\x00"
    svg = site_page.request.get(live_server.url + "/static/favicon.svg")
    assert svg.status == 200 and svg.headers["content-type"].startswith("image/svg")
