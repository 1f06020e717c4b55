"""The demo loader and the management commands of the forwarding app."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from reporting.forwarding import demo
from reporting.forwarding.models import CaseSystemConfig, Delivery, DeliveryState, Open311ApiKey
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
    assert Delivery.objects.filter(report=earlier).count() == 1
    assert "Open311 API key" in out.getvalue()
    for config in CaseSystemConfig.objects.all():
        config.full_clean()
    demo.load(stdout=io.StringIO())
    assert CaseSystemConfig.objects.count() == len(demo.DEMO_CONFIGS)
    assert Delivery.objects.filter(report=earlier).count() == 1
    assert Open311ApiKey.objects.count() == 1


def test_sweep_command_reports_what_it_did(open311_config):
    delivery = Delivery.objects.get(report=submit(LAMBETH))
    Delivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.SENDING, lease_until=timezone.now() - timedelta(seconds=5)
    )
    out = io.StringIO()
    call_command("sweep_deliveries", stdout=out)
    assert "stalled re-queued: 1" in out.getvalue()
