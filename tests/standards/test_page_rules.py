from portal.models import HomePage
from standards.models import (
    AdviceIndexPage,
    AdvicePage,
    BoroughIndexPage,
    BoroughPage,
    LondonStandardsPage,
    NeighbourhoodPage,
)


def allowed(parent, child) -> bool:
    return child in parent.allowed_subpage_models() and parent in child.allowed_parent_page_models()


def test_home_page_children():
    for child in (LondonStandardsPage, BoroughIndexPage, AdviceIndexPage):
        assert allowed(HomePage, child)
    for child in (BoroughPage, NeighbourhoodPage, AdvicePage):
        assert not allowed(HomePage, child)


def test_borough_tree():
    assert allowed(BoroughIndexPage, BoroughPage)
    assert allowed(BoroughPage, NeighbourhoodPage)
    assert not allowed(BoroughIndexPage, NeighbourhoodPage)
    assert not allowed(BoroughPage, BoroughPage)
    assert NeighbourhoodPage.allowed_subpage_models() == []


def test_advice_tree():
    assert allowed(AdviceIndexPage, AdvicePage)
    assert not allowed(BoroughPage, AdvicePage)
    assert AdvicePage.allowed_subpage_models() == []
    assert LondonStandardsPage.allowed_subpage_models() == []


def test_singletons_cannot_be_added_twice(db, home_page):
    from standards import factories

    assert LondonStandardsPage.can_create_at(home_page)
    factories.LondonStandardsPageFactory(parent=home_page)
    factories.BoroughIndexPageFactory(parent=home_page)
    factories.AdviceIndexPageFactory(parent=home_page)
    assert not LondonStandardsPage.can_create_at(home_page)
    assert not BoroughIndexPage.can_create_at(home_page)
    assert not AdviceIndexPage.can_create_at(home_page)
