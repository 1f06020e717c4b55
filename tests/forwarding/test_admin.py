"""The forwarding app in the Wagtail admin: Open311 keys and the case system settings;
and a case report a case system refused, as staff find it in the outbox, send it again
and see it reach the case system, each limited to the user's boroughs."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from reporting.forwarding.models import Open311ApiKey
from reporting.messages import CASE_REPORT
from reporting.models import BoroughStaff
from reporting.outbox.models import CaseSystemConfig, Message, State
from tests.accounts.helpers import login_verified
from tests.local_services import HACKNEY, LAMBETH

pytestmark = pytest.mark.django_db

HOME = "/admin/"


@pytest.fixture
def superuser(client):
    user = User.objects.create_superuser("admin", "admin@example.org", "pw")
    login_verified(client, user)
    return user


def _staff(username: str, borough: str, *codenames: str) -> User:
    user = User.objects.create_user(username, f"{username}@example.org", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in codenames:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    BoroughStaff.objects.create(user=user, borough_code=borough)
    return user


@pytest.fixture
def hackney_staff(client):
    user = _staff("hackney", HACKNEY, "view_message", "retry_message")
    login_verified(client, user)
    return user


@pytest.fixture
def dead_case_report(open311_config, case_system, file_report, monkeypatch):
    monkeypatch.setenv("TEST_OPEN311_KEY", "wrong")
    report = file_report(LAMBETH, high_risk=True)
    message = Message.objects.get(report=report, kind=CASE_REPORT)
    assert message.state == State.DEAD
    monkeypatch.setenv("TEST_OPEN311_KEY", "open311-test-key")
    return message


def test_failed_case_reports_are_listed_with_their_reason(client, superuser, dead_case_report):
    response = client.get(reverse("outbox_admin:index"), {"state": "dead"})
    assert response.status_code == 200
    content = response.content.decode()
    assert dead_case_report.report.reference in content
    assert "HTTP 403" in content
    assert "Report to the borough&#x27;s case system" in content
    detail = client.get(reverse("outbox_admin:message", args=[dead_case_report.pk]))
    content = detail.content.decode()
    assert "High risk" in content
    assert dead_case_report.config.endpoint_url in content
    assert "Why it failed" in content and "Invalid api_key" in content


def test_dashboard_and_menu_alert_staff(client, superuser, dead_case_report):
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Messages that need you" in home
    assert dead_case_report.report.reference in home
    assert "Outbox (1 failed)" in home


def test_send_again_from_the_admin_delivers(client, superuser, dead_case_report, case_system):
    from reporting.outbox import services as outbox

    url = reverse("outbox_admin:message", args=[dead_case_report.pk])
    assert b"Send again" in client.get(url).content
    response = client.post(reverse("outbox_admin:retry", args=[dead_case_report.pk]))
    assert response.status_code == 302 and response.url == url
    dead_case_report.refresh_from_db()
    assert dead_case_report.state == State.QUEUED
    outbox.drain_now()  # what the kick after the commit does
    dead_case_report.refresh_from_db()
    assert dead_case_report.state == State.DELIVERED and dead_case_report.dead_at is None
    assert case_system.stats()["cases"] == 1
    page = client.get(url)
    assert b"Send again" not in page.content
    assert [a.outcome for a in page.context["attempts"]] == ["rejected", "delivered"]
    assert "will be sent again now" in [str(m) for m in page.context["messages"]][0]


def test_send_again_is_post_only(client, superuser, dead_case_report):
    response = client.get(reverse("outbox_admin:retry", args=[dead_case_report.pk]))
    assert response.status_code == 405


def test_borough_staff_see_only_their_boroughs_messages(client, hackney_staff, dead_case_report):
    listing = client.get(reverse("outbox_admin:index"))
    assert listing.status_code == 200
    assert dead_case_report.report.reference not in listing.content.decode()
    detail = client.get(reverse("outbox_admin:message", args=[dead_case_report.pk]))
    assert detail.status_code == 404
    retry = client.post(reverse("outbox_admin:retry", args=[dead_case_report.pk]))
    assert retry.status_code == 404
    dead_case_report.refresh_from_db()
    assert dead_case_report.state == State.DEAD
    refused = client.get(reverse("forwarding_admin:keys"))  # Wagtail: back to the dashboard
    assert (refused.status_code, refused.url) == (302, HOME)
    assert client.get(reverse("case-systems:index")).url == HOME


def test_people_without_a_borough_cannot_see_the_outbox_or_the_survey(client, db):
    user = User.objects.create_user("editor", "e@example.org", "pw")
    for codename in ("access_admin", "view_message", "retry_message"):
        user.user_permissions.add(Permission.objects.get(codename=codename))
    login_verified(client, user)
    for name in ("outbox_admin:index", "reporting_admin:callbacks"):
        refused = client.get(reverse(name))  # Wagtail's answer to PermissionDenied
        assert (refused.status_code, refused.url) == (302, HOME)
    home = client.get(HOME).content.decode()
    assert reverse("outbox_admin:index") not in home


def test_issuing_and_revoking_an_open311_key(client, superuser):
    response = client.post(reverse("forwarding_admin:keys"), {"name": "FixMyStreet"})
    assert response.status_code == 200
    row = Open311ApiKey.objects.get(name="FixMyStreet")
    key = response.context["new_key"]
    assert key.startswith(row.prefix) and key in response.content.decode()
    assert row.key_hash != key  # only the hash is kept
    again = client.get(reverse("forwarding_admin:keys")).content.decode()
    assert key not in again  # shown once
    client.post(reverse("forwarding_admin:revoke_key", args=[row.pk]))
    row.refresh_from_db()
    assert row.revoked_at is not None
    empty = client.post(reverse("forwarding_admin:keys"), {"name": ""})
    assert b"Enter who the key is for" in empty.content


def test_case_system_settings_name_the_secret_never_hold_it(client, superuser):
    url = reverse("case-systems:add")
    form = {
        "borough_code": HACKNEY,
        "enabled": "on",
        "kind": "webhook",
        "endpoint_url": "https://cases.hackney.example/webhook",
        "jurisdiction_id": "",
        "service_codes": "{}",
        "email_to": "",
        "credential_env": "s3cret-value",
        "inbound_secret_env": "",
    }
    response = client.post(url, form)
    assert response.status_code == 200  # refused: not an environment variable name
    assert not CaseSystemConfig.objects.exists()
    form["credential_env"] = "HACKNEY_WEBHOOK_SECRET"
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    config = CaseSystemConfig.objects.get(borough_code=HACKNEY)
    assert config.credential_env == "HACKNEY_WEBHOOK_SECRET"
    assert client.get(reverse("case-systems:index")).status_code == 200


def test_case_system_settings_are_checked_per_kind(client, superuser):
    response = client.post(
        reverse("case-systems:add"),
        {
            "borough_code": LAMBETH,
            "enabled": "on",
            "kind": "email",
            "service_codes": "{}",
            "poll_updates": "on",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "email_to" in errors and "poll_updates" in errors
