"""The quality call-back survey: the resident's form and the per-borough results."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reporting.forwarding import selectors, services
from reporting.forwarding.models import CallbackSurvey
from reporting.forwarding.tokens import survey_token
from reporting.models import Status
from reporting.services import apply_update
from tests.local_services import HACKNEY, LAMBETH, submit

pytestmark = pytest.mark.django_db

ANSWERS = {
    "told_action": "yes",
    "seriousness": "fairly",
    "know_action": "no",
    "satisfaction": "fairly_satisfied",
}


def _closed_survey(borough=LAMBETH) -> CallbackSurvey:
    report = submit(borough)
    apply_update(report=report, status=Status.CLOSED, message="Done.", notify_resident=False)
    return services.invite_callback(report=report)


def _url(survey):
    return reverse("forwarding:callback", args=[survey_token(survey.nonce)])


def test_form_shows_four_questions_and_saves_the_answers(client, home_page):
    survey = _closed_survey()
    page = client.get(_url(survey))
    assert page.status_code == 200
    for name in ANSWERS:
        assert f'name="{name}"'.encode() in page.content
    response = client.post(_url(survey), ANSWERS)
    assert response.status_code == 200
    assert b"Thank you" in response.content
    survey.refresh_from_db()
    assert survey.answered_at is not None
    assert survey.seriousness == "fairly"
    assert survey.borough_code == LAMBETH
    # answered once only: a second post changes nothing
    client.post(_url(survey), {**ANSWERS, "seriousness": "very"})
    survey.refresh_from_db()
    assert survey.seriousness == "fairly"


def test_missing_answers_show_the_error_summary(client, home_page):
    survey = _closed_survey()
    response = client.post(_url(survey), {"told_action": "yes"})
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert b"Select how seriously your report was taken" in response.content
    assert b'href="#seriousness-0"' in response.content
    survey.refresh_from_db()
    assert survey.answered_at is None


def test_unknown_token_is_404(client, home_page):
    assert client.get(reverse("forwarding:callback", args=["nope"])).status_code == 404


def test_tracking_page_link_until_answered():
    survey = _closed_survey()
    assert selectors.callback_path_for(survey.report) == _url(survey)
    services.answer_callback(survey=survey, answers=ANSWERS)
    assert selectors.callback_path_for(survey.report) == ""


def test_results_are_counted_per_borough():
    for borough, satisfaction in [
        (LAMBETH, "very_satisfied"),
        (LAMBETH, "very_dissatisfied"),
        (HACKNEY, "neither"),
    ]:
        survey = _closed_survey(borough)
        services.answer_callback(survey=survey, answers={**ANSWERS, "satisfaction": satisfaction})
    _closed_survey(LAMBETH)  # asked, not answered
    summary = {row["borough_code"]: row for row in selectors.callback_summary(None)}
    assert summary[LAMBETH]["invited"] == 3 and summary[LAMBETH]["answered"] == 2
    satisfaction = summary[LAMBETH]["questions"][3]["answers"]
    assert {a["label"]: a["count"] for a in satisfaction}["Very satisfied"] == 1
    assert {a["label"]: a["percent"] for a in satisfaction}["Very dissatisfied"] == 50
    assert summary[HACKNEY]["answered"] == 1
    only_hackney = selectors.callback_summary({HACKNEY})
    assert [row["borough_code"] for row in only_hackney] == [HACKNEY]


def test_staff_closing_a_report_asks_the_call_back_questions_once(client, home_page):
    from reporting.emails import tracking_path

    report = submit(LAMBETH)
    apply_update(report=report, status=Status.CLOSED, message="Warning letter sent.")
    survey = CallbackSurvey.objects.get(report=report)
    assert survey.borough_code == LAMBETH
    # re-opened and closed again: still one survey
    apply_update(report=report, status=Status.IN_PROGRESS, message="Reopened.")
    apply_update(report=report, status=Status.CLOSED, message="Closed again.")
    assert CallbackSurvey.objects.filter(report=report).count() == 1
    page = client.get(tracking_path(report)).content.decode()
    assert "Tell us how we dealt with your report" in page
    assert _url(survey) in page
