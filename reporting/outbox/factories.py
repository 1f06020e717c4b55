"""Factories for the outbox's models."""

from __future__ import annotations

import factory
from django.utils import timezone

from reporting.factories import ReportFactory
from reporting.outbox.models import (
    AdapterKind,
    Attempt,
    Audience,
    CaseSystemConfig,
    Channel,
    DrainSlot,
    Message,
    State,
)


class CaseSystemConfigFactory(factory.django.DjangoModelFactory):
    borough_code = "E09000027"
    kind = AdapterKind.EMAIL
    email_to = "asb-cases@richmond.invalid"

    class Meta:
        model = CaseSystemConfig
        django_get_or_create = ("borough_code",)


class MessageFactory(factory.django.DjangoModelFactory):
    """A borough inbox email about a report, queued."""

    kind = "borough_new_report"
    audience = Audience.BOROUGH
    channel = Channel.EMAIL
    destination = Channel.EMAIL
    report = factory.SubFactory(ReportFactory)
    borough_code = factory.SelfAttribute("report.borough_code")
    recipient = "asb@hackney.invalid"
    dedupe_key = factory.Sequence(lambda n: f"test|{n}")
    state = State.QUEUED

    class Meta:
        model = Message


class AttemptFactory(factory.django.DjangoModelFactory):
    message = factory.SubFactory(MessageFactory)
    number = 1
    started_at = factory.LazyFunction(timezone.now)
    outcome = Attempt.Outcome.FAILED
    status_code = 451
    error = "The mail server answered 451 try again later"

    class Meta:
        model = Attempt


class DrainSlotFactory(factory.django.DjangoModelFactory):
    slot = factory.Sequence(lambda n: n)
    lease_until = factory.LazyFunction(timezone.now)

    class Meta:
        model = DrainSlot
