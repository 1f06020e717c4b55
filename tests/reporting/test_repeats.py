"""Linking a report to earlier ones from the same contact or place."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reporting.drafts import ContactDetails
from reporting.models import RepeatLink, Report
from reporting.repeats import find_repeats, haversine_m, phone_digits, recent_counts
from reporting.services import submit_report
from tests.reporting.conftest import MARE_STREET, make_draft

pytestmark = pytest.mark.django_db

FAR_AWAY = (51.4613, -0.1156)  # Brixton


def age(report: Report, days: int) -> None:
    Report.objects.filter(pk=report.pk).update(created_at=timezone.now() - timedelta(days=days))


def test_haversine_is_accurate_enough():
    # One thousandth of a degree of latitude is about 111 m.
    assert haversine_m(51.5, -0.1, 51.501, -0.1) == pytest.approx(111.2, abs=0.5)
    assert haversine_m(51.5, -0.1, 51.5, -0.1) == 0


def test_phone_numbers_match_in_national_and_international_form():
    assert phone_digits("07700 900123") == phone_digits("+44 7700 900123") == "7700900123"
    assert phone_digits("123") == ""


def test_same_email_any_case_links_reports_far_apart():
    first = submit_report(draft=make_draft()).report
    second = submit_report(
        draft=make_draft(
            latitude=FAR_AWAY[0],
            longitude=FAR_AWAY[1],
            contact=ContactDetails(email="ADA@Example.com ", safe_to_contact=True),
        )
    ).report
    links = list(RepeatLink.objects.filter(report=second))
    assert [(link.earlier_id, link.reason) for link in links] == [(first.pk, "same_contact")]


def test_same_phone_links():
    first = submit_report(draft=make_draft()).report
    other = ContactDetails(email="someone@example.com", phone="+44 (0)7700 900123")
    second = submit_report(
        draft=make_draft(latitude=FAR_AWAY[0], longitude=FAR_AWAY[1], contact=other)
    )
    reasons = set(second.report.repeat_links.values_list("earlier_id", "reason"))
    assert (first.pk, "same_contact") in reasons


def test_within_50_metres_links_and_60_metres_does_not():
    first = submit_report(draft=make_draft(contact=None)).report
    near = MARE_STREET[0] + 0.0004  # about 44 m north
    far = MARE_STREET[0] + 0.00055  # about 61 m north
    found_near = find_repeats(latitude=near, longitude=MARE_STREET[1])
    found_far = find_repeats(latitude=far, longitude=MARE_STREET[1])
    assert [(r.report.pk, r.reason) for r in found_near] == [(first.pk, "same_place")]
    assert found_near[0].distance_m == pytest.approx(44.5, abs=1)
    assert found_far == []


def test_reports_older_than_12_months_are_not_linked():
    old = submit_report(draft=make_draft()).report
    age(old, 366)
    assert (
        find_repeats(email="ada@example.com", latitude=MARE_STREET[0], longitude=MARE_STREET[1])
        == []
    )


def test_only_the_last_3_months_count_towards_the_score():
    recent = submit_report(draft=make_draft()).report
    older = submit_report(draft=make_draft()).report
    age(recent, 10)
    age(older, 120)
    repeats = find_repeats(
        email="ada@example.com", latitude=MARE_STREET[0], longitude=MARE_STREET[1]
    )
    counts = recent_counts(repeats)
    # Both match by contact and by place; each report counts once, as a contact repeat.
    assert counts.same_contact == 1
    assert counts.same_place == 0


def test_anonymous_reports_link_by_place_only():
    first = submit_report(draft=make_draft(contact=None)).report
    second = submit_report(draft=make_draft(contact=None)).report
    assert list(second.repeat_links.values_list("earlier_id", "reason")) == [
        (first.pk, "same_place")
    ]


def test_recent_repeats_raise_the_risk_of_a_new_report():
    draft = make_draft(screening={"health_worsened": "yes"})
    first = submit_report(draft=draft).report
    assert first.risk_level == "standard"
    second = submit_report(draft=draft).report
    assert second.risk_level == "high"
    assert second.urgent_callback
    assert "1 earlier report from the same person in the last 3 months" in second.risk_reasons
