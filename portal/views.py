"""Site-wide views: search, find your area, the health page. Thin: logic lives elsewhere."""

import re

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from wagtail.contrib.search_promotions.models import Query
from wagtail.models import Page

from geography.geocoding import MAX_QUERY_LENGTH
from portal.area_finder import find_area as find_area_for
from portal.search import result_for
from reporting import selectors as reporting_selectors
from reporting.outbox import selectors as outbox_selectors
from standards import selectors

RESULTS_PER_PAGE = 10
# Words only: quotes, brackets, "#" and control characters are full-text search syntax
# (or not text at all) to the database, and a resident typing them means none of that.
NOT_A_WORD = re.compile(r"[^\w\s'-]|[\x00-\x1f\x7f]")


def search_words(query: str) -> str:
    return " ".join(NOT_A_WORD.sub(" ", query).replace("_", " ").split())


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    query = search_words(request.GET.get("query", ""))[:MAX_QUERY_LENGTH]
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
    results_shown = [result_for(page, request) for page in page_obj.object_list]
    return TemplateResponse(
        request,
        "portal/search.html",
        {"query": query, "search_results": page_obj, "results": results_shown},
    )


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links: send them to the static one
    (a temporary redirect: its URL changes with its content in production)."""
    response = HttpResponseRedirect(static("favicon.ico"))
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def find_area(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    context = {"query": query, "boroughs": selectors.live_borough_pages()}
    if query:
        context["search"] = find_area_for(query)
    return TemplateResponse(request, "portal/find_area.html", context)


@never_cache
@require_GET
def exit_this_page(request: HttpRequest) -> HttpResponse:
    """ "Exit this page": forget this browser's session here (a report's unsent answers,
    the way to its confirmation) and go to a neutral site. A plain link, so it works
    without JavaScript; with it, GOV.UK Frontend's component also answers Shift x3."""
    request.session.flush()
    response = HttpResponseRedirect(settings.EXIT_THIS_PAGE_URL)
    response["Clear-Site-Data"] = '"cache", "storage"'
    response["Referrer-Policy"] = "no-referrer"
    return response


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For monitoring: is the database there, and is anything failing to leave the portal?

    ``status`` is "attention" when a message to a borough or SN team has been failing for
    longer than the borough's first-contact promise, or any message is dead. Counts and
    borough codes only: nothing here identifies a report or a person.
    """
    try:
        totals = outbox_selectors.totals()
        overdue = reporting_selectors.overdue_to_boroughs(None)
    except DatabaseError:
        return JsonResponse({"status": "down", "database": "unavailable"}, status=503)
    attention = bool(overdue) or totals.dead > 0
    return JsonResponse(
        {
            "status": "attention" if attention else "ok",
            "database": "ok",
            "outbox": {
                "queued": totals.queued,
                "in_flight": totals.in_flight,
                "dead": totals.dead,
                "oldest_waiting_seconds": totals.waiting_seconds,
                "overdue_to_boroughs": len(overdue),
                "overdue_boroughs": sorted({item.message.borough_code for item in overdue}),
            },
        }
    )
