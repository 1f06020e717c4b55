"""The demo accounts keep working with two-step sign-in: a public, demo-only authenticator
secret and recovery code, given by the demo loaders only."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import demo, services
from tests.accounts.conftest import sign_in_with_password

pytestmark = pytest.mark.django_db


def test_demo_staff_get_the_demo_app_and_recovery_code(officer):
    demo.ensure_demo_factors(officer)
    demo.ensure_demo_factors(officer)  # idempotent
    device = TOTPDevice.objects.get(user=officer)
    assert device.confirmed and device.key == demo.DEMO_TOTP_KEY
    assert services.check_code(user=officer, device=device, code=demo.current_code()).accepted
    tokens = StaticToken.objects.filter(device__user=officer)
    assert [t.token for t in tokens] == [demo.DEMO_RECOVERY_CODE]


def test_a_demo_account_signs_in_with_the_demo_code(client, officer):
    demo.ensure_demo_factors(officer)
    sign_in_with_password(client, "hackney-officer")
    response = client.post("/staff/recovery-code/", {"code": demo.DEMO_RECOVERY_CODE})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    demo.ensure_demo_factors(officer)  # loading the demo again puts the used code back
    assert StaticToken.objects.filter(token=demo.DEMO_RECOVERY_CODE).count() == 1


def test_an_app_set_up_by_the_person_is_kept(officer):
    own = TOTPDevice.objects.create(user=officer, name="My phone", confirmed=True)
    demo.ensure_demo_factors(officer)
    assert list(TOTPDevice.objects.filter(user=officer)) == [own]


def test_residents_get_nothing(django_user_model):
    resident = django_user_model.objects.create_user("resident", password="pw-for-tests")
    demo.ensure_demo_factors(resident)
    assert not TOTPDevice.objects.filter(user=resident).exists()


def test_the_demo_loaders_give_every_demo_officer_the_demo_factors(settings, tmp_path):
    from reporting import demo as reporting_demo

    settings.VAR_DIR = tmp_path  # the demo password file
    officers = reporting_demo._officers(io.StringIO())
    for user in officers.values():
        assert TOTPDevice.objects.get(user=user).key == demo.DEMO_TOTP_KEY


def test_the_demo_code_command(settings):
    out = io.StringIO()
    call_command("demo_otp_code", stdout=out)
    assert out.getvalue().strip() == demo.current_code()
    out = io.StringIO()
    call_command("demo_otp_code", "--uri", stdout=out)
    assert out.getvalue().startswith("otpauth://totp/") and demo.DEMO_TOTP_BASE32 in out.getvalue()
