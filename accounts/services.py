"""Writes: setting up and checking second factors, recovery codes, unlocking accounts.

Codes are always checked against one named device through ``django_otp.verify_token``
(a transaction that locks the device row), so django-otp's throttling holds: after each
wrong code the device refuses every code, right or wrong, for 1, 2, 4, 8... seconds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY, verify_token
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts import policy, selectors

AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


@dataclass(frozen=True)
class Check:
    """The answer to a code: accepted, or refused (and for how long no code is tried)."""

    accepted: bool
    retry_after: int = 0  # seconds: more than 0 when the device is throttled

    @property
    def throttled(self) -> bool:
        return self.retry_after > 0


def check_code(*, user: AbstractBaseUser, device: Device | None, code: str) -> Check:
    """Check one code against one of the person's devices (throttled by django-otp)."""
    if device is None or device.user_id != user.pk:
        return Check(accepted=False)
    allowed, details = device.verify_is_allowed()
    if not allowed:
        return Check(accepted=False, retry_after=_seconds_until(details))
    # Wrong: the device now waits before it checks another code (the next try says so).
    return Check(accepted=verify_token(user, device.persistent_id, code) is not None)


def _seconds_until(details: dict | None) -> int:
    until = (details or {}).get("locked_until")
    if until is None:
        return 1
    return max(1, math.ceil((until - timezone.now()).total_seconds()))


def mark_verified(*, request: HttpRequest, device: Device) -> None:
    """The session has given its second factor (with this device): a new session key."""
    request.session.cycle_key()
    otp_login(request, device)


def keep_verified(*, request: HttpRequest) -> None:
    """After removing the factor this session was verified with, the session stays
    verified through one the person still has (as django-otp-webauthn does when a
    passkey is added): they proved it is them earlier in this session."""
    user = request.user
    current = request.session.get(DEVICE_ID_SESSION_KEY)
    if current and Device.from_persistent_id(current) is not None:
        return
    remaining = selectors.authenticator(user) or selectors.passkeys(user).first()
    if remaining is not None:
        otp_login(request, remaining)


def start_authenticator(*, user: AbstractBaseUser) -> TOTPDevice:
    """The authenticator app being set up: the same secret until it is confirmed."""
    pending = selectors.pending_authenticator(user)
    if pending is not None:
        return pending
    return TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


@transaction.atomic
def confirm_authenticator(*, user: AbstractBaseUser, device: TOTPDevice, code: str) -> Check:
    """Confirm the app being set up with a code from it; it replaces any previous app."""
    if device.confirmed or device.user_id != user.pk:
        return Check(accepted=False)
    result = check_code(user=user, device=device, code=code)
    if result.accepted:
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        device.confirmed = True
    return result


@transaction.atomic
def issue_recovery_codes(*, user: AbstractBaseUser) -> list[str]:
    """New recovery codes; any earlier ones stop working. Shown to the person once."""
    device = selectors.recovery_device(user)
    if device is None:
        device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME)
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(policy.RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def remove_passkey(*, user: AbstractBaseUser, pk: int) -> bool:
    """Remove one of the person's passkeys, unless it is their only second factor."""
    with transaction.atomic():
        passkey = WebAuthnCredential.objects.select_for_update().filter(user=user, pk=pk).first()
        if passkey is None:
            return False
        others = selectors.passkeys(user).exclude(pk=pk).exists()
        if not others and selectors.authenticator(user) is None:
            return False
        passkey.delete()
        return True


def remove_authenticator(*, user: AbstractBaseUser) -> bool:
    """Remove the person's authenticator app, if a passkey remains as a second factor."""
    with transaction.atomic():
        if not selectors.passkeys(user).exists():
            return False
        deleted, _ = TOTPDevice.objects.filter(user=user).delete()
        return deleted > 0


@transaction.atomic
def reset_second_factor(*, user: AbstractBaseUser) -> int:
    """Remove all of a person's second factors (a lost phone and lost codes): they set up
    a new one at their next sign-in. Returns how many devices were removed."""
    removed = 0
    for model in (TOTPDevice, StaticDevice, WebAuthnCredential):
        removed += model.objects.filter(user=user).delete()[1].get(model._meta.label, 0)
    return removed


def unlock(*, kind: str, value: str) -> int:
    """Clear the failed sign-ins of an account name or an internet address."""
    if kind == "username":
        return AxesProxyHandler.reset_attempts(username=value)
    if kind == "ip_address":
        return AxesProxyHandler.reset_attempts(ip_address=value)
    raise ValueError(f"Cannot unlock by {kind!r}")
