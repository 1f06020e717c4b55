"""Each case-system adapter through the outbox, against the reference case system over
loopback (and Django's email for the email channel), including its failures."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from reporting import messages
from reporting.models import AccessLog, Report, ReportEvent, Status
from reporting.outbox import services as outbox
from reporting.outbox.models import Attempt, Message, State
from tests.local_services import HACKNEY, LAMBETH, WESTMINSTER

pytestmark = pytest.mark.django_db


def _case(report) -> Message:
    return Message.objects.get(report=report, kind=messages.CASE_REPORT)


def test_open311_delivery_files_one_case_with_the_spec_fields(
    open311_config, case_system, file_report
):
    report = file_report(LAMBETH, high_risk=True)
    message = _case(report)
    assert message.state == State.DELIVERED
    assert message.channel == "open311" and message.config == open311_config
    cases = case_system.cases(reference=report.reference)
    assert len(cases) == 1
    case = cases[0]
    assert message.external_id == case["case_id"]
    payload = case["payload"]
    assert payload["service_code"] == "ASB-NOISE"  # mapped from the category
    assert payload["jurisdiction_id"] == "lambeth"
    assert "api_key" not in payload  # checked by the case system, not stored
    assert float(payload["lat"]) == pytest.approx(51.4607)
    assert float(payload["long"]) == pytest.approx(-0.1163)
    assert payload["email"] == "ada@example.org"
    assert payload["first_name"] == "Ada" and payload["last_name"] == "Lovelace"
    assert payload["attribute[risk_level]"] == "high"
    assert payload["attribute[high_risk]"] == "true"
    assert payload["attribute[idempotency_key]"] == str(message.idempotency_key)
    assert payload["attribute[unsafe_at_home]"] == "yes"
    assert payload["attribute[effects][]"] == ["sleep", "health"]
    assert payload["description"].startswith("HIGH RISK")
    assert case["high_risk"] is True
    # the timeline says where it went; the read of the contact details was logged
    event = report.events.get(external_id=f"delivery:{message.idempotency_key}")
    assert case["case_id"] in event.message
    assert Report.objects.get(pk=report.pk).status == Status.SENT
    assert AccessLog.objects.filter(report=report, username="system:portal").exists()


def test_open311_contact_is_left_out_when_not_safe_to_contact(
    open311_config, case_system, file_report
):
    from reporting.drafts import ContactDetails

    report = file_report(
        LAMBETH, contact=ContactDetails(email="hidden@example.org", safe_to_contact=False)
    )
    payload = case_system.cases(reference=report.reference)[0]["payload"]
    assert "email" not in payload
    assert payload["attribute[safe_to_contact]"] == "false"
    assert "NOT safe to contact" in payload["description"]


def test_open311_resend_returns_the_same_case(open311_config, case_system, file_report):
    """A resend (the worker died after the server took it) carries the same idempotency
    key, so the case system answers with the case it already has."""
    from reporting.outbox.adapters.open311 import Open311Adapter
    from reporting.outbox.kinds import kind_for

    report = file_report(LAMBETH)
    message = _case(report)
    adapter = Open311Adapter()
    try:
        again = adapter.send(kind_for(message.kind).compose(message), message_id=message.message_id)
    finally:
        adapter.close()
    assert again.external_id == message.external_id
    assert case_system.stats()["cases"] == 1
    assert case_system.stats()["receipts"] == 2


def test_open311_token_answer_is_resolved_when_polling(open311_config, case_system, file_report):
    from reporting.forwarding.polling import poll_config

    case_system.chaos.token_mode = True
    report = file_report(LAMBETH)
    message = _case(report)
    assert message.state == State.DELIVERED
    assert message.token and not message.external_id
    result = poll_config(open311_config)
    message.refresh_from_db()
    assert result.tokens_resolved == 1
    assert message.external_id == case_system.cases(reference=report.reference)[0]["case_id"]


def test_open311_wrong_key_is_rejected_and_goes_to_staff(
    open311_config, case_system, file_report, monkeypatch
):
    monkeypatch.setenv("TEST_OPEN311_KEY", "wrong")
    report = file_report(LAMBETH)
    message = _case(report)
    assert message.state == State.DEAD and message.dead_at is not None
    assert message.last_status == 403 and "403" in message.last_error
    assert message.attempt_log.get().outcome == Attempt.Outcome.REJECTED
    assert case_system.stats()["cases"] == 0
    # staff are told by email (the borough's inbox: no alert addresses are configured)
    alert = Message.objects.get(kind=messages.STAFF_DEAD_LETTER_ALERT, about=message)
    assert alert.state == State.DELIVERED
    sent = next(
        m for m in mail.outbox if m.to == [alert.recipient] and "could not be sent" in m.subject
    )
    assert report.reference in sent.subject
    assert "Send again" in sent.body and "403" in sent.body
    # the borough's inbox got the report meanwhile, so the resident is not told it is lost
    apology = Message.objects.get(report=report, kind=messages.RESIDENT_APOLOGY)
    assert apology.state == State.CANCELLED
    assert apology.last_error == "The report reached the borough after all."
    assert not [m for m in mail.outbox if "has not reached the council" in m.subject]


def test_webhook_delivery_is_signed_and_carries_the_case(webhook_config, case_system, file_report):
    report = file_report(HACKNEY, high_risk=True)
    message = _case(report)
    assert message.state == State.DELIVERED and message.channel == "webhook"
    case = case_system.cases(reference=report.reference)[0]
    assert case["idempotency_key"] == str(message.idempotency_key)
    assert message.external_id == case["case_id"]
    body = case["payload"]
    assert body["schema"] == "london-asb-portal/case/v1"
    assert body["high_risk"] is True and body["risk_level"] == "high"
    assert body["title"].startswith("HIGH RISK")
    assert body["contact"]["email"] == "ada@example.org"
    assert body["screening"]["targeted"] == ["race"]


def test_webhook_with_the_wrong_secret_is_rejected(
    webhook_config, case_system, file_report, monkeypatch
):
    monkeypatch.setenv("TEST_WEBHOOK_SECRET", "not-the-secret")
    report = file_report(HACKNEY)
    message = _case(report)
    assert message.state == State.DEAD
    assert "401" in message.last_error
    assert case_system.stats()["cases"] == 0


def test_webhook_without_its_secret_in_the_environment_is_dead(
    webhook_config, file_report, monkeypatch
):
    monkeypatch.delenv("TEST_WEBHOOK_SECRET")
    message = _case(file_report(HACKNEY))
    assert message.state == State.DEAD
    assert "TEST_WEBHOOK_SECRET" in message.last_error


def test_email_delivery_goes_to_the_intake_inbox_without_personal_details(
    email_config, file_report, settings
):
    report = file_report(WESTMINSTER, high_risk=True)
    message = _case(report)
    assert message.state == State.DELIVERED
    assert message.channel == "email" and message.destination == "email"
    sent = next(m for m in mail.outbox if m.to == ["asb-cases@westminster.invalid"])
    assert sent.subject.startswith("HIGH RISK")
    assert report.reference in sent.subject
    domain = settings.OUTBOX_MESSAGE_ID_DOMAIN
    assert sent.extra_headers["Message-ID"] == f"<{message.idempotency_key}@{domain}>"
    assert sent.extra_headers["Message-ID"] == message.message_id
    assert "ada@example.org" not in sent.body and "Ada" not in sent.body
    name, content, mimetype = sent.attachments[0]
    document = json.loads(content)
    assert name == f"{report.reference}.json" and mimetype == "application/json"
    assert document["high_risk"] is True
    assert "contact" not in document and "people_involved" not in document


def test_http_500_is_retried_with_backoff(open311_config, case_system, file_report):
    case_system.chaos.fail_rate = 1.0
    report = file_report(LAMBETH)
    message = _case(report)
    assert message.state == State.RETRYING
    assert message.attempts == 1
    assert message.last_status == 500 and "HTTP 500" in message.last_error
    assert message.next_attempt_at > message.attempt_log.get().started_at
    assert case_system.stats()["cases"] == 0


@override_settings(OUTBOX_HTTP_TIMEOUT=0.3)
@pytest.mark.parametrize("mode", ["slow", "drop"])
def test_lost_answers_are_retried_and_still_make_one_case(
    open311_config, case_system, file_report, mode
):
    """The case system stores the case but the answer never arrives (too slow, or the
    connection drops): the retry gets the same case back, so there is still only one."""
    case_system.chaos.slow_seconds = 1.0
    setattr(case_system.chaos, f"{mode}_rate", 1.0)
    report = file_report(LAMBETH)
    message = _case(report)
    assert message.state == State.RETRYING
    assert case_system.stats()["cases"] == 1  # stored, but we never heard
    setattr(case_system.chaos, f"{mode}_rate", 0.0)
    Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    outbox.drain_now()
    message.refresh_from_db()
    assert message.state == State.DELIVERED
    assert message.attempts == 2
    assert case_system.stats()["cases"] == 1
    assert message.external_id == case_system.cases(reference=report.reference)[0]["case_id"]
    assert (
        ReportEvent.objects.filter(report=report, external_id__startswith="delivery:").count() == 1
    )
