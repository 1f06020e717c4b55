"""Sections other apps add to standards pages, without standards knowing those apps.

A borough's standards page and a neighbourhood page end with what other parts of the
portal know about the area (today: the map's crime and ASB figures). Those apps register
a section here in their ``AppConfig.ready``; the pages render whatever is registered, in
order, through ``{% page_sections page "borough" %}``. Standards imports none of them.

A section is a function ``(page, request) -> str`` returning HTML it has made safe
(normally ``render_to_string`` of its own template). A section that fails is left out
and logged: the page itself still shows.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

logger = logging.getLogger(__name__)

BOROUGH = "borough"
NEIGHBOURHOOD = "neighbourhood"
KINDS = (BOROUGH, NEIGHBOURHOOD)

Renderer = Callable[[object, HttpRequest | None], str]


@dataclass(frozen=True)
class Section:
    name: str
    render: Renderer


_sections: dict[str, dict[str, Section]] = {kind: {} for kind in KINDS}


def register(kind: str, name: str, render: Renderer) -> None:
    """Add (or replace, by name) a section at the end of every page of ``kind``."""
    if kind not in _sections:
        raise ValueError(f"Unknown kind of page {kind!r}: one of {', '.join(KINDS)}")
    _sections[kind][name] = Section(name=name, render=render)


def registered(kind: str) -> list[Section]:
    return list(_sections.get(kind, {}).values())


def render(kind: str, page, request: HttpRequest | None) -> SafeString:
    parts = []
    for section in registered(kind):
        try:
            parts.append((mark_safe(section.render(page, request)),))  # noqa: S308 - its own template
        except Exception:  # noqa: BLE001 - one broken section must not take the page down
            logger.exception("The %s section of %s failed", section.name, page)
    return format_html_join("\n", "{}", parts)
