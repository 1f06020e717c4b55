"""Fixtures for the standards tests: a small page tree built with the factories."""

from __future__ import annotations

import pytest

from standards import demo_content, factories


@pytest.fixture
def borough_index(home_page):
    return factories.BoroughIndexPageFactory(parent=home_page)


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def hackney(borough_index):
    return publish(factories.BoroughPageFactory(parent=borough_index, ons_code="E09000012"))


@pytest.fixture
def lambeth(borough_index):
    return publish(factories.BoroughPageFactory(parent=borough_index, ons_code="E09000022"))


def demo_neighbourhood(borough, title):
    spec = next(s for s in demo_content.NEIGHBOURHOODS[borough.ons_code] if s["title"] == title)
    return publish(
        factories.NeighbourhoodPageFactory(
            parent=borough, **factories.demo_neighbourhood_kwargs(spec)
        )
    )


@pytest.fixture
def hackney_central(hackney):
    return demo_neighbourhood(hackney, "Hackney Central")


@pytest.fixture
def hackney_downs(hackney):
    return demo_neighbourhood(hackney, "Hackney Downs")


@pytest.fixture
def coldharbour(lambeth):
    return demo_neighbourhood(lambeth, "Coldharbour")
