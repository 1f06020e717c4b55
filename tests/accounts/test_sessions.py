"""Staff sessions end after 30 minutes without a request; each request renews them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.policy import STAFF_IDLE_SECONDS
from tests.accounts.helpers import login_verified

pytestmark = pytest.mark.django_db


def stored(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def seconds_left(client) -> float:
    return (stored(client).expire_date - timezone.now()).total_seconds()


def test_signing_in_gives_staff_a_30_minute_session(client, officer):
    assert STAFF_IDLE_SECONDS == 30 * 60
    response = client.post(
        "/admin/login/",
        {"username": "hackney-officer", "password": "a-long-test-password", "remember": "on"},
    )
    assert response.status_code == 302
    assert client.session.get_expiry_age() == STAFF_IDLE_SECONDS  # "remember me" or not
    assert STAFF_IDLE_SECONDS - 5 < seconds_left(client) <= STAFF_IDLE_SECONDS
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == STAFF_IDLE_SECONDS


def test_each_request_renews_the_30_minutes(client, officer, report):
    login_verified(client, officer)
    client.get("/admin/")
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() + timedelta(minutes=2)  # 28 minutes idle
    )
    assert client.get(f"/admin/asb-reports/{report.pk}/").status_code == 200
    assert STAFF_IDLE_SECONDS - 5 < seconds_left(client) <= STAFF_IDLE_SECONDS


def test_after_30_idle_minutes_the_session_is_over(client, officer):
    login_verified(client, officer)
    client.get("/admin/")
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get("/admin/asb-reports/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_other_sessions_keep_the_sites_default(client, django_user_model, home_page):
    resident = django_user_model.objects.create_user("resident", password="pw-for-tests")
    client.force_login(resident)
    client.get("/")
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    assert seconds_left(client) > STAFF_IDLE_SECONDS * 2


def test_answers_to_visitors_without_a_session_leave_the_session_alone(client, db):
    response = client.get("/healthz")
    assert "Cookie" not in response.get("Vary", "")
    assert settings.SESSION_COOKIE_NAME not in response.cookies
