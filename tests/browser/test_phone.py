"""The whole page, header and footer included, at a phone's width."""

import pytest

from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_on_a_phone_is_accessible(site_page, live_server, home_page):
    site_page.set_viewport_size({"width": 375, "height": 740})
    site_page.goto(live_server.url + "/")
    width = site_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "the page scrolls sideways on a phone"
    assert_accessible(site_page, name="home-phone")
