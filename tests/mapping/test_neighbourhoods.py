"""Neighbourhood tagging through the standards pages (the real selector and models)."""

from decimal import Decimal

from django.db.models import Sum

from mapping.demo import import_paths
from mapping.models import AreaMonth, PointMonth, SnapPoint
from mapping.sections import borough_section, neighbourhood_section
from mapping.services import retag_neighbourhoods
from standards import factories
from tests.mapping.conftest import CITY


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def city_neighbourhood(home_page):
    index = factories.BoroughIndexPageFactory(parent=home_page)
    city = publish(factories.BoroughPageFactory(parent=index, ons_code="E09000001"))
    page = publish(
        factories.NeighbourhoodPageFactory(
            parent=city,
            title="Cornhill",
            ward_code="E05009302",
            centre_latitude=Decimal("51.513400"),
            centre_longitude=Decimal("-0.087700"),
        )
    )
    return city, page


def test_imported_rows_are_tagged_with_the_neighbourhood(home_page):
    city, page = city_neighbourhood(home_page)
    import_paths([CITY])
    tagged = SnapPoint.objects.filter(ward_code="E05009302")
    assert set(tagged.values_list("borough_code", flat=True)) == {"E09000001"}
    in_city = PointMonth.objects.filter(snap__borough_code="E09000001")
    in_city = in_city.aggregate(n=Sum("total"))["n"]
    ward = AreaMonth.objects.filter(kind="ward", code="E05009302").aggregate(n=Sum("total"))
    # The City's only neighbourhood page (no boundary) takes the City's locations (but
    # not the few whose point lies over the boundary), and none in other boroughs (a
    # location counts where its LSOA is).
    assert 0.95 * in_city < ward["n"] <= in_city

    html = neighbourhood_section(page, None)
    assert "Crime and anti-social behaviour in Cornhill" in html
    html = borough_section(city, None)
    assert "Crime and anti-social behaviour in City of London" in html


def test_retagging_after_a_neighbourhood_is_published(home_page):
    import_paths([CITY])
    assert not SnapPoint.objects.exclude(ward_code="").exists()
    city_neighbourhood(home_page)
    assert retag_neighbourhoods() > 0
    assert AreaMonth.objects.filter(kind="ward", code="E05009302").exists()
