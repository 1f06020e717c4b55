from django.http import HttpRequest
from wagtail import hooks
from wagtail.models import Page

from portal.page_cache import mark_cacheable


@hooks.register("before_serve_page")
def allow_public_page_cache(page: Page, request: HttpRequest, serve_args, serve_kwargs) -> None:
    """Public pages with no view restriction may be cached whole for anonymous visitors."""
    if not page.get_view_restrictions().exists():
        mark_cacheable(request)
