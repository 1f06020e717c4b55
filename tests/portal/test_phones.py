"""Tap-to-call numbers: each number is written once (settings.PHONE_NUMBERS), every page
that shows 999, 101, 18000, 18001 101 or Victim Support shows it as a tel: link, and no
page shows Victim Support's number any other way."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.template import Context, Template

from portal.phones import as_phone_number, link_numbers, phone_number, tel_href
from tests.portal.public_site import build_public_site, public_urls

SHORT_CODES = re.compile(r"(?<![\w/.:+-])(999|101|18000|18001)(?![\w/-])")
VICTIM_SUPPORT_LIKE = re.compile(r"0\s?8\s?0\s?8[\d\s]{7,10}\d")


# Pages whose templates belong to the report flow (templates/reporting/), checked for the
# Victim Support number only until that flow's templates use {% phone %} too.
def test_tel_hrefs_dial_what_the_resident_reads():
    assert tel_href("999") == "tel:999"
    assert tel_href("18001 101") == "tel:18001101"
    assert tel_href("08 08 16 89 111") == "tel:+448081689111"
    assert tel_href("020 7946 0123") == "tel:+442079460123"
    assert tel_href("+44 20 7946 0123") == "tel:+442079460123"


def test_every_number_comes_from_the_one_setting(settings):
    settings.PHONE_NUMBERS = {**settings.PHONE_NUMBERS, "victim_support": "0808 000 0000"}
    assert phone_number("victim_support").text == "0808 000 0000"
    assert as_phone_number("08080000000").text == "0808 000 0000"
    with pytest.raises(KeyError):
        phone_number("no-such-number")


def test_a_known_number_typed_any_way_is_written_the_portals_way():
    canonical = settings.PHONE_NUMBERS["victim_support"]
    assert as_phone_number("0808 168 9111").text == canonical
    assert as_phone_number(" 08081689111 ").href == "tel:+448081689111"
    other = as_phone_number("020 7946 0123")
    assert (other.text, other.href) == ("020 7946 0123", "tel:+442079460123")


def test_rich_text_numbers_become_links_but_links_and_attributes_are_left_alone():
    html = (
        '<p class="govuk-body" title="call 999">Call 999 now, or 101 (textphone 18001 101). '
        'Victim Support: 0808 168 9111. <a href="https://999bsl.co.uk/">999 BSL</a>. '
        "We are at 101 Mare Street. Reference ASB-1019991.</p>"
    )
    linked = link_numbers(html)
    assert '<p class="govuk-body" title="call 999">' in linked
    assert '<a class="govuk-link portal-tel" href="tel:999">999</a> now' in linked
    assert '<a class="govuk-link portal-tel" href="tel:101">101</a> (textphone' in linked
    assert '<a class="govuk-link portal-tel" href="tel:18001101">18001 101</a>)' in linked
    assert 'href="tel:+448081689111">08 08 16 89 111</a>' in linked
    assert '<a href="https://999bsl.co.uk/">999 BSL</a>' in linked
    assert "at 101 Mare Street" in linked  # an address, not a phone number
    assert "ASB-1019991" in linked
    assert link_numbers(linked) == linked  # linking twice changes nothing


def test_the_phone_tags_render_links():
    rendered = Template(
        '{% load portal_tags %}{% phone "emergency" prefix="Call " %} '
        '{% phone "emergency" sms=True %} {% phone_link "0808 168 9111" %}'
    ).render(Context())
    assert '<a class="govuk-link portal-tel" href="tel:999">Call 999</a>' in rendered
    assert 'href="sms:999">999</a>' in rendered
    assert 'href="tel:+448081689111">08 08 16 89 111</a>' in rendered


class _Text(HTMLParser):
    """The text of <body> outside links, and every tel: link's text."""

    SKIP = {"script", "style", "title", "a"}

    def __init__(self) -> None:
        super().__init__()
        self.outside_links: list[str] = []
        self.tel_links: list[tuple[str, str]] = []
        self.all_text: list[str] = []
        self._open: list[str] = []
        self._href = ""
        self._link_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._open.append(tag)
        if tag == "a":
            self._href, self._link_text = dict(attrs).get("href") or "", []

    def handle_endtag(self, tag):
        if tag in self._open:
            self._open.remove(tag)
        if tag == "a" and self._href.startswith("tel:"):
            self.tel_links.append((self._href, "".join(self._link_text)))

    def handle_data(self, data):
        if "a" in self._open:
            self._link_text.append(data)
        if "title" not in self._open and "script" not in self._open:
            self.all_text.append(data)
        if not self._open:
            self.outside_links.append(data)


@pytest.mark.django_db
def test_every_public_page_links_its_numbers_and_has_one_victim_support_number(client, home_page):
    site = build_public_site(home_page)
    victim_support = phone_number("victim_support")
    seen_victim_support = False
    for name, url in public_urls(site).items():
        response = client.get(url)
        assert response.status_code in (200, 404), name
        page = _Text()
        page.feed(response.content.decode())
        plain = " ".join(page.outside_links)
        assert not SHORT_CODES.findall(plain), f"{name}: a number that is not a tel: link"
        for href, text in page.tel_links:
            assert href == tel_href(re.sub(r"^[Cc]all ", "", text)), (name, href, text)
        for number in VICTIM_SUPPORT_LIKE.findall(" ".join(page.all_text)):
            assert number.strip() == victim_support.text, f"{name} shows {number!r}"
            seen_victim_support = True
        assert "0808 168 9111" not in response.content.decode(), name
    assert seen_victim_support
