"""A resident's session on what may be a shared device: short, gone at browser close,
cleared by the scheduler, and holding no answers once the report is sent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from reporting.wizard import SESSION_KEY
from tests.reporting.conftest import fill_flow

pytestmark = pytest.mark.django_db


def test_the_flow_session_lasts_two_hours_and_ends_with_the_browser(client):
    fill_flow(client)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == "" and cookie["max-age"] == ""  # a browser-session cookie
    assert cookie["httponly"]
    session = Session.objects.get(session_key=cookie.value)
    left = session.expire_date - timezone.now()
    assert timedelta(hours=1, minutes=55) < left <= timedelta(hours=2)


def test_nothing_typed_stays_in_the_session_after_sending(client):
    fill_flow(client)
    assert SESSION_KEY in client.session
    client.post("/report/check/", {"website": ""})
    assert SESSION_KEY not in client.session
    body = client.get("/report/contact/", follow=True).content.decode()
    assert "ada@example.com" not in body and "Ada Resident" not in body


def test_the_scheduler_clears_expired_sessions(client):
    fill_flow(client)
    Session.objects.update(expire_date=timezone.now() - timedelta(minutes=1))
    assert ("clearsessions", 3600) in settings.PERIODIC_COMMANDS
    call_command("clearsessions")
    assert not Session.objects.exists()
