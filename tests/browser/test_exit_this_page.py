"""Exit this page (GOV.UK Design System): the button, Shift three times, and a plain link
without JavaScript. Each leaves for the neutral site and forgets the answers typed so far
(Back shows the step empty); with JavaScript the page left is replaced in the history."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The neutral site stands in on the live server (Playwright does not intercept the hop
# after a redirect, and nothing may leave loopback): the health page, reached with a mark.
NEUTRAL_PATH = "/healthz?left=1"
WIDTHS = [375, 1280]


def _answer_first_step(page, base_url: str) -> None:
    page.goto(base_url + "/report/")
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    expect(
        page.get_by_role("heading", name="What kind of anti-social behaviour is it?")
    ).to_be_visible()


def _component_ready(page) -> None:
    """GOV.UK Frontend has started the component (it listens for Shift from then on)."""
    page.wait_for_selector("[data-govuk-exit-this-page-init]", state="attached")


def _history_length(page) -> int:
    return page.evaluate("window.history.length")


def _answers_forgotten(page, base_url: str) -> None:
    page.goto(base_url + "/report/step/safety/")
    expect(page.get_by_label("No", exact=True)).not_to_be_checked()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_button_leaves_and_forgets(site_page, live_server, home_page, settings, width):
    settings.EXIT_THIS_PAGE_URL = neutral = live_server.url + NEUTRAL_PATH
    site_page.set_viewport_size({"width": width, "height": 800})
    _answer_first_step(site_page, live_server.url)
    button = site_page.get_by_role("button", name="Emergency Exit this page")
    expect(button).to_be_visible()
    _component_ready(site_page)
    assert_accessible(site_page, name=f"exit-this-page-{width}")
    entries = _history_length(site_page)
    button.click()
    site_page.wait_for_url(neutral)
    assert _history_length(site_page) == entries  # the step was replaced, not stacked
    site_page.go_back()
    assert "/report/step/category/" not in site_page.url
    _answers_forgotten(site_page, live_server.url)


@pytest.mark.parametrize("width", WIDTHS)
def test_shift_three_times_leaves(site_page, live_server, home_page, settings, width):
    settings.EXIT_THIS_PAGE_URL = neutral = live_server.url + NEUTRAL_PATH
    site_page.set_viewport_size({"width": width, "height": 800})
    _answer_first_step(site_page, live_server.url)
    _component_ready(site_page)
    entries = _history_length(site_page)
    for _ in range(3):
        site_page.keyboard.press("Shift")
    site_page.wait_for_url(neutral)
    assert _history_length(site_page) == entries  # the step was replaced, not stacked
    _answers_forgotten(site_page, live_server.url)


@pytest.mark.parametrize("width", WIDTHS)
def test_without_javascript_it_is_a_plain_link(browser, live_server, home_page, settings, width):
    settings.EXIT_THIS_PAGE_URL = neutral = live_server.url + NEUTRAL_PATH
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": width, "height": 800}
    )
    try:
        page = context.new_page()
        page.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith(live_server.url)
                else route.abort()
            ),
        )
        _answer_first_step(page, live_server.url)
        page.get_by_role("button", name="Emergency Exit this page").click()
        page.wait_for_url(neutral)
        _answers_forgotten(page, live_server.url)
    finally:
        context.close()
