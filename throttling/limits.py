"""Fixed-window rate limits, counted atomically on the shared store."""

from __future__ import annotations

import hashlib
import time
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from throttling.models import Counter


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR: behind a proxy, the WSGI server sets it from the trusted proxy's
    X-Forwarded-For (never trusted here, where anyone could send it)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _uses_redis() -> bool:
    return "redis" in settings.CACHES["default"]["BACKEND"].lower()


def _key(scope: str, who: str, window: int, index: int) -> str:
    raw = f"{scope}\x00{who}\x00{window}\x00{index}".encode()
    return hashlib.sha256(raw).hexdigest()


def _window(window: int) -> tuple[int, datetime]:
    index = int(time.time() // window)
    return index, datetime.fromtimestamp((index + 1) * window, UTC)


def hit(scope: str, who: str, *, window: int = 3600) -> int:
    """Count one attempt of ``who`` in ``scope``; returns the count in this window."""
    index, ends = _window(window)
    key = _key(scope, who, window, index)
    if _uses_redis():
        cache.add(key, 0, timeout=window + 60)
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr: this is the first again
            cache.add(key, 1, timeout=window + 60)
            return 1
    q = connection.ops.quote_name
    table, k, n, e = q(Counter._meta.db_table), q("key"), q("count"), q("expires_at")
    sql = (
        f"INSERT INTO {table} ({k}, {n}, {e}) VALUES (%s, 1, %s)"  # noqa: S608 - our names
        f" ON CONFLICT ({k}) DO UPDATE SET {n} = {table}.{n} + 1 RETURNING {n}"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [key, ends])
        return cursor.fetchone()[0]


def count(scope: str, who: str, *, window: int = 3600) -> int:
    index, _ = _window(window)
    key = _key(scope, who, window, index)
    if _uses_redis():
        return cache.get(key) or 0
    return Counter.objects.filter(pk=key).values_list("count", flat=True).first() or 0


def allow(
    request: HttpRequest, *, scope: str, limit: int, key: str = "", window: int = 3600
) -> bool:
    """Count one attempt; False once ``limit`` attempts were made in this window, by this
    client address, or (when ``key`` is given, e.g. an email or an API key's id) by that
    key from any address."""
    if limit <= 0:
        return True
    within = hit(scope, f"ip:{client_ip(request)}", window=window) <= limit
    if key:
        within = allow_key(scope=scope, key=key, limit=limit, window=window) and within
    return within


def allow_key(*, scope: str, key: str, limit: int, window: int = 3600) -> bool:
    """Count one use of ``key`` (an API key's id, say) from anywhere; False beyond limit."""
    return limit <= 0 or hit(scope, f"key:{key}", window=window) <= limit


def retry_after(window: int = 3600) -> int:
    """Seconds until the current window ends (for a Retry-After header)."""
    return max(1, int(_window(window)[1].timestamp() - time.time()))


def remaining(request: HttpRequest, *, scope: str, limit: int, window: int = 3600) -> int:
    return max(0, limit - count(scope, f"ip:{client_ip(request)}", window=window))


def purge_expired() -> int:
    """Delete the database counters of windows that have ended."""
    deleted, _ = Counter.objects.filter(expires_at__lt=timezone.now()).delete()
    return deleted
