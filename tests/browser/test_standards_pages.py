import pytest
from playwright.sync_api import expect

from standards import demo_content, factories
from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def wagtail_base(transactional_db):
    """The default locale and root page that Wagtail's migrations create.

    The flush after each transactional test empties every table, so a later test in the
    same session finds neither.
    """
    from django.conf import settings
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Locale, Page

    locale, _ = Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))


@pytest.fixture
def tree(wagtail_base, home_page):
    index = publish(factories.BoroughIndexPageFactory(parent=home_page))
    publish(factories.LondonStandardsPageFactory(parent=home_page))
    advice = publish(factories.AdviceIndexPageFactory(parent=home_page))
    advice_page = publish(
        factories.AdvicePageFactory(parent=advice, **demo_content.ADVICE_PAGES[0])
    )
    hackney = publish(factories.BoroughPageFactory(parent=index, ons_code="E09000012"))
    spec = demo_content.NEIGHBOURHOODS["E09000012"][0]
    central = publish(
        factories.NeighbourhoodPageFactory(
            parent=hackney, **factories.demo_neighbourhood_kwargs(spec)
        )
    )
    return {"index": index, "hackney": hackney, "central": central, "advice": advice_page}


def test_borough_page_is_accessible(site_page, live_server, tree):
    site_page.goto(live_server.url + tree["hackney"].url)
    assert site_page.get_by_role("heading", level=1).inner_text() == "Hackney"
    assert site_page.get_by_role("button", name="Report ASB in Hackney").is_visible()
    assert site_page.get_by_role("table", name="What we promise, and how quickly").is_visible()
    site_page.get_by_role("link", name="Hackney Central").click()
    expect(site_page.get_by_role("heading", level=1)).to_have_text("Hackney Central")
    site_page.goto(live_server.url + tree["hackney"].url)
    assert_accessible(site_page, name="standards-borough")


def test_neighbourhood_page_is_accessible(site_page, live_server, tree):
    site_page.goto(live_server.url + tree["central"].url)
    assert site_page.get_by_role("heading", name="Our current priorities").is_visible()
    assert site_page.get_by_role("heading", name="Past priorities").is_visible()
    assert_accessible(site_page, name="standards-neighbourhood")
    site_page.get_by_role("link", name="Get these priorities as open data").click()
    assert '"issue-date"' in site_page.content()


def test_neighbourhood_page_on_a_phone(site_page, live_server, tree):
    site_page.set_viewport_size({"width": 375, "height": 740})
    site_page.goto(live_server.url + tree["central"].url)
    width = site_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "the page scrolls sideways on a phone"
    assert_accessible(site_page, name="standards-neighbourhood-mobile")


def test_index_and_advice_pages_are_accessible(site_page, live_server, tree):
    site_page.goto(live_server.url + tree["index"].url)
    assert_accessible(site_page, name="standards-borough-index")
    site_page.goto(live_server.url + tree["advice"].url)
    assert site_page.get_by_text("Vehicle abandoned (not stolen)").is_visible()
    assert_accessible(site_page, name="standards-advice")
