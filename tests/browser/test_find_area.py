"""Find your area in a browser, on a phone and on a desktop: results, areas and the "not in
London" answer, with the postcode data's attribution, accessible (axe)."""

import pytest
from playwright.sync_api import expect

from standards import demo_content, factories
from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def publish(page):
    page.save_revision().publish()
    return page


@pytest.fixture
def hackney(home_page):
    index = factories.BoroughIndexPageFactory(parent=home_page)
    borough = publish(factories.BoroughPageFactory(parent=index, ons_code="E09000012"))
    spec = next(
        s for s in demo_content.NEIGHBOURHOODS["E09000012"] if s["title"] == "Hackney Central"
    )
    publish(
        factories.NeighbourhoodPageFactory(
            parent=borough, **factories.demo_neighbourhood_kwargs(spec)
        )
    )
    return borough


@pytest.mark.parametrize("width", [375, 1280])
def test_find_your_area_by_postcode_district_and_outside_london(
    site_page, live_server, hackney, width
):
    site_page.set_viewport_size({"width": width, "height": 900})
    site_page.goto(live_server.url + "/find-your-area/")
    site_page.get_by_label("Find your borough and neighbourhood team").first.fill("e81dy")
    site_page.get_by_role("button", name="Find").click()
    expect(site_page.get_by_role("heading", name="E8 1DY, Hackney")).to_be_visible()
    assert site_page.get_by_role("link", name="Hackney Central").is_visible()
    assert site_page.get_by_text("Contains OS data © Crown copyright").is_visible()
    assert_accessible(site_page, name=f"find-area-postcode-{width}")

    site_page.goto(live_server.url + "/find-your-area/?q=E8")
    assert site_page.get_by_text("more than one Safer Neighbourhoods team").is_visible()
    assert_accessible(site_page, name=f"find-area-district-{width}")

    site_page.goto(live_server.url + "/find-your-area/?q=WD17+1AA")
    assert site_page.get_by_text("is outside London").is_visible()
    assert site_page.get_by_role("link", name="find your local council on GOV.UK").is_visible()
    assert_accessible(site_page, name=f"find-area-outside-{width}")
