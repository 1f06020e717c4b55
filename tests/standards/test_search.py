import pytest
from wagtail.models import Page

from standards import factories
from tests.standards.conftest import publish

pytestmark = pytest.mark.django_db


def search(query: str) -> list:
    return list(Page.objects.live().public().specific().search(query))


def test_site_search_finds_every_page_type(hackney, hackney_central, home_page):
    london = publish(factories.LondonStandardsPageFactory(parent=home_page))
    advice_index = publish(factories.AdviceIndexPageFactory(parent=home_page))
    advice = publish(factories.AdvicePageFactory(parent=advice_index, title="The ASB case review"))
    assert hackney in search("Hackney")
    assert hackney_central in search("mopeds")  # only in its priorities
    assert london in search("London-wide")
    assert advice in search("case review")


def test_unpublished_pages_are_not_found(hackney_central):
    hackney_central.unpublish()
    assert hackney_central not in search("Narrow Way")
