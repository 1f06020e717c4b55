"""Security headers on every page: Content-Security-Policy and Permissions-Policy.

The policies are data in settings (``CONTENT_SECURITY_POLICY``, ``CSP_ADMIN_DIRECTIVES``,
``PERMISSIONS_POLICY``); this module only chooses between them:

* public pages get ``CONTENT_SECURITY_POLICY`` (django-csp 4): scripts and styles from the
  portal only, no inline code, no framing;
* the Wagtail admin (everything under its URL, ``/admin/``) gets ``CSP_ADMIN_DIRECTIVES``,
  which Wagtail's own inline scripts and styles need (see the comment there);
* a page preview (Wagtail renders it through the middleware as a public request) may be
  framed by the admin;
* both allow images from the origin of ``MAP_TILE_URL``, read when the header is built,
  so the policy can never disagree with the tiles the maps load.

Other headers come from Django's own settings: Referrer-Policy, X-Content-Type-Options,
X-Frame-Options, Cross-Origin-Opener-Policy and (in production) HSTS.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cache
from urllib.parse import urlsplit

from csp.constants import SELF
from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import reverse


def tile_source(url: str) -> str | None:
    """The CSP source allowing a Leaflet tile URL template, or None if it is on this site.

    ``https://{s}.tile.example.org/{z}/{x}/{y}.png`` gives ``https://*.tile.example.org``
    (Leaflet's ``{s}`` subdomains); a relative URL is already covered by ``'self'``.
    """
    parts = urlsplit(url)
    if not parts.scheme and not parts.netloc:
        return None
    host = parts.netloc.rpartition("@")[2]
    if host.startswith("{") and "}." in host:
        host = "*." + host.split("}.", 1)[1]
    if not parts.scheme or not host or "{" in host or "}" in host:
        raise ImproperlyConfigured(
            f"MAP_TILE_URL {url!r}: the tiles' origin must be fixed (only a leading "
            "{s}. subdomain may vary), so that the Content-Security-Policy can allow it."
        )
    return f"{parts.scheme}://{host}"


@cache
def _admin_prefix() -> str:
    return reverse("wagtailadmin_home")


def is_admin(request: HttpRequest) -> bool:
    return request.path_info.startswith(_admin_prefix())


class PortalCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, choosing the admin's policy by path and adding the tiles."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only:
            return parts
        if parts.config is None and is_admin(request):
            parts.config = default_config(settings.CSP_ADMIN_DIRECTIVES)
        if getattr(request, "is_preview", False):
            # Wagtail renders a preview through the middleware as a public page's request,
            # to show it in a frame of the admin: the admin itself may frame it.
            parts.replace = {**(parts.replace or {}), "frame-ancestors": [SELF]}
        tiles = tile_source(settings.MAP_TILE_URL)
        if tiles:
            update = dict(parts.update or {})
            sources = update.get("img-src") or []
            sources = [sources] if isinstance(sources, str) else list(sources)
            update["img-src"] = [*sources, tiles]
            parts.update = update
        return parts


def permissions_policy(features: Mapping[str, Sequence[str]]) -> str:
    """The Permissions-Policy header for ``{"geolocation": ["self"], "camera": []}``."""

    def allowlist(origins: Sequence[str]) -> str:
        items = [o if o in ("self", "*") else f'"{o}"' for o in origins]
        return "(" + " ".join(items) + ")"

    return ", ".join(f"{name}={allowlist(origins)}" for name, origins in features.items())


class PermissionsPolicyMiddleware:
    """Adds ``Permissions-Policy`` (from ``settings.PERMISSIONS_POLICY``) to every response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.header = permissions_policy(settings.PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.header and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.header
        return response
