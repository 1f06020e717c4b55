"""Ten wrong passwords lock an account (or an internet address), even with the right
password, until an hour after the last one or until an administrator unlocks it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.utils import timezone

from tests.accounts.conftest import sign_in_with_password
from tests.accounts.helpers import login_verified

pytestmark = pytest.mark.django_db


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail(client, username: str, times: int, **extra) -> list:
    return [
        sign_in_with_password(client, username, "wrong-password", **extra) for _ in range(times)
    ]


def test_ten_wrong_passwords_lock_the_account_even_with_the_right_one(client, officer):
    answers = fail(client, "hackney-officer", 10)
    assert [a.status_code for a in answers[:9]] == [200] * 9  # the form again, with an error
    assert answers[9].status_code == 429
    page = answers[9].content.decode()
    assert "Signing in is locked for now" in page
    assert "There were 10 wrong attempts" in page and "1 hour after the last attempt" in page
    right = sign_in_with_password(client, "hackney-officer")
    assert right.status_code == 429
    assert not signed_in(client)
    # Another connection is refused too: the account itself is locked.
    assert sign_in_with_password(client, "hackney-officer", REMOTE_ADDR="10.0.0.9").status_code == (
        429
    )


def test_nine_wrong_passwords_do_not_lock(client, officer):
    fail(client, "hackney-officer", 9)
    response = sign_in_with_password(client, "hackney-officer")
    assert response.status_code == 302 and signed_in(client)


def test_the_lock_ends_an_hour_after_the_last_wrong_password(client, officer, settings):
    assert settings.AXES_COOLOFF_TIME == 1.0  # hours (LOGIN_LOCKOUT_HOURS)
    fail(client, "hackney-officer", 10)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=59))
    assert sign_in_with_password(client, "hackney-officer").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=61))
    response = sign_in_with_password(client, "hackney-officer")
    assert response.status_code == 302 and signed_in(client)


def test_ten_wrong_passwords_from_one_address_lock_that_address(client, officer, django_user_model):
    for n in range(10):
        sign_in_with_password(client, f"guess-{n}", "wrong-password", REMOTE_ADDR="10.1.1.1")
    locked = sign_in_with_password(client, "hackney-officer", REMOTE_ADDR="10.1.1.1")
    assert locked.status_code == 429 and not signed_in(client)
    elsewhere = sign_in_with_password(client, "hackney-officer", REMOTE_ADDR="10.2.2.2")
    assert elsewhere.status_code == 302 and signed_in(client)


def test_an_administrator_unlocks_the_account_in_the_admin(client, officer, django_user_model):
    fail(client, "hackney-officer", 10, REMOTE_ADDR="10.3.3.3")
    admin = django_user_model.objects.create_superuser("admin", "admin@example.org", "pw")
    login_verified(client, admin)
    page = client.get("/admin/locked-accounts/").content.decode()
    assert "hackney-officer" in page and "10.3.3.3" in page
    response = client.post(
        "/admin/locked-accounts/", {"kind": "username", "value": "hackney-officer"}
    )
    assert response.status_code == 302
    page = client.get("/admin/locked-accounts/")
    assert "The account hackney-officer is unlocked." in page.content.decode()
    assert page.context["accounts"] == []
    assert page.context["addresses"] == []  # its only failures were for that account
    client.post("/admin/logout/")
    response = sign_in_with_password(client, "hackney-officer", REMOTE_ADDR="10.3.3.3")
    assert response.status_code == 302 and signed_in(client)


def test_only_administrators_see_or_unlock_locked_accounts(client, officer, django_user_model):
    fail(client, "hackney-officer", 10)
    login_verified(client, officer)  # an officer: Wagtail admin access, no axes permissions
    response = client.get("/admin/locked-accounts/")
    assert response.status_code in (302, 403) and "hackney-officer" not in response.content.decode()
    response = client.post(
        "/admin/locked-accounts/", {"kind": "username", "value": "hackney-officer"}
    )
    assert response.status_code in (302, 403)
    assert AccessAttempt.objects.filter(username="hackney-officer").exists()
    # Allowed to look, not to unlock.
    officer.user_permissions.add(Permission.objects.get(codename="view_accessattempt"))
    page = client.get("/admin/locked-accounts/").content.decode()
    assert "hackney-officer" in page and ">Unlock<" not in page
    response = client.post(
        "/admin/locked-accounts/", {"kind": "username", "value": "hackney-officer"}
    )
    assert response.status_code in (302, 403)
    assert AccessAttempt.objects.filter(username="hackney-officer").exists()


def test_the_axes_command_unlocks_an_account(client, officer):
    fail(client, "hackney-officer", 10)
    call_command("axes_reset_username", "hackney-officer")
    response = sign_in_with_password(client, "hackney-officer")
    assert response.status_code == 302 and signed_in(client)


def test_the_lockout_permissions_are_offered_on_wagtails_group_page(client, django_user_model):
    admin = django_user_model.objects.create_superuser("admin", "admin@example.org", "pw")
    login_verified(client, admin)
    html = client.get("/admin/groups/new/").content.decode()
    for codename in ("view_accessattempt", "delete_accessattempt"):
        permission = Permission.objects.get(content_type__app_label="axes", codename=codename)
        assert f'value="{permission.pk}"' in html
