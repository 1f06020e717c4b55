"""Template context shared by every page: the site name and the main navigation links."""

from django.apps import apps
from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject


def _url_or_none(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def _first_live_page_url(model_label: str, request: HttpRequest) -> str | None:
    try:
        model = apps.get_model(model_label)
    except LookupError:
        return None
    page = model.objects.live().order_by("path").first()
    return page.get_url(request) if page else None


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
