"""Template context shared by every page: the site name and the main navigation links."""

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject

from portal import page_cache


def _url_or_none(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


NAV_CACHE_KEY = "portal:nav:{generation}:{label}"
NAV_CACHE_SECONDS = 300


# The pages the navigation links to: the first live page of each type.
NAV_PAGES = (
    "standards.BoroughIndexPage",
    "standards.AdviceIndexPage",
    "standards.LondonStandardsPage",
)


def _first_live_page_url(model_label: str, request: HttpRequest) -> str | None:
    try:
        model = apps.get_model(model_label)
    except LookupError:
        return None
    page = model.objects.live().order_by("path").first()
    return page.get_url(request) if page else None


def nav_urls(request: HttpRequest) -> dict[str, str | None]:
    """Every navigation page's URL, cached until any page is published: two cache round
    trips a page (the publish generation, then all the links at once)."""
    generation = page_cache.current_generation()
    keys = {label: NAV_CACHE_KEY.format(generation=generation, label=label) for label in NAV_PAGES}
    cached = cache.get_many(list(keys.values()))
    urls, missing = {}, {}
    for label, key in keys.items():
        if key in cached:
            urls[label] = cached[key] or None
        else:
            urls[label] = _first_live_page_url(label, request)
            missing[key] = urls[label] or ""
    if missing:
        cache.set_many(missing, NAV_CACHE_SECONDS)
    return urls


class PortalLinks:
    """Navigation links, each looked up only when a template asks for it."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.site_name = settings.WAGTAIL_SITE_NAME
        self._pages: dict[str, str | None] | None = None

    def _page(self, label: str) -> str | None:
        if self._pages is None:
            self._pages = nav_urls(self.request)
        return self._pages[label]

    @property
    def report_url(self) -> str:
        return _url_or_none("reporting:start") or "/"

    @property
    def map_url(self) -> str | None:
        return _url_or_none("mapping:london")

    @property
    def boroughs_url(self) -> str:
        return self._page("standards.BoroughIndexPage") or "/"

    @property
    def advice_url(self) -> str | None:
        return self._page("standards.AdviceIndexPage")

    @property
    def standards_url(self) -> str | None:
        return self._page("standards.LondonStandardsPage")


def portal(request: HttpRequest) -> dict:
    return {"portal": SimpleLazyObject(lambda: PortalLinks(request))}
