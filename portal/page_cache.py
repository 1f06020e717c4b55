"""Whole-response cache for public pages, invalidated when content is published.

Anonymous visitors (no session cookie) asking with GET or HEAD for a page that said it
may be cached get a stored copy without routing, database queries or rendering. A page
says so by calling :func:`mark_cacheable` on the request (the Wagtail hook in
``portal/wagtail_hooks.py`` does it for every public page without view restrictions).

Two tiers: a small in-process LRU in front of the shared Django cache (a file cache by
default, Redis at scale), so a hot page costs no I/O at all.

Invalidation: keys include a generation number that :func:`invalidate` bumps in the
shared cache; ``portal/signals.py`` calls it whenever a page is published, unpublished,
moved or deleted (and the map data changes). The process that bumps it sees the change
at once; other processes (the worker, the scheduler, other web processes) re-read the
generation at most ``GENERATION_RECHECK_SECONDS`` later. Entries also expire after
``PUBLIC_PAGE_CACHE_SECONDS``.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

GENERATION_KEY = "portal:page-cache:generation"
GENERATION_RECHECK_SECONDS = 1.0
# Wall-clock seconds: entries carry their expiry time from process to process through
# the shared cache. (A test may put another clock here.)
clock: Callable[[], float] = time.time
LOCAL_ENTRIES = 256
CACHEABLE_ATTR = "_portal_page_cacheable"
STORED_HEADERS = (
    "Content-Type",
    "Content-Language",
    "Last-Modified",
    "ETag",
    "Vary",
    "X-Frame-Options",
)

# (expires_at, status, headers, content)
Entry = tuple[float, int, tuple[tuple[str, str], ...], bytes]


class _LocalTier:
    """The in-process tier: the generation as last read, and an LRU of entries."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.entries: OrderedDict[str, Entry] = OrderedDict()
        self.generation: int | None = None
        self.generation_read_at = 0.0

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.generation = None

    def get(self, key: str, now: float) -> Entry | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None
            if entry[0] <= now:
                del self.entries[key]
                return None
            self.entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: Entry) -> None:
        with self.lock:
            self.entries[key] = entry
            self.entries.move_to_end(key)
            while len(self.entries) > LOCAL_ENTRIES:
                self.entries.popitem(last=False)


_local = _LocalTier()


def mark_cacheable(request: HttpRequest) -> None:
    setattr(request, CACHEABLE_ATTR, True)


def clear_local() -> None:
    """Forget this process's copies (the tests call it between tests)."""
    _local.clear()


def invalidate() -> None:
    """Make every cached public page stale (cheap: one cache write)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, timeout=None)
    _local.clear()


def _generation(now: float) -> int:
    if _local.generation is not None and now - _local.generation_read_at < (
        GENERATION_RECHECK_SECONDS
    ):
        return _local.generation
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        generation = cache.get(GENERATION_KEY, 1)
    if generation != _local.generation:
        _local.clear()
    _local.generation, _local.generation_read_at = generation, now
    return generation


def current_generation() -> int:
    """The generation of published content: changes whenever a page is published."""
    return _generation(clock())


def _key(request: HttpRequest, generation: int) -> str:
    url = f"{request.method == 'HEAD'}:{request.get_host()}{request.get_full_path()}"
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


def _response_from(entry: Entry) -> HttpResponse:
    _, status, headers, content = entry
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    response["X-Page-Cache"] = "hit"
    return response


class PublicPageCacheMiddleware:
    """Serve and store whole responses of public pages for anonymous visitors."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        timeout = settings.PUBLIC_PAGE_CACHE_SECONDS
        if timeout <= 0 or not _eligible_request(request):
            return self.get_response(request)
        now = clock()
        key = _key(request, _generation(now))
        entry = _local.get(key, now)
        if entry is None:
            entry = cache.get(key)
            if entry is not None:
                _local.put(key, entry)
        if entry is not None:
            return _response_from(entry)

        response = self.get_response(request)
        if _storable(request, response):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            response["Cache-Control"] = "public, max-age=60"
            headers = tuple(
                (name, response[name])
                for name in (*STORED_HEADERS, "Cache-Control")
                if name in response
            )
            entry = (now + timeout, response.status_code, headers, response.content)
            cache.set(key, entry, timeout)
            _local.put(key, entry)
            response["X-Page-Cache"] = "miss"
        return response
