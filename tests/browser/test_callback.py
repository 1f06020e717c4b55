"""The resident's call-back survey in a real browser: accessible, works without errors."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _survey_url():
    from reporting.ids import survey_token
    from reporting.models import Status
    from reporting.services import apply_update, invite_callback
    from tests.local_services import LAMBETH, submit

    report = submit(LAMBETH)
    apply_update(report=report, status=Status.CLOSED, message="Done.", notify_resident=False)
    survey = invite_callback(report=report)
    return reverse("reporting:callback", args=[survey_token(survey.nonce)]), survey


def test_callback_survey_is_accessible_and_saves_answers(site_page, live_server, home_page):
    path, survey = _survey_url()
    site_page.goto(live_server.url + path)
    assert site_page.get_by_role("heading", level=1).inner_text() == "How was your report handled?"
    assert_accessible(site_page, name="reporting-callback")

    site_page.get_by_role("button", name="Send answers").click()
    expect(site_page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(site_page, name="reporting-callback-errors")

    site_page.get_by_role("group", name="were you told what action").get_by_label(
        "Yes", exact=True
    ).check()
    site_page.get_by_label("Fairly seriously").check()
    site_page.get_by_role("group", name="Do you know what action was taken?").get_by_label(
        "No", exact=True
    ).check()
    site_page.get_by_label("Very satisfied").check()
    site_page.get_by_role("button", name="Send answers").click()
    expect(site_page.get_by_role("heading", level=1)).to_have_text("Thank you")
    assert_accessible(site_page, name="reporting-callback-done")
    survey.refresh_from_db()
    assert (survey.told_action, survey.know_action, survey.satisfaction) == (
        "yes",
        "no",
        "very_satisfied",
    )
