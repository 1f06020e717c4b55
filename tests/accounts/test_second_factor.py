"""A password is not enough: staff read reports only after their second factor."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from reporting import wagtail_hooks as reporting_admin
from reporting.models import AccessLog
from reporting.outbox.models import Message
from tests.accounts.conftest import RESIDENT_EMAIL, sign_in_with_password
from tests.accounts.helpers import code_for, key_code, login_verified, totp_device

pytestmark = pytest.mark.django_db


def every_staff_url(report) -> list[str]:
    """Every URL of the report triage and outbox admin, filled in with this report."""
    message = Message.objects.filter(report=report).first()
    values = {"pk": report.pk, "photo_pk": 1}
    urls = ["/admin/", "/admin/pages/"]
    for namespace, patterns in (
        ("reporting_admin", reporting_admin.admin_urlpatterns),
        ("outbox_admin", reporting_admin.outbox_urlpatterns),
    ):
        for pattern in patterns:
            kwargs = {name: values[name] for name in pattern.pattern.converters}
            if namespace == "outbox_admin" and "pk" in kwargs:
                kwargs["pk"] = message.pk
            urls.append(reverse(f"{namespace}:{pattern.name}", kwargs=kwargs))
    urls.append(reverse("reporting_admin:detail", kwargs={"pk": report.pk}) + "?contact=1")
    return urls


def redirect_path(response) -> str:
    assert response.status_code == 302, response
    return urlsplit(response["Location"]).path


def test_password_only_staff_cannot_read_any_report(client, officer, report):
    response = sign_in_with_password(client, "hackney-officer")
    assert redirect_path(response) == "/admin/"  # Wagtail signed them in with the password
    for url in every_staff_url(report):
        for method in (client.get, client.post):
            response = method(url)
            assert redirect_path(response) == "/staff/set-up/", url
            assert RESIDENT_EMAIL not in response.content.decode()
    assert parse_qs(urlsplit(response["Location"]).query)["next"] == [
        every_staff_url(report)[-1].split("?")[0]
    ]
    assert not AccessLog.objects.exists()  # no report, no personal details, was ever read
    report.refresh_from_db()
    assert report.status == "received"


def test_staff_with_a_factor_are_sent_to_the_second_step(client, officer, report):
    totp_device(officer)
    sign_in_with_password(client, "hackney-officer")
    response = client.get(f"/admin/asb-reports/{report.pk}/?contact=1")
    assert redirect_path(response) == "/staff/verify/"
    assert parse_qs(urlsplit(response["Location"]).query)["next"] == [
        f"/admin/asb-reports/{report.pk}/?contact=1"
    ]
    assert not AccessLog.objects.exists()


def test_sign_in_pages_and_the_public_site_stay_open(client, officer, home_page):
    totp_device(officer)
    sign_in_with_password(client, "hackney-officer")
    assert client.get("/").status_code == 200
    assert client.get("/staff/verify/").status_code == 200
    assert client.get("/admin/password_reset/").status_code == 200
    assert client.get("/admin/jsi18n/").status_code == 200
    response = client.post("/admin/logout/")
    assert redirect_path(response) == "/admin/login/"
    assert "_auth_user_id" not in client.session


def test_first_sign_in_sets_up_the_app_then_shows_ten_recovery_codes_once(client, officer, report):
    sign_in_with_password(client, "hackney-officer")
    page = client.get("/staff/set-up/?next=/admin/asb-reports/")
    html = page.content.decode()
    assert page.status_code == 200
    assert '<svg viewBox="' in html and 'aria-label="QR code' in html  # inline, no image URL
    secret = re.search(r'<code class="accounts-secret" id="secret"[^>]*>([A-Z2-7 ]+)</code>', html)
    assert secret, "the secret is on the page as text"
    response = client.post(
        "/staff/set-up/", {"code": key_code(secret.group(1)), "next": "/admin/asb-reports/"}
    )
    assert redirect_path(response) == "/staff/recovery-codes/"
    codes_page = client.get(response["Location"]).content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", codes_page)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert sorted(codes) == sorted(
        StaticToken.objects.filter(device__user=officer).values_list("token", flat=True)
    )
    again = client.get("/staff/recovery-codes/").content.decode()
    assert not set(codes) & set(re.findall(r"[a-z2-7]{8}", again))  # shown once
    assert "10 recovery codes left" in again
    body = client.get("/admin/asb-reports/").content.decode()
    assert report.reference in body
    assert TOTPDevice.objects.get(user=officer).confirmed


def test_a_wrong_code_at_set_up_confirms_nothing(client, officer):
    sign_in_with_password(client, "hackney-officer")
    client.get("/staff/set-up/")
    response = client.post("/staff/set-up/", {"code": "000000"})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=officer, confirmed=True).exists()
    assert redirect_path(client.get("/admin/")) == "/staff/set-up/"


def test_with_the_app_verified_staff_read_their_reports(client, officer, report):
    device = totp_device(officer)
    sign_in_with_password(client, "hackney-officer")
    response = client.post(
        "/staff/verify/", {"code": code_for(device), "next": f"/admin/asb-reports/{report.pk}/"}
    )
    assert redirect_path(response) == f"/admin/asb-reports/{report.pk}/"
    assert report.reference in client.get("/admin/asb-reports/").content.decode()
    detail = client.get(f"/admin/asb-reports/{report.pk}/?contact=1")
    assert detail.status_code == 200 and RESIDENT_EMAIL in detail.content.decode()


def test_verifying_gives_a_new_session_key(client, officer):
    device = totp_device(officer)
    sign_in_with_password(client, "hackney-officer")
    before = client.session.session_key
    client.post("/staff/verify/", {"code": code_for(device)})
    assert client.session.session_key != before


def test_a_wrong_code_is_refused_and_then_even_the_right_one_waits(client, officer):
    device = totp_device(officer)
    sign_in_with_password(client, "hackney-officer")
    right = code_for(device)
    wrong = client.post("/staff/verify/", {"code": "000000" if right != "000000" else "111111"})
    assert wrong.status_code == 200
    assert "That code is not right" in wrong.content.decode()
    right_too_soon = client.post("/staff/verify/", {"code": right})
    assert right_too_soon.status_code == 200
    assert "Too many wrong codes. Wait" in right_too_soon.content.decode()
    assert redirect_path(client.get("/admin/")) == "/staff/verify/"
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    # Time passes (the device's throttle is 1, 2, 4... seconds after each wrong code).
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(seconds=2)
    )
    assert redirect_path(client.post("/staff/verify/", {"code": code_for(device)})) == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_repeated_wrong_codes_wait_longer_each_time(client, officer):
    device = totp_device(officer)
    sign_in_with_password(client, "hackney-officer")
    assert client.post("/staff/verify/", {"code": "12345a"}).status_code == 200  # not a code
    for failures in range(1, 6):
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
        wrong = client.post("/staff/verify/", {"code": "999999"}).content.decode()
        assert "That code is not right" in wrong
        again = client.post("/staff/verify/", {"code": "999999"}).content.decode()
        wait = 2 ** (failures - 1)
        assert f"Wait {wait} second{'s' if wait > 1 else ''}, then try again" in again
        device.refresh_from_db()
        assert device.throttling_failure_count == failures  # a refused try is not checked
    assert redirect_path(client.get("/admin/")) == "/staff/verify/"


def test_recovery_codes_work_once_each(client, officer):
    totp_device(officer)
    device = officer.staticdevice_set.create(name="Recovery codes")
    device.token_set.create(token="aaaa2222")
    device.token_set.create(token="bbbb3333")
    sign_in_with_password(client, "hackney-officer")
    page = client.get("/staff/verify/").content.decode()
    assert "Use a recovery code instead" in page
    response = client.post("/staff/recovery-code/", {"code": " AAAA 2222 ", "next": "/admin/"})
    assert redirect_path(response) == "/admin/"
    assert client.get("/admin/").status_code == 200
    client.post("/admin/logout/")

    sign_in_with_password(client, "hackney-officer")
    reused = client.post("/staff/recovery-code/", {"code": "aaaa2222"})
    assert reused.status_code == 200
    assert "That recovery code is not right" in reused.content.decode()
    device.throttle_reset()
    response = client.post("/staff/recovery-code/", {"code": "bbbb3333"})
    assert redirect_path(response) == "/admin/"
    assert not device.token_set.exists()


def test_a_verified_session_needs_no_second_step(client, officer, report):
    login_verified(client, officer)
    assert redirect_path(client.get("/staff/verify/?next=/admin/asb-reports/")) == (
        "/admin/asb-reports/"
    )
    assert client.get(f"/admin/asb-reports/{report.pk}/").status_code == 200


def test_next_never_leaves_the_site(client, officer):
    device = totp_device(officer)
    sign_in_with_password(client, "hackney-officer")
    response = client.post(
        "/staff/verify/", {"code": code_for(device), "next": "https://evil.example/admin/"}
    )
    assert response["Location"] == "/admin/"


def test_residents_and_other_accounts_are_left_alone(client, django_user_model, home_page):
    django_user_model.objects.create_user("resident", password="pw-for-tests")
    client.force_login(django_user_model.objects.get(username="resident"))
    assert client.get("/").status_code == 200
    assert client.get("/staff/verify/?next=/report/").status_code == 302


def test_an_administrator_resets_a_lost_second_factor(client, officer):
    from django.core.management import call_command

    totp_device(officer)
    officer.staticdevice_set.create(name="Recovery codes").token_set.create(token="aaaa2222")
    call_command("reset_second_factor", "hackney-officer", stdout=io.StringIO())
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert not StaticToken.objects.filter(device__user=officer).exists()
    sign_in_with_password(client, "hackney-officer")
    assert redirect_path(client.get("/admin/")) == "/staff/set-up/"
