"""Factories for the forwarding app's models."""

from __future__ import annotations

import factory
from django.utils import timezone

from reporting.factories import ReportFactory
from reporting.forwarding.models import InboundUpdate, Open311ApiKey, Open311Submission
from reporting.forwarding.tokens import hash_secret


class InboundUpdateFactory(factory.django.DjangoModelFactory):
    report = factory.SubFactory(ReportFactory)
    borough_code = factory.SelfAttribute("report.borough_code")
    update_id = factory.Sequence(lambda n: f"update-{n}")
    source = InboundUpdate.Source.PUSH
    external_status = "in_progress"
    portal_status = "in_progress"
    updated_datetime = factory.LazyFunction(timezone.now)

    class Meta:
        model = InboundUpdate


class Open311ApiKeyFactory(factory.django.DjangoModelFactory):
    """Build with ``key=...`` to know the key (only its hash is stored)."""

    class Params:
        key = factory.Sequence(lambda n: f"test-key-{n:04d}-abcdefgh")

    name = "A partner service"
    prefix = factory.LazyAttribute(lambda o: o.key[:8])
    key_hash = factory.LazyAttribute(lambda o: hash_secret(o.key))

    class Meta:
        model = Open311ApiKey


class Open311SubmissionFactory(factory.django.DjangoModelFactory):
    report = factory.SubFactory(ReportFactory)
    api_key = factory.SubFactory(Open311ApiKeyFactory)
    service_code = "noise"

    class Meta:
        model = Open311Submission
