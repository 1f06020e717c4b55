"""Reads: a person's second factors, and the accounts and addresses locked out now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Max, QuerySet, Sum
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential


def authenticator(user: AbstractBaseUser) -> TOTPDevice | None:
    """The person's confirmed authenticator app (one per person)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def pending_authenticator(user: AbstractBaseUser) -> TOTPDevice | None:
    """An authenticator app being set up (shown as a QR code, not yet confirmed)."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def passkeys(user: AbstractBaseUser) -> QuerySet[WebAuthnCredential]:
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at")


def has_second_factor(user: AbstractBaseUser) -> bool:
    """An authenticator app or a passkey (recovery codes alone are not enough to enrol)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists() or passkeys(user).exists()


def recovery_device(user: AbstractBaseUser) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def recovery_codes_left(user: AbstractBaseUser) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@dataclass(frozen=True)
class Lockout:
    """An account name or an internet address with too many failed sign-ins."""

    kind: str  # "username" or "ip_address"
    value: str
    failures: int
    last_attempt: datetime
    unlocks_at: datetime | None


def lockouts(*, now: datetime | None = None) -> list[Lockout]:
    """Everything django-axes locks out now: by account name and by internet address
    (``AXES_LOCKOUT_PARAMETERS``), counting the failures within the cool-off."""
    now = now or timezone.now()
    cool_off = get_cool_off()
    attempts = AccessAttempt.objects.all()
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=now - cool_off)
    found = []
    for kind in ("username", "ip_address"):
        rows = (
            attempts.filter(**{f"{kind}__isnull": False})
            .values(kind)
            .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
            .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
            .order_by("-last")
        )
        found += [
            Lockout(
                kind=kind,
                value=row[kind],
                failures=row["failures"],
                last_attempt=row["last"],
                unlocks_at=row["last"] + cool_off if cool_off is not None else None,
            )
            for row in rows
            if row[kind]
        ]
    return found
