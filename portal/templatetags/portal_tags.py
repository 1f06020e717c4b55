"""Template tags of the public site: tap-to-call phone numbers, the service navigation
and the footer's information pages."""

from __future__ import annotations

from django import template
from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe

from portal import navigation, page_cache
from portal.phones import PhoneNumber, as_phone_number, link_numbers, phone_number, tel_href
from standards.footer import FooterLink, footer_links

register = template.Library()

register.filter("tel_href", tel_href)

FOOTER_CACHE_KEY = "portal:footer:{generation}"
FOOTER_CACHE_SECONDS = 300


@register.inclusion_tag("portal/includes/phone.html")
def phone(key: str, prefix: str = "", link_class: str = "govuk-link", sms: bool = False) -> dict:
    """A number from ``settings.PHONE_NUMBERS`` as a tel: link.

    ``{% phone "emergency" %}`` is ``<a class="govuk-link portal-tel" href="tel:999">999</a>``;
    ``prefix="Call "`` puts words inside the link (a bigger target: "Call 999");
    ``sms=True`` makes it a text message (sms:) link instead.
    """
    number = phone_number(key)
    if sms:
        number = PhoneNumber(text=number.text, href="sms:" + number.href.removeprefix("tel:"))
    return {"number": number, "prefix": prefix, "link_class": link_class}


@register.inclusion_tag("portal/includes/phone.html")
def phone_link(text: str, link_class: str = "govuk-link") -> dict:
    """A number an editor typed (a partner's phone) as a tel: link, written the portal's
    way if it is a number the portal knows (Victim Support in one spacing everywhere)."""
    return {"number": as_phone_number(text), "prefix": "", "link_class": link_class}


@register.filter(is_safe=True)
def link_phones(html) -> SafeString:
    """Rich text (already safe HTML) with the portal's numbers made tel: links."""
    return mark_safe(link_numbers(str(html)))  # noqa: S308 - input is safe HTML; links escaped


@register.inclusion_tag("portal/includes/service_navigation.html", takes_context=True)
def service_navigation(context) -> dict:
    """The main navigation, the current section marked with aria-current."""
    request = context.get("request")
    path = request.path if request is not None else ""
    return {"items": navigation.items(context.get("portal"), path)}


@register.simple_tag(takes_context=True)
def footer_pages(context) -> list[FooterLink]:
    """The footer's information pages (privacy, accessibility, cookies, contact) that are
    live, cached until anything is published."""
    key = FOOTER_CACHE_KEY.format(generation=page_cache.current_generation())
    links = cache.get(key)
    if links is None:
        links = footer_links(context.get("request"))
        cache.set(key, links, FOOTER_CACHE_SECONDS)
    return links
