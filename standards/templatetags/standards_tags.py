"""Template filters for standards pages: GOV.UK styling of rich text and times."""

from __future__ import annotations

import datetime as dt
import re

from django import template
from django.utils.safestring import SafeString, mark_safe
from wagtail.rich_text import RichText, expand_db_html

from standards import sections

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


@register.filter
def govuk_time(value: dt.time | dt.datetime | None) -> str:
    """A time as GOV.UK style writes it: 9am, 5:30pm, midday, midnight."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        value = timezone.localtime(value).time() if timezone.is_aware(value) else value.time()
    if value.hour == 12 and value.minute == 0:
        return "midday"
    if value.hour == 0 and value.minute == 0:
        return "midnight"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


@register.simple_tag(takes_context=True)
def page_sections(context, page, kind: str) -> SafeString:
    """What other apps add to this kind of page (see ``standards.sections``)."""
    return sections.render(kind, page, context.get("request"))
