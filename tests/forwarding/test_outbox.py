"""The outbox: rows written with the report, claiming, retries, dead, retry now, sweep."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from reporting.forwarding import services
from reporting.forwarding.models import Delivery, DeliveryState
from reporting.models import Report
from tests.forwarding.conftest import HACKNEY, LAMBETH, make_draft, submit

pytestmark = pytest.mark.django_db


def test_no_delivery_without_a_case_system(db):
    report = submit(HACKNEY)
    assert not Delivery.objects.filter(report=report).exists()


def test_delivery_is_written_in_the_reports_transaction(open311_config):
    from reporting.services import submit_report

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        submitted = submit_report(draft=make_draft(LAMBETH))
        services.create_deliveries(report=submitted.report)
        assert Delivery.objects.filter(report=submitted.report).count() == 1
        raise Boom
    assert not Report.objects.exists()
    assert not Delivery.objects.exists()


def test_create_deliveries_is_idempotent_and_enqueues_only_on_commit(
    open311_config, django_capture_on_commit_callbacks, monkeypatch
):
    enqueued = []
    monkeypatch.setattr(services, "enqueue_delivery", lambda pk, **kw: enqueued.append(pk))
    with django_capture_on_commit_callbacks(execute=True):
        report = submit(LAMBETH)
        assert services.create_deliveries(report=report) == []
        assert enqueued == []  # not before the commit
    delivery = Delivery.objects.get(report=report)
    assert enqueued == [delivery.pk]
    assert delivery.state == DeliveryState.PENDING
    assert delivery.kind == "open311" and delivery.borough_code == LAMBETH


def test_a_disabled_case_system_gets_nothing(open311_config):
    open311_config.enabled = False
    open311_config.save()
    assert not Delivery.objects.filter(report=submit(LAMBETH)).exists()


def test_claim_is_exclusive_and_only_when_due(open311_config):
    delivery = Delivery.objects.get(report=submit(LAMBETH))
    now = timezone.now()
    claimed = services.claim_delivery(delivery_id=delivery.pk, now=now)
    assert claimed is not None and claimed.state == DeliveryState.SENDING
    assert claimed.attempts == 1
    assert claimed.lease_until > now
    assert services.claim_delivery(delivery_id=delivery.pk, now=now) is None
    Delivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.RETRYING, next_attempt_at=now + timedelta(minutes=5)
    )
    assert services.claim_delivery(delivery_id=delivery.pk, now=now) is None
    assert services.claim_delivery(delivery_id=delivery.pk, now=now + timedelta(minutes=6))


@override_settings(FORWARDING_MAX_ATTEMPTS=3, FORWARDING_BACKOFF_BASE_SECONDS=10)
def test_failures_back_off_then_die_and_alert_staff_once(
    open311_config, django_capture_on_commit_callbacks
):
    delivery = Delivery.objects.get(report=submit(LAMBETH))
    rng = random.Random(1)
    now = timezone.now()
    waits = []
    for attempt in (1, 2, 3):
        claimed = services.claim_delivery(
            delivery_id=delivery.pk, now=now + timedelta(hours=attempt)
        )
        assert claimed.attempts == attempt
        with django_capture_on_commit_callbacks(execute=True):
            state = services.record_failure(
                delivery=claimed,
                error=f"HTTP 500 number {attempt}",
                http_status=500,
                started_at=now,
                duration_ms=5,
                rng=rng,
            )
        claimed.refresh_from_db()
        if attempt < 3:
            assert state == DeliveryState.RETRYING
            waits.append((claimed.next_attempt_at - timezone.now()).total_seconds())
        else:
            assert state == DeliveryState.DEAD
    assert 4 <= waits[0] <= 10 and 9 <= waits[1] <= 20
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DEAD
    assert delivery.last_error == "HTTP 500 number 3"
    assert list(delivery.attempt_log.values_list("number", "http_status")) == [
        (1, 500),
        (2, 500),
        (3, 500),
    ]
    assert delivery.alerted_at is not None
    alerts = [m for m in mail.outbox if "could not be sent" in m.subject]
    assert len(alerts) == 1
    assert "asb-reports@london.invalid" in alerts[0].to  # the fallback inbox of the borough
    services.sweep()  # already alerted: no second email
    assert len([m for m in mail.outbox if "could not be sent" in m.subject]) == 1


def test_retry_now_resends_a_dead_delivery(open311_config, case_system, file_report, monkeypatch):
    monkeypatch.setenv("TEST_OPEN311_KEY", "wrong")
    report = file_report(LAMBETH)
    delivery = Delivery.objects.get(report=report)
    assert delivery.state == DeliveryState.DEAD
    monkeypatch.setenv("TEST_OPEN311_KEY", "open311-test-key")
    from reporting.forwarding.services import retry_now

    assert retry_now(delivery=delivery)  # enqueued on commit; run it as the worker would
    services.enqueue_delivery(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED
    assert delivery.attempt_log.count() == 2
    assert case_system.stats()["cases"] == 1
    assert not retry_now(delivery=delivery)  # delivered: nothing to retry


def test_sweep_requeues_a_delivery_whose_worker_died(
    open311_config, case_system, django_capture_on_commit_callbacks
):
    delivery = Delivery.objects.get(report=submit(LAMBETH))
    claimed = services.claim_delivery(delivery_id=delivery.pk)
    assert claimed.state == DeliveryState.SENDING
    # the worker is killed here; its lease runs out
    Delivery.objects.filter(pk=delivery.pk).update(
        lease_until=timezone.now() - timedelta(seconds=1)
    )
    with django_capture_on_commit_callbacks() as callbacks:
        result = services.sweep()
    assert result.requeued_stalled == 1
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.RETRYING
    assert "worker stopped" in delivery.last_error
    for callback in callbacks:
        callback()
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED
    assert delivery.attempts == 2
    assert case_system.stats()["cases"] == 1


def test_sweep_requeues_due_deliveries_whose_task_was_lost(
    open311_config, case_system, django_capture_on_commit_callbacks
):
    delivery = Delivery.objects.get(report=submit(LAMBETH))  # on_commit never ran: task lost
    assert services.sweep().requeued_due == 0  # enqueued just now: give the worker time
    Delivery.objects.filter(pk=delivery.pk).update(
        enqueued_at=timezone.now() - timedelta(seconds=121)
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = services.sweep()
    assert result.requeued_due == 1
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED


def test_a_stale_worker_cannot_overwrite_a_newer_attempt(open311_config):
    delivery = Delivery.objects.get(report=submit(LAMBETH))
    first = services.claim_delivery(delivery_id=delivery.pk)
    services.sweep(now=timezone.now() + timedelta(seconds=121))
    second = services.claim_delivery(
        delivery_id=delivery.pk, now=timezone.now() + timedelta(seconds=122)
    )
    assert second.attempts == 2
    services.record_failure(
        delivery=first, error="late failure", started_at=timezone.now(), duration_ms=1
    )
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENDING  # the second worker still holds it
    assert delivery.attempt_log.count() == 1  # but the late attempt is on record


def test_submit_report_writes_the_delivery_itself(
    open311_config, django_capture_on_commit_callbacks
):
    from reporting.services import submit_report

    with django_capture_on_commit_callbacks() as callbacks:
        submitted = submit_report(draft=make_draft(LAMBETH))
    (delivery,) = Delivery.objects.filter(report=submitted.report)
    assert delivery.config == open311_config
    assert callbacks, "the send task is enqueued once the report is committed"
