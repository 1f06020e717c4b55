"""The footer's privacy notice, accessibility statement, cookies and contact pages
(information pages editors keep in the CMS), the navigation, and the favicon."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client

from standards import demo_content, factories
from standards.footer import FOOTER_SLUGS
from tests.portal.public_site import publish

pytestmark = pytest.mark.django_db


def footer_links(html: str) -> list[str]:
    footer = html[html.index('<footer class="govuk-footer">') :]
    return [part.split('"', 1)[0] for part in footer.split('class="govuk-footer__link" href="')[1:]]


@pytest.fixture
def information_pages(home_page):
    return {
        spec["slug"]: publish(factories.InformationPageFactory(parent=home_page, **spec))
        for spec in demo_content.information_pages()
    }


def test_the_footer_links_every_information_page(client, information_pages):
    html = client.get("/").content.decode()
    assert footer_links(html)[:4] == ["/privacy/", "/accessibility/", "/cookies/", "/contact/"]
    for slug in FOOTER_SLUGS:
        response = client.get(f"/{slug}/")
        assert response.status_code == 200
        assert response.context["page"].title in html


def test_a_missing_or_unpublished_page_is_left_out_not_linked_broken(client, information_pages):
    information_pages["cookies"].unpublish()
    information_pages["contact"].delete()
    links = footer_links(client.get("/").content.decode())
    assert "/privacy/" in links and "/accessibility/" in links
    assert "/cookies/" not in links and "/contact/" not in links
    for url in links:
        if url.startswith("/"):
            assert client.get(url).status_code == 200, url


def test_a_site_without_information_pages_still_has_a_footer(client, home_page):
    html = client.get("/").content.decode()
    assert '<footer class="govuk-footer">' in html
    assert "/privacy/" not in footer_links(html)


def test_editors_change_the_footer_page_and_the_footer_follows(client, information_pages):
    page = information_pages["privacy"]
    page.title = "How we use your information"
    publish(page)
    assert "How we use your information" in client.get("/").content.decode()


def test_the_privacy_notice_gives_the_real_retention_periods(client, information_pages):
    html = client.get("/privacy/").content.decode()
    assert f"{settings.REPORTING_RETENTION_DAYS} days" in html
    assert f"{settings.SESSION_COOKIE_AGE // 3600} hours at most" in html
    cookies = client.get("/cookies/").content.decode()
    assert "sessionid" in cookies and "csrftoken" in cookies
    assert "do not use analytics" in cookies
    assert "WCAG) version 2.2 at level AA" in client.get("/accessibility/").content.decode()


def test_the_demo_loader_creates_the_footer_pages_once(tmp_path, settings):
    from io import StringIO

    from standards import demo
    from standards.models import InformationPage

    settings.VAR_DIR = tmp_path
    demo.load(stdout=StringIO())
    demo.load(stdout=StringIO())
    assert sorted(InformationPage.objects.live().values_list("slug", flat=True)) == sorted(
        FOOTER_SLUGS
    )
    links = footer_links(Client().get("/").content.decode())
    assert links[:4] == [f"/{slug}/" for slug in FOOTER_SLUGS]


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/report/", "Report ASB"),
        ("/find-your-area/", "Find your area"),
        ("/report/find/", "Follow your report"),
        ("/map/", "Maps"),
        ("/search/", "Search"),
    ],
)
def test_the_navigation_marks_the_current_page(client, home_page, path, current):
    html = client.get(path, follow=True).content.decode()
    nav = html[html.index('<ul class="govuk-service-navigation__list"') :]
    nav = nav[: nav.index("</ul>")]
    for label in ("Report ASB", "Find your area", "Follow your report", "Maps"):
        assert f">{label}<" in nav
    assert nav.count("aria-current=") == 1
    marked = nav[nav.index("aria-current=") :]
    assert marked.split("</strong>", 1)[0].endswith(current), marked[:200]


def test_the_home_page_marks_nothing_current(client, home_page):
    html = client.get("/").content.decode()
    assert "govuk-service-navigation" in html
    assert "aria-current" not in html[html.index("govuk-service-navigation") :].split("</nav>")[0]


def test_favicon(client, home_page):
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/favicon.ico"
    # The test client has no static files (collectstatic): the finders have them, and the
    # browser test (tests/browser/test_public_pages.py) fetches them from the live server.
    assert Path(finders.find("favicon.ico")).read_bytes()[:4] == b"\x00\x00\x01\x00"  # ICO
    assert Path(finders.find("favicon.svg")).read_text(encoding="utf-8").startswith("<svg")
