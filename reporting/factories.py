"""Factories for the reporting app's models (tests and benchmarks build rows this way)."""

from __future__ import annotations

import datetime

import factory
from django.contrib.auth import get_user_model

from reporting import ids
from reporting.models import (
    AccessLog,
    BoroughStaff,
    CallbackSurvey,
    EqualityResponse,
    Report,
    ReportContact,
    ReportEvent,
    Status,
)

HACKNEY = "E09000012"


class ReportFactory(factory.django.DjangoModelFactory):
    reference = factory.LazyFunction(ids.new_reference)
    tracking_nonce = factory.LazyFunction(ids.new_nonce)
    token_hash = factory.LazyAttribute(
        lambda o: ids.hash_token(ids.tracking_token(o.tracking_nonce))
    )
    category = "noise"
    qualifier = "nuisance"
    latitude = 51.5450
    longitude = -0.0553
    location_source = "map"
    borough_code = HACKNEY
    description = factory.Sequence(lambda n: f"Loud music from the flat above, night {n}.")

    class Meta:
        model = Report


class ReportContactFactory(factory.django.DjangoModelFactory):
    report = factory.SubFactory(ReportFactory)
    name = "Ada Resident"
    email = factory.Sequence(lambda n: f"resident{n}@example.org")
    email_normalised = factory.LazyAttribute(lambda o: o.email.lower())
    phone = "07700 900123"
    preferred_method = ReportContact.Method.EMAIL
    safe_to_contact = True

    class Meta:
        model = ReportContact


class ReportEventFactory(factory.django.DjangoModelFactory):
    report = factory.SubFactory(ReportFactory)
    kind = ReportEvent.Kind.UPDATE
    message = "The team is looking into it."

    class Meta:
        model = ReportEvent


class UserFactory(factory.django.DjangoModelFactory):
    username = factory.Sequence(lambda n: f"staff{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@council.invalid")

    class Meta:
        model = get_user_model()


class BoroughStaffFactory(factory.django.DjangoModelFactory):
    user = factory.SubFactory(UserFactory)
    borough_code = HACKNEY

    class Meta:
        model = BoroughStaff


class AccessLogFactory(factory.django.DjangoModelFactory):
    report = factory.SubFactory(ReportFactory)
    username = "system:portal"
    purpose = "test"

    class Meta:
        model = AccessLog


class EqualityResponseFactory(factory.django.DjangoModelFactory):
    borough_code = HACKNEY
    month = factory.LazyFunction(lambda: datetime.date.today().replace(day=1))
    age_band = "35-44"

    class Meta:
        model = EqualityResponse


class CallbackSurveyFactory(factory.django.DjangoModelFactory):
    report = factory.SubFactory(ReportFactory, status=Status.CLOSED)
    borough_code = factory.SelfAttribute("report.borough_code")
    nonce = factory.LazyFunction(lambda: ids.new_nonce(16))
    token_hash = factory.LazyAttribute(lambda o: ids.hash_token(ids.survey_token(o.nonce)))

    class Meta:
        model = CallbackSurvey
