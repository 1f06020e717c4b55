"""The forwarding demo loader, and the outbox's sweep taking back a case report whose
worker died (the old ``sweep_deliveries``, now ``sweep_outbox``)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from reporting.forwarding import demo
from reporting.forwarding.models import Open311ApiKey
from reporting.messages import CASE_REPORT
from reporting.outbox import engine
from reporting.outbox.adapters.open311 import Open311Adapter
from reporting.outbox.kinds import kind_for
from reporting.outbox.models import Attempt, CaseSystemConfig, Message, State
from tests.local_services import LAMBETH, submit

pytestmark = pytest.mark.django_db


def test_demo_points_the_trial_boroughs_at_the_reference_case_system_idempotently():
    earlier = submit(LAMBETH)  # a demo report made before the case systems existed
    out = io.StringIO()
    demo.load(stdout=out)
    assert set(CaseSystemConfig.objects.values_list("borough_code", flat=True)) == set(
        demo.DEMO_CONFIGS
    )
    lambeth = CaseSystemConfig.objects.get(borough_code=LAMBETH)
    assert lambeth.endpoint_url == "http://127.0.0.1:8100/open311/v2/"
    assert lambeth.credential_env == "CASE_SYSTEM_OPEN311_KEY"  # a name, not a secret
    case = Message.objects.get(report=earlier, kind=CASE_REPORT)
    assert case.config == lambeth and case.state == State.QUEUED
    assert "Queued 1 existing demo reports" in out.getvalue()
    assert "manage.py open311_key NAME" in out.getvalue()  # no secret printed
    for config in CaseSystemConfig.objects.all():
        config.full_clean()
    demo.load(stdout=io.StringIO())
    assert CaseSystemConfig.objects.count() == len(demo.DEMO_CONFIGS)
    assert Message.objects.filter(report=earlier, kind=CASE_REPORT).count() == 1
    assert Open311ApiKey.objects.count() == 0


def test_sweep_takes_back_a_case_report_whose_worker_died_and_files_one_case(
    open311_config, case_system
):
    """The worker got as far as the case system taking the case, then died before the
    row said so: the sweep sends it again, with the same key, and there is one case."""
    report = submit(LAMBETH, contact=None)
    message = engine.claim_next(worker="doomed")
    assert message.kind == CASE_REPORT  # the first posted, at the same priority
    adapter = Open311Adapter()
    adapter.send(kind_for(message.kind).compose(message), message_id=message.message_id)
    adapter.close()
    assert len(case_system.cases(reference=report.reference)) == 1
    Message.objects.filter(pk=message.pk).update(lease_until=timezone.now() - timedelta(seconds=5))
    out = io.StringIO()
    call_command("sweep_outbox", stdout=out)
    assert "taken back from stopped workers: 1" in out.getvalue()
    assert "drain started: yes" in out.getvalue()
    message.refresh_from_db()
    assert message.state == State.DELIVERED and message.attempts == 2
    assert list(message.attempt_log.values_list("outcome", flat=True)) == [
        Attempt.Outcome.INTERRUPTED,
        Attempt.Outcome.DELIVERED,
    ]
    assert len(case_system.cases(reference=report.reference)) == 1
    assert message.external_id == case_system.cases(reference=report.reference)[0]["case_id"]
    assert case_system.stats()["receipts"] == 2
