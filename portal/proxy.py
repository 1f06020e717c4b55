"""The trusted reverse proxy: its X-Forwarded-* headers are honoured, anyone else's removed.

Behind the proxy (nginx, see README) the WSGI server's peer is the proxy, which says in
``X-Forwarded-Proto`` whether the visitor used HTTPS and in ``X-Forwarded-For`` who the
visitor is. Only a request whose peer address is ``TRUSTED_PROXY`` (one IP address) may
say so: then ``wsgi.url_scheme`` (so ``request.is_secure()``, HSTS, secure cookies and
CSRF's origin check) and ``REMOTE_ADDR`` (rate limits) come from those headers, the last
``X-Forwarded-For`` entry being the address the proxy itself saw. From anyone else, and
always for ``X-Forwarded-Host`` (the proxy passes ``Host``), the headers are removed before
Django sees them. So Django never sets ``SECURE_PROXY_SSL_HEADER``: the scheme is the
server's word, and this rule is the only one.

The rule is waitress's own (``waitress.proxy_headers``), applied to the production WSGI
application (``portal/wsgi.py``) so that it holds under gunicorn (``bin/serve-production``,
whose ``forwarded_allow_ips`` is the same address) exactly as under waitress.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from waitress.proxy_headers import proxy_headers_middleware

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

TRUSTED_HEADERS = frozenset({"x-forwarded-proto", "x-forwarded-for"})


def trusted_proxy_address(value: str) -> str | None:
    """``TRUSTED_PROXY`` checked: one IP address, or None when empty (no proxy trusted)."""
    value = value.strip()
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXY must be the reverse proxy's IP address (one), not {value!r}."
        ) from None


def behind_trusted_proxy(app: WSGIApp, trusted_proxy: str | None) -> WSGIApp:
    """``app`` honouring X-Forwarded-Proto/-For from ``trusted_proxy`` only."""
    return proxy_headers_middleware(
        app,
        trusted_proxy=trusted_proxy,
        trusted_proxy_count=1,
        trusted_proxy_headers=set(TRUSTED_HEADERS),
        clear_untrusted=True,
    )
