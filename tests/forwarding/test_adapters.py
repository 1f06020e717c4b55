"""Each adapter against the reference case system over loopback, including its failures."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.test import override_settings

from reporting.forwarding.models import Delivery, DeliveryAttempt, DeliveryState
from reporting.models import AccessLog, ReportEvent, Status
from tests.local_services import LAMBETH, WESTMINSTER

pytestmark = pytest.mark.django_db


def _delivery(report) -> Delivery:
    return Delivery.objects.get(report=report)


def test_open311_delivery_files_one_case_with_the_spec_fields(
    open311_config, case_system, file_report
):
    report = file_report(LAMBETH, high_risk=True)
    delivery = _delivery(report)
    assert delivery.state == DeliveryState.DELIVERED
    cases = case_system.cases(reference=report.reference)
    assert len(cases) == 1
    case = cases[0]
    assert delivery.external_id == case["case_id"]
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
    assert payload["attribute[idempotency_key]"] == str(delivery.idempotency_key)
    assert payload["attribute[unsafe_at_home]"] == "yes"
    assert payload["attribute[effects][]"] == ["sleep", "health"]
    assert payload["description"].startswith("HIGH RISK")
    assert case["high_risk"] is True
    # the timeline says where it went; the read of the contact details was logged
    event = report.events.get(external_id=f"delivery:{delivery.idempotency_key}")
    assert case["case_id"] in event.message
    assert report.__class__.objects.get(pk=report.pk).status == Status.SENT
    assert AccessLog.objects.filter(report=report, username="system:forwarding").exists()


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
    from reporting.forwarding.adapters import adapter_for
    from reporting.forwarding.payloads import build_payload

    report = file_report(LAMBETH)
    delivery = _delivery(report)
    again = adapter_for(open311_config).send(
        build_payload(report, idempotency_key=str(delivery.idempotency_key))
    )
    assert again.external_id == delivery.external_id
    assert case_system.stats()["cases"] == 1
    assert case_system.stats()["receipts"] == 2


def test_open311_token_answer_is_resolved_when_polling(open311_config, case_system, file_report):
    from reporting.forwarding.polling import poll_config

    case_system.chaos.token_mode = True
    report = file_report(LAMBETH)
    delivery = _delivery(report)
    assert delivery.state == DeliveryState.DELIVERED
    assert delivery.token and not delivery.external_id
    result = poll_config(open311_config)
    delivery.refresh_from_db()
    assert result.tokens_resolved == 1
    assert delivery.external_id == case_system.cases(reference=report.reference)[0]["case_id"]


def test_open311_wrong_key_is_rejected_and_goes_to_staff(
    open311_config, case_system, file_report, monkeypatch
):
    monkeypatch.setenv("TEST_OPEN311_KEY", "wrong")
    report = file_report(LAMBETH)
    delivery = _delivery(report)
    assert delivery.state == DeliveryState.DEAD
    assert "403" in delivery.last_error
    assert delivery.attempt_log.get().outcome == DeliveryAttempt.Outcome.REJECTED
    assert case_system.stats()["cases"] == 0
    assert delivery.alerted_at is not None
    alert = mail.outbox[-1]
    assert report.reference in alert.subject and "Retry now" in alert.body


def test_webhook_delivery_is_signed_and_carries_the_case(webhook_config, case_system, file_report):
    report = file_report("E09000012", high_risk=True)
    delivery = _delivery(report)
    assert delivery.state == DeliveryState.DELIVERED
    case = case_system.cases(reference=report.reference)[0]
    assert case["idempotency_key"] == str(delivery.idempotency_key)
    assert delivery.external_id == case["case_id"]
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
    report = file_report("E09000012")
    delivery = _delivery(report)
    assert delivery.state == DeliveryState.DEAD
    assert "401" in delivery.last_error
    assert case_system.stats()["cases"] == 0


def test_webhook_without_its_secret_in_the_environment_is_dead(
    webhook_config, file_report, monkeypatch
):
    monkeypatch.delenv("TEST_WEBHOOK_SECRET")
    delivery = _delivery(file_report("E09000012"))
    assert delivery.state == DeliveryState.DEAD
    assert "TEST_WEBHOOK_SECRET" in delivery.last_error


def test_email_delivery_goes_to_the_intake_inbox_without_personal_details(
    email_config, file_report
):
    report = file_report(WESTMINSTER, high_risk=True)
    delivery = _delivery(report)
    assert delivery.state == DeliveryState.DELIVERED
    message = next(m for m in mail.outbox if m.to == ["asb-cases@westminster.invalid"])
    assert message.subject.startswith("HIGH RISK")
    assert report.reference in message.subject
    assert message.extra_headers["Message-ID"] == f"<{delivery.idempotency_key}@asb-portal.invalid>"
    assert "ada@example.org" not in message.body and "Ada" not in message.body
    name, content, mimetype = message.attachments[0]
    document = json.loads(content)
    assert mimetype == "application/json"
    assert document["high_risk"] is True
    assert "contact" not in document


def test_http_500_is_retried_with_backoff(open311_config, case_system, file_report):
    case_system.chaos.fail_rate = 1.0
    report = file_report(LAMBETH)
    delivery = _delivery(report)
    assert delivery.state == DeliveryState.RETRYING
    assert delivery.attempts == 1
    assert "HTTP 500" in delivery.last_error
    assert delivery.next_attempt_at > delivery.attempt_log.get().started_at
    assert case_system.stats()["cases"] == 0


@override_settings(FORWARDING_HTTP_TIMEOUT=0.3)
@pytest.mark.parametrize("mode", ["slow", "drop"])
def test_lost_answers_are_retried_and_still_make_one_case(
    open311_config, case_system, file_report, mode
):
    """The case system stores the case but the answer never arrives (too slow, or the
    connection drops): the retry gets the same case back, so there is still only one."""
    from reporting.forwarding.services import enqueue_delivery

    case_system.chaos.slow_seconds = 1.0
    setattr(case_system.chaos, f"{mode}_rate", 1.0)
    report = file_report(LAMBETH)
    delivery = _delivery(report)
    assert delivery.state == DeliveryState.RETRYING
    assert case_system.stats()["cases"] == 1  # stored, but we never heard
    setattr(case_system.chaos, f"{mode}_rate", 0.0)
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=delivery.created_at)
    enqueue_delivery(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED
    assert delivery.attempts == 2
    assert case_system.stats()["cases"] == 1
    assert delivery.external_id == case_system.cases(reference=report.reference)[0]["case_id"]
    assert (
        ReportEvent.objects.filter(report=report, external_id__startswith="delivery:").count() == 1
    )
