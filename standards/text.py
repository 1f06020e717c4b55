"""How the portal writes times, dates and short summaries, in the GOV.UK style.

One place for each rule: templates use them as filters (``standards_tags``), models and
the site search call them directly.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils import dateformat, timezone
from django.utils.html import strip_tags

ELLIPSIS = "…"
_SPACES = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9“\"'(])")


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def govuk_time(value: dt.time | dt.datetime | str | None) -> str:
    """A time as GOV.UK style writes it: 9am, 5:30pm, midday, midnight (London time)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = dt.time.fromisoformat(value.strip())
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        value = _local(value).time()
    if value.hour == 12 and value.minute == 0:
        return "midday"
    if value.hour == 0 and value.minute == 0:
        return "midnight"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


def govuk_date(value: dt.date | dt.datetime | None, weekday: bool = False) -> str:
    """A date as GOV.UK style writes it: "4 December 2026" ("Friday 4 December 2026")."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value = _local(value)
    return dateformat.format(value, "l j F Y" if weekday else "j F Y")


def govuk_datetime(value: dt.datetime | None, weekday: bool = False) -> str:
    """A moment: "4 December 2026 at 5:30pm" ("Friday 4 December 2026 at midday")."""
    if value is None or value == "":
        return ""
    return f"{govuk_date(value, weekday=weekday)} at {govuk_time(value)}"


def plain_text(html: str) -> str:
    """Text without markup, its white space collapsed."""
    return _SPACES.sub(" ", strip_tags(str(html or ""))).strip()


def first_sentence(text: str) -> str:
    """The first sentence of ``text`` (all of it when it has one sentence)."""
    text = plain_text(text)
    return _SENTENCE_END.split(text, maxsplit=1)[0] if text else ""


def shorten(text: str, max_chars: int = 160) -> str:
    """``text`` cut to at most ``max_chars`` at a word boundary, with an ellipsis if cut.

    Never cuts inside a word: "...Hackney Central station" becomes "...Hackney Central…",
    not "...Hackney Central statio".
    """
    text = plain_text(text)
    if len(text) <= max_chars:
        return text
    room = max_chars - len(ELLIPSIS)
    cut = text[: room + 1]
    if cut[-1].isspace() or len(cut) <= room:
        cut = cut[:room]
    else:
        space = cut.rfind(" ")
        cut = cut[:space] if space > 0 else cut[:room]
    return cut.rstrip(" ,;:.–-") + ELLIPSIS
