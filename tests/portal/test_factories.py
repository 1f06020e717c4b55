"""The portal's factory makes the home page the default site serves."""

from __future__ import annotations

from wagtail.models import Site

from portal.factories import home_page


def test_home_page_is_made_once_and_is_the_default_sites_root(client, db):
    home = home_page()
    assert home_page() == home  # made once
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    assert home.live and home.intro.startswith("Report anti-social behaviour")
    assert client.get("/").status_code == 200
