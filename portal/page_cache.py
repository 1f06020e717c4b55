"""Whole-response cache for public pages, invalidated when content is published.

Anonymous visitors (no session cookie) asking with GET or HEAD for a page that said it
may be cached get a stored copy without routing, database queries or rendering. A page
says so by calling :func:`mark_cacheable` on the request (the Wagtail hook in
``portal/wagtail_hooks.py`` does it for every public page without view restrictions).

Invalidation: the cache key includes a generation number that :func:`invalidate` bumps;
``portal/signals.py`` calls it whenever a page is published, unpublished, moved or
deleted, so every process sharing the cache (web, worker, scheduler) sees new content at
once. Entries also expire after ``PUBLIC_PAGE_CACHE_SECONDS``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

GENERATION_KEY = "portal:page-cache:generation"
CACHEABLE_ATTR = "_portal_page_cacheable"


def mark_cacheable(request: HttpRequest) -> None:
    setattr(request, CACHEABLE_ATTR, True)


def invalidate() -> None:
    """Make every cached public page stale (cheap: one cache write)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, timeout=None)


def _generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        generation = cache.get(GENERATION_KEY, 1)
    return generation


def _key(request: HttpRequest, generation: int) -> str:
    url = f"{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(url.encode("utf-8", "surrogateescape")).hexdigest()
    return f"portal:page-cache:{generation}:{digest}"


def _eligible_request(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "preview" not in request.GET
    )


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    # "Vary: Cookie" is expected (the page checks whether someone is logged in); only
    # requests without a session cookie are served from here, so it is safe to store.
    return (
        getattr(request, CACHEABLE_ATTR, False)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in response.get("Cache-Control", "")
    )


class PublicPageCacheMiddleware:
    """Serve and store whole responses of public pages for anonymous visitors."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        timeout = settings.PUBLIC_PAGE_CACHE_SECONDS
        if timeout <= 0 or not _eligible_request(request):
            return self.get_response(request)
        key = _key(request, _generation())
        cached = cache.get(key)
        if cached is not None:
            cached["X-Page-Cache"] = "hit"
            return cached
        response = self.get_response(request)
        if _storable(request, response):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            response["Cache-Control"] = "public, max-age=60"
            cache.set(key, response, timeout)
            response["X-Page-Cache"] = "miss"
        return response
