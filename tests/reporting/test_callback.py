"""The quality call-back survey: asked once when a report is closed, the invitation as an
outbox message, the resident's form, the tracking page link and the per-borough results."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse

from reporting import ids, links, messages, selectors, services
from reporting.models import CallbackSurvey, Status
from reporting.outbox import services as outbox
from reporting.outbox.models import Message, State
from reporting.services import apply_update
from tests.accounts.helpers import login_verified
from tests.local_services import HACKNEY, LAMBETH, submit

pytestmark = pytest.mark.django_db

ANSWERS = {
    "told_action": "yes",
    "seriousness": "fairly",
    "know_action": "no",
    "satisfaction": "fairly_satisfied",
}


def _closed_survey(borough=LAMBETH, **kwargs) -> CallbackSurvey:
    report = submit(borough, **kwargs)
    apply_update(report=report, status=Status.CLOSED, message="Done.", notify_resident=False)
    return CallbackSurvey.objects.get(report=report)


def _url(survey):
    return reverse("reporting:callback", args=[ids.survey_token(survey.nonce)])


def _invitation(report) -> Message:
    return Message.objects.get(report=report, kind=messages.RESIDENT_CALLBACK_INVITATION)


def test_the_survey_link_is_derived_from_its_nonce_and_only_its_hash_is_stored():
    survey = _closed_survey()
    token = ids.survey_token(survey.nonce)
    assert survey.token_hash == ids.hash_token(token) and token not in survey.token_hash
    assert selectors.survey_for_token(token) == survey
    assert selectors.survey_for_token("nope") is None
    assert selectors.survey_for_token("") is None
    assert selectors.survey_for_token("x" * 101) is None
    assert links.callback_path(survey) == f"/report/feedback/{token}/"


def test_form_shows_four_questions_and_saves_the_answers(client, home_page):
    survey = _closed_survey()
    page = client.get(_url(survey))
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    for name in ANSWERS:
        assert f'name="{name}"'.encode() in page.content
    response = client.post(_url(survey), ANSWERS)
    assert response.status_code == 200
    assert b"Thank you" in response.content
    survey.refresh_from_db()
    assert survey.answered_at is not None
    assert survey.seriousness == "fairly"
    assert survey.borough_code == LAMBETH
    # answered once only: a second post changes nothing, and the page says thank you
    again = client.post(_url(survey), {**ANSWERS, "seriousness": "very"})
    assert b"Thank you" in again.content
    survey.refresh_from_db()
    assert survey.seriousness == "fairly"
    assert not services.answer_callback(survey=survey, answers=ANSWERS)


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
    assert client.get(reverse("reporting:callback", args=["nope"])).status_code == 404


def test_a_reopened_reports_survey_is_404_until_it_is_closed_again(client, home_page):
    survey = _closed_survey()
    apply_update(report=survey.report, status=Status.IN_PROGRESS, message="Reopened.")
    assert client.get(_url(survey)).status_code == 404


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


def test_survey_results_page_for_staff(client, django_user_model):
    survey = _closed_survey(LAMBETH)
    services.answer_callback(
        survey=survey,
        answers={
            "told_action": "yes",
            "seriousness": "very",
            "know_action": "yes",
            "satisfaction": "very_satisfied",
        },
    )
    login_verified(client, User.objects.create_superuser("admin", "admin@example.org", "pw"))
    page = client.get(reverse("reporting_admin:callbacks")).content.decode()
    assert "Lambeth" in page and "1 answered of 1 asked" in page
    assert "100%" in page
    assert reverse("reporting_admin:callbacks") in client.get("/admin/").content.decode()


def test_staff_closing_a_report_asks_the_call_back_questions_once(client, home_page):
    report = submit(LAMBETH)
    apply_update(report=report, status=Status.CLOSED, message="Warning letter sent.")
    survey = CallbackSurvey.objects.get(report=report)
    assert survey.borough_code == LAMBETH
    assert _invitation(report).state == State.QUEUED
    # re-opened and closed again: still one survey, one invitation
    apply_update(report=report, status=Status.IN_PROGRESS, message="Reopened.")
    apply_update(report=report, status=Status.CLOSED, message="Closed again.")
    assert CallbackSurvey.objects.filter(report=report).count() == 1
    assert report.outbox_messages.filter(kind=messages.RESIDENT_CALLBACK_INVITATION).count() == 1
    page = client.get(links.tracking_path(report)).content.decode()
    assert "Tell us how we dealt with your report" in page
    assert _url(survey) in page


def test_the_invitation_carries_the_survey_link_and_goes_once(client, home_page):
    survey = _closed_survey()
    outbox.drain_now()
    invitation = _invitation(survey.report)
    assert invitation.state == State.DELIVERED and invitation.recipient == ""
    (sent,) = [m for m in mail.outbox if m.subject.startswith("How did we do?")]
    assert sent.to == ["ada@example.org"]
    assert survey.report.reference in sent.subject
    assert links.callback_url(survey) in sent.body
    assert services.invite_callback(report=survey.report) == survey
    outbox.drain_now()
    assert len([m for m in mail.outbox if m.subject.startswith("How did we do?")]) == 1


def test_no_invitation_is_sent_once_the_resident_has_answered():
    survey = _closed_survey()
    services.answer_callback(survey=survey, answers=ANSWERS)  # from the tracking page link
    outbox.drain_now()
    invitation = _invitation(survey.report)
    assert invitation.state == State.CANCELLED
    assert invitation.last_error == "The resident has already answered the call-back questions."
    assert not [m for m in mail.outbox if m.subject.startswith("How did we do?")]


def test_residents_who_may_not_be_emailed_get_a_survey_but_no_invitation():
    from reporting.drafts import ContactDetails

    anonymous = _closed_survey(contact=None)
    unsafe = _closed_survey(
        contact=ContactDetails(name="A", email="a@example.org", safe_to_contact=False)
    )
    phone_only = _closed_survey(contact=ContactDetails(name="B", phone="07700 900000"))
    for survey in (anonymous, unsafe, phone_only):
        assert not Message.objects.filter(
            report=survey.report, kind=messages.RESIDENT_CALLBACK_INVITATION
        ).exists()
