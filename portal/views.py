"""Site-wide views: search, find your area, health check. Thin: logic lives in plain modules."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET
from wagtail.contrib.search_promotions.models import Query
from wagtail.models import Page

from geography.geocoding import MAX_QUERY_LENGTH
from portal.area_finder import find_area as find_area_for
from standards import selectors

RESULTS_PER_PAGE = 10


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("query", "").strip()[:MAX_QUERY_LENGTH]
    results = Page.objects.none()
    if query:
        results = Page.objects.live().public().specific().search(query)
        Query.get(query).add_hit()
    paginator = Paginator(results, RESULTS_PER_PAGE)
    try:
        page_obj = paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        page_obj = paginator.page(1)
    except EmptyPage:
        page_obj = paginator.page(paginator.num_pages)
    return TemplateResponse(
        request, "portal/search.html", {"query": query, "search_results": page_obj}
    )


@require_GET
def find_area(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    context = {"query": query, "boroughs": selectors.live_borough_pages()}
    if query:
        context["search"] = find_area_for(query)
    return TemplateResponse(request, "portal/find_area.html", context)


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})
