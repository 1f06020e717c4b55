"""Second factors for the demo accounts, so the demo stays usable. Called only by the demo
loaders (``manage.py load_demo``, run by bin/start), never by the portal itself.

Every demo staff account gets the same authenticator app, whose secret is public (it is
in this file): DEMO ONLY, NOT SECRET. Any authenticator app can add it from
``DEMO_OTPAUTH_URI``, or ``manage.py demo_otp_code`` prints its current code. Each also
gets one recovery code, ``DEMO_RECOVERY_CODE`` (put back each time the demo is loaded).
"""

from __future__ import annotations

from base64 import b32encode
from urllib.parse import quote

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import policy, services

DEMO_TOTP_SECRET = b"demo-only-not-secret"  # 20 bytes, like a real one; public on purpose
DEMO_TOTP_KEY = DEMO_TOTP_SECRET.hex()
DEMO_TOTP_BASE32 = b32encode(DEMO_TOTP_SECRET).decode("ascii")
DEMO_DEVICE_NAME = "Demo authenticator (demo only, not secret)"
DEMO_RECOVERY_CODE = "demo-only-code"
DEMO_OTPAUTH_URI = (
    f"otpauth://totp/{quote('London ASB portal (demo):staff')}"
    f"?secret={DEMO_TOTP_BASE32}&algorithm=SHA1&digits=6&period=30"
    f"&issuer={quote('London ASB portal (demo)')}"
)


@transaction.atomic
def ensure_demo_factors(user: AbstractBaseUser) -> None:
    """The demo authenticator app (unless the person set up their own) and the demo
    recovery code, for a demo account that needs a second factor. Idempotent."""
    if not policy.needs_second_factor(user):
        return
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        TOTPDevice.objects.create(
            user=user, name=DEMO_DEVICE_NAME, key=DEMO_TOTP_KEY, confirmed=True
        )
    device = StaticDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        device = StaticDevice.objects.create(user=user, name=services.RECOVERY_DEVICE_NAME)
    if not device.token_set.filter(token=DEMO_RECOVERY_CODE).exists():
        device.token_set.create(token=DEMO_RECOVERY_CODE)


def current_code() -> str:
    """The demo authenticator app's code now (for bin/start and the demo's docs)."""
    from django_otp.oath import TOTP

    return f"{TOTP(DEMO_TOTP_SECRET).token():06d}"
