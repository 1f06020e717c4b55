"""A small per-IP rate limiter on the cache (fixed one-hour windows).

The client address is REMOTE_ADDR: behind a reverse proxy, have the proxy set it (for
example waitress's ``trusted_proxy`` options) rather than trusting X-Forwarded-For here.
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache
from django.http import HttpRequest

WINDOW_SECONDS = 3600


def client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(scope: str, ip: str, window: int) -> str:
    digest = hashlib.sha256(ip.encode("utf-8")).hexdigest()[:32]
    return f"reporting:rl:{scope}:{digest}:{window}"


def allow(request: HttpRequest, *, scope: str, limit: int) -> bool:
    """Count one attempt; False when the IP has used up its ``limit`` this hour."""
    if limit <= 0:
        return True
    window = int(time.time() // WINDOW_SECONDS)
    key = _key(scope, client_ip(request), window)
    cache.add(key, 0, timeout=WINDOW_SECONDS + 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS + 60)
        count = 1
    return count <= limit


def remaining(request: HttpRequest, *, scope: str, limit: int) -> int:
    window = int(time.time() // WINDOW_SECONDS)
    return max(0, limit - (cache.get(_key(scope, client_ip(request), window)) or 0))
