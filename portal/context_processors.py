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


def _first_live_page_url(model_label: str, request: HttpRequest) -> str | None:
    """The URL of the first live page of a type, cached until any page is published."""
    key = NAV_CACHE_KEY.format(generation=page_cache.current_generation(), label=model_label)
    cached = cache.get(key)
    if cached is not None:
        return cached or None
    try:
        model = apps.get_model(model_label)
    except LookupError:
        return None
    page = model.objects.live().order_by("path").first()
    url = page.get_url(request) if page else None
    cache.set(key, url or "", NAV_CACHE_SECONDS)
    return url


class PortalLinks:
    """Navigation links, each looked up only when a template asks for it."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.site_name = settings.WAGTAIL_SITE_NAME

    @property
    def report_url(self) -> str:
        return _url_or_none("reporting:start") or "/"

    @property
    def map_url(self) -> str | None:
        return _url_or_none("mapping:london")

    @property
    def boroughs_url(self) -> str:
        return _first_live_page_url("standards.BoroughIndexPage", self.request) or "/"

    @property
    def advice_url(self) -> str | None:
        return _first_live_page_url("standards.AdviceIndexPage", self.request)

    @property
    def standards_url(self) -> str | None:
        return _first_live_page_url("standards.LondonStandardsPage", self.request)


def portal(request: HttpRequest) -> dict:
    return {"portal": SimpleLazyObject(lambda: PortalLinks(request))}
