"""The service navigation: which links it has, in order, and which one is the current page.

Rules as data: each item names the ``PortalLinks`` property that gives its URL and the
paths that belong to it; the most specific match wins ("/report/find/" is "Follow your
report", not "Report ASB").
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: str  # "" (not current), "page" (this page) or "true" (a page inside it)


# (label, where the URL comes from, other path prefixes inside the section)
# A source starting "url:" is a URL name; otherwise a property of ``PortalLinks``.
NAV_ITEMS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Report ASB", "report_url", ()),
    ("Find your area", "url:find_area", ()),
    ("Follow your report", "url:reporting:find", ("/report/track/", "/report/feedback/")),
    ("Maps", "map_url", ()),
    ("Advice", "advice_url", ()),
    ("Search", "url:search", ()),
)


def _url(portal, source: str) -> str | None:
    if source.startswith("url:"):
        try:
            return reverse(source.removeprefix("url:"))
        except NoReverseMatch:
            return None
    return getattr(portal, source, None) if portal is not None else None


def items(portal, path: str) -> list[NavItem]:
    """The navigation for a page at ``path``; items whose page does not exist are left out."""
    found: list[tuple[str, str, tuple[str, ...]]] = []
    for label, source, extra in NAV_ITEMS:
        url = _url(portal, source)
        if url and url != "/":
            found.append((label, url, (url, *extra)))
    best, best_length = None, 0
    for label, _, prefixes in found:
        for prefix in prefixes:
            if path.startswith(prefix) and len(prefix) > best_length:
                best, best_length = label, len(prefix)
    return [
        NavItem(
            label=label,
            url=url,
            current=("page" if path == url else "true") if label == best else "",
        )
        for label, url, _prefixes in found
    ]
