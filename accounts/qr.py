"""The authenticator app's set-up details: the QR code (inline SVG) and the secret as text."""

from __future__ import annotations

from base64 import b32encode

import segno
from django_otp.plugins.otp_totp.models import TOTPDevice


def qr_svg(uri: str) -> str:
    """An inline SVG QR code of ``uri`` (dark on white, whatever the admin theme)."""
    return segno.make(uri, error="m").svg_inline(
        scale=5, border=4, dark="#0b0c0c", light="#ffffff", svgclass="accounts-qr", omitsize=True
    )


def secret_text(device: TOTPDevice) -> str:
    """The secret as people type it into an app: base32 in groups of four."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
