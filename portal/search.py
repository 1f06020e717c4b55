"""What a site search result shows: the page's title, what kind of page it is, and a
short snippet (its search description, else its summary or intro), cut at a word."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from wagtail.models import Page

from standards.text import shorten

SNIPPET_CHARS = 160
# The kind of page, in residents' words, by model label; other pages show no kind.
PAGE_KINDS = {
    "portal.homepage": "Home page",
    "standards.londonstandardspage": "Minimum standards",
    "standards.boroughindexpage": "Minimum standards",
    "standards.boroughpage": "Minimum standards",
    "standards.neighbourhoodpage": "Neighbourhood team",
    "standards.adviceindexpage": "Advice",
    "standards.advicepage": "Advice",
    "standards.informationpage": "About this site",
}
# Where a snippet comes from, first that has text wins.
SNIPPET_FIELDS = ("search_description", "summary", "intro")


@dataclass(frozen=True)
class SearchResult:
    title: str
    url: str
    kind: str
    snippet: str


def page_kind(page: Page) -> str:
    return PAGE_KINDS.get(page._meta.label_lower, "")


def snippet(page: Page) -> str:
    for field in SNIPPET_FIELDS:
        text = getattr(page, field, "")
        if isinstance(text, str) and text.strip():
            return shorten(text, SNIPPET_CHARS)
    return ""


def result_for(page: Page, request: HttpRequest | None = None) -> SearchResult:
    return SearchResult(
        title=page.title,
        url=page.get_url(request) or "",
        kind=page_kind(page),
        snippet=snippet(page),
    )
