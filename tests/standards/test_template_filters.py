import datetime as dt

from standards.templatetags.standards_tags import govuk_richtext, govuk_time


def test_govuk_time():
    assert govuk_time(dt.time(8, 0)) == "8am"
    assert govuk_time(dt.time(17, 30)) == "5:30pm"
    assert govuk_time(dt.time(12, 0)) == "midday"
    assert govuk_time(dt.time(0, 0)) == "midnight"
    assert govuk_time(None) == ""


def test_govuk_time_shows_london_time_for_aware_datetimes():
    # 18:00 UTC in July is 7pm in London.
    assert govuk_time(dt.datetime(2025, 7, 1, 18, 0, tzinfo=dt.UTC)) == "7pm"
    assert govuk_time(dt.datetime(2025, 1, 1, 18, 0, tzinfo=dt.UTC)) == "6pm"


def test_govuk_richtext_adds_classes_to_bare_tags_only():
    html = govuk_richtext(
        '<p>Patrols <a href="https://example.org">here</a></p><ul><li>one</li></ul>'
        '<p class="keep">kept</p>'
    )
    assert '<p class="govuk-body">Patrols <a class="govuk-link" href="https://example.org">' in html
    assert '<ul class="govuk-list govuk-list--bullet">' in html
    assert '<p class="keep">' in html
    assert govuk_richtext(None) == ""
