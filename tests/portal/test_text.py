"""Times, dates and summaries in the GOV.UK style (standards/text.py), and public
templates that use them rather than Django's own formats or cuts."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import timezone

from standards.text import ELLIPSIS, govuk_date, govuk_datetime, govuk_time, shorten

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# Staff pages (the admin) and e-mails may keep Django's formats; residents' pages may not.
STAFF_TEMPLATES = ("wagtailadmin", "reporting/admin", "forwarding/admin", "accounts", "django_otp")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.time(9, 0), "9am"),
        (dt.time(17, 30), "5:30pm"),
        (dt.time(12, 0), "midday"),
        (dt.time(0, 0), "midnight"),
        (dt.time(12, 15), "12:15pm"),
        (dt.time(0, 5), "12:05am"),
        ("08:00", "8am"),
        ("not a time", "not a time"),
        (None, ""),
    ],
)
def test_govuk_time(value, expected):
    assert govuk_time(value) == expected


def test_times_never_have_dots():
    for hour in range(24):
        for minute in (0, 1, 30, 59):
            text = govuk_time(dt.time(hour, minute))
            assert "." not in text and " " not in text, text


def test_dates_and_moments_are_in_london_time():
    moment = dt.datetime(2026, 7, 3, 16, 30, tzinfo=dt.UTC)  # 5:30pm in London (BST)
    assert govuk_date(dt.date(2026, 12, 4)) == "4 December 2026"
    assert govuk_date(dt.date(2026, 12, 4), weekday=True) == "Friday 4 December 2026"
    assert govuk_datetime(moment) == "3 July 2026 at 5:30pm"
    assert govuk_datetime(moment, weekday=True) == "Friday 3 July 2026 at 5:30pm"
    assert govuk_datetime(None) == ""


def test_filters_in_templates():
    moment = timezone.make_aware(dt.datetime(2026, 12, 4, 12, 0))
    rendered = Template(
        "{% load standards_tags %}{{ m|govuk_time }}|{{ m|govuk_date }}|"
        '{{ m|govuk_datetime:"weekday" }}|{{ text|shorten:20 }}'
    ).render(Context({"m": moment, "text": "Mare Street, the Narrow Way, Hackney Central station"}))
    assert rendered == ("midday|4 December 2026|Friday 4 December 2026 at midday|Mare Street, the…")


def test_shorten_cuts_at_a_word_with_an_ellipsis():
    intro = "Mare Street, the Narrow Way, Hackney Central station and the streets around"
    assert shorten(intro, 200) == intro
    for limit in range(8, len(intro)):
        cut = shorten(intro, limit)
        assert len(cut) <= limit
        assert cut.endswith(ELLIPSIS)
        assert cut.removesuffix(ELLIPSIS) == intro[: len(cut) - 1].rstrip(" ,")
        assert intro[len(cut.removesuffix(ELLIPSIS))] in " ,", cut  # cut at a word's end
    assert "statio" not in shorten(intro, 52)


def test_shorten_strips_markup_and_handles_one_long_word():
    assert shorten("<p>Patrols <b>every</b> evening</p>", 100) == "Patrols every evening"
    assert shorten("a" * 30, 10) == "a" * 9 + ELLIPSIS
    assert shorten("", 10) == ""


def _public_templates():
    for path in TEMPLATES.rglob("*.html"):
        relative = path.relative_to(TEMPLATES).as_posix()
        if not relative.startswith(STAFF_TEMPLATES) and "/email/" not in relative:
            yield relative, path.read_text(encoding="utf-8")


# Templates other helpers are changing in the same release: checked once they land.
def test_public_templates_use_the_govuk_formats_and_word_cuts():
    problems = []
    for name, text in _public_templates():
        for match in re.finditer(r"\|(time|truncatechars|truncatewords|slice)\b[^}]*", text):
            problems.append(f"{name}: {match.group(0)}")
        for match in re.finditer(r'\|date:"([^"]*)"', text):
            if re.search(r"[aAgGhHiP]", match.group(1)):  # a time, not a day or month
                problems.append(f"{name}: {match.group(0)}")
    assert not problems, problems
