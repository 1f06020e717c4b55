"""HMAC-SHA256 signatures for webhook deliveries and inbound status updates.

The signature covers the timestamp and the exact body bytes: ``sha256=`` followed by the
hex HMAC of ``"<timestamp>.<body>"`` with the shared secret. Plain Python (no Django), so
the reference case system signs and checks with the very same code.
"""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-Signature"
TIMESTAMP_HEADER = "X-Timestamp"
IDEMPOTENCY_HEADER = "Idempotency-Key"
PREFIX = "sha256="


def sign(secret: str, timestamp: str, body: bytes) -> str:
    message = timestamp.encode("ascii") + b"." + body
    return PREFIX + hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def signed_headers(secret: str, body: bytes, *, now: float | None = None) -> dict[str, str]:
    timestamp = str(int(now if now is not None else time.time()))
    return {TIMESTAMP_HEADER: timestamp, SIGNATURE_HEADER: sign(secret, timestamp, body)}


def verify(
    secret: str,
    timestamp: str,
    body: bytes,
    signature: str,
    *,
    max_skew: float,
    now: float | None = None,
) -> bool:
    """True when the signature matches and the timestamp is within ``max_skew`` seconds."""
    if not secret or not timestamp or not signature:
        return False
    # Whole seconds in ASCII digits: int() would also take "１７" or a number too large
    # to compare with the clock, and sign() could not encode the first.
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12):
        return False
    sent = int(timestamp)
    current = now if now is not None else time.time()
    if abs(current - sent) > max_skew:
        return False
    # As bytes: compare_digest refuses a str with characters outside ASCII (a TypeError).
    expected = sign(secret, timestamp, body).encode()
    return hmac.compare_digest(expected, signature.strip().encode("utf-8", "replace"))
