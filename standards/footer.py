"""The pages the footer links to: information pages found by their slug, in this order.

Editors keep the pages themselves in the CMS (``InformationPage``); a page that is missing
or not live is left out of the footer rather than linked broken.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from standards.models import InformationPage

# Slugs of the footer's information pages, in the order the footer shows them.
FOOTER_SLUGS = ("privacy", "accessibility", "cookies", "contact")


@dataclass(frozen=True)
class FooterLink:
    slug: str
    title: str
    url: str


def footer_links(request: HttpRequest | None = None) -> list[FooterLink]:
    """The live, public information pages of ``FOOTER_SLUGS``, in that order."""
    pages = InformationPage.objects.live().public().filter(slug__in=FOOTER_SLUGS)
    by_slug: dict[str, InformationPage] = {}
    for page in pages.order_by("path"):
        by_slug.setdefault(page.slug, page)
    links = []
    for slug in FOOTER_SLUGS:
        page = by_slug.get(slug)
        url = page.get_url(request) if page is not None else None
        if url:
            links.append(FooterLink(slug=slug, title=page.title, url=url))
    return links
