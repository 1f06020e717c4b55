"""A demo-like public site for the page-wide tests: one of every public page type, built
from the demo content (standards.demo_content) with the factories."""

from __future__ import annotations

from django.utils import timezone

from standards import demo_content, factories


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def build_public_site(home) -> dict:
    """Every public page type under ``home``: London-wide standards, the borough index,
    Hackney with Hackney Central, the advice pages and the footer's information pages."""
    london = publish(factories.LondonStandardsPageFactory(parent=home))
    index = publish(factories.BoroughIndexPageFactory(parent=home))
    hackney = publish(factories.BoroughPageFactory(parent=index, ons_code="E09000012"))
    spec = demo_content.NEIGHBOURHOODS["E09000012"][0]
    central = publish(
        factories.NeighbourhoodPageFactory(
            parent=hackney, **factories.demo_neighbourhood_kwargs(spec)
        )
    )
    advice_index = publish(factories.AdviceIndexPageFactory(parent=home))
    advice = [
        publish(factories.AdvicePageFactory(parent=advice_index, **spec))
        for spec in demo_content.ADVICE_PAGES
    ]
    information = {
        spec["slug"]: publish(
            factories.InformationPageFactory(parent=home, last_updated=timezone.localdate(), **spec)
        )
        for spec in demo_content.information_pages()
    }
    return {
        "home": home,
        "london": london,
        "index": index,
        "hackney": hackney,
        "central": central,
        "advice_index": advice_index,
        "advice": advice,
        "information": information,
    }


def public_urls(site: dict) -> dict[str, str]:
    """Name -> path of every public page of ``site``, and the site-wide pages."""
    urls = {
        "home": "/",
        "london": site["london"].url,
        "boroughs": site["index"].url,
        "borough": site["hackney"].url,
        "team": site["central"].url,
        "advice-index": site["advice_index"].url,
        "search": "/search/?query=noise",
        "find-your-area": "/find-your-area/?q=Hackney",
        "follow-your-report": "/report/find/",
        "report-start": "/report/",
        "report-safety": "/report/step/safety/",
        "report-call-999": "/report/call-999/",
        "not-found": "/no-such-page/",
    }
    for number, page in enumerate(site["advice"]):
        urls[f"advice-{number}"] = page.url
    for slug, page in site["information"].items():
        urls[f"footer-{slug}"] = page.url
    return urls
