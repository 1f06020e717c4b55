"""Template filters for public pages: GOV.UK styling of rich text, times, dates, summaries."""

from __future__ import annotations

import re

from django import template
from django.utils.safestring import SafeString, mark_safe
from wagtail.rich_text import RichText, expand_db_html

from standards import sections
from standards.text import govuk_date, govuk_datetime, govuk_time, shorten

register = template.Library()

# Rich text from editors has bare tags; GOV.UK Frontend styles only classed elements.
_GOVUK_CLASSES = {
    "p": "govuk-body",
    "ul": "govuk-list govuk-list--bullet",
    "ol": "govuk-list govuk-list--number",
    "a": "govuk-link",
    "h2": "govuk-heading-m",
    "h3": "govuk-heading-s",
    "h4": "govuk-heading-s",
}
_BARE_TAG = re.compile(r"<(p|ul|ol|a|h2|h3|h4)(?=[\s>])(?![^>]*\sclass=)")


@register.filter
def govuk_richtext(value) -> SafeString:
    """Expand Wagtail rich text and add GOV.UK classes to its paragraphs, lists and links."""
    if value is None:
        return mark_safe("")  # noqa: S308 - empty string
    html = str(value) if isinstance(value, RichText) else expand_db_html(str(value))
    html = _BARE_TAG.sub(lambda m: f'<{m.group(1)} class="{_GOVUK_CLASSES[m.group(1)]}"', html)
    return mark_safe(html)  # noqa: S308 - rich text is already sanitised by Wagtail


# Times, dates and summaries: the rules live in standards.text, written once.
register.filter("govuk_time", govuk_time)


@register.filter("govuk_date")
def govuk_date_filter(value, arg: str = "") -> str:
    """``{{ day|govuk_date }}`` is "4 December 2026"; ``|govuk_date:"weekday"`` adds the day."""
    return govuk_date(value, weekday=arg == "weekday")


@register.filter("govuk_datetime")
def govuk_datetime_filter(value, arg: str = "") -> str:
    """``{{ moment|govuk_datetime }}`` is "4 December 2026 at 5:30pm" (London time)."""
    return govuk_datetime(value, weekday=arg == "weekday")


@register.filter("shorten")
def shorten_filter(value, max_chars: int = 160) -> str:
    """Text cut at a word boundary with an ellipsis: ``{{ page.intro|shorten:120 }}``."""
    return shorten(value, int(max_chars))


@register.simple_tag(takes_context=True)
def page_sections(context, page, kind: str) -> SafeString:
    """What other apps add to this kind of page (see ``standards.sections``)."""
    return sections.render(kind, page, context.get("request"))
