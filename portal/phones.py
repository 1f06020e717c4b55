"""The phone numbers residents are given, and their tap-to-call (tel:) links.

Each number is written once, in ``settings.PHONE_NUMBERS``; templates show it with
``{% phone "key" %}`` (portal_tags), which links it. A number typed by an editor (a
partner's phone, rich text saying "call 999") is shown through ``{% phone_link %}`` or
``|link_phones``: a number the portal knows, in any spacing, is written the one way the
setting writes it, and every number is a tel: link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.html import escape

_NOT_A_DIGIT = re.compile(r"\D")
UK_COUNTRY_CODE = "44"
# Inside these elements a number is left alone: already a link, or not shown as text.
_SKIPPED_ELEMENTS = {"a", "script", "style", "title", "textarea", "option", "button"}
_TAG = re.compile(r"(<[^>]*>)")
_TAG_NAME = re.compile(r"^<\s*(/?)\s*([a-zA-Z0-9]+)")


@dataclass(frozen=True)
class PhoneNumber:
    text: str  # as people read it, with its spaces: "08 08 16 89 111"
    href: str  # what a phone dials: "tel:+448081689111"


def tel_href(number: str) -> str:
    """The tel: URI of a number: E.164 for a full UK number, the digits of a short code.

    "020 7946 0123" -> "tel:+442079460123"; "101" -> "tel:101"; "18001 101" ->
    "tel:18001101"; "+44 20 7946 0123" -> "tel:+442079460123".
    """
    text = str(number).strip()
    digits = _NOT_A_DIGIT.sub("", text)
    if text.startswith("+"):
        return f"tel:+{digits}"
    if digits.startswith("0") and len(digits) >= 10:
        return f"tel:+{UK_COUNTRY_CODE}{digits[1:]}"
    return f"tel:{digits}"


def phone_number(key: str) -> PhoneNumber:
    """The number called ``key`` in ``settings.PHONE_NUMBERS`` (KeyError if there is none)."""
    text = settings.PHONE_NUMBERS[key]
    return PhoneNumber(text=text, href=tel_href(text))


def known_numbers() -> dict[str, PhoneNumber]:
    """Every number in ``settings.PHONE_NUMBERS``, by key."""
    return {key: phone_number(key) for key in settings.PHONE_NUMBERS}


def as_phone_number(text: str) -> PhoneNumber:
    """A number as typed, written the portal's way if it is one the portal knows.

    "0808 168 9111" -> the Victim Support number as the setting writes it; an unknown
    number keeps its own spacing.
    """
    typed = str(text).strip()
    href = tel_href(typed)
    for number in known_numbers().values():
        if number.href == href:
            return number
    return PhoneNumber(text=typed, href=href)


def _number_pattern() -> re.Pattern[str]:
    """Any known number, each digit group in any spacing; longest first ("18001 101"
    before "101"). A short code followed by a capitalised word ("101 Mare Street") is an
    address, not a phone number."""
    parts = []
    for number in sorted(known_numbers().values(), key=lambda n: -len(n.href)):
        digits = _NOT_A_DIGIT.sub("", number.text)
        spaced = r"[ \u00a0]?".join(re.escape(d) for d in digits)
        tail = r"(?![ \u00a0]+[A-Z][a-z])" if len(digits) <= 5 else ""
        parts.append(rf"(?<![\w+]){spaced}(?!\d){tail}")
    return re.compile("|".join(f"(?:{p})" for p in parts))


def _link(match: re.Match[str]) -> str:
    number = as_phone_number(match.group(0))
    href, text = escape(number.href), escape(number.text)
    return f'<a class="govuk-link portal-tel" href="{href}">{text}</a>'


def link_numbers(html: str) -> str:
    """``html`` with every known number in its text made a tel: link (not inside links,
    attributes or titles, which are left as they are)."""
    if not settings.PHONE_NUMBERS:
        return html
    pattern = _number_pattern()
    skipping: list[str] = []
    pieces = []
    for piece in _TAG.split(str(html)):
        if piece.startswith("<"):
            found = _TAG_NAME.match(piece)
            if found:
                closing, name = found.group(1), found.group(2).lower()
                if name in _SKIPPED_ELEMENTS and not piece.rstrip().endswith("/>"):
                    if closing:
                        if name in skipping:
                            del skipping[len(skipping) - 1 - skipping[::-1].index(name) :]
                    else:
                        skipping.append(name)
            pieces.append(piece)
        elif skipping or not piece:
            pieces.append(piece)
        else:
            pieces.append(pattern.sub(_link, piece))
    return "".join(pieces)
