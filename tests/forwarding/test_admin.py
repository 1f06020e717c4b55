"""Staff in the Wagtail admin: deliveries, retry now, the dashboard alert, Open311 keys,
case system settings and survey results, each limited to the user's boroughs."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from reporting.forwarding.models import CaseSystemConfig, Delivery, DeliveryState, Open311ApiKey
from reporting.models import BoroughStaff
from tests.local_services import HACKNEY, LAMBETH, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(client):
    user = User.objects.create_superuser("admin", "admin@example.org", "pw")
    client.force_login(user)
    return user


@pytest.fixture
def hackney_staff(client):
    from django.contrib.auth.models import Permission

    user = User.objects.create_user("hackney", "h@example.org", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    BoroughStaff.objects.create(user=user, borough_code=HACKNEY)
    client.force_login(user)
    return user


@pytest.fixture
def dead_delivery(open311_config, case_system, file_report, monkeypatch):
    monkeypatch.setenv("TEST_OPEN311_KEY", "wrong")
    report = file_report(LAMBETH, high_risk=True)
    delivery = Delivery.objects.get(report=report)
    assert delivery.state == DeliveryState.DEAD
    monkeypatch.setenv("TEST_OPEN311_KEY", "open311-test-key")
    return delivery


def test_failed_deliveries_are_listed_with_their_reason(client, superuser, dead_delivery):
    response = client.get(reverse("forwarding_admin:failed"))
    assert response.status_code == 200
    content = response.content.decode()
    assert dead_delivery.report.reference in content
    assert "HTTP 403" in content
    assert "High risk" in content


def test_dashboard_and_menu_alert_staff(client, superuser, dead_delivery):
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Reports not delivered to case systems" in home
    assert "Case deliveries (1 failed)" in home


def test_retry_now_from_the_admin_delivers(
    client, superuser, dead_delivery, case_system, django_capture_on_commit_callbacks
):
    page = client.get(reverse("forwarding_admin:delivery", args=[dead_delivery.pk]))
    assert b"Retry now" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("forwarding_admin:retry", args=[dead_delivery.pk]))
    assert response.status_code == 302
    dead_delivery.refresh_from_db()
    assert dead_delivery.state == DeliveryState.DELIVERED
    assert case_system.stats()["cases"] == 1
    page = client.get(reverse("forwarding_admin:delivery", args=[dead_delivery.pk]))
    assert b"Retry now" not in page.content
    assert page.content.count(b"<tr><td>") >= 2  # both attempts are on record


def test_retry_is_post_only(client, superuser, dead_delivery):
    response = client.get(reverse("forwarding_admin:retry", args=[dead_delivery.pk]))
    assert response.status_code == 405


def test_borough_staff_see_only_their_boroughs_deliveries(client, hackney_staff, dead_delivery):
    listing = client.get(reverse("forwarding_admin:deliveries"))
    assert listing.status_code == 200
    assert dead_delivery.report.reference not in listing.content.decode()
    detail = client.get(reverse("forwarding_admin:delivery", args=[dead_delivery.pk]))
    assert detail.status_code == 404
    retry = client.post(reverse("forwarding_admin:retry", args=[dead_delivery.pk]))
    assert retry.status_code == 404
    dead_delivery.refresh_from_db()
    assert dead_delivery.state == DeliveryState.DEAD
    refused = client.get(reverse("forwarding_admin:keys"))  # Wagtail: back to the dashboard
    assert (refused.status_code, refused.url) == (302, reverse("wagtailadmin_home"))


def test_people_without_a_borough_cannot_see_deliveries(client, db):
    from django.contrib.auth.models import Permission

    user = User.objects.create_user("editor", "e@example.org", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    for name in ("forwarding_admin:deliveries", "forwarding_admin:callbacks"):
        refused = client.get(reverse(name))  # Wagtail's answer to PermissionDenied
        assert (refused.status_code, refused.url) == (302, reverse("wagtailadmin_home"))


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
    assert reverse("case-systems:index")
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


def test_survey_results_page(client, superuser):
    from reporting.forwarding import services
    from reporting.models import Status
    from reporting.services import apply_update

    report = submit(LAMBETH)
    apply_update(report=report, status=Status.CLOSED, message="Done.", notify_resident=False)
    survey = services.invite_callback(report=report)
    services.answer_callback(
        survey=survey,
        answers={
            "told_action": "yes",
            "seriousness": "very",
            "know_action": "yes",
            "satisfaction": "very_satisfied",
        },
    )
    page = client.get(reverse("forwarding_admin:callbacks")).content.decode()
    assert "Lambeth" in page and "1 answered of 1 asked" in page
    assert "100%" in page
