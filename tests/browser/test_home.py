import pytest

from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_is_accessible(site_page, live_server, home_page):
    site_page.goto(live_server.url + "/")
    assert (
        site_page.get_by_role("heading", level=1).inner_text() == "Anti-social behaviour in London"
    )
    assert site_page.get_by_role("button", name="Report anti-social behaviour").is_visible()
    assert_accessible(site_page, name="home")
