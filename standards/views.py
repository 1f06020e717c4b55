"""Public, cache-friendly views of the standards app."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from standards import selectors


@require_safe
def priorities_feed(request: HttpRequest, ward_code: str) -> HttpResponse:
    """A neighbourhood's priorities in the police.uk neighbourhood priorities API format."""
    page = selectors.live_neighbourhood_for_ward_code(ward_code)
    if page is None:
        raise Http404("No published neighbourhood for this ward")
    last_modified = page.last_published_at.timestamp() if page.last_published_at else None
    not_modified = get_conditional_response(request, last_modified=last_modified)
    response = not_modified or JsonResponse(
        page.priorities_feed(), safe=False, json_dumps_params={"ensure_ascii": False}
    )
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=settings.PUBLIC_PAGE_CACHE_SECONDS)
    return response
