"""Signing staff in with their second factor, for every test that uses the admin.

``login_verified`` does what a real sign-in does (password, then a code from a real
TOTP device, as ``django_otp.login`` records it), without the forms; ``sign_in`` goes
through the real forms in a browser.
"""

from __future__ import annotations

import time

from django.contrib.auth.base_user import AbstractBaseUser
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "a-long-test-password"


def totp_device(user: AbstractBaseUser) -> TOTPDevice:
    """The person's confirmed authenticator app (made if they have none)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Test app", confirmed=True)


def login_verified(client: Client, user: AbstractBaseUser) -> TOTPDevice:
    """Sign ``user`` in with a second factor: the session is OTP-verified by a real device."""
    client.force_login(user)
    device = totp_device(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def code_for(device: TOTPDevice) -> str:
    """The code the person's app shows now, or the next one if now's was used already (the
    device accepts each step once, and one step ahead)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = max(time.time(), device.t0 + (device.last_t + 1) * device.step)
    return f"{totp.token():0{device.digits}d}"


def key_code(secret_base32: str) -> str:
    """What an authenticator app shows now for a secret typed in from the set-up page."""
    from base64 import b32decode

    key = b32decode(secret_base32.replace(" ", "").upper())
    return f"{TOTP(key).token():06d}"


def sign_in(page, base_url: str, username: str, password: str = PASSWORD) -> None:
    """Sign in through the real forms: Wagtail's password form, then the code form."""
    from django.contrib.auth import get_user_model

    device = totp_device(get_user_model().objects.get(username=username))
    page.goto(base_url + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/staff/verify/**")
    page.get_by_label("Code from your authenticator app").fill(code_for(device))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(lambda url: "/staff/" not in url)
